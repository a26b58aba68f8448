"""The admin's view of sign-in security: lockouts (read only), authenticator apps (an
administrator can remove a lost one, so that its owner sets up a new one), wrong-code
counts (deleting one ends that person's second-factor lockout early), alarms about bursts
of failed sign-ins (read only) and who is signed in."""

from __future__ import annotations

from django.contrib import admin

from .models import Lockout, SecondFactorFailures, SignedInSession, SignInAlarm, TotpDevice


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Lockout)
class LockoutAdmin(ReadOnlyAdmin):
    list_display = ("reason", "username", "ip_address", "locked_at", "locked_until", "path")
    list_filter = ("reason",)
    search_fields = ("username", "ip_address")
    date_hierarchy = "locked_at"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TotpDevice)
class TotpDeviceAdmin(ReadOnlyAdmin):
    list_display = ("user", "confirmed_at", "created_at")
    fields = ("user", "confirmed_at", "created_at")
    readonly_fields = fields


@admin.register(SignedInSession)
class SignedInSessionAdmin(ReadOnlyAdmin):
    list_display = ("user", "signed_in_at")


@admin.register(SecondFactorFailures)
class SecondFactorFailuresAdmin(ReadOnlyAdmin):
    list_display = ("user", "failures", "last_failure_at", "locked_until")


@admin.register(SignInAlarm)
class SignInAlarmAdmin(ReadOnlyAdmin):
    list_display = ("raised_at", "failures", "addresses")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
