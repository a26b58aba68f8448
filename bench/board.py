"""Benchmark of the tracker board on PostgreSQL (targets, figures and how to read them:
docs/performance.md, "Tracker board").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/board.py [--template-db lt_base_20k] \\
        [--template-db-more-closed lt_base_200k] [--parts ratios,http,history,load]

The baseline is the best this bench's authors could write by hand (the fastest, measured
on each page before timing, of the shapes in `RAW_SQL`): psycopg, no ORM, the
same rows, columns and order as the board's JSON twin, the same counts (by stage and by
RAG) and the same restriction filter (restricted cases hidden unless the user is named on
them), on the first, a middle and the last page of each view. Before timing a page the
bench checks that the raw queries return the same ids, RAG, next deadlines, columns and
counts as the JSON. "Today" (`Today.now()`) is taken again for every sample, on both sides.

Parts (`--parts`, all by default):

- `ratios`: in-process (Django's test client, signed in as the court liaison officer)
  the JSON twin and the HTML page against the raw queries, warm (interleaved requests,
  medians) and cold (the first request on a fresh database connection, both sides);
- `http`: the same requests over HTTP through gunicorn (4 workers, the production
  settings), warm, and cold (the first request a freshly started worker serves, first
  and last pages);
- `history`: the same database with 20,000 and with 200,000 closed cases, measured
  alternately request by request, each time against the time with fewer closed cases;
- `load`: gunicorn, 4 workers, `--clients` concurrent clients (each signed in as a
  different person) for `--load-seconds`: requests, errors, p50 and p95.

Data: by default `generate_load` writes `--open` open and `--closed` closed invented
cases into a database of its own (about 2.5 minutes), and `--extra-closed` more closed
cases into a copy (about 10 minutes). `--template-db NAME` (and
`--template-db-more-closed NAME` for the larger history) copy prebuilt databases instead
(`CREATE DATABASE ... TEMPLATE`) and run the migrations on the copies. Either way the
bench then restricts one open case in 97 (the court liaison officer is named on every
other one), so that the restriction filter hides some rows.

Both sides run with PostgreSQL's JIT compiler off, as the app's connections do.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

BENCH_DATABASE = "board_bench"
BENCH_MORE_CLOSED = "board_bench_more_closed"
PAGE_SIZE = 50
LEGAL_STAGES = ("legal_gateway", "pre_proceedings", "issue", "proceedings")

# The two views measured: name -> query string.
VIEWS = {
    "default": "",
    "filtered": "stage=pre_proceedings&rag=red&sort=-weeks",
}
PAGES = ("first", "middle", "last")

# --- the raw queries ----------------------------------------------------------------------
#
# Written by hand for each view, after reading EXPLAIN ANALYZE of the app's own queries
# and of several alternatives (docs/performance.md, "The raw baseline"). Shared pieces:

# Restricted cases the user is not named on (cases.permissions.filter_visible_cases).
_VISIBLE = """
   AND NOT EXISTS (SELECT 1 FROM audit_caserestriction r
                    WHERE r.case_id = c.id
                      AND NOT EXISTS (SELECT 1 FROM audit_caserestrictionaccess a
                                       WHERE a.restriction_id = r.id
                                         AND a.user_id = %(user_id)s))"""

# RAG from the earliest outstanding due date (red: it is overdue; amber: it is due soon,
# or pre-proceedings began before the amber line; deadlines.selectors says the rule).
_RAG = """CASE WHEN {due} < %(today)s THEN 'red'
            WHEN {due} <= %(due_soon_until)s THEN 'amber'
            WHEN c.stage = 'pre_proceedings'
                 AND c.pre_proceedings_started_on < %(amber_before)s THEN 'amber'
            ELSE 'green' END"""

# Every column of the page's rows, for the ids the inner query chose (alias `p`, with its
# sort position `p.n` and the next due date `p.due`).
_COLUMNS = """
SELECT c.id, c.reference, c.stage, c.stage_entered_on,
       CASE c.stage WHEN 'pre_proceedings' THEN c.pre_proceedings_started_on
                    WHEN 'proceedings' THEN c.issued_on END AS clock_started_on,
       c.urgent, c.unborn_baby, t.code, t.name, u.id, u.first_name, u.last_name, u.username,
       nd.milestone, nd.due,
       {rag} AS rag,
       (SELECT max(e.date) FROM cases_recordedevent e
         WHERE e.case_id = c.id AND e.kind = 'management_oversight') AS last_oversight_on,
       (SELECT max(e.date) FROM cases_recordedevent e
         WHERE e.case_id = c.id AND e.kind = 'assessment_completed') AS last_assessment_on,
       EXISTS (SELECT 1 FROM deadlines_deadline s
                WHERE s.case_id = c.id AND s.applies AND s.met_on IS NULL
                  AND s.milestone = 'assessment_currency' AND s.due < %(today)s) AS stale,
       (SELECT count(*) FROM cases_extension x WHERE x.case_id = c.id) AS extensions,
       (SELECT coalesce(json_agg(json_build_array(ch.id, ch.first_name, ch.last_name,
                                                  ch.date_of_birth, ch.expected_date_of_birth)
                                 ORDER BY ch.date_of_birth, ch.id), '[]')
          FROM cases_child ch WHERE ch.case_id = c.id) AS children,
       EXISTS (SELECT 1 FROM deadlines_deadline h
                WHERE h.case_id = c.id AND h.applies AND h.met_on < h.not_before) AS held_early,
       pcc.name AS court_centre, pr.judge_name,
       nh.kind, nh.starts_at, nh.time_estimate_minutes, ncc.name AS next_hearing_court,
       (SELECT count(*) FROM court_direction dr
         WHERE dr.case_id = c.id AND dr.party = 'council'
           AND dr.status IN ('extended', 'outstanding') AND dr.due_on < %(today)s)
         AS directions_overdue,
       (SELECT min(h.starts_at) FROM court_hearing h
         WHERE h.case_id = c.id AND h.kind = 'case_management_hearing'
           AND h.status IN ('listed', 'held')) AS first_cmh,
       (SELECT min(h.starts_at) FROM court_hearing h
         WHERE h.case_id = c.id AND h.kind = 'issues_resolution_hearing'
           AND h.status IN ('listed', 'held')) AS first_irh,
       (SELECT min(h.starts_at) FROM court_hearing h
         WHERE h.case_id = c.id AND h.kind = 'final_hearing'
           AND h.status IN ('listed', 'held')) AS first_final,
       c.issued_on
  FROM page p
  JOIN cases_case c ON c.id = p.id
  JOIN accounts_team t ON t.id = c.team_id
  JOIN accounts_user u ON u.id = c.social_worker_id
  LEFT JOIN LATERAL (
        SELECT d.milestone, d.due FROM deadlines_deadline d
         WHERE d.case_id = c.id AND d.applies AND d.met_on IS NULL
         ORDER BY d.due, d.id LIMIT 1) nd ON true
  LEFT JOIN court_proceedings pr ON pr.case_id = c.id
  LEFT JOIN court_courtcentre pcc ON pcc.id = pr.court_centre_id
  LEFT JOIN LATERAL (
        SELECT h.kind, h.starts_at, h.time_estimate_minutes, h.court_centre_id
          FROM court_hearing h
         WHERE h.case_id = c.id AND h.status = 'listed' AND h.starts_at >= %(now)s
         ORDER BY h.starts_at, h.id LIMIT 1) nh ON true
  LEFT JOIN court_courtcentre ncc ON ncc.id = nh.court_centre_id
 ORDER BY p.n
