"""Benchmark of the performance reports on PostgreSQL (docs/reports.md, "Queries").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/reports.py [--open 20000] [--closed 20000] [--repeat 9]

Writes `--open` open and `--closed` closed invented cases with `generate_load` into a
database of its own (`reports_bench`, dropped at the end unless `--keep`), then for each
report (every team as the head of service; one team as its manager):

- the queries the figures take (`performance_report`) and the page (`/reports/performance/`);
- the median time of the whole report, of the page, and of the figures that SQL can
  compute alone (entries by month, weeks in pre-proceedings and how it ended, weeks to
  final order, within 26 weeks, extensions) against a raw SQL baseline for the same
  figures (psycopg, no ORM, `percentile_cont` for the quartiles) measured in the same
  run, interleaved. Before timing, the bench checks that the raw SQL gives the app's
  numbers.

The figures that need the working-day calendar (letters, initial meetings) have no pure
SQL twin here; they are in the "whole report" time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATABASE = "reports_bench"

RAW_SQL = """
WITH scope AS (SELECT id, outcome, issued_on FROM cases_case
                WHERE %(team)s::int IS NULL OR team_id = %(team)s),
entered AS (
  SELECT date_trunc('month', e.effective_date)::date AS month, count(*) AS n
    FROM cases_caseevent e JOIN scope c ON c.id = e.case_id
   WHERE e.action = 'transition' AND e.from_stage = 'legal_gateway'
     AND e.to_stage = 'pre_proceedings' AND e.effective_date BETWEEN %(start)s AND %(end)s
   GROUP BY 1),
ended AS (
  SELECT e.effective_date, e.to_stage, c.outcome, c.issued_on,
         (SELECT b.effective_date FROM cases_caseevent b
           WHERE b.case_id = e.case_id AND b.action = 'transition'
             AND b.from_stage = 'legal_gateway' AND b.to_stage = 'pre_proceedings'
             AND b.effective_date <= e.effective_date
           ORDER BY b.effective_date DESC, b.id DESC LIMIT 1) AS began
    FROM cases_caseevent e JOIN scope c ON c.id = e.case_id
   WHERE e.action = 'transition' AND e.from_stage = 'pre_proceedings'
     AND e.to_stage <> 'pre_proceedings' AND e.effective_date BETWEEN %(start)s AND %(end)s),
concluded AS (
  SELECT e.effective_date - c.issued_on AS days,
         (SELECT count(*) FROM cases_extension x
           WHERE x.case_id = c.id AND x.kind = 'timetable') AS extensions
    FROM cases_caseevent e JOIN scope c ON c.id = e.case_id
   WHERE e.action = 'transition' AND e.from_stage = 'proceedings' AND e.to_stage = 'closed'
     AND e.effective_date BETWEEN %(start)s AND %(end)s AND c.issued_on IS NOT NULL
     AND c.outcome = ANY(%(final_orders)s))
SELECT
  (SELECT coalesce(json_agg(json_build_array(month, n) ORDER BY month), '[]') FROM entered),
  (SELECT json_build_array(
      count(*),
      percentile_cont(ARRAY[0, 0.25, 0.5, 0.75, 1]) WITHIN GROUP (
          ORDER BY (effective_date - began) / 7.0) FILTER (WHERE began IS NOT NULL),
      count(*) FILTER (WHERE to_stage = 'closed' AND outcome = 'stepped_down'),
      count(*) FILTER (WHERE to_stage = 'legal_gateway' AND issued_on >= effective_date))
     FROM ended),
  (SELECT json_build_array(
      count(*),
      percentile_cont(ARRAY[0, 0.25, 0.5, 0.75, 1]) WITHIN GROUP (ORDER BY days / 7.0),
      count(*) FILTER (WHERE days <= %(final_order_days)s),
      count(*) FILTER (WHERE extensions > 0))
     FROM concluded),
  (SELECT json_object_agg(kind, n) FROM (
      SELECT x.kind, count(*) AS n FROM cases_extension x JOIN scope c ON c.id = x.case_id
       WHERE x.decided_on BETWEEN %(start)s AND %(end)s GROUP BY x.kind) k)
