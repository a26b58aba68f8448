"""Fixtures for the browser tests: Debian's Chromium driven by Playwright (sync API)
against pytest-django's live server, with axe-core checking every page a test loads.

Playwright's sync API keeps an asyncio loop running in the test thread while it is
started, and Django refuses ORM calls from a thread with a running loop. The loop is
Playwright's own (the ORM calls are still plain synchronous calls), so the fixture that
starts Playwright allows them for exactly as long as Playwright runs, then stops it: the
rest of the suite runs as before. pytest-playwright's own `browser`/`page` fixtures are
session-scoped and would leave that loop running for every later test, so they are not
used here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from legaltracker.accounts.models import User
from tests.markers import browser_on_sqlite

from . import axe

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, which floods a
# closed network (and CI's) with connection attempts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "An invented test password 42"
TIMEOUT_MS = 15_000


def pytest_configure(config: pytest.Config) -> None:
    # Registered here until pyproject.toml lists it; a second registration is harmless.
    config.addinivalue_line(
        "markers", "browser: drives Debian's headless Chromium (needs /usr/bin/chromium)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(browser_on_sqlite)


# Whether the test itself failed, for the page fixture to read at teardown.
_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: run "
            "`apt-get install chromium` (`bash scripts/test` installs it). Playwright's own "
            "browser download is not used: this project downloads no browsers.",
            pytrace=False,
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageProblems:
    """What went wrong in the page besides the test's own assertions."""

    errors: list[str] = field(default_factory=list)


@pytest.fixture
def page(chromium: Browser, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser tab (own cookies) on the live server. At the end of the test it
    fails if a loaded page was never checked by axe, a script threw, or a static file
    did not load."""
    context = chromium.new_context(
        base_url=live_server.url,
        accept_downloads=True,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    tab = context.new_page()
    tracker = axe.track(tab)
    problems = PageProblems()
    tab.on("pageerror", lambda exc: problems.errors.append(f"script error: {exc}"))
    # A Content Security Policy violation is reported on the console: any is a failure.
    tab.on(
        "console",
        lambda message: (
            problems.errors.append(f"console: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    tab.on(
        "response",
        lambda r: (
            problems.errors.append(f"{r.status} for {r.url}")
            if "/static/" in r.url and r.status >= 400
            else None
        ),
    )
    try:
        yield tab
    finally:
        context.close()
    if request.node.stash.get(_CALL_FAILED, True):
        return  # the test's own failure says more than these would
    if tracker.unchecked is not None:
        tracker.missed.append(tracker.unchecked)
    assert not tracker.missed, f"pages loaded without an axe check: {tracker.missed}"
    assert not problems.errors, "problems in the page: " + "; ".join(problems.errors)


@pytest.fixture(autouse=True)
def letters_storage(settings: Any, tmp_path: Path) -> Path:
    """Letter files go to a temporary folder, not the project's private storage."""
    settings.LETTERS_STORAGE_ROOT = str(tmp_path / "private" / "letters")
    return tmp_path / "private" / "letters"


@dataclass
class People:
    """The staff of tests/conftest.py with passwords, so they can sign in."""

    social_worker: User
    team_manager: User
    head_of_service: User
    legal: User
    court_liaison_officer: User
    administrator: User
    other_social_worker: User
    other_team_manager: User


@pytest.fixture
def people(staff: Any, other_staff: Any) -> People:
    users = People(
        social_worker=staff.social_worker,
        team_manager=staff.team_manager,
        head_of_service=staff.head_of_service,
        legal=staff.legal,
        court_liaison_officer=staff.court_liaison_officer,
        administrator=staff.administrator,
        other_social_worker=other_staff.social_worker,
        other_team_manager=other_staff.team_manager,
    )
    for user in vars(users).values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return users