"""

# Default view: every visible open case in a legal stage, next deadline first. The next
# due date of every candidate comes from one pass over the partial index of outstanding
# deadlines (case, due, id), grouped by case and hash-joined, rather than one index
# lookup per case (measured: about a fifth faster); the other columns are read for the
# 50 rows only.
DEFAULT_PAGE_SQL = (
    """
WITH page AS (
  SELECT c.id, row_number() OVER () AS n
    FROM (SELECT c.id
            FROM cases_case c
            LEFT JOIN (SELECT d.case_id, min(d.due) AS due FROM deadlines_deadline d
                        WHERE d.applies AND d.met_on IS NULL
                        GROUP BY d.case_id) nd ON nd.case_id = c.id
           WHERE c.stage IN ('legal_gateway', 'pre_proceedings', 'issue', 'proceedings')"""
    + _VISIBLE
    + """
           ORDER BY nd.due ASC NULLS LAST, c.id
           LIMIT %(limit)s OFFSET %(offset)s) c
)"""
    + _COLUMNS.format(rag=_RAG.format(due="nd.due"))
)

# The counts: the cases with something overdue, and those with something due soon, are
# each found once from the partial index and hash-joined (measured faster than a lookup
# per case, or than grouping every outstanding deadline by case).
DEFAULT_COUNTS_SQL = (
    """
SELECT c.stage,
       CASE WHEN overdue.case_id IS NOT NULL THEN 'red'
            WHEN due_soon.case_id IS NOT NULL THEN 'amber'
            WHEN c.stage = 'pre_proceedings'
                 AND c.pre_proceedings_started_on < %(amber_before)s THEN 'amber'
            ELSE 'green' END AS rag,
       count(*)
  FROM cases_case c
  LEFT JOIN (SELECT DISTINCT d.case_id FROM deadlines_deadline d
              WHERE d.applies AND d.met_on IS NULL AND d.due < %(today)s) overdue
         ON overdue.case_id = c.id
  LEFT JOIN (SELECT DISTINCT d.case_id FROM deadlines_deadline d
              WHERE d.applies AND d.met_on IS NULL AND d.due <= %(due_soon_until)s) due_soon
         ON due_soon.case_id = c.id
 WHERE c.stage IN ('legal_gateway', 'pre_proceedings', 'issue', 'proceedings')"""
    + _VISIBLE
    + """
 GROUP BY 1, 2
"""
)

# Filtered view: red cases in pre-proceedings, most weeks first (the earliest start).
# Red is "an outstanding deadline is overdue": a semi-join on the partial index.
_RED = """
   AND EXISTS (SELECT 1 FROM deadlines_deadline d
                WHERE d.case_id = c.id AND d.applies AND d.met_on IS NULL
                  AND d.due < %(today)s)"""

FILTERED_PAGE_SQL = (
    """
WITH page AS (
  SELECT c.id, row_number() OVER () AS n
    FROM (SELECT c.id FROM cases_case c
           WHERE c.stage = 'pre_proceedings'"""
    + _RED
    + _VISIBLE
    + """
           ORDER BY c.pre_proceedings_started_on ASC NULLS LAST, c.id
           LIMIT %(limit)s OFFSET %(offset)s) c
)"""
    + _COLUMNS.format(rag="'red'")
)

FILTERED_COUNTS_SQL = (
    """
SELECT 'pre_proceedings', 'red', count(*)
  FROM cases_case c
 WHERE c.stage = 'pre_proceedings'"""
    + _RED
    + _VISIBLE
)

# Other shapes of the same queries. Which is fastest moved with the load on the shared
# machine, so the bench times every shape on every page before measuring and takes the
# fastest as the baseline (`choose_raw`); each is checked to return the same answer.
DEFAULT_COUNTS_HASHED_SQL = (
    """
SELECT c.stage,
       CASE WHEN c.id IN (SELECT d.case_id FROM deadlines_deadline d
                           WHERE d.applies AND d.met_on IS NULL AND d.due < %(today)s)
            THEN 'red'
            WHEN c.id IN (SELECT d.case_id FROM deadlines_deadline d
                           WHERE d.applies AND d.met_on IS NULL
                             AND d.due <= %(due_soon_until)s)
            THEN 'amber'
            WHEN c.stage = 'pre_proceedings'
                 AND c.pre_proceedings_started_on < %(amber_before)s THEN 'amber'
            ELSE 'green' END AS rag,
       count(*)
  FROM cases_case c
 WHERE c.stage IN ('legal_gateway', 'pre_proceedings', 'issue', 'proceedings')"""
    + _VISIBLE
    + """
 GROUP BY 1, 2
"""
)

DEFAULT_COUNTS_GROUPED_SQL = (
    """
SELECT c.stage, """
    + _RAG.format(due="nd.due")
    + """ AS rag, count(*)
  FROM cases_case c
  LEFT JOIN (SELECT d.case_id, min(d.due) AS due FROM deadlines_deadline d
              WHERE d.applies AND d.met_on IS NULL GROUP BY d.case_id) nd ON nd.case_id = c.id
 WHERE c.stage IN ('legal_gateway', 'pre_proceedings', 'issue', 'proceedings')"""
    + _VISIBLE
    + """
 GROUP BY 1, 2
"""
)

# The app's own shape: two lookups of the partial index per case (overdue? due soon?).
# Slower than the sets on the whole board; the fastest when a search narrows it.
DEFAULT_COUNTS_LOOKUPS_SQL = (
    """
