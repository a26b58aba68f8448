from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import TimescalePolicy


@admin.register(TimescalePolicy)
class TimescalePolicyAdmin(admin.ModelAdmin):
    """One policy row: it can be changed, never added twice or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not TimescalePolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
