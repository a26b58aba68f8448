"""Reads for the restriction pages (the retention and subject access reads live in
`retention` and `subject_access`)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from legaltracker.cases.models import Case

from .models import CaseRestriction, CaseRestrictionAccess


def restricted_cases() -> QuerySet[CaseRestriction]:
    """Every restriction, with the case's reference and team (no personal details)."""
    return (
        CaseRestriction.objects.select_related("case", "case__team", "created_by")
        .annotate(named=Count("access"))
        .order_by("-created_at", "-id")
    )


def case_for_restriction(case_id: int) -> Case | None:
    """The case as the restriction page shows it: ids, reference, team and stage only,
    whether or not the head of service is named on it."""
    access = CaseRestrictionAccess.objects.select_related("user", "added_by").order_by(
        "added_at", "id"
    )
    restrictions = CaseRestriction.objects.select_related("created_by").prefetch_related(
        Prefetch("access", queryset=access)
    )
    return (
        Case.objects.only("id", "reference", "stage", "team__name", "closed_on", "outcome")
        .select_related("team")
        .prefetch_related(Prefetch("restriction", queryset=restrictions))
        .filter(pk=case_id)
        .first()
    )