SELECT c.stage,
       CASE WHEN EXISTS (SELECT 1 FROM deadlines_deadline d
                          WHERE d.case_id = c.id AND d.applies AND d.met_on IS NULL
                            AND d.due < %(today)s) THEN 'red'
            WHEN EXISTS (SELECT 1 FROM deadlines_deadline d
                          WHERE d.case_id = c.id AND d.applies AND d.met_on IS NULL
                            AND d.due <= %(due_soon_until)s) THEN 'amber'
            WHEN c.stage = 'pre_proceedings'
                 AND c.pre_proceedings_started_on < %(amber_before)s THEN 'amber'
            ELSE 'green' END AS rag,
       count(*)
  FROM cases_case c
 WHERE c.stage IN ('legal_gateway', 'pre_proceedings', 'issue', 'proceedings')"""
    + _VISIBLE
    + """
 GROUP BY 1, 2
"""
)

DEFAULT_PAGE_LOOKUPS_SQL = (
    """
WITH page AS (
  SELECT c.id, row_number() OVER () AS n
    FROM (SELECT c.id,
                 (SELECT d.due FROM deadlines_deadline d
                   WHERE d.case_id = c.id AND d.applies AND d.met_on IS NULL
                   ORDER BY d.due, d.id LIMIT 1) AS due
            FROM cases_case c
           WHERE c.stage IN ('legal_gateway', 'pre_proceedings', 'issue', 'proceedings')"""
    + _VISIBLE
    + """
           ORDER BY due ASC NULLS LAST, c.id
           LIMIT %(limit)s OFFSET %(offset)s) c
)"""
    + _COLUMNS.format(rag=_RAG.format(due="nd.due"))
)

_RED_IN = """
   AND c.id IN (SELECT d.case_id FROM deadlines_deadline d
                 WHERE d.applies AND d.met_on IS NULL AND d.due < %(today)s)"""

FILTERED_COUNTS_IN_SQL = FILTERED_COUNTS_SQL.replace(_RED, _RED_IN)
FILTERED_PAGE_IN_SQL = FILTERED_PAGE_SQL.replace(_RED, _RED_IN)

# view -> (counts shapes, page shapes), each name -> SQL.
RAW_SQL: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "default": (
        # Not DEFAULT_COUNTS_HASHED_SQL: as fast at 20,000 closed cases, but at 200,000
        # PostgreSQL expects the sets too large to hash and runs them once per case.
        {
            "two sets": DEFAULT_COUNTS_SQL,
            "grouped": DEFAULT_COUNTS_GROUPED_SQL,
            "lookups": DEFAULT_COUNTS_LOOKUPS_SQL,
        },
        {"grouped": DEFAULT_PAGE_SQL, "lookups": DEFAULT_PAGE_LOOKUPS_SQL},
    ),
    "filtered": (
        {"EXISTS": FILTERED_COUNTS_SQL, "IN": FILTERED_COUNTS_IN_SQL},
        {"EXISTS": FILTERED_PAGE_SQL, "IN": FILTERED_PAGE_IN_SQL},
    ),
}


# More parameters of a view's raw queries, by view (bench/search.py adds its searches).
VIEW_PARAMS: dict[str, dict[str, Any]] = {}


def narrowed(view: str, condition: str) -> tuple[dict[str, str], dict[str, str]]:
    """Every raw shape of `view` with one more condition on the case `c`, beside the
    restriction filter: bench/search.py measures a search as the default view narrowed
    by the search text, with the same shapes, columns, order and counts."""

    def add(sql: str) -> str:
        assert sql.count(_VISIBLE) == 1
        return sql.replace(_VISIBLE, _VISIBLE + condition)

    counts_shapes, page_shapes = RAW_SQL[view]
    return (
        {name: add(sql) for name, sql in counts_shapes.items()},
        {name: add(sql) for name, sql in page_shapes.items()},
    )


# Column positions in the page query's rows.
ID, MILESTONE, DUE, RAG, OVERSIGHT, ASSESSMENT, STALE, EXTENSIONS, CHILDREN, HELD_EARLY = (
    0,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
)
# The court columns: the proceedings' court and judge, the next hearing (kind, start,
# estimate, court), the council directions overdue, the first live CMH, IRH and final
# hearing, and the issue date (for the "at risk" test).
COURT, JUDGE, NEXT_KIND, NEXT_AT, NEXT_MINUTES, NEXT_COURT, DIRECTIONS_OVERDUE = range(22, 29)
FIRST_LIVE, ISSUED_ON, STAGE = 29, 32, 2


@dataclass
class RawResult:
    counts: dict[str, dict[str, int]]
    total: int
    rows: list[tuple]


CHOSEN: dict[tuple[str, int], tuple[str, str]] = {}  # (view, page) -> fastest shapes


def raw_board(
    conn: psycopg.Connection,
    view: str,
    params: dict[str, Any],
    page: int,
    shapes: tuple[str, str] | None = None,
) -> RawResult:
    """What the board shows for `view` at `page`: the counts, then the page's rows (with
    the shapes `choose_raw` found fastest for that page, unless told)."""
    params = {**VIEW_PARAMS.get(view, {}), **params}
    counts_shapes, page_shapes = RAW_SQL[view]
    counts_name, page_name = shapes or CHOSEN.get(
        (view, page), (next(iter(counts_shapes)), next(iter(page_shapes)))
    )
    counts_sql, page_sql = counts_shapes[counts_name], page_shapes[page_name]
    stage: dict[str, int] = dict.fromkeys(LEGAL_STAGES, 0)
    rag = {"red": 0, "amber": 0, "green": 0}
    total = 0
    with conn.cursor() as cursor:
        cursor.execute(counts_sql, params)
        for stage_value, rag_value, n in cursor.fetchall():
            stage[stage_value] += n
            rag[rag_value] += n
            total += n
        last = max(1, math.ceil(total / PAGE_SIZE))
        offset = (min(max(1, page), last) - 1) * PAGE_SIZE
        cursor.execute(page_sql, {**params, "limit": PAGE_SIZE, "offset": offset})
        rows = cursor.fetchall()
    return RawResult({"stage": stage, "rag": rag}, total, rows)


def choose_raw(conn: psycopg.Connection, view: str, page: int, user_id: int, tries: int) -> None:
    """Time every shape of the counts and of the page query for this page, interleaved,
    and keep the fastest of each (median of `tries`) as the baseline; every shape must
    give the same counts and rows."""
    counts_shapes, page_shapes = RAW_SQL[view]
    first = (next(iter(counts_shapes)), next(iter(page_shapes)))
    expected = raw_board(conn, view, today_params(user_id), page, first)
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(tries):
        for counts_name in counts_shapes:
            for page_name in page_shapes:
                shapes = (counts_name, page_name)
                params = today_params(user_id)
                samples.setdefault(shapes, []).append(
                    timed(raw_board, conn, view, params, page, shapes)
                )
    for shapes in samples:
        got = raw_board(conn, view, today_params(user_id), page, shapes)
        assert (got.counts, got.rows) == (expected.counts, expected.rows), (view, page, shapes)
    CHOSEN[(view, page)] = min(samples, key=lambda shapes: statistics.median(samples[shapes]))


# --- databases ----------------------------------------------------------------------------


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _admin(url: str) -> psycopg.Connection:
    return psycopg.connect(libpq(with_database(url, "postgres")), autocommit=True)


def recreate_database(url: str, name: str, template: str | None = None) -> None:
    """A new, empty database `name`, or a copy of `template`. A copy fails while anyone is
    connected to the template, so it is tried again for a minute."""
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        create = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        for attempt in range(30):
            try:
                conn.execute(create)
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 29:
                    raise
                time.sleep(2)


def drop_database(url: str, name: str) -> None:
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration, ValueError):
        memory_kb = 0
    return (
        f"{os.cpu_count()} cores ({cpu or platform.processor() or 'unknown CPU'}), "
        f"{memory_kb / 1024 / 1024:.0f} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def restrict_some_cases(conn: psycopg.Connection, clo_id: int) -> int:
    """Restrict one open case in 97; name the court liaison officer on every other one.
    Load data only: written directly, as generate_load writes the rest."""
    conn.execute(
        """
        WITH chosen AS (
          SELECT id, row_number() OVER (ORDER BY id) AS n FROM cases_case
           WHERE stage <> 'closed' AND id NOT IN (SELECT case_id FROM audit_caserestriction)
        ), made AS (
          INSERT INTO audit_caserestriction (case_id, reason, created_by_id, created_at)
          SELECT id, 'Invented restriction for the benchmark', %(clo)s, now()
            FROM chosen WHERE n %% 97 = 0
          RETURNING id, case_id
        )
        INSERT INTO audit_caserestrictionaccess (restriction_id, user_id, added_by_id, added_at)
        SELECT id, %(clo)s, %(clo)s, now() FROM made WHERE case_id %% 2 = 0
        """,
        {"clo": clo_id},
    )
    conn.execute("ANALYZE audit_caserestriction")
    conn.execute("ANALYZE audit_caserestrictionaccess")
    return conn.execute("SELECT count(*) FROM audit_caserestriction").fetchone()[0]


# --- timing -------------------------------------------------------------------------------


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000 if samples else float("nan")


def percentile_ms(samples: list[float], fraction: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)] * 1000


def today_params(user_id: int) -> dict[str, Any]:
    """Today's dates, taken now (the same call the views make)."""
    from legaltracker.board.selectors import hearings_from
    from legaltracker.deadlines.selectors import Today

    today = Today.now()
    return {
        "now": hearings_from(today),
        "today": today.today,
        "due_soon_until": today.due_soon_until,
        "amber_before": today.pre_proceedings_amber_before,
        "user_id": user_id,
    }


