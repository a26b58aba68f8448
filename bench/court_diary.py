"""Benchmark of the court diary on PostgreSQL (docs/performance.md, "Court diary"): a
week of the diary page against a raw SQL fetch of the same rows, and the queries per
page, on a year of hearings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/court_diary.py [--open 2000 --closed 2000] [--template-db NAME]

Data: `generate_load` writes the cases (or `--template-db` copies a prebuilt database);
then, unless the load generator already gave the cases a court record, every case gets
`--hearings` hearings and `--directions` directions (`add_court_records`, also used by
bench/board.py): the open cases' hearings spread over a year around today (held or
adjourned before it, listed after), the closed cases' in the half-year before it; half the
directions the council's, some overdue, each council direction a deadline as the app
records it. One open case in 97 is restricted, as in bench/board.py.

The raw side is the same rows as the page, by psycopg with no ORM: the week's hearings of
the cases the court liaison officer may see (the restriction filter), with their court,
case, team, lawyer and children (one `json_agg`), in the page's order. Before timing, the
bench checks that both have the same hearing ids. The page and the raw fetch are timed
interleaved (medians); the queries of a week with few hearings and of the busiest week
are counted and must be equal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
from pathlib import Path
from typing import Any

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import board as board_bench  # noqa: E402  (bench/board.py, beside this file)

BENCH_DATABASE = "court_diary_bench"
DIARY_TARGET = 2.0

# --- the court records --------------------------------------------------------------------

_KINDS = (
    "case_management_hearing",
    "interim_care_order_hearing",
    "further_case_management_hearing",
    "issues_resolution_hearing",
    "final_hearing",
)

# Every case without hearings gets its proceedings (one of the first 20 courts, a judge),
# `hearings` hearings and `directions` directions, with the deadlines the app keeps for
# the council's directions. Dates come from the case id, so that a run is repeatable.
_COURT_RECORDS_SQL = """
CREATE TEMPORARY TABLE bench_cases ON COMMIT DROP AS
SELECT c.id, c.stage <> 'closed' AS open, row_number() OVER (ORDER BY c.id) AS n
  FROM cases_case c
 WHERE NOT EXISTS (SELECT 1 FROM court_hearing h WHERE h.case_id = c.id);

INSERT INTO court_proceedings (case_id, court_centre_id, judge_level, judge_name,
       guardian_service, guardian_name, children_solicitor_firm, children_solicitor_name,
       children_solicitor_phone, children_solicitor_email, advocate_kind, advocate_name,
       orders_sought, international_element, international_details, updated_at)
SELECT b.id, cc.id, 'circuit_judge', 'HHJ Bench ' || (b.n %% 40), 'cafcass', '', '', '', '',
       '', 'in_house', '', '["care_order", "interim_care_order"]', 'no', '', now()
  FROM bench_cases b
  JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM court_courtcentre
         ORDER BY id LIMIT 20) cc ON cc.k = b.n %% 20
ON CONFLICT (case_id) DO NOTHING;

INSERT INTO court_hearing (case_id, number, kind, starts_at, time_estimate_minutes,
       court_centre_id, courtroom, mode, judge_name, listed_on, status, reason_code,
       reason_text, relisted_as_id, orders_made, outcome_notes, draft_order_by,
       draft_order_due, draft_order_sent_on, recorded_by_id, created_at, updated_at)
SELECT b.id, s.k + 1, (%(kinds)s::text[])[s.k %% 5 + 1], w.at, 30 + 30 * (s.k %% 4),
       pr.court_centre_id, (1 + b.n %% 9)::text, 'in_person', '',
       (w.at AT TIME ZONE 'Europe/London')::date - 28,
       CASE WHEN w.at >= %(now)s THEN 'listed'
            WHEN (b.n + s.k) %% 7 = 0 THEN 'adjourned' ELSE 'held' END,
       '', '', NULL, '[]', '', '', NULL, NULL, %(clo)s, now(), now()
  FROM bench_cases b
  JOIN court_proceedings pr ON pr.case_id = b.id
 CROSS JOIN generate_series(0, %(hearings)s - 1) AS s(k)
 CROSS JOIN LATERAL (
       SELECT ((%(today)s::date
                + (CASE WHEN b.open THEN (b.n * 37 + s.k * 71) %% 365 - 180
                        ELSE -1 - (b.n * 37 + s.k * 71) %% 180 END)::int)
               + make_interval(hours => (9 + (b.n + s.k) %% 6)::int,
                               mins => (30 * (s.k %% 2))::int))
              AT TIME ZONE 'Europe/London' AS at) w;

INSERT INTO court_direction (case_id, number, hearing_id, text, party, party_name, made_on,
       due_on, original_due_on, owner_id, status, filed_on, updated_at)
