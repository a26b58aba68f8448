"""Benchmark of the board's name search as closed history grows (docs/performance.md, "Search").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/search.py [--small lt_base_20k --large lt_base_200k]

In one run, on the PostgreSQL server DATABASE_URL names:

1. copies the two load databases (`--small`: 20,000 open and 20,000 closed cases;
   `--large`: the same and 180,000 more closed; both built by bench/board.py's loader) into
   throwaway databases, runs `migrate` on each (timed: it fills the search text of every
   case) and `VACUUM ANALYZE`;
2. picks the searches: the commonest surname among the open cases' children, and a
   fragment of an open case's reference;
3. checks that the board JSON (`GET /api/v1/board/?q=...`, Django's test client signed in as
   the court liaison officer) and the raw SQL give the same total and the same first page;
4. times both on both databases, alternating database request by request so that the
   rest of the machine's work weighs on both alike; prints medians, each against the raw
   SQL of the same run and the large database against the small (target: at most 1.2x);
5. prints the plan of the search's count on each database (which index, how many rows
   read).

The raw SQL is the best hand-written equivalent: the counts by stage and RAG and the page
of rows with the board's columns, both with the search on the folded text (through the
same trigram index) and the restriction filter. The copies are dropped at the end unless
`--keep`. Settings are `legaltracker.settings.test` (DEBUG off), JIT off on both sides.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SMALL, LARGE = "search_bench_small", "search_bench_large"

_RESTRICTION = """
   AND c.id NOT IN (
        SELECT r.case_id FROM audit_caserestriction r
         WHERE NOT EXISTS (SELECT 1 FROM audit_caserestrictionaccess a
                            WHERE a.restriction_id = r.id AND a.user_id = %(user)s))
"""
_LEGAL = "c.stage IN ('legal_gateway', 'pre_proceedings', 'issue', 'proceedings')"
_RAG = """CASE WHEN nd.due < %(today)s THEN 'red'
            WHEN nd.due <= %(due_soon_until)s THEN 'amber'
            WHEN c.stage = 'pre_proceedings'
                 AND c.pre_proceedings_started_on < %(amber_before)s THEN 'amber'
            ELSE 'green' END"""
_NEXT_DEADLINE = """LEFT JOIN LATERAL (
        SELECT d.milestone, d.due FROM deadlines_deadline d
         WHERE d.case_id = c.id AND d.applies AND d.met_on IS NULL
         ORDER BY d.due, d.id LIMIT 1) nd ON true"""

RAW_COUNTS = f"""
SELECT c.stage, {_RAG} AS rag, count(*)
  FROM cases_case c
  {_NEXT_DEADLINE}
 WHERE {_LEGAL} AND c.search_text LIKE %(pattern)s {_RESTRICTION}
 GROUP BY 1, 2
"""

RAW_PAGE = f"""
SELECT c.id, c.reference, c.stage, c.stage_entered_on,
       CASE c.stage WHEN 'pre_proceedings' THEN c.pre_proceedings_started_on
                    WHEN 'proceedings' THEN c.issued_on END AS clock_started_on,
       c.urgent, c.unborn_baby, t.code, t.name, u.id, u.first_name, u.last_name, u.username,
       nd.milestone, nd.due, {_RAG} AS rag,
       (SELECT max(e.date) FROM cases_recordedevent e
         WHERE e.case_id = c.id AND e.kind = 'management_oversight') AS last_oversight_on,
       (SELECT max(e.date) FROM cases_recordedevent e
         WHERE e.case_id = c.id AND e.kind = 'assessment_completed') AS last_assessment_on,
       EXISTS (SELECT 1 FROM deadlines_deadline s
                WHERE s.case_id = c.id AND s.applies AND s.met_on IS NULL
                  AND s.milestone = 'assessment_currency' AND s.due < %(today)s) AS stale,
       (SELECT count(*) FROM cases_extension x WHERE x.case_id = c.id) AS extensions,
       (SELECT string_agg(trim(ch.first_name || ' ' || ch.last_name), ', '
                          ORDER BY ch.date_of_birth, ch.id)
          FROM cases_child ch WHERE ch.case_id = c.id) AS children
  FROM cases_case c
  JOIN accounts_team t ON t.id = c.team_id
  JOIN accounts_user u ON u.id = c.social_worker_id
  {_NEXT_DEADLINE}
 WHERE {_LEGAL} AND c.search_text LIKE %(pattern)s {_RESTRICTION}
 ORDER BY nd.due ASC NULLS LAST, c.id ASC
 LIMIT 50
