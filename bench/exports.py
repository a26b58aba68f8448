"""Benchmark: does the site stay up while exports are made? (docs/performance.md, "Exports")

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/exports.py [--template lt_base_20k] [--requests 200]

In one run, on a copy of a prepared database (`--template`, made by bench/board.py's
loader: 20,000 open and 20,000 closed cases), migrated to this branch:

1. starts gunicorn (`--workers` 4, the shipped sync workers) and `manage.py qcluster`
   (the shipped Q_CLUSTER settings: 2 workers, ORM broker), both on the copy;
2. measures the board page (HTML, default view, as the court liaison officer) over HTTP
   with `--clients` clients at once, `--requests` requests: no export running;
3. asks for four whole-board XLSX exports (four people, through /board/export.xlsx, as
   the board's button does), timing each request, then measures the board the same way
   until all four files are made (at least `--requests` requests);
4. repeats 2 and 3 (`--rounds`), so that the rest of the machine's load weighs on both
   alike; prints the board's p50 and p95 without and during the exports and their ratio
   (target: at most 1.5x), the time of the request that starts an export (target: under
   1 s), how long each export waited and took, and checks that each file downloads.

The copy is dropped at the end (`--keep` keeps it). The schedules copied with the
template are removed from the copy, so that only the exports run in the cluster.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SETTINGS = "legaltracker.settings.test"  # DEBUG off; the shipped Q_CLUSTER and exports
BOARD = "/board/"
EXPORT = "/board/export.xlsx"


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


def admin(url: str, sql: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


def copy_template(url: str, template: str, name: str) -> None:
    admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for _ in range(60):
        try:
            admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except psycopg.errors.ObjectInUse:
            time.sleep(2)  # someone is connected to the template: try again
    sys.exit(f"Could not copy {template}: it stays in use.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def machine() -> str:
    cpus = os.cpu_count()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpus} CPUs, Linux {platform.release()}, Python {platform.python_version()}, load {load}"
    )


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- the site, in processes of its own ---------------------------------------------------


@dataclass
class Site:
    env: dict[str, str]
    port: int
    log_dir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self, workers: int) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self._spawn(
            [
                str(gunicorn),
                "legaltracker.wsgi",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
            ],
            "gunicorn.log",
        )
        # INFO: the cluster says "running." when its workers are up.
        self._spawn([sys.executable, "manage.py", "qcluster"], "qcluster.log", LOG_LEVEL="INFO")
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                status, _, _ = self.get("/healthz", {})
                if status == 200 and "running." in (self.log_dir / "qcluster.log").read_text():
                    return
            except OSError:
                pass
            time.sleep(0.3)
        sys.exit("The site did not start; see " + str(self.log_dir))

    def _spawn(self, args: list[str], log: str, **env: str) -> None:
        out = (self.log_dir / log).open("w")
        self.processes.append(
            subprocess.Popen(
                args,
                cwd=REPO,
                env={**self.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def get(
        self, path: str, cookies: dict[str, str], *, body: bool = True
    ) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            header = "; ".join(f"{k}={v}" for k, v in cookies.items())
            connection.request("GET", path, headers={"Cookie": header} if header else {})
            response = connection.getresponse()
            data = response.read() if body else b""
            return response.status, dict(response.getheaders()), data
        finally:
            connection.close()


# --- people, signed in --------------------------------------------------------------------


def sessions(exporters: int) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Session cookies for the court liaison officer of the load data (who reads the
    board) and for `exporters` people of that role made here (one export each: a person
    may have three under way at once)."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from legaltracker.accounts.models import Role, User
    from legaltracker.security.sessions import mark_second_factor

    def cookie(user: User) -> dict[str, str]:
        client = Client()
        client.force_login(user)
        session = client.session
        mark_second_factor(session, user)
        session.save()
        return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}

    reader = User.objects.get(username="load-clo")
    people = []
    for n in range(exporters):
        user, _ = User.objects.get_or_create(
            username=f"bench-exporter-{n + 1}",
            defaults={
                "role": Role.COURT_LIAISON_OFFICER,
                "first_name": "Bench",
                "last_name": f"Exporter {n + 1}",
            },
        )
        people.append(cookie(user))
    return cookie(reader), people


# --- measuring ----------------------------------------------------------------------------


def board_requests(
    site: Site,
    cookies: dict[str, str],
    clients: int,
    count: int,
    until: threading.Event | None = None,
) -> list[float]:
    """Board page timings (ms) from `clients` threads: `count` requests in all, and
    more while `until` is not set."""
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    issued = [0]

    def worker() -> None:
        while True:
            with lock:
                enough = issued[0] >= count and (until is None or until.is_set())
                if enough:
                    return
                issued[0] += 1
            start = time.perf_counter()
            status, _, body = site.get(BOARD, cookies)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if status != 200 or b'id="board-table"' not in body:
                    errors.append(str(status))
                timings.append(elapsed)

    if clients == 0:  # nobody reads the board: wait for `until` alone
        while until is not None and not until.wait(0.2):
            pass
        return timings
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"  board errors: {len(errors)} ({', '.join(sorted(set(errors)))})")
    return timings


@dataclass
class ExportRun:
    start_ms: list[float]
    waited_s: list[float]
    built_s: list[float]
    rows: list[int]
    downloads_ok: int
    board_ms: list[float]


def export_round(
    site: Site,
    reader: dict[str, str],
    people: list[dict[str, str]],
    url: str,
    clients: int,
    count: int,
) -> ExportRun:
    start_ms, job_ids = [], []
    for cookies in people:
        begin = time.perf_counter()
        status, headers, _ = site.get(EXPORT, cookies, body=True)
        start_ms.append((time.perf_counter() - begin) * 1000)
        if status != 302:
            sys.exit(f"Starting an export answered {status}")
        job_ids.append(int(headers["Location"].rstrip("/").split("/")[-1]))
    done = threading.Event()

    def watch() -> None:
        with psycopg.connect(url) as connection:
            while True:
                rows = connection.execute(
                    "SELECT count(*) FROM exports_exportjob WHERE id = ANY(%s) "
                    "AND status IN ('done', 'failed')",
                    (job_ids,),
                ).fetchone()
                if rows and rows[0] == len(job_ids):
                    done.set()
                    return
                time.sleep(0.2)

    watcher = threading.Thread(target=watch)
    watcher.start()
    board = board_requests(site, reader, clients, count, until=done)
    watcher.join()
    with psycopg.connect(url) as connection:
        jobs = connection.execute(
            "SELECT id, status, rows_done, EXTRACT(EPOCH FROM started_at - requested_at), "
            "EXTRACT(EPOCH FROM finished_at - started_at) FROM exports_exportjob "
            "WHERE id = ANY(%s) ORDER BY id",
            (job_ids,),
        ).fetchall()
    failed = [job for job in jobs if job[1] != "done"]
    if failed:
        sys.exit(f"Exports failed: {failed}")
    downloads_ok = 0
    for cookies, job_id in zip(people, job_ids, strict=True):
        status, _, body = site.get(f"/exports/{job_id}/download/", cookies)
        downloads_ok += int(status == 200 and body[:2] == b"PK")
    return ExportRun(
        start_ms=start_ms,
        waited_s=[float(job[3]) for job in jobs],
        built_s=[float(job[4]) for job in jobs],
        rows=[int(job[2]) for job in jobs],
        downloads_ok=downloads_ok,
        board_ms=board,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--template", default="lt_base_20k")
    parser.add_argument("--database", default=f"exports_bench_{os.getpid()}")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=2, help="board clients at once")
    parser.add_argument("--requests", type=int, default=200, help="board requests a phase")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--exports", type=int, default=4)
    parser.add_argument(
        "--nice", type=int, default=10, help="EXPORTS_NICE (the shipped default is 10)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the copied database")
    args = parser.parse_args()

    server = server_url()
    url = with_database(server, args.database)
    log_dir = Path(tempfile.mkdtemp(prefix="exports-bench-"))
    print(f"Machine: {machine()}")
    print(f"Copying {args.template} to {args.database} ...", flush=True)
    begin = time.perf_counter()
    copy_template(server, args.template, args.database)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "EXPORTS_STORAGE_ROOT": str(log_dir / "exports"),
        "EXPORTS_NICE": str(args.nice),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(
        {
            k: env[k]
            for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "EXPORTS_STORAGE_ROOT", "LOG_LEVEL")
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env, check=True
    )
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DELETE FROM django_q_schedule")
        connection.execute("DELETE FROM django_q_ormq")
    reader, people = sessions(args.exports)
    print(
        f"Copied and migrated in {time.perf_counter() - begin:.0f} s; logs in {log_dir}", flush=True
    )

    site = Site(env=env, port=free_port(), log_dir=log_dir)
    baseline: list[float] = []
    runs: list[ExportRun] = []
    alone: ExportRun | None = None
    try:
        site.start(args.workers)
        board_requests(site, reader, args.clients, 20)  # warm: every worker has run the page
        alone = export_round(site, reader, people[:1], url, 0, 0)
        print(f"  one export, nothing else running: made in {alone.built_s[0]:.1f} s", flush=True)
        for n in range(args.rounds):
            quiet = board_requests(site, reader, args.clients, args.requests)
            baseline += quiet
            run = export_round(site, reader, people, url, args.clients, args.requests)
            runs.append(run)
            print(
                f"  round {n + 1}: board p95 {percentile(quiet, 95):.0f} ms quiet, "
                f"{percentile(run.board_ms, 95):.0f} ms during {args.exports} exports "
                f"({len(run.board_ms)} requests); exports took up to {max(run.built_s):.1f} s",
                flush=True,
            )
    finally:
        site.stop()
        if not args.keep:
            admin(server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    during = [t for run in runs for t in run.board_ms]
    starts = [t for run in runs for t in run.start_ms]
    built = [t for run in runs for t in run.built_s]
    waited = [t for run in runs for t in run.waited_s]
    rows = sorted({r for run in runs for r in run.rows})
    ratio95 = percentile(during, 95) / percentile(baseline, 95)
    print()
    print(
        f"### Board during {args.exports} whole-board XLSX exports ({rows} rows each), "
        f"gunicorn {args.workers} workers, qcluster shipped settings, EXPORTS_NICE={args.nice}, "
        f"{args.clients} board clients"
    )
    print()
    print("| board page (HTML, default view) | requests | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    for label, samples in (
        ("no export running", baseline),
        (f"{args.exports} exports being made", during),
    ):
        print(
            f"| {label} | {len(samples)} | {statistics.median(samples):.0f} | "
            f"{percentile(samples, 95):.0f} | {max(samples):.0f} |"
        )
    ratio50 = statistics.median(during) / statistics.median(baseline)
    print(f"| ratio (during / without) | | {ratio50:.2f}x | {ratio95:.2f}x | |")
    print()
    print("| export | n | median | max |")
    print("|---|---|---|---|")
    for label, values, unit in (
        ("request that starts it (ms)", starts, "{:.0f}"),
        ("waiting for a worker (s)", waited, "{:.1f}"),
        ("making the file (s)", built, "{:.1f}"),
    ):
        median, most = unit.format(statistics.median(values)), unit.format(max(values))
        print(f"| {label} | {len(values)} | {median} | {most} |")
    downloaded = sum(r.downloads_ok for r in runs)
    print(f"| files downloaded and opened as XLSX | {downloaded} of {len(starts)} | | |")
    print(f"| one export alone, nothing else running (s) | 1 | {alone.built_s[0]:.1f} | |")
    print()
    verdict = "met" if ratio95 <= 1.5 else "NOT met"
    print(f"- board p95 during exports: {ratio95:.2f}x ({verdict}, target 1.5x)")
    slowest = max(starts)
    verdict = "met" if slowest < 1000 else "NOT met"
    print(f"- starting an export: at most {slowest:.0f} ms ({verdict}, target < 1 s)")


if __name__ == "__main__":
    main()
