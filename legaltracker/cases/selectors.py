"""Reads for the API, the board and the case page, with their joins chosen up front so
that the number of queries does not grow with the rows or the history.

Deadline status and RAG depend on today: they are SQL expressions built from two dates
(today, and the last day that counts as due soon), so that lists can filter on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case as When_,
)
from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from legaltracker.audit import restrictions
from legaltracker.calendars.services import get_calendar
from legaltracker.calendars.workingdays import add_weeks
from legaltracker.core import clock
from legaltracker.deadlines.choices import DeadlineStatus, Rag
from legaltracker.deadlines.models import Deadline, TimescalePolicy

from .choices import Stage
from .models import Case, CaseEvent


@dataclass(frozen=True)
class Today:
    """The two dates every status needs, and the amber threshold for pre-proceedings."""

    today: dt.date
    due_soon_until: dt.date
    pre_proceedings_amber_before: dt.date  # started before this date: past N weeks

    @classmethod
    def now(cls, day: dt.date | None = None) -> Today:
        day = day or clock.today()
        policy = TimescalePolicy.current()
        calendar = get_calendar()
        return cls(
            today=day,
            due_soon_until=calendar.add_working_days(day, policy.due_soon_working_days),
            pre_proceedings_amber_before=add_weeks(day, -policy.pre_proceedings_amber_weeks),
        )


def status_expression(today: Today) -> When_:
    """SQL twin of `deadlines.rules.deadline_status`."""
    return When_(
        When(met_on__isnull=False, met_on__lte=F("due"), then=Value(DeadlineStatus.MET.value)),
        When(met_on__isnull=False, then=Value(DeadlineStatus.MET_LATE.value)),
        When(applies=False, then=Value(DeadlineStatus.NOT_APPLICABLE.value)),
        When(due__lt=today.today, then=Value(DeadlineStatus.OVERDUE.value)),
        When(due__lte=today.due_soon_until, then=Value(DeadlineStatus.DUE_SOON.value)),
        default=Value(DeadlineStatus.PENDING.value),
        output_field=CharField(),
    )


def with_deadline_status(queryset: QuerySet[Deadline], today: Today) -> QuerySet[Deadline]:
    return queryset.annotate(status=status_expression(today))


def rag_expression(today: Today) -> When_:
    outstanding = Deadline.objects.filter(case=OuterRef("pk"), applies=True, met_on__isnull=True)
    overdue = Exists(outstanding.filter(due__lt=today.today))
    due_soon = Exists(outstanding.filter(due__lte=today.due_soon_until))
    long_in_pre_proceedings = Q(
        stage=Stage.PRE_PROCEEDINGS,
        pre_proceedings_started_on__lt=today.pre_proceedings_amber_before,
    )
    return When_(
        When(overdue, then=Value(Rag.RED.value)),
        When(due_soon, then=Value(Rag.AMBER.value)),
        When(long_in_pre_proceedings, then=Value(Rag.AMBER.value)),
        default=Value(Rag.GREEN.value),
        output_field=CharField(),
    )


def case_list(*, user: Any, today: Today, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    """Cases the user may see, with RAG, team and social worker joined in."""
    filters = filters or {}
    queryset = (
        Case.objects.visible_to(user)
        .select_related("team", "social_worker")
        .annotate(rag=rag_expression(today))
    )
    if filters.get("stage"):
        queryset = queryset.filter(stage=filters["stage"])
    if filters.get("team"):
        queryset = queryset.filter(team__code=filters["team"])
    if filters.get("rag"):
        queryset = queryset.filter(rag=filters["rag"])
    return queryset.order_by("-opened_on", "-id")


def case_detail(*, user: Any, case_id: int, today: Today) -> Case | None:
    """One case with everything its page or API body shows, in a fixed number of queries
    whatever the length of its history."""
    deadlines = with_deadline_status(Deadline.objects.all(), today).order_by(
        "due", "milestone", "cycle"
    )
    return (
        Case.objects.visible_to(user)
        .select_related("team", "social_worker", "family")
        .annotate(rag=rag_expression(today))
        .prefetch_related(
            "children",
            "adults",
            Prefetch("deadlines", queryset=deadlines),
            "recorded_events__recorded_by",
            "extensions__approved_by",
            "extensions__recorded_by",
            "gateway_decisions__recorded_by",
            Prefetch(
                "family__cases",
                # Earlier episodes keep the family's history in view across teams, but a
                # restricted episode stays hidden from people not named on it.
                queryset=Case.objects.filter(restrictions.allowed_filter(user)).only(
                    "id", "reference", "stage", "outcome", "opened_on", "family_id"
                ),
                to_attr="episodes",
            ),
        )
        .filter(pk=case_id)
        .first()
    )


def case_history(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")
