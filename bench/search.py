"""Benchmark of the board's name search (docs/performance.md, "Search"): against the best
hand-written SQL, and as closed history grows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/search.py [--small lt_base_20k --large lt_base_200k]

In one run, on the PostgreSQL server DATABASE_URL names:

1. copies the two load databases (`--small`: 20,000 open and 20,000 closed cases;
   `--large`: the same and 180,000 more closed; both built by bench/board.py's loader) into
   throwaway databases, runs `migrate` on each (timed: it fills the search text of every
   case that lacks it), restricts one open case in 97 as bench/board.py does (the court
   liaison officer named on every other one) and runs `VACUUM ANALYZE`;
2. picks the searches: the commonest surname among the open cases' children, and a
   fragment of an open case's reference;
3. chooses the raw baseline: bench/board.py's raw shapes of the default view (the board
   a search narrows), each with the search on the folded text added beside the
   restriction filter; every shape is timed five times on the small database and the
   fastest kept (bench/board.py's `choose_raw`);
4. checks that the board JSON (`GET /api/v1/board/?q=...`, Django's test client signed in
   as the court liaison officer) and the raw SQL give the same ids, RAG, next deadlines,
   columns and children, in the same order, and the same counts by stage and RAG
   (bench/board.py's `check_same`), on both databases;
5. times raw, JSON and HTML on both databases, alternating database request by request
   so that the rest of the machine's work weighs on both alike; prints medians, each
   against the raw SQL of the same run and the large database against the small
   (targets: JSON at most 2x the raw SQL, HTML 3x, large at most 1.2x small);
6. prints the plan of the search's count on each database (which index, how many rows
   read).

The copies are dropped at the end unless `--keep`. Settings are
`legaltracker.settings.test` (DEBUG off), JIT off on both sides.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# bench/board.py (this script's folder is on the path after the project): the raw
# shapes, their choice and the checks.
import board  # noqa: E402

SMALL, LARGE = "search_bench_small", "search_bench_large"
SEARCH_CONDITION = """
   AND c.search_text LIKE %(pattern)s"""


def like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


KINDS = ("raw", "json", "html")


def _row(label: str, round_: str, timings: dict[str, dict[str, list[float]]], pick: Any) -> str:
    s = {kind: pick(timings[SMALL][kind]) * 1000 for kind in KINDS}
    big = {kind: pick(timings[LARGE][kind]) * 1000 for kind in KINDS}
    return (
        f"| {label} | {round_} | {s['raw']:.1f} | {s['json']:.1f} | {s['html']:.1f} "
        f"| {big['raw']:.1f} | {big['json']:.1f} | {big['html']:.1f} "
        f"| {s['json'] / s['raw']:.2f}x | {s['html'] / s['raw']:.2f}x "
        f"| {big['json'] / big['raw']:.2f}x | {big['html'] / big['raw']:.2f}x "
        f"| {big['json'] / s['json']:.2f}x | {big['html'] / s['html']:.2f}x "
        f"| {big['raw'] / s['raw']:.2f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", default="lt_base_20k", help="template: fewer closed cases")
    parser.add_argument("--large", default="lt_base_200k", help="template: more closed cases")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per figure")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the two copies")
    args = parser.parse_args()
    server = board.server_url()
    os.environ["PGOPTIONS"] = "-c jit=off"
    os.environ["DATABASE_URL"] = board.with_database(server, SMALL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "legaltracker.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from legaltracker.accounts.models import User
    from legaltracker.cases.search import fold

    databases = {SMALL: args.small, LARGE: args.large}
    raws: dict[str, psycopg.Connection] = {}
    try:
        print(f"Machine: {board.machine()}")
        print(f"Load average at start: {board.load_average()}")
        for name, template in databases.items():
            started = time.perf_counter()
            board.recreate_database(server, name, template)
            copied = time.perf_counter() - started
            board.use_database(name)
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            migrated = time.perf_counter() - started
            connections.close_all()
            raws[name] = board.raw_connect(board.libpq(board.with_database(server, name)))
            clo_id = (
                raws[name]
                .execute("SELECT id FROM accounts_user WHERE username = 'load-clo'")
                .fetchone()[0]
            )
            restricted = board.restrict_some_cases(raws[name], clo_id)
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
                f"{name} from {template}: {cases[0]:,} open, {cases[1]:,} closed, "
                f"{restricted} restricted; copied in {copied:.0f} s, migrate {migrated:.1f} s"
            )
        raw = raws[SMALL]
        version = raw.execute("SHOW server_version").fetchone()[0]
        print(f"PostgreSQL {version}, jit {raw.execute('SHOW jit').fetchone()[0]}")
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
            board.use_database(name)
            clo = User.objects.get(username="load-clo")
            clients[name] = Client()
            clients[name].force_login(clo)

        # Each search is a view of bench/board.py: the default view's raw shapes narrowed
        # by the search text, its URLs, and the pattern its raw queries take.
        pages: dict[str, board.Target] = {}
        for label, q in searches.items():
            board.VIEWS[label] = urlencode({"q": q})
            board.RAW_SQL[label] = board.narrowed("default", SEARCH_CONDITION)
            board.VIEW_PARAMS[label] = {"pattern": like_pattern(fold(q))}
            pages[label] = board.Target(label, "first", 1)
            board.use_database(SMALL)
            board.choose_raw(raws[SMALL], label, 1, clo.pk, tries=5)
            for name in databases:
                board.use_database(name)
                body = board.check_same(clients[name], raws[name], pages[label], clo.pk)
            print(
                f"Search {label}: q={q!r}, {body['count']} open cases on the board found; "
                f"raw = JSON: ids, RAG, columns, children, order and counts; raw shapes "
                "(counts, page): {}, {}".format(*board.CHOSEN[(label, 1)])
            )

        print(
            "\n| search | round | small raw ms | small JSON ms | small HTML ms | large raw ms "
            "| large JSON ms | large HTML ms | JSON/raw small | HTML/raw small "
            "| JSON/raw large | HTML/raw large | large/small JSON | large/small HTML "
            "| large/small raw |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        verdicts: list[str] = []
        pooled: dict[str, dict[str, dict[str, list[float]]]] = {}
        for label in searches:
            target = pages[label]
            pooled[label] = {name: {kind: [] for kind in KINDS} for name in databases}
            for number in range(1, args.rounds + 1):
                timings: dict[str, dict[str, list[float]]] = {
                    name: {kind: [] for kind in KINDS} for name in databases
                }
                for repetition in range(args.repeat):
                    # Each database goes first in every other pair.
                    order = list(databases) if repetition % 2 == 0 else list(databases)[::-1]
                    for name in order:
                        board.use_database(name)
                        client = clients[name]
                        client.get(target.json_path)  # after a switch it also connects
                        params = board.today_params(clo.pk)
                        timings[name]["raw"].append(
                            board.timed(board.raw_board, raws[name], label, params, 1)
                        )
                        timings[name]["json"].append(board.timed(client.get, target.json_path))
                        timings[name]["html"].append(board.timed(client.get, target.html_path))
                for name, samples in timings.items():
                    for kind, values in samples.items():
                        pooled[label][name][kind].extend(values)
                print(_row(label, str(number), timings, statistics.median))
            print(_row(label, "all, median", pooled[label], statistics.median))
            print(_row(label, "all, best", pooled[label], min))
            med = {
                name: {kind: statistics.median(values) for kind, values in samples.items()}
                for name, samples in pooled[label].items()
            }
            for name in databases:
                json_ratio = med[name]["json"] / med[name]["raw"]
                html_ratio = med[name]["html"] / med[name]["raw"]
                if json_ratio > board.JSON_TARGET:
                    verdicts.append(f"{label} {name} JSON/raw {json_ratio:.2f}x")
                if html_ratio > board.HTML_TARGET:
                    verdicts.append(f"{label} {name} HTML/raw {html_ratio:.2f}x")
            for kind in ("json", "html"):
                growth = med[LARGE][kind] / med[SMALL][kind]
                if growth > board.HISTORY_TARGET:
                    verdicts.append(f"{label} {kind} large/small {growth:.2f}x")
        print(
            f"\nTargets (medians of every request): JSON/raw <= {board.JSON_TARGET:g}x, "
            f"HTML/raw <= {board.HTML_TARGET:g}x, large/small <= {board.HISTORY_TARGET:g}x: "
            + ("met" if not verdicts else "MISSED: " + "; ".join(verdicts))
            + f". Load average: {board.load_average()}"
        )

        print("\nPlans of the search's count (EXPLAIN ANALYZE):")
        for label in searches:
            counts_name, _ = board.CHOSEN[(label, 1)]
            sql = board.RAW_SQL[label][0][counts_name]
            for name in databases:
                params = {**board.VIEW_PARAMS[label], **board.today_params(clo.pk)}
                plan = raws[name].execute("EXPLAIN (ANALYZE) " + sql, params).fetchall()
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
                board.drop_database(server, name)


if __name__ == "__main__":
    main()
