"""Cases in pre-proceedings during the 2026 to 2027 census year, walked through the case
services, for the census export, page and API tests."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.accounts.models import Role, User
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case, Child
from legaltracker.core import clock
from tests.factories import Staff, UserFactory, case_at, record

YEAR = 2026
# A day in the census year, after everything the tests record.
TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def census_today():
    with clock.frozen(TODAY):
        yield TODAY


@pytest.fixture
def performance_officer(db) -> User:
    return UserFactory(username="perf", role=Role.PERFORMANCE_OFFICER)


def census_case(
    staff: Staff,
    *,
    la_child_id: str,
    referral: dt.date | None = dt.date(2026, 3, 2),
    episode: str = "",
    start: dt.date = dt.date(2026, 5, 1),
    fgdm_outcome: str | None = "fgdm_held",
) -> Case:
    """A case whose child entered pre-proceedings two days after `start`, with a letter
    before proceedings offering a family group decision-making meeting, `fgdm_outcome`
    recorded after it (None: nothing yet), and an initial meeting."""
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=start)
    Child.objects.filter(case=case).update(
        la_child_id=la_child_id, cin_referral_date=referral, cin_episode_id=episode
    )
    letter = start + dt.timedelta(days=5)
    record(case, staff.legal, "letter_before_proceedings_sent", letter)
    record(case, staff.social_worker, "fgdm_offered", letter)
    if fgdm_outcome == "fgdm_held":
        record(case, staff.social_worker, "fgdm_accepted", letter + dt.timedelta(days=2))
        record(case, staff.social_worker, "fgdm_held", letter + dt.timedelta(days=9))
    elif fgdm_outcome:
        record(case, staff.social_worker, fgdm_outcome, letter + dt.timedelta(days=2))
    record(case, staff.social_worker, "initial_meeting_held", letter + dt.timedelta(days=10))
    return case
