import datetime as dt
from pathlib import Path

import pytest

from legaltracker.core import clock

from .factories import Staff, TeamFactory
from .markers import CI_HALF, CI_PART

# The edit-test loop is `bash scripts/test -m "not slow"`; CI runs everything. Slow here
# means real processes, browsers, LibreOffice, fuzzing, races and large data: what the
# domain and service tests do not need to catch a broken rule. Whole directories and the
# markers below are slow; single modules and tests carry `pytest.mark.slow` themselves.
SLOW_DIRECTORIES = ("browser", "concurrency", "faults", "hostile")
SLOW_MARKERS = ("browser", "hostile", "postgres")
_TESTS = Path(__file__).parent


# CI (.ci/run) runs the whole suite on SQLite, in two parts, and on PostgreSQL the tests
# whose subject is the database engine: locks, races, faults, restarts, the audit
# triggers and roles, the exports and the queue brokers, the alert scan and delivery, the
# selectors and searches written per database, the API's hostile input, and every test
# marked for PostgreSQL (docs/decisions.md, entry 221). Run anywhere else (the README's
# test command, a PostgreSQL run by hand) everything runs.
ENGINE_TESTS = (
    "alerts/test_delivery.py",
    "alerts/test_postgres_scan_race.py",
    "alerts/test_processes.py",
    "alerts/test_scan.py",
    "audit/",
    "board/test_selectors.py",
    "concurrency/test_extension_request_race.py",
    "concurrency/test_postgres_races.py",
    "exports/",
    "faults/",
    "find/test_search.py",
    "find/test_search_text.py",
    "hostile/test_api_schemathesis.py",
    "performance/test_figures.py",
    "performance/test_queries_export_api.py",
    "resilience/",
    "web/test_reports.py",
)
# The SQLite half's second part (LT_CI_PART=2) is these; the first part, the rest.
SQLITE_SECOND_PART = ("access/", "browser/", "cases/pages/", "hostile/", "letters/")


def _relative(item) -> str:
    return item.path.relative_to(_TESTS).as_posix() if item.path.is_relative_to(_TESTS) else ""


def _about_postgresql(item) -> bool:
    return item.get_closest_marker("postgres") is not None or any(
        "PostgreSQL" in str(mark.kwargs.get("reason", "")) for mark in item.iter_markers("skipif")
    )


def _in_this_ci_part(item) -> bool:
    path = _relative(item)
    if CI_HALF == "postgresql":
        return path.startswith(ENGINE_TESTS) or _about_postgresql(item)
    if CI_HALF == "sqlite" and CI_PART:
        return path.startswith(SQLITE_SECOND_PART) == (CI_PART == "2")
    return True


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _relative(item).split("/")[0] in SLOW_DIRECTORIES or any(
            item.get_closest_marker(name) for name in SLOW_MARKERS
        ):
            item.add_marker(pytest.mark.slow)
    kept = [item for item in items if _in_this_ci_part(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in set(kept)])
        items[:] = kept


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Each test starts with no API requests counted and no anonymous refusal window open
    (legaltracker.api.throttles, legaltracker.audit.anonymous)."""
    from django.core.cache import caches

    from legaltracker.api.throttles import LEASES

    caches["throttle"].clear()
    LEASES.clear()


@pytest.fixture
def team(db):
    return TeamFactory(code="north", name="North Family Support")


@pytest.fixture
def other_team(db):
    return TeamFactory(code="south", name="South Family Support")


@pytest.fixture
def staff(team):
    return Staff(team)


@pytest.fixture
def other_staff(other_team, staff):
    return Staff(other_team)


@pytest.fixture
def today():
    """Tests run on a fixed, ordinary working day unless they pin another."""
    day = dt.date(2026, 3, 4)  # a Wednesday, clear of bank holidays
    with clock.frozen(day):
        yield day


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch):
    """`Client.force_login` skips the password, so it skips the second factor too: tests
    that sign in as an administrator reach the pages they test. The second factor itself
    is tested through the real sign-in form and code page (tests/security)."""
    from django.test import Client

    from legaltracker.security.sessions import mark_second_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        mark_second_factor(session, user)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
