"""Where deadlines and cases stand today, as SQL: a deadline's status and a case's RAG
(docs/domain/milestones.md).

This file is the one place that says what makes a case red, amber or green:

- red: something outstanding is overdue. A pre-proceedings case past its decision point
  and proceedings past 26 weeks are red through this rule, because the decision point
  (`pre_proceedings_decision`) and the final order (`final_order`) are deadlines;
- amber: not red, and something outstanding is due soon, or the case has been in
  pre-proceedings for longer than the policy's amber weeks;
- green: otherwise (a closed case has nothing outstanding, so it is green).

`rag_for` says it in Python over plain values; `rag_expression` (an annotation) and
`rag_condition` (a filter the planner can turn into semi-joins) say it in SQL, built
from the same three conditions; `rag_from_earliest_due` says it from a case's earliest
outstanding due date, for rows that have it already (one read of the deadlines, not
two). tests/deadlines/test_rag_forms.py keeps them all equal.

Status and RAG depend on today, so they are built from the dates in `Today` and
computed when read, which lets lists filter on them.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Case as When_
from django.db.models import (
    CharField,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from legaltracker.calendars.services import get_calendar
from legaltracker.calendars.workingdays import add_weeks
from legaltracker.cases.choices import Stage
from legaltracker.core import clock

from .choices import DeadlineStatus, Rag
from .models import Deadline, TimescalePolicy

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


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


# --- one deadline -----------------------------------------------------------------------


def status_expression(today: Today) -> When_:
    """SQL twin of `deadlines.rules.deadline_status`."""
    return When_(
        When(
            met_on__isnull=False,
            not_before__isnull=False,
            met_on__lt=F("not_before"),
            then=Value(DeadlineStatus.MET_EARLY.value),
        ),
        When(met_on__isnull=False, met_on__lte=F("due"), then=Value(DeadlineStatus.MET.value)),
        When(met_on__isnull=False, then=Value(DeadlineStatus.MET_LATE.value)),
        When(applies=False, then=Value(DeadlineStatus.NOT_APPLICABLE.value)),
        When(due__lt=today.today, then=Value(DeadlineStatus.OVERDUE.value)),
        When(due__lte=today.due_soon_until, then=Value(DeadlineStatus.DUE_SOON.value)),
        default=Value(DeadlineStatus.PENDING.value),
        output_field=CharField(),
    )


class StatusAnnotation(TypedDict):
    """What `with_deadline_status` adds: `status`, a DeadlineStatus value. Typed Any, as
    `annotate()` types it, so that lookups such as `status__in` check."""

    status: Any


def with_deadline_status(
    queryset: QuerySet[Deadline], today: Today
) -> QuerySet[WithAnnotations[Deadline, StatusAnnotation]]:
    return queryset.annotate(status=status_expression(today))


# --- one case: the RAG rule -------------------------------------------------------------


def rag_for(
    *,
    stage: str,
    pre_proceedings_started_on: dt.date | None,
    outstanding_dues: Iterable[dt.date],
    today: Today,
) -> Rag:
    """A case's RAG from its stage, its pre-proceedings start and the due dates of its
    outstanding deadlines (those that apply and are not met)."""
    dues = list(outstanding_dues)
    if any(due < today.today for due in dues):
        return Rag.RED
    if any(due <= today.due_soon_until for due in dues):
        return Rag.AMBER
    if (
        stage == Stage.PRE_PROCEEDINGS
        and pre_proceedings_started_on is not None
        and pre_proceedings_started_on < today.pre_proceedings_amber_before
    ):
        return Rag.AMBER
    return Rag.GREEN


def outstanding_deadlines() -> QuerySet[Deadline]:
    """The outstanding deadlines of the outer case row, for subqueries."""
    return Deadline.objects.filter(case=OuterRef("pk"), applies=True, met_on__isnull=True)


@dataclass(frozen=True)
class _RagTests:
    overdue: Q
    due_soon: Q
    long_in_pre_proceedings: Q


def _rag_tests(today: Today) -> _RagTests:
    """The three conditions of `rag_for`, as conditions on a Case queryset."""
    outstanding = outstanding_deadlines()
    return _RagTests(
        overdue=Q(Exists(outstanding.filter(due__lt=today.today))),
        due_soon=Q(Exists(outstanding.filter(due__lte=today.due_soon_until))),
        long_in_pre_proceedings=Q(
            stage=Stage.PRE_PROCEEDINGS,
            pre_proceedings_started_on__lt=today.pre_proceedings_amber_before,
        ),
    )


def rag_expression(today: Today) -> When_:
    """`rag_for` as an annotation on a Case queryset."""
    tests = _rag_tests(today)
    return When_(
        When(tests.overdue, then=Value(Rag.RED.value)),
        When(tests.due_soon, then=Value(Rag.AMBER.value)),
        When(tests.long_in_pre_proceedings, then=Value(Rag.AMBER.value)),
        default=Value(Rag.GREEN.value),
        output_field=CharField(),
    )


def earliest_outstanding_due() -> Subquery:
    """The earliest due date of the outer case's outstanding deadlines (NULL when none):
    one read of the partial index `deadline_case_outstanding`."""
    earliest = outstanding_deadlines().order_by("due", "id").values("due")[:1]
    return Subquery(earliest, output_field=DateField())


def rag_from_earliest_due(today: Today, earliest_due: str) -> When_:
    """`rag_for` for rows annotated with their earliest outstanding due date (the
    annotation named `earliest_due`, see `earliest_outstanding_due`): something is
    overdue, or due soon, exactly when the earliest is, so the case's deadlines are not
    read again."""
    tests = _rag_tests(today)
    return When_(
        When(Q(**{f"{earliest_due}__lt": today.today}), then=Value(Rag.RED.value)),
        When(Q(**{f"{earliest_due}__lte": today.due_soon_until}), then=Value(Rag.AMBER.value)),
        When(tests.long_in_pre_proceedings, then=Value(Rag.AMBER.value)),
        default=Value(Rag.GREEN.value),
        output_field=CharField(),
    )


def rag_condition(today: Today, values: Iterable[str]) -> Q:
    """The cases whose RAG is one of `values`, as conditions the planner can use.

    Filtering on `rag_expression` itself (`rag__in`) hides its EXISTS tests inside a
    CASE: PostgreSQL then evaluates both tests for every candidate row and guesses its
    row counts badly. The same rule written as plain conditions becomes a semi-join.
    """
    tests = _rag_tests(today)
    overdue, due_soon, long_ = tests.overdue, tests.due_soon, tests.long_in_pre_proceedings
    conditions = {
        Rag.RED: overdue,
        Rag.AMBER: ~overdue & (due_soon | long_),
        Rag.GREEN: ~overdue & ~due_soon & ~long_,
    }
    return reduce(operator.or_, (conditions[Rag(value)] for value in dict.fromkeys(values)))
