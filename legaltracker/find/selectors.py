"""Reads for "Find a case" and the team case list: the cases a person may see, every stage
(concern and closed included), each row with the columns both pages show, chosen up front
so that a page costs the same few queries whatever it shows."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, QuerySet

from legaltracker.cases.models import Case, Child
from legaltracker.cases.search import Query, find_cases
from legaltracker.deadlines.selectors import earliest_outstanding_due

_COLUMNS = (
    "id",
    "reference",
    "court_reference",
    "stage",
    "opened_on",
    "closed_on",
    "team__name",
    "social_worker__username",
    "social_worker__first_name",
    "social_worker__last_name",
)


def _with_columns(queryset: QuerySet[Case]) -> QuerySet[Case]:
    children = Child.objects.only("id", "case_id", "first_name", "last_name").order_by(
        "date_of_birth", "id"
    )
    return (
        queryset.select_related("team", "social_worker")
        .only(*_COLUMNS)
        .prefetch_related(Prefetch("children", queryset=children))
    )


def search(*, user: Any, query: Query) -> QuerySet[Case]:
    """Every case `user` may see that matches `query`, newest first."""
    found = find_cases(Case.objects.visible_to(user), query)
    return _with_columns(found).order_by("-opened_on", "-id")


def team_cases(*, user: Any, closed: bool, mine: bool, sort: str) -> QuerySet[Case]:
    """The cases of the person's team that they may see, open ones only unless `closed`,
    their own only if `mine`; by reference, or by the next deadline still to meet."""
    queryset = Case.objects.visible_to(user).filter(team_id=user.team_id)
    if user.team_id is None:
        queryset = queryset.none()
    if not closed:
        queryset = queryset.open()
    if mine:
        queryset = queryset.filter(social_worker_id=user.pk)
    queryset = _with_columns(queryset).annotate(next_due=earliest_outstanding_due())
    if sort == "next_deadline":
        return queryset.order_by(F("next_due").asc(nulls_last=True), "reference", "id")
    return queryset.order_by("reference", "id")
