"""`manage.py retention_review [--date YYYY-MM-DD]`: list the closed cases whose records
are due for a retention review on that date (default today). Reads only: it never
deletes or changes anything. Decisions are recorded by a head of service on the
retention review page (/audit/retention/).

One line per case: id, reference, team, closing date, outcome, review date and what the
review is waiting for; then a count. Ids and references only, no names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legaltracker.audit import conf, retention
from legaltracker.core import clock


class Command(BaseCommand):
    help = "List closed cases due for a retention review (never deletes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Review as of this day, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, date: str | None, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(date) if date else clock.today()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD (got {date!r}).") from exc
        due = retention.cases_due_for_review(day)
        self.stdout.write(
            f"Retention review for {day:%Y-%m-%d}: closed cases kept "
            f"{conf.retention_years_after_closure()} years after closing "
            f"(looked-after outcomes to the youngest child's "
            f"{conf.looked_after_until_age()}th birthday)."
        )
        for item in due:
            case = item.case
            self.stdout.write(
                f"case {case.pk}\t{case.reference or '-'}\t{case.team.code}\t"
                f"closed {case.closed_on:%Y-%m-%d}\t{case.outcome}\t"
                f"review due {item.review_due:%Y-%m-%d}\t{item.awaiting}"
            )
        self.stdout.write(
            f"{len(due)} case{'s' if len(due) != 1 else ''} due for review; nothing deleted."
        )
