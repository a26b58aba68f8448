import datetime as dt
from pathlib import Path

import pytest

from legaltracker.core import clock

from .factories import Staff, TeamFactory

# The edit-test loop is `bash scripts/test -m "not slow"`; CI runs everything. Slow here
# means real processes, browsers, LibreOffice, fuzzing, races and large data: what the
# domain and service tests do not need to catch a broken rule. Whole directories and the
# markers below are slow; single modules and tests carry `pytest.mark.slow` themselves.
SLOW_DIRECTORIES = ("browser", "concurrency", "faults", "hostile")
SLOW_MARKERS = ("browser", "hostile", "postgres")
_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = item.path.relative_to(_TESTS).parts if item.path.is_relative_to(_TESTS) else ()
        if (parts and parts[0] in SLOW_DIRECTORIES) or any(
            item.get_closest_marker(name) for name in SLOW_MARKERS
        ):
            item.add_marker(pytest.mark.slow)


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
