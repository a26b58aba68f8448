"""`manage.py exports_cleanup`: remove the files of expired exports now (the hourly
schedule does the same)."""

from typing import Any

from django.core.management.base import BaseCommand

from legaltracker.exports.services import exports_cleanup


class Command(BaseCommand):
    help = "Remove the files of expired exports."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = exports_cleanup()
        self.stdout.write(f"{expired} export file(s) removed.")
