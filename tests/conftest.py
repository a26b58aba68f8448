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