@dataclass
class Target:
    """One page of one view: its URLs and what the raw side needs to fetch it."""

    view: str
    page: str
    number: int

    def query(self) -> str:
        parts = [VIEWS[self.view]] if VIEWS[self.view] else []
        if self.number > 1:
            parts.append(f"page={self.number}")
        return ("?" + "&".join(parts)) if parts else ""

    @property
    def json_path(self) -> str:
        return "/api/v1/board/" + self.query()

    @property
    def html_path(self) -> str:
        return "/board/" + self.query()


def targets(client: Any) -> list[Target]:
    """First, middle and last page of each view (from the JSON's page count)."""
    found = []
    for view, query in VIEWS.items():
        pages = client.get("/api/v1/board/" + (f"?{query}" if query else "")).json()["num_pages"]
        numbers = {"first": 1, "middle": max(1, (pages + 1) // 2), "last": pages}
        found.extend(Target(view, page, numbers[page]) for page in PAGES)
    return found


def check_same(client: Any, raw: psycopg.Connection, target: Target, user_id: int) -> dict:
    """The raw queries fetch what the JSON twin shows, in its order, with the same counts."""
    body = client.get(target.json_path).json()
    result = raw_board(raw, target.view, today_params(user_id), target.number)
    rows = body["results"]
    where = f"{target.view}, {target.page} page"
    assert [r[ID] for r in result.rows] == [r["id"] for r in rows], where
    assert [r[RAG] for r in result.rows] == [r["rag"] for r in rows], where
    assert [(r[MILESTONE], r[DUE].isoformat() if r[DUE] else None) for r in result.rows] == [
        (r["next_deadline"]["milestone"], r["next_deadline"]["due"])
        if r["next_deadline"]
        else (None, None)
        for r in rows
    ], where
    assert [
        (
            r[OVERSIGHT].isoformat() if r[OVERSIGHT] else None,
            r[ASSESSMENT].isoformat() if r[ASSESSMENT] else None,
            r[STALE],
            r[EXTENSIONS],
            [child[0] for child in r[CHILDREN]],
            r[HELD_EARLY],
        )
        for r in result.rows
    ] == [
        (
            r["last_management_oversight_on"],
            r["assessment"]["last_completed_on"],
            r["assessment"]["stale"],
            r["extensions"],
            [child["id"] for child in r["children"]],
            r["held_too_early"],
        )
        for r in rows
    ], where
    assert [court_columns(r, today_params(user_id)["today"]) for r in result.rows] == [
        (
            r["court_centre"],
            r["judge_name"],
            r["next_hearing"] and (r["next_hearing"]["kind"], r["next_hearing"]["starts_at"]),
            r["next_hearing"] and r["next_hearing"]["court_centre"],
            r["directions_overdue"],
            r["at_risk_reasons"],
        )
        for r in rows
    ], where
    assert result.total == body["count"], where
    assert result.counts == body["counts"], (where, result.counts, body["counts"])
    assert client.get(target.html_path).status_code == 200, where
    return body


def court_columns(row: tuple, today: Any) -> tuple:
    """The court columns of a raw row as the JSON twin shows them (the "at risk" words
    from the raw first hearings by the app's own rule)."""
    from legaltracker.board.rows import at_risk_reasons
    from legaltracker.court.choices import LONDON
    from legaltracker.court.timescales import AT_RISK_DAYS

    reasons = at_risk_reasons(
        stage=row[STAGE],
        issued_on=row[ISSUED_ON],
        first_live={kind: row[FIRST_LIVE + i] for i, kind in enumerate(AT_RISK_DAYS)},
        today=today,
    )
    return (
        row[COURT],
        row[JUDGE] or None,
        row[NEXT_KIND] and (row[NEXT_KIND], row[NEXT_AT].astimezone(LONDON).isoformat()),
        row[NEXT_KIND] and row[NEXT_COURT],
        row[DIRECTIONS_OVERDUE],
        reasons,
    )


@dataclass
class Samples:
    raw: list[float] = field(default_factory=list)
    json: list[float] = field(default_factory=list)
    html: list[float] = field(default_factory=list)

    def of(self, kind: str) -> list[float]:
        samples: list[float] = getattr(self, kind)
        return samples


@dataclass
class Row:
    target: Target
    rows: int
    total: int
    warm: Samples
    cold: Samples | None = None
    queries: tuple[int, int] | None = None


def raw_connect(url: str) -> psycopg.Connection:
    """A connection for the raw queries. psycopg prepares a statement on the server after
    its fifth run, and PostgreSQL may then plan it once for any parameters (a generic
    plan), which was up to three times slower here; Django binds parameters in the client,
    so every app query is planned for its values. The raw side does the same."""
    return psycopg.connect(url, autocommit=True, prepare_threshold=None)


def timed(call: Callable[..., Any], *args: Any) -> float:
    started = time.perf_counter()
    call(*args)
    return time.perf_counter() - started


def raw_cold(url: str, view: str, params: dict[str, Any], page: int) -> None:
    """The raw queries on a new connection, as the first request of a new process."""
    with raw_connect(url) as fresh:
        raw_board(fresh, view, params, page)


def _queries(client: Any, target: Target) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as json_queries:
        client.get(target.json_path)
    with CaptureQueriesContext(connection) as html_queries:
        client.get(target.html_path)
    return len(json_queries), len(html_queries)


def measure_in_process(
    client: Any, raw_url: str, user_id: int, repeat: int, cold_repeat: int
) -> list[Row]:
    """Warm: interleaved raw, JSON, HTML requests on open connections. Cold: the same,
    each the first request on a new database connection (the raw side connects too)."""
    from django.db import connections

    raw = raw_connect(raw_url)
    results = []
    for target in targets(client):
        choose_raw(raw, target.view, target.number, user_id, tries=5)
        body = check_same(client, raw, target, user_id)
        warm = Samples()
        for number in range(repeat + 2):  # the first two warm the caches, untimed
            keep = number >= 2
            params = today_params(user_id)
            t_raw = timed(raw_board, raw, target.view, params, target.number)
            t_json = timed(client.get, target.json_path)
            t_html = timed(client.get, target.html_path)
            if keep:
                warm.raw.append(t_raw)
                warm.json.append(t_json)
                warm.html.append(t_html)
        cold = Samples()
        for _ in range(cold_repeat):
            params = today_params(user_id)
            cold.raw.append(timed(raw_cold, raw_url, target.view, params, target.number))
            connections.close_all()
            cold.json.append(timed(client.get, target.json_path))
            connections.close_all()
            cold.html.append(timed(client.get, target.html_path))
        results.append(
            Row(target, len(body["results"]), body["count"], warm, cold, _queries(client, target))
        )
    raw.close()
    return results


# --- gunicorn -----------------------------------------------------------------------------

_GUNICORN_CONFIG = """
from pathlib import Path


def post_worker_init(worker):
    Path({ready!r}, str(worker.pid)).touch()
"""


class Gunicorn:
    """gunicorn with the production settings (DEBUG off, whitenoise, the throttle's
    database cache, secure cookies behind a proxy that says https) on a bench database."""

    def __init__(self, database_url: str, workers: int = 4, port: int = 0) -> None:
        self.workers = workers
        self.port = port or _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="board-bench-"))
        self.ready = self.folder / "ready"
        self.ready.mkdir()
        (self.folder / "gunicorn_conf.py").write_text(
            _GUNICORN_CONFIG.format(ready=str(self.ready))
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "legaltracker.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(self.folder / "static"),
            "PRIVATE_STORAGE_ROOT": str(self.folder / "private"),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.folder / "gunicorn.log"

    def collectstatic(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=REPO,
            env=self.env,
            check=True,
        )

    def sessions(self, usernames: list[str]) -> dict[str, str]:
        """A session cookie for each person, made with the server's settings."""
        output = subprocess.run(
            [sys.executable, __file__, "--print-sessions", ",".join(usernames)],
            cwd=REPO,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        cookies: dict[str, str] = json.loads(output.strip().splitlines()[-1])
        return cookies

    def start(self) -> None:
        for marker in self.ready.iterdir():
            marker.unlink()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "legaltracker.wsgi:application",
                    "--config",
                    str(self.folder / "gunicorn_conf.py"),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--timeout",
                    "60",
                    "--forwarded-allow-ips",
                    "127.0.0.1",
                ],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + 120
        while len(list(self.ready.iterdir())) < self.workers:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: see {self.log}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class HttpClient:
    """One person's requests to the server, one connection a request (gunicorn's sync
    workers close them), as a browser behind the https proxy would send them."""

    def __init__(self, port: int, cookie_name: str, session: str) -> None:
        self.port = port
        self.headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Cookie": f"{cookie_name}={session}",
        }

    def get(self, path: str) -> tuple[int, bytes]:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("GET", path, headers=self.headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def ok(self, path: str) -> bytes:
        status, body = self.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body[:200]!r}")
        return body


