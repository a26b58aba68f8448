"""Check the audit hash chains (legaltracker/audit/chain.py): exit code 1, with a line per
problem, when a row of the access log or of a case's audit trail was inserted, changed or
removed behind the app's back (docs/security.md, "Finding 2"). Read-only: run it as the
runtime role, from cron, and alert on a non-zero exit.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from legaltracker.audit import chain


class Command(BaseCommand):
    help = "Walk the audit tables' hash chains; exit 1 if any row was added, changed or removed."

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain.verify()
        problems = report.problems or []
        for problem in problems:
            self.stderr.write(problem)
        if report.unchained:
            self.stdout.write(
                f"{report.unchained} rows were written before the hash chains existed (or by "
                "a load generator run without them): they are not covered."
            )
        summary = f"Checked {report.rows} audit rows in {report.chains} chains"
        if problems:
            self.stderr.write(
                f"{summary}: {len(problems)} problems. Compare with the database backups and "
                "the PostgreSQL logs to find out who changed the audit tables."
            )
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"{summary}: no problems."))
