"""Cases at known dates for the performance reports' tests, built through the services.

Today is 2026-03-04 (the `today` fixture), so the default period is 1 March 2025 to
28 February 2026. The figures each case contributes are worked out by hand in
`expected` comments in test_figures.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from legaltracker.cases import services
from legaltracker.cases.models import Adult, Case, Child, RecordedEvent
from tests.cases.builders import permitted_actor, prepare_valid
from tests.factories import Staff, case_at, gateway_data, move, ready_for_issue, record
from tests.web import data as web_data

D = dt.date


def child(last_name: str, **extra: Any) -> dict[str, Any]:
    return {"first_name": "Robin", "last_name": last_name, "date_of_birth": "2018-05-01", **extra}


def pre_proceedings(staff: Staff, start: D, **kwargs: Any) -> Case:
    """Entered pre-proceedings on start + 2 days (`letter`, `meeting` as given). A
    child's `la_child_id` is recorded through the child's details, as a person would."""
    case = web_data.pre_proceedings(staff, start, **kwargs)
    given_children = kwargs.get("children", [])
    stored_children = Child.objects.filter(case=case).order_by("pk") if given_children else []
    for given, stored in zip(given_children, stored_children, strict=True):
        if given.get("la_child_id"):
            services.person_update(
                case_id=case.pk,
                who="child",
                person_id=stored.pk,
                actor=staff.social_worker,
                data=given,
            )
    return Case.objects.get(pk=case.pk)


def stepped_down(staff: Staff, start: D, *, letter: D, meeting: D, on: D, **create: Any) -> Case:
    case = pre_proceedings(staff, start, letter=letter, meeting=meeting, **create)
    record(case, staff.social_worker, "assessment_completed", on, summary="Parenting assessment")
    move(
        case,
        "step_down",
        staff.team_manager,
        date=on.isoformat(),
        step_down_to="child_protection_plan",
        reasons="Parents engaged; risk reduced.",
    )
    return Case.objects.get(pk=case.pk)


def escalated_and_issued(staff: Staff, case: Case, *, escalated: D, issued: D) -> Case:
    """Back to the gateway on `escalated`, a decision to issue the next day, issued on
    `issued`."""
    move(
        case,
        "escalate_to_gateway",
        staff.team_manager,
        date=escalated.isoformat(),
        reasons="No progress.",
    )
    move(case, "gateway_issue", staff.legal, **gateway_data(escalated + dt.timedelta(days=1)))
    ready_for_issue(case, staff, issued)
    move(
        case,
        "issue_proceedings",
        staff.legal,
        date=issued.isoformat(),
        court_reference="ZW25C00007",
    )
    return Case.objects.get(pk=case.pk)


def extend_timetable(case: Case, staff: Staff, on: D) -> None:
    case = Case.objects.get(pk=case.pk)
    data = prepare_valid("extend_timetable", case, staff, on)
    move(case, "extend_timetable", permitted_actor("extend_timetable", case, staff), **data)


def extend_pre_proceedings(case: Case, staff: Staff, on: D, new_end: D) -> None:
    case = Case.objects.get(pk=case.pk)
    actor = permitted_actor("extend_pre_proceedings", case, staff)
    move(
        case,
        "extend_pre_proceedings",
        actor,
        date=on.isoformat(),
        reasons="An assessment is due back next month.",
        approved_by=staff.head_of_service.username,
        new_end_date=new_end.isoformat(),
    )


def meeting_details(case: Case, **details: Any) -> None:
    """What the initial meeting form will record (whether it went ahead, who had a
    solicitor); set on the stored event, as no service writes these yet."""
    RecordedEvent.objects.filter(case=case, kind="initial_meeting_held").update(details=details)


def parent_ids(case: Case) -> list[int]:
    return list(Adult.objects.filter(case=case).values_list("pk", flat=True))


def issued(staff: Staff, start: D) -> Case:
    return web_data.issued(staff, start)


def concluded(staff: Staff, start: D, on: D) -> Case:
    return web_data.concluded(staff, start, on)


__all__ = ["case_at"]
