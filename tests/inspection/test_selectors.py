"""The inspection list's rows: who is in the period, in which order, with which dates,
and what a restriction hides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legaltracker.accounts.models import Role
from legaltracker.audit import services as audit_services
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline
from legaltracker.inspection import selectors
from tests.factories import UserFactory, case_at

from .cohort import END, START, build, child, parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(staff, other_staff, today):
    return build(staff, other_staff)


def rows(user, start=START, end=END):
    return list(selectors.iter_rows(user, start=start, end=end))


def test_children_in_pre_proceedings_or_proceedings_during_the_period_in_inspection_order(
    cohort, staff
):
    found = [(r.team, r.case_reference, r.child_name) for r in rows(staff.head_of_service)]
    north, south = "North Family Support", "South Family Support"
    assert found == [
        (north, cohort.long_running.reference, "Cal Long"),  # entered 7 May 2025
        (north, cohort.closed_on_start.reference, "Bea Boundary"),  # entered 4 June 2025
        (north, cohort.entered_during.reference, "Dot During"),  # entered 3 December 2025
        (north, cohort.entered_during.reference, "Eli During"),
        (south, cohort.issued_directly.reference, "Fay Direct"),  # issued 2 October 2025
    ]


def test_the_count_agrees_with_the_rows(cohort, staff):
    user = staff.performance_officer
    assert selectors.count(user, start=START, end=END) == len(rows(user)) == 5


def test_a_case_that_left_the_day_before_the_period_is_out_and_one_closed_on_its_first_day_in(
    cohort, staff
):
    user = staff.head_of_service
    references = {r.case_reference for r in rows(user)}
    assert cohort.left_before.reference not in references
    assert cohort.closed_on_start.reference in references
    # Moving the period back a day brings the stepped-down case in.
    earlier = {r.case_reference for r in rows(user, start=dt.date(2025, 8, 29))}
    assert cohort.left_before.reference in earlier
    # A case that entered after the period is in a period that reaches it.
    later = {r.case_reference for r in rows(user, end=dt.date(2026, 3, 4))}
    assert cohort.entered_after.reference in later
    assert cohort.at_gateway.reference not in later


def test_every_plo_date_of_a_child_in_pre_proceedings(cohort, staff):
    dot = next(r for r in rows(staff.head_of_service) if r.child_name == "Dot During")
    case = cohort.entered_during
    decision_point = Deadline.objects.filter(
        case=case, milestone=Milestone.PRE_PROCEEDINGS_DECISION
    ).latest("cycle")
    assert (dot.la_child_id, dot.upn, dot.date_of_birth) == (
        "LA2001",
        "A123456789012",
        dt.date(2017, 2, 3),
    )
    assert (dot.team, dot.social_worker) == (
        "North Family Support",
        "Test " + staff.social_worker.last_name,
    )
    assert dot.allocated_lawyer == ""
    assert (dot.stage, dot.stage_label) == ("pre_proceedings", "Pre-proceedings")
    assert dot.gateway_decision_on == dt.date(2025, 12, 3)
    assert dot.pre_proceedings_started_on == dot.entered_on == dt.date(2025, 12, 3)
    assert dot.letter_before_proceedings_on == dt.date(2025, 12, 5)
    # The meeting recorded as not going ahead is passed over for the one that did.
    assert dot.initial_meeting_on == dt.date(2025, 12, 17)
    assert (dot.review_meetings, dot.last_review_meeting_on) == (2, dt.date(2026, 2, 25))
    assert dot.decision_point_on == decision_point.due
    assert (dot.stepped_down_on, dot.issue_decided_on, dot.issued_on) == (None, None, None)
    assert (dot.first_hearing_on, dot.closed_on, dot.outcome) == (None, None, "")


def test_dates_of_a_case_issued_without_pre_proceedings_and_of_a_closed_one(cohort, staff):
    found = {r.child_name: r for r in rows(staff.head_of_service, start=dt.date(2025, 8, 1))}
    fay = found["Fay Direct"]
    assert fay.pre_proceedings_started_on is None
    assert fay.entered_on == fay.issued_on == dt.date(2025, 10, 2)
    assert fay.issue_decided_on == fay.gateway_decision_on == dt.date(2025, 10, 1)
    assert fay.court_reference == "ZW26C00001"
    assert fay.first_hearing_on == dt.date(2025, 10, 16)
    assert (fay.review_meetings, fay.stage_label) == (0, "Proceedings")
    ada = found["Ada Left"]
    assert ada.stepped_down_on == ada.closed_on == dt.date(2025, 8, 29)
    assert (ada.outcome, ada.step_down_to) == ("stepped_down", "Child in need plan")
    bea = found["Bea Boundary"]
    assert (bea.stepped_down_on, bea.closed_on, bea.outcome) == (None, START, "withdrawn")


def test_the_allocated_lawyer_is_named(cohort, staff):
    case = cohort.long_running
    type(case).objects.filter(pk=case.pk).update(allocated_lawyer=staff.legal)
    cal = next(r for r in rows(staff.head_of_service) if r.child_name == "Cal Long")
    assert cal.allocated_lawyer == staff.legal.get_full_name()
    assert cal.la_child_id == "LA1001"


def test_a_restricted_case_is_left_out_for_anyone_not_named_on_it(cohort, staff):
    other_head = UserFactory(username="hos-2", role=Role.HEAD_OF_SERVICE)
    audit_services.case_restrict(
        case_id=cohort.entered_during.pk,
        actor=other_head,
        reason="A parent works in the council's children's services.",
        named_user_ids=[staff.performance_officer.pk],
    )
    audit_services.case_restrict(
        case_id=cohort.long_running.pk,
        actor=other_head,
        reason="A relative works in the legal team.",
    )
    reference = cohort.entered_during.reference
    by_head = {r.case_reference for r in rows(staff.head_of_service)}
    by_named = {r.case_reference for r in rows(staff.performance_officer)}
    by_restricter = {r.case_reference for r in rows(other_head)}
    assert reference not in by_head and cohort.long_running.reference not in by_head
    assert reference in by_named and cohort.long_running.reference not in by_named
    assert {reference, cohort.long_running.reference} <= by_restricter
    assert selectors.count(staff.head_of_service, start=START, end=END) == len(by_head) == 2


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in ("head_of_service", "performance_officer")]
)
def test_other_roles_get_no_rows(cohort, staff, role):
    user = staff.by_role(role)
    assert rows(user) == []
    assert selectors.count(user, start=START, end=END) == 0


def test_one_query_whatever_the_number_of_children(cohort, staff):
    user = staff.performance_officer
    with CaptureQueriesContext(connection) as few:
        assert len(rows(user)) == 5
    for n in range(4):
        case_at(
            "proceedings",
            staff,
            start=dt.date(2025, 11, 3),
            children=[
                child("Ivy", f"More{n}", "2018-01-01"),
                child("Jo", f"More{n}", "2019-01-01"),
            ],
            adults=parent(f"More{n}"),
        )
    with CaptureQueriesContext(connection) as many:
        assert len(rows(user)) == 13
    assert len(many) == len(few) <= 2  # the rows' one query (and a savepoint at most)


def test_the_first_hearing_comes_from_the_court_record(staff, today):
    import datetime as dt_

    from legaltracker.cases.choices import Stage
    from legaltracker.court import services as court
    from legaltracker.inspection.selectors import inspection_children
    from tests.factories import case_at

    case = case_at(Stage.PROCEEDINGS, staff, start=today - dt_.timedelta(days=30))
    hearing = court.hearing_list(
        case_id=case.pk,
        actor=staff.legal,
        data={"kind": "case_management_hearing", "date": "2026-03-02", "time": "23:30"},
    )
    court.hearing_hold(
        hearing_id=hearing.pk, actor=staff.legal, data={"orders_made": ["directions_only"]}
    )
    (row,) = inspection_children(
        staff.head_of_service, start=today - dt_.timedelta(days=60), end=today
    ).filter(case=case)
    # 23:30 London time on 2 March is still 2 March, whatever the offset.
    assert row.first_hearing_on == dt_.date(2026, 3, 2)
