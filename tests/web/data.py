"""Cases built through the services for the web tests, at known dates."""

from __future__ import annotations

import datetime as dt

from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from tests.factories import Staff, case_at, move, ready_for_issue, record

D = dt.date


def pre_proceedings(
    staff: Staff, start: D, *, letter: D | None = None, meeting: D | None = None, **create
) -> Case:
    """A case that entered pre-proceedings on start + 2 days, with its letter before
    proceedings and initial meeting on the dates given."""
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=start, **create)
    if letter:
        record(case, staff.social_worker, "letter_before_proceedings_sent", letter)
    if meeting:
        record(case, staff.social_worker, "initial_meeting_held", meeting)
    return Case.objects.get(pk=case.pk)


def stepped_down(staff: Staff, start: D, *, letter: D, meeting: D, assessed: D, on: D) -> Case:
    case = pre_proceedings(staff, start, letter=letter, meeting=meeting)
    record(
        case, staff.social_worker, "assessment_completed", assessed, summary="Parenting assessment"
    )
    move(
        case,
        "step_down",
        staff.team_manager,
        date=on.isoformat(),
        step_down_to="child_protection_plan",
        reasons="Parents engaged; risk reduced.",
    )
    return Case.objects.get(pk=case.pk)


def issued(staff: Staff, start: D) -> Case:
    """A case in proceedings, issued on start + 3 days."""
    return case_at(Stage.PROCEEDINGS, staff, start=start)


def concluded(staff: Staff, start: D, on: D) -> Case:
    case = issued(staff, start)
    move(case, "conclude_proceedings", staff.legal, date=on.isoformat(), outcome="care_order")
    return Case.objects.get(pk=case.pk)


def more_cases(staff: Staff, n: int, start: D) -> list[Case]:
    """`n` cases spread over the stages, each with some history, for query counts."""
    made = []
    for i in range(n):
        day = start + dt.timedelta(days=i)
        kind = i % 4
        if kind == 0:
            made.append(
                pre_proceedings(
                    staff,
                    day,
                    letter=day + dt.timedelta(days=4),
                    meeting=day + dt.timedelta(days=12),
                )
            )
        elif kind == 1:
            made.append(case_at(Stage.LEGAL_GATEWAY, staff, start=day))
        elif kind == 2:
            case = case_at(Stage.ISSUE, staff, start=day)
            ready_for_issue(case, staff, day + dt.timedelta(days=3))
            made.append(case)
        else:
            made.append(concluded(staff, day, day + dt.timedelta(days=100)))
    return made