SELECT b.id, s.k + 1, NULL, 'Invented direction for the benchmark',
       CASE WHEN s.k %% 2 = 0 THEN 'council' ELSE 'parent' END, '',
       d.due - 28, d.due, d.due, NULL,
       CASE WHEN NOT b.open OR d.due < %(today)s::date - 20 THEN 'filed'
            WHEN (b.n + s.k) %% 5 = 0 THEN 'extended' ELSE 'outstanding' END,
       CASE WHEN NOT b.open OR d.due < %(today)s::date - 20 THEN d.due END, now()
  FROM bench_cases b
 CROSS JOIN generate_series(0, %(directions)s - 1) AS s(k)
 CROSS JOIN LATERAL (
       SELECT %(today)s::date
              + (CASE WHEN b.open THEN (b.n * 13 + s.k * 11) %% 120 - 40
                      ELSE -30 - (b.n * 13 + s.k * 11) %% 300 END)::int AS due) d;

INSERT INTO deadlines_deadline (case_id, milestone, cycle, starts_from, due, not_before,
       met_on, applies, updated_at)
SELECT d.case_id, 'court_direction', d.number, d.made_on, d.due_on, NULL, d.filed_on,
       true, now()
  FROM court_direction d JOIN bench_cases b ON b.id = d.case_id
 WHERE d.party = 'council'
ON CONFLICT DO NOTHING;
"""


def add_court_records(
    conn: psycopg.Connection,
    *,
    today: dt.date,
    now: dt.datetime,
    clo_id: int,
    hearings: int = 5,
    directions: int = 10,
) -> tuple[int, int]:
    """Give every case without hearings a court record (see `_COURT_RECORDS_SQL`); returns
    the hearings and directions in the database. Load data only: written directly, as
    generate_load writes the rest."""
    params = {
        "kinds": list(_KINDS),
        "today": today,
        "now": now,
        "clo": clo_id,
        "hearings": hearings,
        "directions": directions,
    }
    with conn.transaction():
        # One statement at a time: a statement with parameters is sent on its own.
        for statement in _COURT_RECORDS_SQL.split(";\n\n"):
            used = {k: v for k, v in params.items() if f"%({k})s" in statement}
            conn.execute(statement, used)
    for table in ("court_proceedings", "court_hearing", "court_direction", "deadlines_deadline"):
        conn.execute(f"ANALYZE {table}")
    found = conn.execute(
        "SELECT (SELECT count(*) FROM court_hearing), (SELECT count(*) FROM court_direction)"
    ).fetchone()
    assert found is not None
    return int(found[0]), int(found[1])


# --- the raw side -----------------------------------------------------------------------

# The week's hearings of the cases the user may see, with what the page shows, in its
# order (start, court, id); the restriction filter as the board's bench writes it.
RAW_WEEK_SQL = (
    """
SELECT h.id, h.kind, h.starts_at, h.time_estimate_minutes, h.courtroom, h.mode,
       h.judge_name, h.status, cc.name, cc.code, c.id, c.reference, c.court_reference,
       t.name, u.first_name, u.last_name, u.username,
       (SELECT coalesce(json_agg(json_build_array(ch.id, ch.first_name, ch.last_name,
                                                  ch.date_of_birth, ch.expected_date_of_birth)
                                 ORDER BY ch.date_of_birth, ch.id), '[]')
          FROM cases_child ch WHERE ch.case_id = c.id) AS children
  FROM court_hearing h
  JOIN cases_case c ON c.id = h.case_id
  JOIN accounts_team t ON t.id = c.team_id
  LEFT JOIN court_courtcentre cc ON cc.id = h.court_centre_id
  LEFT JOIN accounts_user u ON u.id = c.allocated_lawyer_id
 WHERE h.starts_at >= %(start)s AND h.starts_at < %(end)s
   AND h.status IN ('listed', 'held')"""
    + board_bench._VISIBLE
    + """
 ORDER BY h.starts_at, cc.name, h.id
