from django.contrib import admin

from .models import ExtraBankHoliday


@admin.register(ExtraBankHoliday)
class ExtraBankHolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "nation", "created_at")
    list_filter = ("nation",)
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("-date",)
    readonly_fields = ("created_at",)
