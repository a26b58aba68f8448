"""When a closed case is due for a retention review (docs/retention.md).

A closed case is reviewed on the later of:
- its closing date plus `RETENTION_YEARS_AFTER_CLOSURE` years (default 25), and
- for a case that ended in an order that makes a child looked after (care or placement
  order: `RETENTION_LOOKED_AFTER_OUTCOMES`), the youngest child's
  `RETENTION_LOOKED_AFTER_UNTIL_AGE`th birthday (default 75).

After a decision to retain, the case comes back on the date that decision names. A
review is only ever a list and a recorded decision: nothing here deletes anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from legaltracker.cases.models import Case, Child

from . import conf
from .models import RetentionChoice, RetentionDecision


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_due(
    *,
    closed_on: dt.date,
    outcome: str,
    youngest_born: dt.date | None,
    years_after_closure: int,
    looked_after_until_age: int,
    looked_after_outcomes: frozenset[str],
) -> dt.date:
    """The first review date of a closed case (pure: the settings are parameters)."""
    due = add_years(closed_on, years_after_closure)
    if outcome in looked_after_outcomes and youngest_born is not None:
        due = max(due, add_years(youngest_born, looked_after_until_age))
    return due


@dataclass(frozen=True)
class DueCase:
    case: Case
    review_due: dt.date  # first review date, or the date a retain decision named
    last_decision: RetentionDecision | None

    @property
    def awaiting(self) -> str:
        if self.last_decision is None:
            return "first review"
        if self.last_decision.decision == RetentionChoice.DESTROY:
            return "destruction decided"
        return "review after a decision to retain"


def _closed_with_youngest() -> QuerySet[Case]:
    # An unborn baby on the case has an expected date of birth instead of a date of birth.
    youngest = (
        Child.objects.filter(case=OuterRef("pk"))
        .values("case")
        .annotate(born=Max(Coalesce("date_of_birth", "expected_date_of_birth")))
        .values("born")
    )
    return Case.objects.closed().annotate(youngest_born=Subquery(youngest))


def first_review_date(case: Case, youngest_born: dt.date | None) -> dt.date:
    assert case.closed_on is not None
    return review_due(
        closed_on=case.closed_on,
        outcome=case.outcome,
        youngest_born=youngest_born,
        years_after_closure=conf.retention_years_after_closure(),
        looked_after_until_age=conf.looked_after_until_age(),
        looked_after_outcomes=conf.looked_after_outcomes(),
    )


def cases_due_for_review(on: dt.date, *, case_id: int | None = None) -> list[DueCase]:
    """Closed cases whose review is due on or before `on`, oldest due first (or only
    `case_id`, if given).

    Every review date is at least `RETENTION_YEARS_AFTER_CLOSURE` after closing, and
    decisions are recorded only on cases that are due, so the database narrows to cases
    closed that long before `on` before the dates are worked out here.
    """
    closed_before = add_years(on, -conf.retention_years_after_closure())
    latest = RetentionDecision.objects.filter(case=OuterRef("pk")).order_by("-recorded_at", "-id")
    candidates = (
        _closed_with_youngest()
        .filter(closed_on__lte=closed_before)
        .annotate(latest_decision_id=Subquery(latest.values("id")[:1]))
        .select_related("team")
        .order_by("closed_on", "id")
    )
    if case_id is not None:
        candidates = candidates.filter(pk=case_id)
    rows = list(candidates)
    decisions = RetentionDecision.objects.in_bulk(
        [row.latest_decision_id for row in rows if row.latest_decision_id]
    )
    due: list[DueCase] = []
    for case in rows:
        decision = decisions.get(case.latest_decision_id)
        if decision is None:
            when = first_review_date(case, case.youngest_born)  # type: ignore[attr-defined]
        elif decision.decision == RetentionChoice.RETAIN:
            assert decision.review_again_on is not None
            when = decision.review_again_on
        else:
            # Destruction was decided but (by design) not carried out here: it stays on
            # the list until someone acts on the decision.
            when = decision.decided_on
        if when <= on:
            due.append(DueCase(case=case, review_due=when, last_decision=decision))
    due.sort(key=lambda item: (item.review_due, item.case.pk))
    return due


def due_for_review(case_id: int, on: dt.date) -> DueCase | None:
    found = cases_due_for_review(on, case_id=case_id)
    return found[0] if found else None


def review_date_for(case: Case) -> dt.date | None:
    """The date `case` is (or was) first due for review; None while it is open."""
    if case.closed_on is None:
        return None
    row = _closed_with_youngest().filter(pk=case.pk).first()
    return first_review_date(case, getattr(row, "youngest_born", None))