"""
)


def london_midnight(day: dt.date) -> dt.datetime:
    from legaltracker.court.choices import LONDON

    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON)


def raw_week(conn: psycopg.Connection, monday: dt.date, user_id: int) -> list[tuple]:
    params = {
        "start": london_midnight(monday),
        "end": london_midnight(monday + dt.timedelta(days=7)),
        "user_id": user_id,
    }
    return conn.execute(RAW_WEEK_SQL, params).fetchall()


def page_ids(client: Any, monday: dt.date) -> list[int]:
    """The hearing ids the page lists, in its order (its own selector)."""
    from legaltracker.accounts.models import User
    from legaltracker.board.diary import diary_hearings

    user = User.objects.get(username="load-clo")
    return list(
        diary_hearings(user, start=monday, end=monday + dt.timedelta(days=7)).values_list(
            "pk", flat=True
        )
    )


def page_count(body: bytes) -> int:
    found = re.search(rb"<strong>(\d+)</strong> hearings? this week", body)
    assert found, "no hearing count on the page"
    return int(found.group(1))


def queries(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=2_000, dest="open_cases")
    parser.add_argument("--closed", type=int, default=2_000, dest="closed_cases")
    parser.add_argument("--hearings", type=int, default=5)
    parser.add_argument("--directions", type=int, default=10)
    parser.add_argument("--template-db", help="copy this database instead of generating")
    parser.add_argument("--repeat", type=int, default=11, help="timed requests per figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    os.environ["PGOPTIONS"] = "-c jit=off"

    server = board_bench.server_url()
    url = board_bench.with_database(server, BENCH_DATABASE)
    board_bench.recreate_database(server, BENCH_DATABASE, args.template_db)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "legaltracker.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from legaltracker.accounts.models import User
    from legaltracker.board.selectors import hearings_from
    from legaltracker.core import clock
    from legaltracker.deadlines.selectors import Today
    from legaltracker.demo.loadgen import generate_load

    try:
        call_command("migrate", verbosity=0)
        print(f"Machine: {board_bench.machine()}")
        print(f"Load average at start: {board_bench.load_average()}")
        if not args.template_db:
            generate_load(
                open_cases=args.open_cases, closed_cases=args.closed_cases, seed=args.seed
            )
        clo = User.objects.get(username="load-clo")
        today = clock.today()
        with psycopg.connect(board_bench.libpq(url), autocommit=True) as conn:
            hearings, directions = add_court_records(
                conn,
                today=today,
                now=hearings_from(Today.now()),
                clo_id=clo.pk,
                hearings=args.hearings,
                directions=args.directions,
            )
            conn.execute("VACUUM ANALYZE")
            restricted = board_bench.restrict_some_cases(conn, clo.pk)
            cases = conn.execute(
                "SELECT count(*) FILTER (WHERE stage <> 'closed'), "
                "count(*) FILTER (WHERE stage = 'closed') FROM cases_case"
            ).fetchone()
            span = conn.execute(
                "SELECT min(starts_at), max(starts_at) FROM court_hearing"
            ).fetchone()
        print(
            f"Data: {cases[0]:,} open and {cases[1]:,} closed cases, {hearings:,} hearings "
            f"({span[0]:%d %b %Y} to {span[1]:%d %b %Y}), {directions:,} directions; "
            f"{restricted} cases restricted"
        )
        client = Client()
        client.force_login(clo)
        raw = board_bench.raw_connect(board_bench.libpq(url))
        this_monday = today - dt.timedelta(days=today.weekday())
        weeks = {
            "this week": this_monday,
            "13 weeks back": this_monday - dt.timedelta(weeks=13),
            "13 weeks ahead": this_monday + dt.timedelta(weeks=13),
            "a quiet week (a year ahead)": this_monday + dt.timedelta(weeks=52),
        }
        print("\n| week | hearings | raw ms | page ms | page/raw | queries |")
        print("|---|---|---|---|---|---|")
        counts = {}
        missed = []
        for label, monday in weeks.items():
            path = f"/court/diary/?date={monday.isoformat()}"
            rows = raw_week(raw, monday, clo.pk)
            assert [r[0] for r in rows] == page_ids(client, monday), label
            body = client.get(path).content
            assert page_count(body) == len(rows), label
            for _ in range(2):  # warm both sides, untimed
                raw_week(raw, monday, clo.pk)
                client.get(path)
            raw_s, page_s = [], []
            for _ in range(args.repeat):
                raw_s.append(board_bench.timed(raw_week, raw, monday, clo.pk))
                page_s.append(board_bench.timed(client.get, path))
            counts[label] = queries(client, path)
            ratio = statistics.median(page_s) / statistics.median(raw_s)
            print(
                f"| {label} ({monday:%d %b %Y}) | {len(rows)} | "
                f"{board_bench.median_ms(raw_s):.1f} | {board_bench.median_ms(page_s):.1f} | "
                f"{ratio:.2f}x | {counts[label]} |"
            )
            if ratio > DIARY_TARGET and len(rows) > 0:
                missed.append(f"{label}: {ratio:.2f}x")
        raw.close()
        if len(set(counts.values())) != 1:
            missed.append(f"queries differ between weeks: {counts}")
        print(f"\nLoad average at end: {board_bench.load_average()}")
        print(
            f"\nTargets: page/raw <= {DIARY_TARGET:g}x, the same queries every week: "
            + ("met" if not missed else "MISSED: " + "; ".join(missed))
        )
    finally:
        connections.close_all()
        if not args.keep:
            board_bench.drop_database(server, BENCH_DATABASE)


if __name__ == "__main__":
    main()
