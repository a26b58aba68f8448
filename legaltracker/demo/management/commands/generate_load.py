"""`manage.py generate_load --open N --closed M [--seed S]`: invented cases for load tests.

This command BYPASSES THE CASE SERVICES. It is the one place that does: walking
hundreds of thousands of cases through `cases.services` (a locked transaction, an audit
row and a deadline recomputation per write) would take hours. It builds each invented
history in memory, computes the deadlines with the same pure rules
(`deadlines.rules.compute_deadlines`) and writes the rows in bulk, in batches (COPY on
PostgreSQL, `bulk_create` elsewhere; see `legaltracker.demo.loadgen`). Use it only on
load and benchmark databases, never on one that holds real cases, and not while the app
is in use.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legaltracker.demo.loadgen import generate_load


class Command(BaseCommand):
    help = (
        "Create invented open and closed cases with realistic histories, fast (bulk "
        "inserts that bypass the services). For load and benchmark databases only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--open",
            type=int,
            default=0,
            dest="open_cases",
            help="Open cases to create (most in a legal stage)",
        )
        parser.add_argument(
            "--closed", type=int, default=0, dest="closed_cases", help="Closed cases to create"
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument(
            "--teams",
            type=int,
            default=None,
            help="Teams to spread the cases over (default: the load teams that exist, or "
            "one per 500 open cases)",
        )
        parser.add_argument(
            "--cases-per-batch",
            type=int,
            default=2000,
            help="Cases written per transaction (default 2000)",
        )

    def handle(
        self,
        *args: Any,
        open_cases: int,
        closed_cases: int,
        seed: int,
        teams: int | None,
        cases_per_batch: int,
        **options: Any,
    ) -> None:
        if open_cases < 0 or closed_cases < 0:
            raise CommandError("--open and --closed must be 0 or more.")
        if open_cases + closed_cases == 0:
            raise CommandError("Nothing to do: give --open N and/or --closed M.")
        if teams is not None and teams < 1:
            raise CommandError("--teams must be 1 or more.")
        if cases_per_batch < 1:
            raise CommandError("--cases-per-batch must be 1 or more.")
        verbose = options.get("verbosity", 1) > 1
        result = generate_load(
            open_cases=open_cases,
            closed_cases=closed_cases,
            seed=seed,
            teams=teams,
            cases_per_batch=cases_per_batch,
            progress=(lambda line: self.stdout.write(line)) if verbose else None,
        )
        rows = ", ".join(f"{name} {count}" for name, count in result.rows.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.open_cases} open and {result.closed_cases} closed invented "
                f"cases over {result.teams} teams in {result.seconds:.1f} s ({rows})."
            )
        )
