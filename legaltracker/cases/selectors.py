"""Reads for the API, the board and the case page, with their joins chosen up front so
that the number of queries does not grow with the rows or the history.

Deadline status and RAG come from `legaltracker.deadlines.selectors` (re-exported here
for the callers that import them from this module).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.selectors import (
    Today,
    rag_expression,
    with_deadline_status,
)

from . import permissions
from .choices import ExtensionRequestStatus
from .models import Case, CaseEvent, ExtensionRequest
from .search import find_cases


def case_list(*, user: Any, today: Today, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    """Cases the user may see, with RAG, team and social worker joined in."""
    filters = filters or {}
    queryset = (
        Case.objects.visible_to(user)
        .select_related("team", "social_worker", "allocated_lawyer")
        .annotate(rag=rag_expression(today))
    )
    if filters.get("stage"):
        queryset = queryset.filter(stage=filters["stage"])
    if filters.get("team"):
        queryset = queryset.filter(team__code=filters["team"])
    if filters.get("rag"):
        queryset = queryset.filter(rag=filters["rag"])
    if filters.get("q"):
        queryset = find_cases(queryset, filters["q"])
    ordered: QuerySet[Case] = queryset.order_by("-opened_on", "-id")
    return ordered


def case_detail(*, user: Any, case_id: int, today: Today) -> Case | None:
    """One case with everything its page or API body shows, in a fixed number of queries
    whatever the length of its history."""
    deadlines = with_deadline_status(Deadline.objects.all(), today).order_by(
        "due", "milestone", "cycle"
    )
    case: Case | None = (
        Case.objects.visible_to(user)
        .select_related("team", "social_worker", "allocated_lawyer", "family")
        .annotate(rag=rag_expression(today))
        .prefetch_related(
            "children",
            "adults",
            Prefetch("deadlines", queryset=deadlines),
            "recorded_events__recorded_by",
            "extensions__approved_by",
            "extensions__recorded_by",
            "extension_requests__requested_by",
            "extension_requests__decided_by",
            "gateway_decisions__recorded_by",
            Prefetch(
                "family__cases",
                queryset=permissions.filter_visible_episodes(Case.objects.all(), user).only(
                    "id", "reference", "stage", "outcome", "opened_on", "family_id"
                ),
                to_attr="episodes",
            ),
        )
        .filter(pk=case_id)
        .first()
    )
    return case


def case_history(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")


def extension_requests_to_decide(*, user: Any) -> QuerySet[ExtensionRequest]:
    """The requests waiting for a decision that this person may decide (a head of
    service: every case they may see), oldest first, with the case, its team and children
    and the requester joined in."""
    waiting = ExtensionRequest.objects.filter(status=ExtensionRequestStatus.PENDING)
    queryset: QuerySet[ExtensionRequest] = (
        permissions.extension_request_deciders_filter(waiting, user)
        .select_related("case", "case__team", "requested_by")
        .prefetch_related("case__children")
        .order_by("requested_at", "id")
    )
    return queryset


def extension_requests_to_decide_count(*, user: Any) -> int:
    return permissions.extension_request_deciders_filter(
        ExtensionRequest.objects.filter(status=ExtensionRequestStatus.PENDING), user
    ).count()
