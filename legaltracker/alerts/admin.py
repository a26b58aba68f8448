"""Read-mostly admin for the ledger and deliveries (for support), with the one action a
person may take on a failed delivery: dismiss it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages

from legaltracker.cases.admin import CaseDataAdmin

from . import services
from .models import Alert, AlertRun, Delivery


@admin.register(AlertRun)
class AlertRunAdmin(admin.ModelAdmin):
    list_display = ["run_date", "started_at", "new_alerts", "deliveries_made"]
    readonly_fields = [f.name for f in AlertRun._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    # A run is the record of what the daily scan did: read only, for everyone.
    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(CaseDataAdmin):  # an alert names its case: the case rule applies
    list_display = ["id", "deadline_id", "case_id", "level", "recipient_id", "due", "emailed_at"]
    list_filter = ["level", "reason"]
    readonly_fields = [f.name for f in Alert._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.action(description="Dismiss the selected failed deliveries")
def dismiss(modeladmin: Any, request: Any, queryset: Any) -> None:
    done = 0
    for delivery in queryset.filter(status="failed"):
        services.delivery_dismiss(actor=request.user, delivery_id=delivery.pk)
        done += 1
    modeladmin.message_user(request, f"{done} dismissed.", messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "recipient_id",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "channel"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = [dismiss]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
