"""Benchmark of the daily alert scan on PostgreSQL (docs/alerts.md; figures in
docs/performance.md, "Alerts").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lt_alerts_bench .venv/bin/python bench/alerts.py
    DATABASE_URL=... bench/alerts.py --from-template lt_base_20k --large-template lt_base_200k

Makes a fresh database named as in DATABASE_URL (or `--database`; never `postgres`),
and a copy of it named `<database>_more_closed`: both are dropped first, and again at
the end unless --keep. It migrates, loads `manage.py generate_load --open 20000
--closed 20000` pinned to Wednesday 2026-03-04 (or, with --from-template, copies a
prebuilt database of the same shape and takes the day it was loaded), and then times,
on the working day after the first run:

- the daily scan: `alerts_scan` deciding and writing the ledger and the deliveries (no
  SMTP), after a first catch-up run on the load day has filled the ledger;
- the stricter raw SQL query, the baseline: the same due deadlines (outstanding, due on
  or before the end of the due-soon window) of cases in the open stages, named as the
  scan names them, with the same joins, fetched into Python;
- the same query without naming the stages (the planner then hashes every case);
- writing the day's ledger rows alone: the scan's INSERT of the very rows it inserts,
  read from a table, nothing decided: the floor of any scan that writes them.

Then it copies the database (CREATE DATABASE ... TEMPLATE), adds closed cases to the copy
up to 200,000 (or copies --large-template), and times all four on both databases again,
taking turns database by database, so that whatever else the machine is doing weighs on
both alike (as bench/board.py does). Each figure is the median of --repeat runs; every
timed scan runs inside a transaction that is rolled back, so each repeat is the day's
first run. Targets: scan at most 2x the stricter raw query; with 200,000 closed cases,
at most 1.2x the scan time with 20,000. The settings are legaltracker.settings.test
(PostgreSQL with JIT off, as in every environment).
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


def _with_db(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _create(base: str, name: str, template: str = "") -> None:
    """CREATE DATABASE, from a template if named (which fails while anyone is connected
    to the template: retried for a minute)."""
    import psycopg

    sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
    for attempt in range(30):
        try:
            _admin(base, sql)
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 29:
                raise
            time.sleep(2)


def setup(args: argparse.Namespace) -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://.../<a database name of your own>.")
    args.database = args.database or urlparse(base).path.lstrip("/")
    if args.database in ("", "postgres", "template0", "template1"):
        sys.exit("Name a database of the benchmark's own in DATABASE_URL (or --database).")
    args.copy = f"{args.database}_more_closed"
    for name in (args.database, args.copy):
        _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _create(base, args.database, args.from_template)
    url = _with_db(base, args.database)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "legaltracker.settings.test"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    return url


def use_database(name: str) -> None:
    """Point Django's connection at another database of the same server."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


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
    parser.add_argument("--database", default="", help="default: the database DATABASE_URL names")
    parser.add_argument("--open", type=int, default=20_000, dest="open_cases")
    parser.add_argument("--closed", type=int, default=20_000)
    parser.add_argument(
        "--closed-large", type=int, default=200_000, help="0 skips the second stage"
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--rounds", type=int, default=5, help="turns on each database in the second part"
    )
    parser.add_argument("--keep", action="store_true", help="Keep the databases afterwards")
    parser.add_argument(
        "--from-template",
        default="",
        help="start from a copy of this prebuilt database (20,000 open and --closed closed "
        "cases, built by bench/board.py) instead of loading one",
    )
    parser.add_argument(
        "--large-template",
        default="",
        help="with --from-template: the prebuilt database with --closed-large closed cases",
    )
    args = parser.parse_args()
    url = setup(args)

    from django.core.management import call_command
    from django.db import connection, transaction

    from legaltracker.alerts import services
    from legaltracker.alerts.models import Alert, AlertRun, Delivery
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

    def prebuilt() -> dt.date:
        """On a copy of a prebuilt database: the day it was loaded, and its outstanding
        deadlines dated back as `load` does."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (max(updated_at) AT TIME ZONE 'Europe/London')::date "
                "FROM deadlines_deadline"
            )
            (loaded_on,) = cursor.fetchone()
            cursor.execute(
                "UPDATE deadlines_deadline SET updated_at = updated_at - interval '3 days' "
                "WHERE applies AND met_on IS NULL"
            )
            cursor.execute("VACUUM ANALYZE")
        print(f"  prepared in {time.perf_counter() - started:.1f} s; loaded on {loaded_on}")
        return loaded_on

    def first_run(on: dt.date) -> None:
        """The first run ever, on the load day: the ledger is empty and every due
        deadline is news. Kept: the daily runs timed below follow it."""
        with clock.frozen(on):
            started = time.perf_counter()
            catch_up = services.alerts_scan(today=on, dispatch=False)
            catch_up_seconds = time.perf_counter() - started
        print(
            f"  first run on {on} (empty ledger): {catch_up_seconds * 1000:.0f} ms, "
            f"{catch_up.new_alerts} alerts, {len(catch_up.delivery_ids)} deliveries"
        )

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

    def prepare_write_only(day: dt.date) -> int:
        """Keep the rows the day's scan inserts in a table of the bench's own, so that
        `write_only` can time writing them alone."""
        with transaction.atomic():
            with clock.frozen(day):
                result = services.alerts_scan(today=day, dispatch=False)
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS bench_day_alerts")
                cursor.execute(
                    "CREATE UNLOGGED TABLE bench_day_alerts AS "
                    "SELECT deadline_id, case_id, level, recipient_id, reason, due "
                    "FROM alerts_alert WHERE run_id = %s",
                    [result.run_id],
                )
                count = cursor.rowcount
            # Keep the table, not the scan's rows.
            Alert.objects.filter(run_id=result.run_id).delete()
            Delivery.objects.filter(run_id=result.run_id).delete()
            AlertRun.objects.filter(pk=result.run_id).delete()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE bench_day_alerts")
        vacuum_ledger()
        return count

    def write_only() -> int:
        """The floor of any scan that writes the day's ledger rows: the same INSERT of
        the same rows in the same order, nothing decided (rolled back like the scan)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # As the scan writes them: a plain INSERT in key order (the scan leaves out
            # the keys the ledger holds before it writes; that is deciding, not writing).
            cursor.execute(
                "INSERT INTO alerts_alert (deadline_id, case_id, level, recipient_id, reason, "
                "due, run_id, created_at) SELECT deadline_id, case_id, level, recipient_id, "
                "reason, due, 0, now() FROM bench_day_alerts "
                "ORDER BY deadline_id, level, recipient_id"
            )
            count = cursor.rowcount
            transaction.set_rollback(True)
        return count

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
    calendar = get_calendar()
    if args.from_template:
        print(f"Database {args.database}: a copy of {args.from_template}")
        loaded_on = prebuilt()
    else:
        print(f"Database {args.database}; loading {args.open_cases} open and {args.closed} closed")
        print(f"  generate_load: {load(args.open_cases, args.closed, seed=1):.1f} s")
        loaded_on = LOAD_DAY
    # The first run on the load day (the next working day if it was not one), then the
    # daily run of the working day after it is the one timed.
    first_day = (
        loaded_on if calendar.is_working_day(loaded_on) else calendar.add_working_days(loaded_on, 1)
    )
    day = calendar.add_working_days(first_day, 1)
    cutoff = calendar.add_working_days(day, TimescalePolicy.current().due_soon_working_days)
    first_run(first_day)
    touched = day_of_work(0.02)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  a day's work: {touched} deadline rows changed (2% of open cases)")

    def actions() -> list:
        return [
            lambda: scan(day),
            lambda: raw(cutoff, RAW_SQL_OPEN),
            lambda: raw(cutoff),
            write_only,
        ]

    def measure(label: str) -> None:
        """Scan, the stricter raw query, the plain one and writing alone, taking turns."""
        due_rows = Deadline.objects.outstanding().filter(due__lte=cutoff).count()
        day_rows = prepare_write_only(day)
        with clock.frozen(day):
            raw(cutoff)  # warm the cache the same way for both
            scan(day)
            (scan_s, result), (open_s, open_rows), (raw_s, rows), (write_s, written) = interleaved(
                actions(), args.repeat, before=vacuum_ledger
            )
        assert rows == open_rows == due_rows
        assert written == day_rows == result.new_alerts
        print(f"{label}: {counts()}")
        print(
            f"  daily scan on {day}: {scan_s * 1000:.1f} ms ({result.new_alerts} new alerts, "
            f"{len(result.delivery_ids)} deliveries)"
        )
        print(
            f"  raw SQL selecting the {rows} due deadlines of cases in the open stages: "
            f"{open_s * 1000:.1f} ms, scan/raw {scan_s / open_s:.2f}x (target <= 2x)"
        )
        print(
            f"  the same without naming the stages: {raw_s * 1000:.1f} ms, "
            f"scan/raw {scan_s / raw_s:.2f}x"
        )
        print(
            f"  writing the day's {written} ledger rows alone: {write_s * 1000:.1f} ms, "
            f"{write_s / open_s:.2f}x the stricter raw query (the floor of a scan that "
            f"writes them)"
        )

    print(f"Load average before measuring: {loadavg()}")
    measure(f"{args.database} alone")
    print(f"  load average: {loadavg()}")
    if args.closed_large:
        # The closed history goes into a copy, so that both sizes can then be measured
        # side by side, taking turns, under the same load on the machine.
        connection.close()
        if args.large_template:
            _create(url, args.copy, args.large_template)
            use_database(args.copy)
            call_command("migrate", verbosity=0)
            print(f"Copy {args.copy}: a copy of {args.large_template}")
            if prebuilt() != loaded_on:
                sys.exit("The two prebuilt databases were not loaded on the same day.")
            first_run(first_day)
        else:
            _admin(url, f'CREATE DATABASE "{args.copy}" TEMPLATE "{args.database}"')
            use_database(args.copy)
            extra = args.closed_large - args.closed
            print(f"Copy {args.copy}: adding {extra} closed cases (total {args.closed_large})")
            print(f"  generate_load: {load(0, extra, seed=2):.1f} s")
        day_of_work(0.02)  # the same open cases' deadlines touched again, as in the first
        use_database(args.database)
        day_of_work(0.02)
        for name in (args.database, args.copy):
            use_database(name)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            prepare_write_only(day)
        scans: dict[str, list[float]] = {args.database: [], args.copy: []}
        raws: dict[str, list[float]] = {args.database: [], args.copy: []}
        opens: dict[str, list[float]] = {args.database: [], args.copy: []}
        writes: dict[str, list[float]] = {args.database: [], args.copy: []}
        print(f"Both, taking turns ({args.rounds} rounds of {args.repeat}); load {loadavg()}")
        for _ in range(args.rounds):
            for name in (args.database, args.copy):
                use_database(name)
                with clock.frozen(day):
                    scan(day)  # after a switch the first query also connects: untimed
                    (scan_s, _), (open_s, _), (raw_s, _), (write_s, _) = interleaved(
                        actions(), args.repeat, before=vacuum_ledger
                    )
                scans[name].append(scan_s)
                raws[name].append(raw_s)
                opens[name].append(open_s)
                writes[name].append(write_s)
        small = statistics.median(scans[args.database])
        large = statistics.median(scans[args.copy])
        for name, closed_n in ((args.database, args.closed), (args.copy, args.closed_large)):
            s_ms = statistics.median(scans[name]) * 1000
            r_ms = statistics.median(raws[name]) * 1000
            o_ms = statistics.median(opens[name]) * 1000
            w_ms = statistics.median(writes[name]) * 1000
            each = ", ".join(f"{x * 1000:.0f}" for x in scans[name])
            print(
                f"  {closed_n} closed: scan {s_ms:.1f} ms (rounds: {each}); raw naming the "
                f"open stages {o_ms:.1f} ms, scan/raw {s_ms / o_ms:.2f}x (target <= 2x); "
                f"raw without them {r_ms:.1f} ms ({s_ms / r_ms:.2f}x); writing alone "
                f"{w_ms:.1f} ms ({w_ms / o_ms:.2f}x the stricter raw query)"
            )
        ratios = [b / a for a, b in zip(scans[args.database], scans[args.copy], strict=True)]
        print(
            f"Daily scan with {args.closed_large} closed vs {args.closed} closed: "
            f"{large / small:.2f}x (target <= 1.2x); round by round "
            + ", ".join(f"{r:.2f}" for r in ratios)
        )
        print(f"Load average after measuring: {loadavg()}")
    if not args.keep:
        connection.close()
        for name in (args.database, args.copy):
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