def measure_http(
    server: Gunicorn,
    http: HttpClient,
    client: Any,
    raw_url: str,
    user_id: int,
    repeat: int,
    cold_repeat: int,
) -> list[Row]:
    """Warm: interleaved raw, JSON, HTML over HTTP, all four workers warmed first. Cold:
    gunicorn restarted before each sample, so that the request is a fresh worker's first."""
    raw = raw_connect(raw_url)
    results = []
    all_targets = targets(client)
    for target in all_targets:
        if (target.view, target.number) not in CHOSEN:
            choose_raw(raw, target.view, target.number, user_id, tries=5)
        body = json.loads(http.ok(target.json_path))
        assert (
            body["count"] == raw_board(raw, target.view, today_params(user_id), target.number).total
        )
        for _ in range(server.workers * 2):
            http.ok(target.json_path)
            http.ok(target.html_path)
        warm = Samples()
        for _ in range(repeat):
            params = today_params(user_id)
            warm.raw.append(timed(raw_board, raw, target.view, params, target.number))
            warm.json.append(timed(http.ok, target.json_path))
            warm.html.append(timed(http.ok, target.html_path))
        results.append(Row(target, len(body["results"]), body["count"], warm, Samples()))
    for _ in range(cold_repeat):
        # A restart costs seconds on a busy machine: the first and last pages only.
        for row in [r for r in results if r.target.page != "middle"]:
            target = row.target
            assert row.cold is not None
            params = today_params(user_id)
            row.cold.raw.append(timed(raw_cold, raw_url, target.view, params, target.number))
            server.restart()
            row.cold.json.append(timed(http.ok, target.json_path))
            server.restart()
            row.cold.html.append(timed(http.ok, target.html_path))
    raw.close()
    return results


