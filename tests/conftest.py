import datetime as dt

import pytest

from legaltracker.core import clock

from .factories import Staff, TeamFactory


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
