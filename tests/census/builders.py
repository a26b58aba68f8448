"""Cases for the census tests, walked through the services on the dates of a census year
(the clock pinned after it), with the children's census identifiers set."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from legaltracker.cases import services
from legaltracker.cases.models import Case, Child, RecordedEvent
from tests.factories import Staff, case_data, gateway_data, move, ready_for_issue, record

_ids = itertools.count(1)
REASONS = "Recorded for the census test."


def new_case(staff: Staff, *, opened: date, children: int = 1, **child: Any) -> Case:
    """A case opened on `opened` with `children` children, each with an LA child id and a
    CIN episode unless `child` says otherwise."""
    kids = [
        {"first_name": "Child", "last_name": f"Census{next(_ids)}", "date_of_birth": "2019-04-01"}
        for _ in range(children)
    ]
    case = services.case_create(
        actor=staff.social_worker,
        data=case_data(staff, opened_on=opened.isoformat(), children=kids),
    )
    for kid in Child.objects.filter(case=case).order_by("id"):
        n = next(_ids)
        values = {
            "la_child_id": f"LA{n:05d}",
            "cin_episode_id": f"EP{n:05d}",
            "cin_referral_date": opened,
            **child,
        }
        Child.objects.filter(pk=kid.pk).update(**values)
    return case


def enter_pre_proceedings(staff: Staff, case: Case, *, referred: date, entered: date) -> Case:
    move(case, "refer_to_gateway", staff.social_worker, date=referred.isoformat(), reasons=REASONS)
    move(case, "gateway_enter_pre_proceedings", staff.legal, **gateway_data(entered))
    return Case.objects.get(pk=case.pk)


def event(staff: Staff, case: Case, kind: str, day: date, **details: Any) -> RecordedEvent:
    """Recorded through the service; `details` beyond what the form takes (an initial
    meeting's "effective") are then set on the row, as the capture forms will."""
    recorded = record(case, staff.social_worker, kind, day)
    if details:
        RecordedEvent.objects.filter(pk=recorded.pk).update(details={**recorded.details, **details})
    return recorded


def raw_event(staff: Staff, case: Case, kind: str, day: date) -> RecordedEvent:
    """An event the services would refuse (a date out of order), as an import or an old
    record may hold one."""
    return RecordedEvent.objects.create(
        case=case, kind=kind, date=day, recorded_by=staff.social_worker
    )


def full_case(
    staff: Staff, *, children: int = 1, letter_of_issue: date = date(2026, 10, 14), **child: Any
) -> Case:
    """Pre-proceedings in the 2026-27 year with everything in it, ending in the decision
    to issue, the application and the letter of issue (the clean case)."""
    case = new_case(staff, opened=date(2026, 5, 4), children=children, **child)
    case = enter_pre_proceedings(staff, case, referred=date(2026, 5, 5), entered=date(2026, 5, 6))
    event(staff, case, "letter_before_proceedings_sent", date(2026, 5, 11))
    event(staff, case, "fgdm_offered", date(2026, 5, 11))
    event(staff, case, "initial_meeting_held", date(2026, 5, 18), effective=False)
    event(staff, case, "initial_meeting_held", date(2026, 5, 25), effective=True)
    event(staff, case, "fgdm_held", date(2026, 6, 15))
    event(staff, case, "review_meeting_held", date(2026, 7, 6))
    event(staff, case, "review_meeting_held", date(2026, 9, 7))
    move(case, "escalate_to_gateway", staff.social_worker, date="2026-10-05", reasons=REASONS)
    move(case, "gateway_issue", staff.legal, **gateway_data(date(2026, 10, 7)))
    if letter_of_issue < date(2026, 10, 12):
        event(staff, case, "letter_of_issue_sent", letter_of_issue)
    ready_for_issue(case, staff, date(2026, 10, 12))
    move(case, "issue_proceedings", staff.legal, date="2026-10-12", court_reference="ZW26C00077")
    if letter_of_issue >= date(2026, 10, 12):
        event(staff, case, "letter_of_issue_sent", letter_of_issue)
    return Case.objects.get(pk=case.pk)


def stepped_down_case(staff: Staff, *, entered: date, decided: date, to: str, **child: Any) -> Case:
    case = new_case(staff, opened=entered, **child)
    case = enter_pre_proceedings(staff, case, referred=entered, entered=entered)
    event(staff, case, "letter_before_proceedings_sent", entered)
    event(staff, case, "initial_meeting_held", entered)
    record(case, staff.social_worker, "assessment_completed", decided, summary="Updated assessment")
    move(
        case,
        "step_down",
        staff.team_manager,
        date=decided.isoformat(),
        reasons=REASONS,
        step_down_to=to,
    )
    return Case.objects.get(pk=case.pk)