@dataclass
class LoadFigures:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    error_samples: list[str]


def load_run(
    port: int, cookie_name: str, sessions: list[str], seconds: float, pages: list[Target], seed: int
) -> LoadFigures:
    """`len(sessions)` clients, each a different person, each sending the next request
    as soon as the last one is answered: the board's JSON and HTML, both views, any page."""
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(number: int, session: str) -> None:
        rng = random.Random(seed * 1000 + number)
        http = HttpClient(port, cookie_name, session)
        while time.monotonic() < stop_at:
            target = rng.choice(pages)
            path = target.json_path if rng.random() < 0.5 else target.html_path
            started = time.perf_counter()
            try:
                status, _ = http.get(path)
                problem = None if status == 200 else f"{status} {path}"
            except Exception as error:  # every failure counts as an error
                problem = f"{type(error).__name__}: {error} {path}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)

    started = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(number, session))
        for number, session in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadFigures(
        len(latencies), len(errors), time.monotonic() - started, latencies, errors[:5]
    )


# --- reports ------------------------------------------------------------------------------

JSON_TARGET, HTML_TARGET, HISTORY_TARGET = 2.0, 3.0, 1.2


def _ratio(a: list[float], b: list[float]) -> float:
    return median_ms(a) / median_ms(b)


def report_ratios(title: str, rows: list[Row], *, cold: bool = True) -> list[str]:
    """Tables of medians and ratios against the raw queries; returns the missed targets."""
    print(f"\n### {title}\n\nLoad average after measuring: {load_average()}\n")
    head = (
        "| view | page | rows (of) | raw ms | JSON ms | HTML ms | JSON/raw | HTML/raw "
        "| best raw / JSON / HTML ms |"
    )
    if rows and rows[0].queries:
        head += " queries JSON / HTML |"
    head += " raw shapes (counts, page) |"
    print("Warm (medians):\n")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    missed = []
    for row in rows:
        w, t = row.warm, row.target
        line = (
            f"| {t.view} | {t.page} ({t.number}) | {row.rows} ({row.total}) | "
            f"{median_ms(w.raw):.1f} | {median_ms(w.json):.1f} | {median_ms(w.html):.1f} | "
            f"{_ratio(w.json, w.raw):.2f}x | {_ratio(w.html, w.raw):.2f}x | "
            f"{min(w.raw) * 1000:.1f} / {min(w.json) * 1000:.1f} / {min(w.html) * 1000:.1f} |"
        )
        if row.queries:
            line += f" {row.queries[0]} / {row.queries[1]} |"
        line += " {}, {} |".format(*CHOSEN.get((t.view, t.number), ("?", "?")))
        print(line)
        if _ratio(w.json, w.raw) > JSON_TARGET:
            missed.append(f"{title}: {t.view} {t.page} JSON/raw {_ratio(w.json, w.raw):.2f}x")
        if _ratio(w.html, w.raw) > HTML_TARGET:
            missed.append(f"{title}: {t.view} {t.page} HTML/raw {_ratio(w.html, w.raw):.2f}x")
    if cold and rows and rows[0].cold and rows[0].cold.raw:
        print("\nCold (medians; each the first request on a new connection or process):\n")
        head = "| view | page | raw ms | JSON ms | HTML ms | JSON/raw | HTML/raw |"
        print(head)
        print("|" + "---|" * (head.count("|") - 1))
        for row in rows:
            c, t = row.cold, row.target
            assert c is not None
            if not c.raw:
                continue
            print(
                f"| {t.view} | {t.page} ({t.number}) | {median_ms(c.raw):.1f} | "
                f"{median_ms(c.json):.1f} | {median_ms(c.html):.1f} | "
                f"{_ratio(c.json, c.raw):.2f}x | {_ratio(c.html, c.raw):.2f}x |"
            )
    print(
        f"\nTargets (warm): JSON/raw <= {JSON_TARGET:g}x, HTML/raw <= {HTML_TARGET:g}x: "
        + ("met on every page" if not missed else "MISSED: " + "; ".join(missed))
    )
    return missed


def report_history(title: str, fewer: list[Row], more: list[Row], fewer_label: str) -> list[str]:
    print(f"\n### {title}\n\nLoad average after measuring: {load_average()}\n")
    head = (
        f"| view | page | raw ms | JSON ms | HTML ms | JSON/raw | HTML/raw "
        f"| raw vs {fewer_label} | JSON vs {fewer_label} | HTML vs {fewer_label} |"
    )
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    missed = []
    for base, row in zip(fewer, more, strict=True):
        w, b, t = row.warm, base.warm, row.target
        json_vs, html_vs = _ratio(w.json, b.json), _ratio(w.html, b.html)
        print(
            f"| {t.view} | {t.page} ({t.number}) | {median_ms(w.raw):.1f} | "
            f"{median_ms(w.json):.1f} | {median_ms(w.html):.1f} | "
            f"{_ratio(w.json, w.raw):.2f}x | {_ratio(w.html, w.raw):.2f}x | "
            f"{_ratio(w.raw, b.raw):.2f}x | {json_vs:.2f}x | {html_vs:.2f}x |"
        )
        if max(json_vs, html_vs) > HISTORY_TARGET:
            missed.append(f"{t.view} {t.page} {max(json_vs, html_vs):.2f}x")
    print(
        f"\nTarget: at most {HISTORY_TARGET:g}x the time with {fewer_label}: "
        + ("met on every page" if not missed else "MISSED: " + "; ".join(missed))
    )
    return missed


