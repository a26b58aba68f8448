"""The outcome code table in the admin: administrators keep it (docs/census.md). Rows are
never deleted; an ending without a code is left blank instead."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import OutcomeCode


@admin.register(OutcomeCode)
class OutcomeCodeAdmin(admin.ModelAdmin):
    list_display = ["ending", "code", "confirmed", "updated_at"]
    list_filter = ["confirmed"]
    fields = ["ending", "code", "confirmed", "note"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["ending"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
