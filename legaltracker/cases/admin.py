"""Cases are read-only in the admin: every change goes through the services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Adult, Case, CaseEvent, Child, Extension, GatewayDecision, RecordedEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ChildInline(ReadOnlyInline):
    model = Child


class AdultInline(ReadOnlyInline):
    model = Adult


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("reference", "team", "social_worker", "stage", "outcome", "opened_on")
    list_filter = ("stage", "team", "urgent", "unborn_baby")
    search_fields = ("reference",)
    inlines = [ChildInline, AdultInline]
    list_select_related = ("team", "social_worker")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "action", "from_stage", "to_stage", "actor", "at")
    list_filter = ("action",)
    list_select_related = ("case", "actor")


for model in (RecordedEvent, GatewayDecision, Extension):
    admin.site.register(model, ReadOnlyAdmin)
