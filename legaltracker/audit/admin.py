"""The audit records in the Django admin, read-only: the access log cannot be changed by
anyone, and restrictions and retention decisions change only through the services (with
their entries in the case's history)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from legaltracker.cases.admin import ReadOnlyAdmin as CaseReadOnlyAdmin

from .models import AccessLog, CaseRestriction, CaseRestrictionAccess, RetentionDecision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "actor",
        "action",
        "case_id",
        "object_type",
        "object_id",
        "status",
        "outcome",
    )
    list_filter = ("outcome", "object_type")
    # Exact ids only: the log holds no names to search for.
    search_fields = ("=request_id", "=case__id", "=actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    show_full_result_count = False


class AccessInline(admin.TabularInline):
    model = CaseRestrictionAccess
    fk_name = "restriction"
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Restrictions and retention decisions name a case: shown under the case rule
# (legaltracker/cases/admin.py). The access log holds ids only and stays with the auditors.
@admin.register(CaseRestriction)
class CaseRestrictionAdmin(CaseReadOnlyAdmin):
    list_display = ("case", "created_by", "created_at")
    inlines = [AccessInline]


@admin.register(RetentionDecision)
class RetentionDecisionAdmin(CaseReadOnlyAdmin):
    list_display = ("case", "decision", "decided_on", "review_again_on", "decided_by")
    list_filter = ("decision",)
