"""Reads of the court record: a case's record with its joins chosen, each child's 26
weeks, and HMCTS's "at risk" test (docs/court.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from legaltracker.core import clock

from .choices import LONDON, HearingKind, HearingStatus
from .models import (
    ChildTimetable,
    Direction,
    ExpertAssessment,
    Hearing,
    Representation,
    TimetableExtension,
)
from .timescales import AT_RISK_DAYS

TWENTY_SIX_WEEKS = dt.timedelta(weeks=26)


def case_hearings(case: Any) -> QuerySet[Hearing]:
    return case.hearings.select_related("court_centre", "relisted_as").order_by("starts_at", "id")


def case_directions(case: Any) -> QuerySet[Direction]:
    return case.directions.select_related("owner", "hearing").order_by("due_on", "number")


def case_experts(case: Any) -> QuerySet[ExpertAssessment]:
    return case.expert_assessments.order_by("applied_on", "id")


def case_representations(case: Any) -> dict[int, Representation]:
    return {r.adult_id: r for r in Representation.objects.filter(case=case)}


@dataclass(frozen=True)
class ChildWeeks:
    child: Any
    issued_on: dt.date
    extension_weeks: int
    ends_on: dt.date
    decided_on: dt.date
    own_timetable: bool  # joined later than the application, or extended


def child_timetables(case: Any, children: list[Any] | None = None) -> list[ChildWeeks]:
    """Each child's own 26 weeks: from the day they joined the application (the issue,
    unless recorded later), plus the extensions that name them."""
    if case.issued_on is None:
        return []
    children = list(case.children.all()) if children is None else children
    extensions = list(
        TimetableExtension.objects.filter(case=case).prefetch_related(
            Prefetch("children", to_attr="named")
        )
    )
    joined = {t.child_id: t.issued_on for t in ChildTimetable.objects.filter(case=case)}
    rows = []
    for child in children:
        start = joined.get(child.pk, case.issued_on)
        own = [x for x in extensions if any(c.pk == child.pk for c in x.named)]
        weeks = sum(x.weeks for x in own)
        rows.append(
            ChildWeeks(
                child=child,
                issued_on=start,
                extension_weeks=weeks,
                ends_on=start + TWENTY_SIX_WEEKS + dt.timedelta(weeks=weeks),
                decided_on=max([start, *(x.decided_on for x in own)]),
                own_timetable=bool(own) or start != case.issued_on,
            )
        )
    return rows


def hearing_day(hearing: Hearing) -> dt.date:
    return hearing.starts_at.astimezone(LONDON).date()


def at_risk(case: Any, hearings: list[Hearing], today: dt.date | None = None) -> list[str]:
    """HMCTS's "at risk" test, in words: the case management hearing later than 24 days
    after issue, the issues resolution hearing later than 140, the final hearing later
    than 182 (a hearing listed or held; none listed once that many days have passed counts
    too). Empty when the 26 weeks are not at risk."""
    if case.issued_on is None:
        return []
    today = today or clock.today()
    reasons = []
    for kind, limit in AT_RISK_DAYS.items():
        live = [
            h
            for h in hearings
            if h.kind == kind and h.status in (HearingStatus.LISTED, HearingStatus.HELD)
        ]
        label = HearingKind(kind).label
        if live:
            day = min(hearing_day(h) for h in live)
            days = (day - case.issued_on).days
            if days > limit:
                reasons.append(
                    f"{label} on {day:%d %B %Y} is {days} days after issue (more than {limit})."
                )
        elif (today - case.issued_on).days > limit and case.stage == "proceedings":
            reasons.append(f"No {label.lower()} listed, and {limit} days have passed since issue.")
    return reasons
