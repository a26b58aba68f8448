"""Cases built through the services around one period, for the inspection list's tests.

The period is 1 September 2025 to 28 February 2026 (the tests run on 4 March 2026). Each
case starts on a Monday so that every step of `case_at` falls on a working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from legaltracker.cases.models import Case, Child, RecordedEvent
from tests.factories import Staff, case_at, move, record

START = dt.date(2025, 9, 1)
END = dt.date(2026, 2, 28)
REASONS = "Recorded for the inspection list tests."
ADVOCATES = {"hearing_type": "advocates_meeting"}
FIRST_HEARING = {"hearing_type": "case_management_hearing"}


def child(first: str, last: str, born: str) -> dict[str, str]:
    return {"first_name": first, "last_name": last, "date_of_birth": born}


def identify(case: Case, first_name: str, **ids: str) -> None:
    """The council's identifiers of a child (the census fields, set by their own forms)."""
    updated = Child.objects.filter(case=case, first_name=first_name).update(**ids)
    assert updated == 1


def parent(last: str) -> list[dict[str, object]]:
    return [
        {
            "first_name": "Parent",
            "last_name": last,
            "relationship": "mother",
            "parental_responsibility": True,
        }
    ]


@dataclass
class Cohort:
    left_before: Case  # stepped down the Friday before the period: out
    closed_on_start: Case  # closed on the period's first day: in
    long_running: Case  # entered before the period, still open: in
    entered_during: Case  # entered during the period, two children: in
    issued_directly: Case  # the other team, issued without pre-proceedings: in
    entered_after: Case  # entered after the period's end: out
    at_gateway: Case  # never in pre-proceedings or proceedings: out


def build(staff: Staff, other: Staff) -> Cohort:
    left_before = case_at(
        "pre_proceedings",
        staff,
        start=dt.date(2025, 3, 3),
        children=[child("Ada", "Left", "2019-01-02")],
        adults=parent("Left"),
    )
    record(
        left_before,
        staff.social_worker,
        "assessment_completed",
        dt.date(2025, 8, 1),
        summary="Updated assessment",
    )
    move(
        left_before,
        "step_down",
        staff.team_manager,
        date="2025-08-29",
        reasons=REASONS,
        step_down_to="child_in_need_plan",
    )

    closed_on_start = case_at(
        "pre_proceedings",
        staff,
        start=dt.date(2025, 6, 2),
        children=[child("Bea", "Boundary", "2018-05-06")],
        adults=parent("Boundary"),
    )
    move(
        closed_on_start,
        "close",
        staff.head_of_service,
        date=START.isoformat(),
        outcome="withdrawn",
        reasons=REASONS,
    )

    long_running = case_at(
        "pre_proceedings",
        staff,
        start=dt.date(2025, 5, 5),
        children=[child("Cal", "Long", "2020-07-08")],
        adults=parent("Long"),
    )

    entered_during = case_at(
        "pre_proceedings",
        staff,
        start=dt.date(2025, 12, 1),
        children=[
            child("Dot", "During", "2017-02-03"),
            child("Eli", "During", "2021-09-10"),
        ],
        adults=parent("During"),
    )
    identify(long_running, "Cal", la_child_id="LA1001")
    identify(entered_during, "Dot", la_child_id="LA2001", upn="A123456789012")
    identify(entered_during, "Eli", la_child_id="LA2002")
    sw = staff.social_worker
    record(entered_during, sw, "letter_before_proceedings_sent", dt.date(2025, 12, 5))
    not_held = record(entered_during, sw, "initial_meeting_held", dt.date(2025, 12, 10))
    # Recorded as not going ahead as a pre-proceedings meeting: not the initial meeting.
    RecordedEvent.objects.filter(pk=not_held.pk).update(details={"effective": False})
    record(entered_during, sw, "initial_meeting_held", dt.date(2025, 12, 17))
    record(entered_during, sw, "review_meeting_held", dt.date(2026, 1, 28))
    record(entered_during, sw, "review_meeting_held", dt.date(2026, 2, 25))

    issued_directly = case_at(
        "proceedings",
        other,
        start=dt.date(2025, 9, 29),
        children=[child("Fay", "Direct", "2016-11-12")],
        adults=parent("Direct"),
    )
    lawyer = other.legal
    # The advocates' meeting comes first, but it is not a hearing.
    record(issued_directly, lawyer, "hearing_held", dt.date(2025, 10, 14), **ADVOCATES)
    record(issued_directly, lawyer, "hearing_held", dt.date(2025, 10, 16), **FIRST_HEARING)
    record(issued_directly, lawyer, "hearing_held", dt.date(2025, 12, 4), **FIRST_HEARING)

    entered_after = case_at(
        "pre_proceedings",
        staff,
        start=dt.date(2026, 3, 2),
        children=[child("Gus", "After", "2019-03-04")],
        adults=parent("After"),
    )
    at_gateway = case_at(
        "legal_gateway",
        staff,
        start=dt.date(2025, 10, 6),
        children=[child("Hal", "Gateway", "2019-03-04")],
        adults=parent("Gateway"),
    )
    return Cohort(
        left_before=Case.objects.get(pk=left_before.pk),
        closed_on_start=Case.objects.get(pk=closed_on_start.pk),
        long_running=Case.objects.get(pk=long_running.pk),
        entered_during=Case.objects.get(pk=entered_during.pk),
        issued_directly=Case.objects.get(pk=issued_directly.pk),
        entered_after=entered_after,
        at_gateway=at_gateway,
    )
