"""Benchmark of the inspection list on PostgreSQL (docs/inspection.md, "Performance").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/inspection.py [--open 5000] [--closed 5000] [--repeat 5]

In one run, on the PostgreSQL server DATABASE_URL names:

1. makes a database of its own (`inspection_bench`), migrates it and fills it with
   `generate_load` (`--open` open and `--closed` closed invented cases);
2. restricts one case in 97 of those in the list (the head of service the bench signs in
   as is named on every other one), so that the restriction filter hides some rows;
3. checks that the app's rows (`selectors.iter_rows`, streamed from one query) and the raw
   SQL below (psycopg, no ORM: the same filters, dates and order, written by hand) give
   the same children in the same order, with the same dates;
4. times, alternately and `--repeat` times each, the whole list (every row read: the
   file's work without the file), the first page of 100 rows with the count (the API's
   queries, through the selectors) and the same page through the API (Django's test
   client: the whole request), each against the raw SQL of the same run (medians; target:
   the whole list and the page's queries at most 2x the raw SQL), and counts the app's
   queries for the whole list.

The database is dropped at the end unless `--keep`. Settings are
`legaltracker.settings.test` (DEBUG off), JIT off on both sides.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import board  # noqa: E402  (bench/board.py: the database helpers)

NAME = "inspection_bench"

RAW = """
SELECT ch.id, c.id, ch.la_child_id, ch.upn, c.reference, ch.first_name, ch.last_name,
       ch.date_of_birth, t.name, sw.username, l.username, c.stage,
       COALESCE(c.pre_proceedings_started_on, c.issued_on) AS entered_on,
       (SELECT g.meeting_date FROM cases_gatewaydecision g WHERE g.case_id = c.id
         ORDER BY g.meeting_date, g.id LIMIT 1),
       c.pre_proceedings_started_on,
       (SELECT e.date FROM cases_recordedevent e WHERE e.case_id = c.id
         AND e.kind = 'letter_before_proceedings_sent' ORDER BY e.date, e.id LIMIT 1),
       (SELECT e.date FROM cases_recordedevent e WHERE e.case_id = c.id
         AND e.kind = 'initial_meeting_held'
         AND (NOT e.details ? 'effective' OR e.details -> 'effective' = 'true'::jsonb)
         ORDER BY e.date, e.id LIMIT 1),
       (SELECT count(*) FROM cases_recordedevent e WHERE e.case_id = c.id
         AND e.kind = 'review_meeting_held'),
       (SELECT e.date FROM cases_recordedevent e WHERE e.case_id = c.id
         AND e.kind = 'review_meeting_held' ORDER BY e.date DESC, e.id DESC LIMIT 1),
       (SELECT d.due FROM deadlines_deadline d WHERE d.case_id = c.id
         AND d.milestone = 'pre_proceedings_decision' ORDER BY d.cycle DESC LIMIT 1),
       c.issue_decided_on, c.issued_on, c.court_reference,
       (SELECT e.date FROM cases_recordedevent e WHERE e.case_id = c.id
         AND e.kind = 'hearing_held'
         AND (NOT e.details ? 'hearing_type'
              OR e.details ->> 'hearing_type' <> 'advocates_meeting')
         ORDER BY e.date, e.id LIMIT 1),
       c.closed_on, c.outcome, c.step_down_to
  FROM cases_child ch
  JOIN cases_case c ON c.id = ch.case_id
  JOIN accounts_team t ON t.id = c.team_id
  JOIN accounts_user sw ON sw.id = c.social_worker_id
  LEFT JOIN accounts_user l ON l.id = c.allocated_lawyer_id
 WHERE COALESCE(c.pre_proceedings_started_on, c.issued_on) <= %(end)s
   AND (c.closed_on IS NULL OR c.closed_on >= %(start)s)
   AND c.id NOT IN (
       SELECT r.case_id FROM audit_caserestriction r
        WHERE NOT EXISTS (SELECT 1 FROM audit_caserestrictionaccess a
                           WHERE a.restriction_id = r.id AND a.user_id = %(user)s))
 ORDER BY t.name, entered_on, c.reference, c.id, ch.id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=5000, dest="open_cases")
    parser.add_argument("--closed", type=int, default=5000, dest="closed_cases")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    server = board.server_url()
    os.environ["PGOPTIONS"] = "-c jit=off"
    os.environ["DATABASE_URL"] = board.with_database(server, NAME)
    os.environ["DJANGO_SETTINGS_MODULE"] = "legaltracker.settings.test"
    board.recreate_database(server, NAME)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from legaltracker.accounts.models import Role, User
    from legaltracker.audit.models import CaseRestriction, CaseRestrictionAccess
    from legaltracker.core import clock
    from legaltracker.inspection import selectors
    from legaltracker.inspection.forms import default_period

    try:
        print(f"Machine: {board.machine()}")
        print(f"Load average at start: {board.load_average()}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("generate_load", open_cases=args.open_cases, closed_cases=args.closed_cases)
        print(f"Database built in {time.perf_counter() - started:.0f} s")
        head, _ = User.objects.get_or_create(
            username="bench-hos", defaults={"role": Role.HEAD_OF_SERVICE}
        )
        other, _ = User.objects.get_or_create(
            username="bench-hos-2", defaults={"role": Role.HEAD_OF_SERVICE}
        )
        start, end = default_period(clock.today())
        listed = sorted(
            {child.case_id for child in selectors.inspection_children(head, start=start, end=end)}
        )
        now = clock.now()
        for n, case_id in enumerate(listed[::10]):
            restriction = CaseRestriction.objects.create(
                case_id=case_id, reason="Bench.", created_by=other, created_at=now
            )
            named = [other] if n % 97 == 0 else [other, head]
            CaseRestrictionAccess.objects.bulk_create(
                CaseRestrictionAccess(restriction=restriction, user=u, added_by=other, added_at=now)
                for u in named
            )
        connections.close_all()
        raw = board.raw_connect(board.libpq(board.with_database(server, NAME)))
        raw.execute("VACUUM ANALYZE")
        params = {"start": start, "end": end, "user": head.pk}

        def app_rows() -> list[tuple[object, ...]]:
            return [
                (
                    r.case_reference,
                    r.child_name,
                    r.entered_on,
                    r.initial_meeting_on,
                    r.review_meetings,
                    r.decision_point_on,
                    r.first_hearing_on,
                    r.closed_on,
                )
                for r in selectors.iter_rows(head, start=start, end=end)
            ]

        def raw_rows() -> list[tuple[object, ...]]:
            return [
                (
                    row[4],
                    f"{row[5]} {row[6]}".strip(),
                    row[12],
                    row[16],
                    row[17],
                    row[19],
                    row[23],
                    row[24],
                )
                for row in raw.execute(RAW, params).fetchall()
            ]

        mine, theirs = app_rows(), raw_rows()
        assert mine == theirs, "the app's rows and the raw SQL's differ"
        total = raw.execute("SELECT count(*) FROM cases_case").fetchone()[0]
        print(
            f"{total:,} cases; the list from {start} to {end}: {len(mine):,} children "
            f"(rows checked equal to the raw SQL's, in order)"
        )
        with CaptureQueriesContext(connection) as queries:
            app_rows()
        print(f"Queries for the whole list: {len(queries)}")

        client = Client()
        client.force_login(head)
        api = f"/api/v1/inspection-list/?from={start}&to={end}&limit=100"
        page_sql = RAW + " LIMIT 100"
        count_sql = "SELECT count(*) FROM (" + RAW + ") AS listed"

        def raw_page() -> None:
            raw.execute(count_sql, params).fetchone()
            raw.execute(page_sql, params).fetchall()

        def app_page() -> None:
            selectors.count(head, start=start, end=end)
            rows = selectors.inspection_values(head, start=start, end=end)[:100]
            [selectors.row_of(values).as_json() for values in rows]

        timings: dict[str, list[float]] = {
            k: [] for k in ("raw", "app", "raw100", "app100", "api100")
        }
        for _ in range(args.repeat):
            timings["raw"].append(board.timed(raw_rows))
            timings["app"].append(board.timed(app_rows))
            timings["raw100"].append(board.timed(raw_page))
            timings["app100"].append(board.timed(app_page))
            timings["api100"].append(board.timed(lambda: client.get(api)))
        med = {k: statistics.median(v) * 1000 for k, v in timings.items()}
        print("| what | raw SQL ms | app ms | ratio |")
        print("| --- | --- | --- | --- |")
        print(
            f"| whole list ({len(mine):,} rows) | {med['raw']:.1f} | {med['app']:.1f} "
            f"| {med['app'] / med['raw']:.2f}x |"
        )
        print(
            f"| first page (100 rows and the count), selectors | {med['raw100']:.1f} "
            f"| {med['app100']:.1f} | {med['app100'] / med['raw100']:.2f}x |"
        )
        print(
            f"| the same through the API (a whole request: session, audit row, JSON) "
            f"| {med['raw100']:.1f} | {med['api100']:.1f} | {med['api100'] / med['raw100']:.2f}x |"
        )
        print(f"Load average at end: {board.load_average()}")
        raw.close()
    finally:
        connections.close_all()
        if not args.keep:
            board.drop_database(server, NAME)


if __name__ == "__main__":
    main()
