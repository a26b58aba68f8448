"""Benchmark of the daily alert scan on PostgreSQL (issue 5, item 7).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/alerts.py

Makes a fresh database (`--database`, default alerts_bench, on the server DATABASE_URL
names; dropped again unless --keep), migrates it, loads `manage.py generate_load --open
20000 --closed 20000` pinned to Wednesday 2026-03-04, and then times, on the next
working day:

- the daily scan: `alerts_scan` deciding and writing the ledger and the deliveries (no
  SMTP), after a first catch-up run on the load day has filled the ledger;
- a raw SQL query selecting the same due deadlines (outstanding, due on or before the
  end of the due-soon window) with the same joins, fetched into Python.

Then it adds closed cases up to 200,000 and times the daily scan again. Each figure is
the median of --repeat runs, the scan and the query taking turns; every timed scan runs
inside a transaction that is rolled back, so each repeat is the day's first run.
Targets: scan at most 3x the raw query; with 200,000 closed cases, at most 1.2x the
scan time with 20,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO = Path(__file__).resolve().parents[1]
LOAD_DAY = dt.date(2026, 3, 4)  # a Wednesday clear of bank holidays
RAW_SQL = """
SELECT d.id, d.milestone, d.due, c.id, c.stage, c.team_id, u.id, u.is_active
FROM deadlines_deadline d
JOIN cases_case c ON c.id = d.case_id
JOIN accounts_user u ON u.id = c.social_worker_id
WHERE d.applies AND d.met_on IS NULL AND d.due <= %s
"""
# The same rows, naming the open stages as the scan does (outstanding deadlines are all
# on open cases): without it the planner may hash every case, closed ones included.
RAW_SQL_OPEN = RAW_SQL.rstrip() + (
    "\n  AND c.stage IN ('concern', 'legal_gateway', 'pre_proceedings', 'issue', 'proceedings')\n"
)


def _admin(url: str, sql: str) -> None:
    import psycopg

    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def setup(args: argparse.Namespace) -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://... (the server to benchmark on).")
    _admin(base, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    _admin(base, f'CREATE DATABASE "{args.database}"')
    url = urlunparse(urlparse(base)._replace(path=f"/{args.database}"))
    os.environ["DATABASE_URL"] = url
    # The project's settings with the alerts app wired in (tests/alerts/settings.py adds
    # exactly the lines docs/alerts.md lists, until the project's settings have them).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.alerts.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    return url


def interleaved(actions, repeat: int, before=None) -> list[tuple[float, object]]:
    """Median seconds of each action, the actions taking turns so that a busy machine
    slows them alike; returns (seconds, last result) for each. `before` runs, untimed,
    before each round."""
    times: list[list[float]] = [[] for _ in actions]
    results: list[object] = [None for _ in actions]
    for _ in range(repeat):
        if before is not None:
            before()
        for index, action in enumerate(actions):
            started = time.perf_counter()
            results[index] = action()
            times[index].append(time.perf_counter() - started)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="alerts_bench")
    parser.add_argument("--open", type=int, default=20_000, dest="open_cases")
    parser.add_argument("--closed", type=int, default=20_000)
    parser.add_argument(
        "--closed-large", type=int, default=200_000, help="0 skips the second stage"
    )
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards")
    args = parser.parse_args()
    url = setup(args)

    from django.core.management import call_command
    from django.db import connection, transaction

    from legaltracker.alerts import services
    from legaltracker.alerts.models import Alert
    from legaltracker.calendars.services import get_calendar
    from legaltracker.core import clock
    from legaltracker.deadlines.models import Deadline, TimescalePolicy

    def load(open_cases: int, closed: int, seed: int) -> float:
        started = time.perf_counter()
        with clock.frozen(LOAD_DAY):
            call_command(
                "generate_load",
                open_cases=open_cases,
                closed_cases=closed,
                seed=seed,
                verbosity=0,
            )
        with connection.cursor() as cursor:
            # The load is written now; in the story it was written days ago, before the
            # previous alert run (a run reads the deadlines changed since the last one).
            # Only the outstanding rows matter to the scan (a closed case's deadlines no
            # longer apply); rewriting every row would also move them across the table.
            cursor.execute(
                "UPDATE deadlines_deadline SET updated_at = updated_at - interval '3 days' "
                "WHERE applies AND met_on IS NULL AND updated_at > now() - interval '1 day'"
            )
            cursor.execute("VACUUM ANALYZE")
        return time.perf_counter() - started

    def day_of_work(fraction: float) -> int:
        """What a working day changes: events recorded on `fraction` of the open cases
        recompute (and so touch) their deadlines."""
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE deadlines_deadline SET updated_at = now() WHERE case_id IN "
                "(SELECT id FROM cases_case WHERE stage <> 'closed' AND id %% %s = 0)",
                [round(1 / fraction)],
            )
            return cursor.rowcount

    def scan(day: dt.date) -> services.ScanResult:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # The ledger's foreign keys are checked at commit, and this transaction
                # is rolled back: check them as rows are written, so that they count.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            result = services.alerts_scan(today=day, dispatch=False)
            transaction.set_rollback(True)
        return result

    def vacuum_ledger() -> None:
        """Each timed scan is rolled back, leaving its rows dead in the ledger's indexes;
        a real day inserts once. Clear them between turns."""
        with connection.cursor() as cursor:
            cursor.execute("VACUUM alerts_alert")
            cursor.execute("VACUUM alerts_delivery")

    def raw(cutoff: dt.date, sql: str = RAW_SQL) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # as the scan does: the same footing
            cursor.execute(sql, [cutoff])
            return len(cursor.fetchall())

    def counts() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FILTER (WHERE stage <> 'closed'), "
                "COUNT(*) FILTER (WHERE stage = 'closed') FROM cases_case"
            )
            open_n, closed_n = cursor.fetchone()
            cursor.execute("SELECT COUNT(*) FROM cases_caseevent")
            (audit,) = cursor.fetchone()
            cursor.execute("SELECT COUNT(*) FROM deadlines_deadline")
            (deadlines,) = cursor.fetchone()
        return (
            f"{open_n} open and {closed_n} closed cases, {deadlines} deadline rows, "
            f"{audit} audit rows, {Alert.objects.count()} ledger rows"
        )

    call_command("migrate", verbosity=0)
    print(f"Database {args.database}; loading {args.open_cases} open and {args.closed} closed")
    print(f"  generate_load: {load(args.open_cases, args.closed, seed=1):.1f} s")
    calendar = get_calendar()
    day = calendar.add_working_days(LOAD_DAY, 1)
    cutoff = calendar.add_working_days(day, TimescalePolicy.current().due_soon_working_days)

    # The first run ever, on the load day: the ledger is empty and every due deadline is
    # news. Kept: the daily runs timed below follow it.
    with clock.frozen(LOAD_DAY):
        started = time.perf_counter()
        catch_up = services.alerts_scan(today=LOAD_DAY, dispatch=False)
        catch_up_seconds = time.perf_counter() - started
    print(
        f"  first run on {LOAD_DAY} (empty ledger): {catch_up_seconds * 1000:.0f} ms, "
        f"{catch_up.new_alerts} alerts, {len(catch_up.delivery_ids)} deliveries"
    )
    touched = day_of_work(0.02)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  a day's work: {touched} deadline rows changed (2% of open cases)")

    figures = {}
    stages = [("small", args.closed)]
    if args.closed_large:
        stages.append(("large", args.closed_large))
    for label, closed_total in stages:
        if label == "large":
            extra = args.closed_large - args.closed
            print(f"Adding {extra} closed cases (total {closed_total})")
            print(f"  generate_load: {load(0, extra, seed=2):.1f} s")
            day_of_work(0.02)  # the same cases' deadlines touched again
        due_rows = Deadline.objects.outstanding().filter(due__lte=cutoff).count()
        with clock.frozen(day):
            raw(cutoff)  # warm the cache the same way for both
            scan(day)
            (scan_s, result), (raw_s, rows), (open_s, open_rows) = interleaved(
                [lambda: scan(day), lambda: raw(cutoff), lambda: raw(cutoff, RAW_SQL_OPEN)],
                args.repeat,
                before=vacuum_ledger,
            )
        assert rows == open_rows == due_rows
        figures[label] = (scan_s, raw_s)
        print(
            f"  daily scan on {day}: {scan_s * 1000:.1f} ms ({result.new_alerts} new alerts, "
            f"{len(result.delivery_ids)} deliveries)"
        )
        print(
            f"  raw SQL selecting the {rows} due deadlines: {raw_s * 1000:.1f} ms, "
            f"ratio {scan_s / raw_s:.2f}x (target <= 3x); naming the open stages: "
            f"{open_s * 1000:.1f} ms, ratio {scan_s / open_s:.2f}x"
        )
        print(f"  ({counts()})")
    if "large" in figures:
        small, large = figures["small"][0], figures["large"][0]
        print(
            f"Daily scan with {args.closed_large} closed vs {args.closed} closed: "
            f"{large / small:.2f}x (target <= 1.2x)"
        )
    if not args.keep:
        connection.close()
        _admin(url, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
