import datetime as dt
from pathlib import Path

import pytest

from legaltracker.accounts.models import Role, Team, User
from legaltracker.core import clock
from legaltracker.demo.cases import TEAMS, USERS

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "legaltracker"
    / "imports"
    / "samples"
    / "council_tracker_sample.csv"
)
# The day after the sample was "exported": every date in it is in the past.
IMPORT_DAY = dt.date(2026, 12, 1)


@pytest.fixture
def import_day():
    with clock.frozen(IMPORT_DAY):
        yield IMPORT_DAY


@pytest.fixture
def council(db):
    """The demo's teams and people, whom the sample names."""
    teams = {code: Team.objects.create(code=code, name=name) for code, name in TEAMS}
    users = {}
    for spec in USERS:
        users[spec.username] = User.objects.create(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            role=spec.role,
            team=teams[spec.team] if spec.team else None,
        )
    return users


@pytest.fixture
def hos(council):
    return council["hos"]


def by_role(council, role: Role) -> User:
    return next(u for u in council.values() if u.role == role)