def use_database(name: str) -> None:
    """Point Django's connection at another database of the same server."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def measure_alternately(
    client: Any, urls: dict[str, str], user_id: int, repeat: int
) -> dict[str, list[Row]]:
    """Every page on each database, alternating database request by request, so that
    whatever else the machine is doing weighs on both alike."""
    raws = {name: raw_connect(url) for name, url in urls.items()}
    names = list(urls)
    use_database(names[0])
    pages = targets(client)
    results: dict[str, list[Row]] = {name: [] for name in names}
    for target in pages:
        samples = {name: Samples() for name in names}
        bodies = {}
        if (target.view, target.number) not in CHOSEN:
            choose_raw(raws[names[0]], target.view, target.number, user_id, tries=5)
        for name in names:
            use_database(name)
            bodies[name] = check_same(client, raws[name], target, user_id)
        for _ in range(repeat):
            for name in names:
                use_database(name)
                params = today_params(user_id)
                # After a switch the first request also connects: one untimed first.
                client.get(target.json_path)
                s = samples[name]
                s.raw.append(timed(raw_board, raws[name], target.view, params, target.number))
                s.json.append(timed(client.get, target.json_path))
                s.html.append(timed(client.get, target.html_path))
        for name in names:
            body = bodies[name]
            results[name].append(Row(target, len(body["results"]), body["count"], samples[name]))
    for conn in raws.values():
        conn.close()
    return results


# --- main ---------------------------------------------------------------------------------


def print_sessions(usernames: str) -> None:
    """Internal: print a session cookie for each user, with this process's settings."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from legaltracker.accounts.models import User

    cookies = {}
    for username in usernames.split(","):
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    print(json.dumps({"cookie_name": settings.SESSION_COOKIE_NAME, **cookies}))


def bench_users(count: int) -> list[str]:
    """`count` court liaison officers for the concurrent clients (one person each, as the
    throttle counts per person)."""
    from django.db import connection

    from legaltracker.accounts.models import User
    from legaltracker.audit.models import CaseRestrictionAccess

    template = User.objects.get(username="load-clo")
    names = []
    for number in range(1, count + 1):
        username = f"bench-clo-{number:02d}"
        if not User.objects.filter(username=username).exists():
            clone = User.objects.get(pk=template.pk)
            clone.pk = None
            clone.id = None
            clone.username = username
            clone.email = f"{username}@example.invalid"
            clone.save()
        names.append(username)
    # Named on the same restricted cases as the court liaison officer, so that every
    # client sees the same board (and the same last page).
    access = CaseRestrictionAccess.objects.filter(user=template)
    CaseRestrictionAccess.objects.bulk_create(
        [
            CaseRestrictionAccess(
                restriction_id=row.restriction_id,
                user=user,
                added_by=template,
                added_at=row.added_at,
            )
            for user in User.objects.filter(username__in=names)
            for row in access
        ],
        ignore_conflicts=True,
    )
    # Fresh statistics: with the old ones PostgreSQL expected no hidden case and chose a
    # nested loop for the restriction filter (seen: the raw page query 10 times slower).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_caserestrictionaccess")
    return names


