"""RAG on the board, read through `selectors.case_list` (docs/domain/milestones.md):
red when anything is overdue, pre-proceedings has passed its decision point or
proceedings have passed 26 weeks; amber when something is due soon or pre-proceedings
is past 12 weeks; green otherwise. Cases are built through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.cases.choices import Stage
from legaltracker.cases.selectors import case_detail, case_list
from legaltracker.core import clock
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.selectors import Today
from tests.factories import case_at, record

from .helpers import CAL, D

pytestmark = pytest.mark.django_db


def rag(case, user, day):
    return case_list(user=user, today=Today.now(day)).get(pk=case.pk).rag


def overdue_milestones(case, user, day):
    detail = case_detail(user=user, case_id=case.pk, today=Today.now(day))
    return {d.milestone for d in detail.deadlines.all() if d.status == "overdue"}


def test_green_amber_red_around_a_due_date(staff, today):
    case = case_at(Stage.CONCERN, staff, start=today)
    due = CAL.add_working_days(today, 20)  # the first management oversight
    assert due == D(2026, 4, 1)
    user = staff.court_liaison_officer
    assert rag(case, user, today) == "green"
    assert rag(case, user, D(2026, 3, 24)) == "green"  # + 5 working days is 31 March
    assert rag(case, user, D(2026, 3, 25)) == "amber"  # + 5 working days is the due day
    assert rag(case, user, due) == "amber"
    assert rag(case, user, due + dt.timedelta(days=1)) == "red"
    with clock.frozen(D(2026, 3, 20)):
        record(case, staff.team_manager, "management_oversight", D(2026, 3, 20), summary="Reviewed")
    # That note meets the first cycle; the next is due 21 April (Easter in between).
    assert rag(case, user, due + dt.timedelta(days=1)) == "green"
    assert rag(case, user, D(2026, 4, 22)) == "red"


STARTED = D(2025, 11, 3)  # pre-proceedings began on this Monday


@pytest.fixture
def steady_pre_proceedings(staff):
    """A case in pre-proceedings with every milestone met on time up to week 12."""
    with clock.frozen(STARTED + dt.timedelta(days=84)):
        case = case_at(Stage.PRE_PROCEEDINGS, staff, start=STARTED - dt.timedelta(days=2))
        assert case.pre_proceedings_started_on == STARTED
        sw = staff.social_worker
        record(case, sw, "letter_before_proceedings_sent", STARTED + dt.timedelta(days=1))
        record(case, sw, "fgdm_offered", STARTED + dt.timedelta(days=1))
        record(case, sw, "initial_meeting_held", STARTED + dt.timedelta(days=8))
        record(case, sw, "review_meeting_held", STARTED + dt.timedelta(days=48))
        record(case, sw, "review_meeting_held", STARTED + dt.timedelta(days=80))
        record(
            case,
            staff.team_manager,
            "management_oversight",
            STARTED + dt.timedelta(days=82),
            summary="ok",
        )
    return case


def test_pre_proceedings_past_twelve_weeks_is_amber(staff, steady_pre_proceedings):
    case, user = steady_pre_proceedings, staff.legal
    twelve_weeks = STARTED + dt.timedelta(weeks=12)
    assert rag(case, user, twelve_weeks) == "green"
    assert rag(case, user, twelve_weeks + dt.timedelta(days=1)) == "amber"
    assert overdue_milestones(case, user, twelve_weeks + dt.timedelta(days=1)) == set()
    amber = case_list(
        user=user, today=Today.now(twelve_weeks + dt.timedelta(days=1)), filters={"rag": "amber"}
    )
    assert list(amber.values_list("pk", flat=True)) == [case.pk]


def test_pre_proceedings_past_its_decision_point_is_red(staff, steady_pre_proceedings):
    case, user = steady_pre_proceedings, staff.legal
    decision_point = STARTED + dt.timedelta(days=8) + dt.timedelta(weeks=16)
    with clock.frozen(decision_point + dt.timedelta(days=1)):
        # Keep everything else in time, so the decision point is what turns it red.
        record(
            case, staff.social_worker, "review_meeting_held", decision_point - dt.timedelta(days=5)
        )
        record(
            case,
            staff.team_manager,
            "management_oversight",
            decision_point - dt.timedelta(days=5),
            summary="ok",
        )
    assert rag(case, user, decision_point) == "amber"
    assert rag(case, user, decision_point + dt.timedelta(days=1)) == "red"
    assert overdue_milestones(case, user, decision_point + dt.timedelta(days=1)) == {
        Milestone.PRE_PROCEEDINGS_DECISION
    }


def test_proceedings_past_twenty_six_weeks_are_red(staff):
    start = D(2025, 6, 2)
    day1 = start + dt.timedelta(days=3)
    final = day1 + dt.timedelta(days=182)
    with clock.frozen(final + dt.timedelta(days=1)):
        case = case_at(Stage.PROCEEDINGS, staff, start=start)
        assert case.issued_on == day1
        legal = staff.legal
        record(case, staff.social_worker, "letter_of_issue_sent", day1)
        record(case, legal, "parties_served", day1 + dt.timedelta(days=1))
        for kind, offset in (
            ("advocates_meeting", 20),
            ("case_management_hearing", 22),
            ("issues_resolution_hearing", 130),
        ):
            record(case, legal, "hearing_held", day1 + dt.timedelta(days=offset), hearing_type=kind)
        record(
            case,
            staff.team_manager,
            "management_oversight",
            final - dt.timedelta(days=2),
            summary="ok",
        )
    user = staff.court_liaison_officer
    assert rag(case, user, final - dt.timedelta(days=14)) == "green"
    assert rag(case, user, final) == "amber"
    assert rag(case, user, final + dt.timedelta(days=1)) == "red"
    assert overdue_milestones(case, user, final + dt.timedelta(days=1)) == {Milestone.FINAL_ORDER}


def test_a_closed_case_is_green(staff, today):
    case = case_at(Stage.CLOSED, staff, start=today - dt.timedelta(days=200))
    assert rag(case, staff.legal, today) == "green"


def test_rag_filter_and_visibility(staff, other_staff, today):
    green = case_at(Stage.CONCERN, staff, start=today)
    red = case_at(Stage.CONCERN, staff, start=today - dt.timedelta(days=60))
    elsewhere = case_at(Stage.CONCERN, other_staff, start=today - dt.timedelta(days=60))
    when = Today.now(today)
    assert set(
        case_list(user=staff.legal, today=when, filters={"rag": "red"}).values_list("pk", flat=True)
    ) == {red.pk, elsewhere.pk}
    assert set(case_list(user=staff.social_worker, today=when, filters={"rag": "red"})) == {red}
    assert set(case_list(user=staff.social_worker, today=when, filters={"rag": "green"})) == {green}