"""


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def recreate(server: str) -> None:
    with psycopg.connect(libpq(server), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")


def drop(server: str) -> None:
    with psycopg.connect(libpq(server), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=20_000, dest="open_cases")
    parser.add_argument("--closed", type=int, default=20_000, dest="closed_cases")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database a --keep run left (no load)"
    )
    args = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server.")
    os.environ["PGOPTIONS"] = "-c jit=off"  # as the app's connections
    if not args.reuse:
        recreate(server)
    url = with_database(server, DATABASE)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "legaltracker.settings.test"
    import django

    django.setup()
    try:
        run(args, url)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop(server)


def run(args: argparse.Namespace, url: str) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from legaltracker.accounts.models import Role, User
    from legaltracker.calendars.services import get_calendar
    from legaltracker.cases.choices import FINAL_ORDER_OUTCOMES
    from legaltracker.core import clock
    from legaltracker.deadlines.models import TimescalePolicy
    from legaltracker.demo.loadgen import TEAM_PREFIX, generate_load
    from legaltracker.performance import selectors
    from legaltracker.performance.forms import default_period

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not args.reuse:
        result = generate_load(
            open_cases=args.open_cases, closed_cases=args.closed_cases, seed=args.seed
        )
        print(
            f"generate_load --open {args.open_cases} --closed {args.closed_cases}: "
            f"{sum(result.rows.values()):,} rows in {time.perf_counter() - started:.0f} s"
        )
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        cases = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]  # type: ignore[index]
    print(f"PostgreSQL {version}; {cases:,} cases")
    start, end = default_period(clock.today())
    head = User.objects.get(username=f"{TEAM_PREFIX}hos")
    manager = User.objects.filter(
        username__startswith=TEAM_PREFIX, role=Role.TEAM_MANAGER
    ).order_by("username")[0]
    policy = TimescalePolicy.current()
    raw = psycopg.connect(libpq(url), autocommit=True)

    assert manager.team is not None
    reports: list[tuple[str, Any, dict[str, Any]]] = [
        ("every team, head of service", head, {"team": None}),
        ("one team, its manager", manager, {"team": manager.team.code}),
    ]
    print(f"Period {start} to {end}; {args.repeat} interleaved samples, medians")

    def measure(label: str, user: Any, extra: dict[str, Any]) -> None:
        filters = {"from": start.isoformat(), "to": end.isoformat(), "lawyer": None, **extra}
        team_id = manager.team_id if extra["team"] else None
        params = {
            "start": start,
            "end": end,
            "team": team_id,
            "final_orders": [str(o) for o in FINAL_ORDER_OUTCOMES],
            "final_order_days": policy.final_order_days,
        }

        def sql_part() -> Any:
            return raw.execute(RAW_SQL, params).fetchone()

        scope = selectors.case_scope(user, filters)

        def app_part() -> tuple[Any, Any]:
            return (
                selectors._pre_proceedings(scope, start, end),
                selectors._proceedings(scope, start, end, policy),
            )

        def whole() -> Any:
            return selectors.performance_report(user=user, filters=filters)

        client = Client()
        client.force_login(user)
        page_url = "/reports/performance/" + (f"?team={extra['team']}" if extra["team"] else "")

        def page() -> Any:
            response = client.get(page_url)
            assert response.status_code == 200
            return response

        check(sql_part(), whole())
        figures_queries = count_queries(connection, whole)
        page()
        page_queries = count_queries(connection, page)
        timings: dict[str, list[float]] = {"sql": [], "app": [], "whole": [], "page": []}
        runs: dict[str, Callable[[], Any]] = {
            "sql": sql_part,
            "app": app_part,
            "whole": whole,
            "page": page,
        }
        get_calendar()
        for _ in range(args.repeat):
            for name, fn in runs.items():
                t = time.perf_counter()
                fn()
                timings[name].append(time.perf_counter() - t)
        sql, app = median_ms(timings["sql"]), median_ms(timings["app"])
        print(
            f"- {label}: {figures_queries} queries for the figures, "
            f"{page_queries} for the page; whole report "
            f"{median_ms(timings['whole'])} ms, page {median_ms(timings['page'])} ms; "
            f"SQL-only figures: app {app} ms vs raw SQL {sql} ms (ratio {app / sql:.2f})"
        )

    for label, user, extra in reports:
        measure(label, user, extra)
    raw.close()


def count_queries(connection: Any, fn: Callable[[], Any]) -> int:
    seen = []

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return len(seen)


def check(row: Any, report: Any) -> None:
    """The raw SQL's numbers are the app's (weeks to one decimal place)."""
    entered, ended, concluded, extensions = row
    by_month = {dt.date.fromisoformat(m): n for m, n in entered}
    app_months = {m.month: m.count for m in report.pre_proceedings.entered_by_month if m.count}
    assert by_month == app_months, (by_month, app_months)
    pre = report.pre_proceedings
    assert (ended[0], ended[2], ended[3]) == (pre.ended, pre.stepped_down, pre.issued)
    if pre.weeks:
        assert abs(ended[1][2] - pre.weeks.median) <= 0.051
    proc = report.proceedings
    assert (concluded[0], concluded[2], concluded[3]) == (
        proc.concluded,
        proc.within,
        proc.extended_cases,
    )
    if proc.weeks:
        assert abs(concluded[1][2] - proc.weeks.median) <= 0.051
    extensions = extensions or {}
    assert extensions.get("timetable", 0) == proc.timetable_extensions
    assert extensions.get("pre_proceedings", 0) == proc.pre_proceedings_extensions


if __name__ == "__main__":
    main()
