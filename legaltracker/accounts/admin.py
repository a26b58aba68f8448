"""Teams and users in the admin: administrators manage other people's accounts, names,
roles and teams. No one raises privileges here (docs/security.md, "Finding 1"):

- superuser status, staff status, groups and permissions are never on a form: staff
  status and the administrators' group follow the role (`user_sync_role_access`), and a
  superuser is made only on the server (`manage.py createsuperuser`, docs/operations.md);
- no one changes their own role, team or active state;
- only a superuser may change a superuser's account (its password included).
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from .models import Team, User
from .services import user_sync_role_access

ROLE_FIELDS = ("role", "team", "is_active")

# Groups and their permissions are set by code (`administrators_group`), not by hand.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role in the legal tracker", {"fields": ROLE_FIELDS}),
        (
            "Access (follows the role; a superuser is made on the server)",
            {"fields": ("is_staff", "is_superuser")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Role in the legal tracker", {"fields": ("role", "team")}),
    )
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    filter_horizontal = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            # Someone else, with the same duty, decides your role.
            fields += ROLE_FIELDS
        return fields

    def _may_touch(self, request: HttpRequest, obj: Any) -> bool:
        # Otherwise an administrator could set a superuser's password and sign in as them.
        return obj is None or not obj.is_superuser or request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_touch(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_touch(request, obj) and super().has_delete_permission(request, obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user_sync_role_access(user=form.instance)
