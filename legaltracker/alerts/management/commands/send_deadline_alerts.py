"""`manage.py send_deadline_alerts [--date YYYY-MM-DD] [--dry-run]`: the daily alert run,
by hand and synchronously: decide and record the alerts, then send each delivery in this
process. Ends with one line: `N new alerts, M sent, K failed`.

Safe to run at any time, as often as you like, alongside the workers: the ledger and the
delivery claims make sure nothing is recorded or sent twice. Deliveries that fail stay
queued and are retried by the workers' sweep.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legaltracker.alerts import services
from legaltracker.core import clock


class Command(BaseCommand):
    help = "Run the deadline alerts for a day (default today), now, in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to run for, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Decide the alerts and report them, then roll back: nothing is recorded or sent",
        )

    def handle(self, *args: Any, date: str | None, dry_run: bool, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(date) if date else clock.today()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD (got {date!r}).") from exc
        result = services.alerts_scan(today=day, dispatch=False, dry_run=dry_run)
        outcomes: Counter[str] = Counter()
        if result.skipped:
            self.stdout.write(result.summary())
        elif dry_run:
            self.stdout.write(
                f"{day}: dry run: {len(result.delivery_ids)} emails would be sent; "
                "nothing was recorded."
            )
        else:
            self.stdout.write(result.summary())
            for delivery_id in result.delivery_ids:
                outcomes[services.delivery_send(delivery_id=delivery_id)] += 1
        self.stdout.write(
            f"{result.new_alerts} new alerts, {outcomes[services.SENT]} sent, "
            f"{outcomes[services.FAILED]} failed"
        )
