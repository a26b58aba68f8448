"""The SQLite race, run as its own process: `python -m tests.concurrency.sqlite_race PATH`.

pytest-django's SQLite test database lives in memory in shared-cache mode, where a second
connection that meets a writer fails at once with "database table is locked" instead of
waiting: no busy timeout applies, so threads cannot race there the way they would on a
real file. This process instead migrates a fresh database file at PATH with the app's own
SQLite settings (`transaction_mode: IMMEDIATE`, a busy timeout), runs two-thread races on
it and prints one JSON line: the figures and every problem found. test_sqlite_race.py
runs it and asserts on that line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any

TODAY = dt.date(2026, 3, 4)  # the same ordinary Wednesday the rest of the suite uses
TRANSITION_ROUNDS = 20
NO_VERSION_ROUNDS = 10
NOTES_EACH = 10


def main(path: str) -> dict[str, Any]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "legaltracker.settings.test"
    os.environ["SQLITE_PATH"] = path
    os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from legaltracker.core import clock
    from legaltracker.core.errors import Conflict, TransitionNotAvailable
    from tests.factories import Staff, TeamFactory

    from .harness import (
        Snapshot,
        Tally,
        case_ready_for_any_exit,
        event_race_problems,
        note_task,
        run_together,
        transition_round_problems,
        transition_task,
    )

    problems: list[str] = []
    report: dict[str, Any] = {
        "vendor": connection.vendor,
        "transaction_mode": connection.settings_dict["OPTIONS"].get("transaction_mode"),
    }
    with clock.frozen(TODAY):
        staff = Staff(TeamFactory(code="north", name="North Family Support"))
        pair = [("step_down", "team_manager"), ("escalate_to_gateway", "social_worker")]

        for name, expect_version, loser_error, rounds in (
            ("with_version", True, Conflict, TRANSITION_ROUNDS),
            ("without_version", False, TransitionNotAvailable, NO_VERSION_ROUNDS),
        ):
            tally = Tally()
            for number in range(1, rounds + 1):
                case = case_ready_for_any_exit(staff)
                before = Snapshot.of(case.pk)
                order = pair if number % 2 else pair[::-1]
                results = run_together(
                    [
                        transition_task(case.pk, t, who, staff, expect_version=expect_version)
                        for t, who in order
                    ]
                )
                tally.add(results)
                found = transition_round_problems(case.pk, before, results, loser_error=loser_error)
                problems += [f"{name} round {number}: {p}" for p in found]
            report[name] = tally.line()
            report[f"{name}_counts"] = {
                "attempts": tally.attempts,
                "winners": tally.winners,
                "conflicts": tally.conflicts,
                "not_available": tally.not_available,
            }

        case = case_ready_for_any_exit(staff)
        before = Snapshot.of(case.pk)
        results = run_together(
            [
                note_task(case.pk, who, staff, notes=NOTES_EACH, tag=who)
                for who in ("social_worker", "team_manager")
            ]
        )
        problems += [f"event writers: {p}" for p in event_race_problems(case.pk, before, results)]
        report["event_writes"] = sum(len(r.value) for r in results if r.won)
    report["problems"] = problems
    return report


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
