"""`manage.py sync_schedules`: create or update the django-q2 schedules declared in code
(matched by name; never duplicated). `migrate` does the same unless
ALERTS_SYNC_SCHEDULES_ON_MIGRATE is off."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from legaltracker.alerts import schedules


class Command(BaseCommand):
    help = "Create or update the alert schedules declared in code."

    def handle(self, *args: Any, **options: Any) -> None:
        from django_q.models import Schedule

        for name, what in schedules.sync_schedules():
            row = Schedule.objects.get(name=name)
            self.stdout.write(
                f"{name}: {what}; next run {timezone.localtime(row.next_run):%Y-%m-%d %H:%M %Z}"
            )
