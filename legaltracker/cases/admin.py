"""Cases in the admin: read-only (every change goes through the services), shown only to
someone whose role may see the case (the `cases.permissions` rule, superusers included).
The access log middleware records each admin read against its case (docs/security.md,
"Finding 1"). The Day 1 checklist is configuration the council keeps here.
"""

from typing import Any, cast

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from legaltracker.accounts.models import TEAM_ROLES

from .models import (
    Adult,
    Case,
    CaseEvent,
    Child,
    Day1ChecklistItem,
    Extension,
    GatewayDecision,
    RecordedEvent,
)
from .permissions import can_view_case, filter_visible_cases, reads_every_team


def holds_case_role(user: Any) -> bool:
    """Whether `user`'s role and team may see any case at all (the branches of
    `filter_visible_cases`). Being a superuser or staff counts for nothing here."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if reads_every_team(user):
        return True
    return user.role in TEAM_ROLES and user.team_id is not None


class CaseDataAdmin(admin.ModelAdmin):
    """For any model that is a case or belongs to one (through its `case` field).

    Django's model permissions are not enough: a superuser holds them all, and a
    superuser is made on the server, not given case access. So the admin applies the
    same rule as the app's pages: no case role, no case data, and a restricted case only
    for the people named on it.
    """

    def _case(self, obj: Model) -> Case:
        # Every model this admin serves is a case or has a `case` field. (mypy reads Case as
        # Any through django-fsm's untyped mixin, hence the cast.)
        return cast(Case, obj if isinstance(obj, Case) else obj.case)  # type: ignore[attr-defined]

    def _may_read(self, request: HttpRequest, obj: Model | None) -> bool:
        if not holds_case_role(request.user):
            return False
        return obj is None or can_view_case(request.user, self._case(obj))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if self.model is Case:
            return filter_visible_cases(queryset, request.user)
        visible = filter_visible_cases(Case.objects.all(), request.user)
        return queryset.filter(case__in=visible.values("pk"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return holds_case_role(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_read(request, obj) and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_read(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_read(request, obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return holds_case_role(request.user) and super().has_add_permission(request, *args)


class ReadOnlyAdmin(CaseDataAdmin):
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


@admin.register(Day1ChecklistItem)
class Day1ChecklistItemAdmin(admin.ModelAdmin):
    """The council's Day 1 checklist (cases/day1.py). Recorded events name an item by its
    code, so the code is fixed once saved and an item is switched off, not deleted."""

    list_display = ("label", "code", "position", "active")
    list_editable = ("position", "active")
    ordering = ("position", "id")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