"""


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def copy_database(server: str, template: str, name: str) -> None:
    """CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template:
    retry for a minute."""
    with psycopg.connect(libpq(with_database(server, "postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for attempt in range(30):
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 29:
                    raise
                time.sleep(2)


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(libpq(with_database(server, "postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def use_database(name: str) -> None:
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def raw_search(raw: psycopg.Connection, params: dict[str, Any]) -> tuple[int, list[int]]:
    """The counts and the first page, as the board asks for them."""
    counts = raw.execute(RAW_COUNTS, params).fetchall()
    rows = raw.execute(RAW_PAGE, params).fetchall() if counts else []
    return sum(n for _, _, n in counts), [row[0] for row in rows]


def _row(label: str, round_: str, timings: dict[str, dict[str, list[float]]], pick: Any) -> str:
    s = {kind: pick(values) * 1000 for kind, values in timings[SMALL].items()}
    big = {kind: pick(values) * 1000 for kind, values in timings[LARGE].items()}
    return (
        f"| {label} | {round_} | {s['raw']:.1f} | {s['json']:.1f} | {big['raw']:.1f} "
        f"| {big['json']:.1f} | {s['json'] / s['raw']:.2f}x | {big['json'] / big['raw']:.2f}x "
        f"| {big['json'] / s['json']:.2f}x | {big['raw'] / s['raw']:.2f}x |"
    )


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", default="lt_base_20k", help="template: fewer closed cases")
    parser.add_argument("--large", default="lt_base_200k", help="template: more closed cases")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per figure")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the two copies")
    args = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    os.environ["PGOPTIONS"] = "-c jit=off"
    os.environ["DATABASE_URL"] = with_database(server, SMALL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "legaltracker.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from legaltracker.accounts.models import User
    from legaltracker.cases.search import fold
    from legaltracker.deadlines.selectors import Today

    databases = {SMALL: args.small, LARGE: args.large}
    raws: dict[str, psycopg.Connection] = {}
    try:
        print(f"Load average at start: {load()}")
        for name, template in databases.items():
            started = time.perf_counter()
            copy_database(server, template, name)
            copied = time.perf_counter() - started
            use_database(name)
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            migrated = time.perf_counter() - started
            connections.close_all()
            raws[name] = psycopg.connect(libpq(with_database(server, name)), autocommit=True)
            raws[name].execute("VACUUM ANALYZE")
            cases = (
                raws[name]
                .execute(
                    "SELECT count(*) FILTER (WHERE stage <> 'closed'), "
                    "count(*) FILTER (WHERE stage = 'closed') FROM cases_case"
                )
                .fetchone()
            )
            print(
                f"{name} from {template}: {cases[0]:,} open, {cases[1]:,} closed; "
                f"copied in {copied:.0f} s, migrate {migrated:.1f} s"
            )
        raw = raws[SMALL]
        print(f"PostgreSQL {raw.execute('SHOW server_version').fetchone()[0]}")
        surname = raw.execute(
            "SELECT ch.last_name FROM cases_child ch JOIN cases_case c ON c.id = ch.case_id "
            "WHERE c.stage <> 'closed' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchone()[0]
        reference = raw.execute(
            "SELECT reference FROM cases_case WHERE stage = 'pre_proceedings' ORDER BY id LIMIT 1"
        ).fetchone()[0]
        searches = {"surname": surname, "reference fragment": reference[-7:]}

        # Sessions live in the database: one signed-in client per database.
        clients = {}
        for name in databases:
            use_database(name)
            clo = User.objects.get(username="load-clo")
            clients[name] = Client()
            clients[name].force_login(clo)
        today = Today.now()
        base_params = {
            "today": today.today,
            "due_soon_until": today.due_soon_until,
            "amber_before": today.pre_proceedings_amber_before,
            "user": clo.pk,
        }

        def app(name: str, q: str) -> dict[str, Any]:
            use_database(name)
            response = clients[name].get("/api/v1/board/", {"q": q})
            assert response.status_code == 200, response.status_code
            body: dict[str, Any] = response.json()
            return body

        for label, q in searches.items():
            params = {**base_params, "pattern": like_pattern(fold(q))}
            for name in databases:
                body = app(name, q)
                total, ids = raw_search(raws[name], params)
                assert body["count"] == total, (name, q, body["count"], total)
                assert [row["id"] for row in body["results"]] == ids, (name, q)
            print(f"Search {label}: q={q!r}, {total} open cases on the board found, same rows")

        print(
            "\n| search | round | small raw ms | small JSON ms | large raw ms | large JSON ms "
            "| JSON/raw small | JSON/raw large | large/small JSON | large/small raw |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        verdicts = []
        pooled: dict[str, dict[str, dict[str, list[float]]]] = {}
        for label, q in searches.items():
            params = {**base_params, "pattern": like_pattern(fold(q))}
            pooled[label] = {name: {"raw": [], "json": []} for name in databases}
            for number in range(1, args.rounds + 1):
                timings: dict[str, dict[str, list[float]]] = {
                    name: {"raw": [], "json": []} for name in databases
                }
                for repetition in range(args.repeat):
                    # Each database goes first in every other pair.
                    order = list(databases) if repetition % 2 == 0 else list(databases)[::-1]
                    for name in order:
                        app(name, q)  # after a switch the first request also connects
                        started = time.perf_counter()
                        response = clients[name].get("/api/v1/board/", {"q": q})
                        timings[name]["json"].append(time.perf_counter() - started)
                        assert response.status_code == 200
                        started = time.perf_counter()
                        raw_search(raws[name], params)
                        timings[name]["raw"].append(time.perf_counter() - started)
                for name, samples in timings.items():
                    for kind, values in samples.items():
                        pooled[label][name][kind].extend(values)
                print(_row(label, str(number), timings, statistics.median))
            print(_row(label, "all, median", pooled[label], statistics.median))
            print(_row(label, "all, best", pooled[label], min))
            med = {n: statistics.median(t["json"]) for n, t in pooled[label].items()}
            verdicts.append(med[LARGE] / med[SMALL])
        worst = max(verdicts)
        print(
            f"\nLarge vs small, JSON, median of every request: worst search {worst:.2f}x "
            f"({'met' if worst <= 1.2 else 'MISSED'}, target 1.2x). Load average: {load()}"
        )

        print("\nPlans of the search's count (EXPLAIN ANALYZE):")
        for label, q in searches.items():
            params = {**base_params, "pattern": like_pattern(fold(q))}
            for name in databases:
                plan = raws[name].execute("EXPLAIN (ANALYZE) " + RAW_COUNTS, params).fetchall()
                lines = [
                    row[0].strip()
                    for row in plan
                    if "Index Scan" in row[0]
                    or "Seq Scan on cases_case" in row[0]
                    or row[0].startswith("Execution")
                ]
                print(f"- {label}, {name}: " + " / ".join(lines))
    finally:
        for connection in raws.values():
            connection.close()
        connections.close_all()
        if not args.keep:
            for name in databases:
                drop_database(server, name)


if __name__ == "__main__":
    main()
