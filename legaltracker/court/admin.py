"""The court record in the admin: the court centres and the standard directions are
configuration an administrator keeps; the case records are read-only here (every change
goes through the services) and shown only to people who may see the case."""

from django.contrib import admin

from legaltracker.cases.admin import CaseDataAdmin

from .models import CourtCentre, Direction, Hearing, StandardDirection


@admin.register(CourtCentre)
class CourtCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "active"]
    list_filter = ["region", "active"]
    search_fields = ["name", "code"]


@admin.register(StandardDirection)
class StandardDirectionAdmin(admin.ModelAdmin):
    list_display = ["text", "party", "owner_role", "weeks_after_hearing", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(Hearing)
class HearingAdmin(CaseDataAdmin):
    list_display = ["case", "kind", "starts_at", "status", "court_centre"]


@admin.register(Direction)
class DirectionAdmin(CaseDataAdmin):
    list_display = ["case", "number", "party", "due_on", "status"]