@contextlib.contextmanager
def running(server: Gunicorn) -> Iterator[Gunicorn]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=20_000, dest="open_cases")
    parser.add_argument("--closed", type=int, default=20_000, dest="closed_cases")
    parser.add_argument("--extra-closed", type=int, default=180_000)
    parser.add_argument("--template-db", help="copy this database instead of generating")
    parser.add_argument(
        "--template-db-more-closed",
        help="copy this database (the same cases and more closed ones) for the history part",
    )
    parser.add_argument("--parts", default="ratios,http,history,load")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per figure")
    parser.add_argument("--cold-repeat", type=int, default=3, help="cold requests per figure")
    parser.add_argument(
        "--http-cold-repeat", type=int, default=1, help="cold requests per figure over HTTP"
    )
    parser.add_argument("--rounds", type=int, default=2, help="alternating history rounds")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hearings", type=int, default=5, help="hearings per case")
    parser.add_argument("--directions", type=int, default=10, help="directions per case")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    parser.add_argument("--print-sessions", help=argparse.SUPPRESS)
    args = parser.parse_args()
    # The app's connections turn JIT off (settings.base.database_config); libpq reads
    # PGOPTIONS for the raw connections, so both sides run with the same settings.
    os.environ["PGOPTIONS"] = "-c jit=off"
    if args.print_sessions:
        print_sessions(args.print_sessions)
        return
    parts = set(args.parts.split(","))

    server = server_url()
    bench_url = with_database(server, BENCH_DATABASE)
    more_url = with_database(server, BENCH_MORE_CLOSED)
    want_history = "history" in parts and (args.extra_closed or args.template_db_more_closed)
    started = time.perf_counter()
    recreate_database(server, BENCH_DATABASE, args.template_db)
    if args.template_db:
        print(f"Copied {args.template_db}: {time.perf_counter() - started:.0f} s")
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "legaltracker.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from legaltracker.accounts.models import User
    from legaltracker.demo.loadgen import generate_load

    def load(url: str, open_cases: int, closed_cases: int, seed: int) -> None:
        started = time.perf_counter()
        result = generate_load(open_cases=open_cases, closed_cases=closed_cases, seed=seed)
        with psycopg.connect(libpq(url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        print(
            f"generate_load --open {open_cases} --closed {closed_cases}: "
            f"{time.perf_counter() - started:.0f} s ({sum(result.rows.values()):,} rows), "
            "then VACUUM ANALYZE"
        )

    missed: list[str] = []
    try:
        call_command("migrate", verbosity=0)
        print(f"Machine: {machine()}")
        with psycopg.connect(libpq(bench_url), autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            jit = conn.execute("SHOW jit").fetchone()[0]
        print(f"PostgreSQL: {version}, jit {jit}")
        print(f"Load average at start: {load_average()}")
        if not args.template_db:
            load(bench_url, args.open_cases, args.closed_cases, args.seed)
        clo = User.objects.get(username="load-clo")
        with psycopg.connect(libpq(bench_url), autocommit=True) as conn:
            if args.hearings or args.directions:
                # bench/court_diary.py's court records, unless the load generator wrote
                # some: every case gets its hearings and directions.
                from court_diary import add_court_records

                from legaltracker.board.selectors import hearings_from
                from legaltracker.core import clock
                from legaltracker.deadlines.selectors import Today

                started = time.perf_counter()
                hearings, directions = add_court_records(
                    conn,
                    today=clock.today(),
                    now=hearings_from(Today.now()),
                    clo_id=clo.pk,
                    hearings=args.hearings,
                    directions=args.directions,
                )
                conn.execute("VACUUM ANALYZE")
                print(
                    f"Court records: {hearings:,} hearings, {directions:,} directions "
                    f"({time.perf_counter() - started:.0f} s, then VACUUM ANALYZE)"
                )
            restricted = restrict_some_cases(conn, clo.pk)
            open_cases, closed_cases = conn.execute(
                "SELECT count(*) FILTER (WHERE stage <> 'closed'), "
                "count(*) FILTER (WHERE stage = 'closed') FROM cases_case"
            ).fetchone()
        print(
            f"Data: {open_cases:,} open and {closed_cases:,} closed cases; {restricted} "
            "restricted (the court liaison officer is named on half of them)"
        )
        client = Client()
        client.force_login(clo)
        size = f"{open_cases:,} open, {closed_cases:,} closed"

        if "ratios" in parts:
            rows = measure_in_process(
                client, libpq(bench_url), clo.pk, args.repeat, args.cold_repeat
            )
            missed += report_ratios(f"In process (test client), {size}", rows)

        if "http" in parts or "load" in parts:
            connections.close_all()
            gunicorn = Gunicorn(bench_url, workers=4)
            gunicorn.collectstatic()
            usernames = ["load-clo", *bench_users(args.clients)]
            cookies = gunicorn.sessions(usernames)
            cookie_name = cookies.pop("cookie_name")
            if "http" in parts:
                with running(gunicorn):
                    http = HttpClient(gunicorn.port, cookie_name, cookies["load-clo"])
                    rows = measure_http(
                        gunicorn,
                        http,
                        client,
                        libpq(bench_url),
                        clo.pk,
                        args.repeat,
                        args.http_cold_repeat,
                    )
                missed += report_ratios(
                    f"Over HTTP (gunicorn, 4 workers, production settings), {size}", rows
                )
            if "load" in parts:
                pages = targets(client)
                connections.close_all()
                with running(gunicorn):
                    http = HttpClient(gunicorn.port, cookie_name, cookies["load-clo"])
                    for target in pages:  # every worker warm, as in the day
                        for _ in range(2):
                            http.ok(target.json_path)
                            http.ok(target.html_path)
                    figures = load_run(
                        gunicorn.port,
                        cookie_name,
                        [cookies[name] for name in usernames[1:]],
                        args.load_seconds,
                        pages,
                        args.seed,
                    )
                print(
                    f"\n### Under load: gunicorn, 4 workers, {args.clients} concurrent "
                    f"clients, {figures.seconds:.0f} s, {size}\n\n"
                    f"Load average after measuring: {load_average()}\n"
                )
                print("| requests | errors | requests/s | p50 ms | p95 ms | max ms |")
                print("|---|---|---|---|---|---|")
                print(
                    f"| {figures.requests} | {figures.errors} | "
                    f"{figures.requests / figures.seconds:.1f} | "
                    f"{percentile_ms(figures.latencies, 0.5):.0f} | "
                    f"{percentile_ms(figures.latencies, 0.95):.0f} | "
                    f"{max(figures.latencies) * 1000:.0f} |"
                )
                print(
                    "\nTarget: 0 errors: "
                    + ("met" if not figures.errors else "MISSED " + str(figures.error_samples))
                )
                if figures.errors:
                    missed.append(f"load: {figures.errors} errors")
            gunicorn.remove()

        if want_history:
            connections.close_all()
            started = time.perf_counter()
            if args.template_db_more_closed:
                recreate_database(server, BENCH_MORE_CLOSED, args.template_db_more_closed)
                print(
                    f"\nCopied {args.template_db_more_closed}: "
                    f"{time.perf_counter() - started:.0f} s"
                )
                use_database(BENCH_MORE_CLOSED)
                call_command("migrate", verbosity=0)
                with psycopg.connect(libpq(more_url), autocommit=True) as conn:
                    restrict_some_cases(conn, clo.pk)
                    # The same people in both copies: the test client's session too.
                    with psycopg.connect(libpq(bench_url)) as source:
                        sessions = source.execute(
                            "SELECT session_key, session_data, expire_date FROM django_session"
                        ).fetchall()
                    with conn.cursor() as cursor:
                        cursor.executemany(
                            "INSERT INTO django_session (session_key, session_data, expire_date) "
                            "VALUES (%s, %s, %s) ON CONFLICT (session_key) DO UPDATE "
                            "SET session_data = EXCLUDED.session_data, "
                            "expire_date = EXCLUDED.expire_date",
                            sessions,
                        )
            else:
                recreate_database(server, BENCH_MORE_CLOSED, BENCH_DATABASE)
                use_database(BENCH_MORE_CLOSED)
                load(more_url, 0, args.extra_closed, args.seed + 1)
            with psycopg.connect(libpq(more_url), autocommit=True) as conn:
                more_closed = conn.execute(
                    "SELECT count(*) FROM cases_case WHERE stage = 'closed'"
                ).fetchone()[0]
            use_database(BENCH_DATABASE)
            fewer_label = f"{closed_cases:,} closed"
            for number in range(1, args.rounds + 1):
                pair = measure_alternately(
                    client,
                    {BENCH_DATABASE: libpq(bench_url), BENCH_MORE_CLOSED: libpq(more_url)},
                    clo.pk,
                    args.repeat,
                )
                missed += report_history(
                    f"{open_cases:,} open, {more_closed:,} closed, measured alternately with "
                    f"{fewer_label} (round {number} of {args.rounds})",
                    pair[BENCH_DATABASE],
                    pair[BENCH_MORE_CLOSED],
                    fewer_label,
                )
            use_database(BENCH_DATABASE)
        print(f"\nLoad average at end: {load_average()}")
        print(
            "\nAll targets met."
            if not missed
            else "\nMissed:\n" + "\n".join(f"- {m}" for m in missed)
        )
    finally:
        connections.close_all()
        if not args.keep:
            drop_database(server, BENCH_DATABASE)
            drop_database(server, BENCH_MORE_CLOSED)


if __name__ == "__main__":
    main()
