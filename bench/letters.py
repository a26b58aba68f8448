"""Benchmark: letters through the full service, against bare docxtpl, and in bulk
through django-q2 workers.

    .venv/bin/python bench/letters.py                       # both parts, SQLite file
    .venv/bin/python bench/letters.py --letters 200 --bulk 500
    .venv/bin/python bench/letters.py --database postgres   # a fresh PostgreSQL database

Part 1 renders N letters before proceedings through `letters.services.letter_generate`
(facts from the database, pure context builder, sandboxed render, text extraction,
readability report, private storage, Letter row and audit row in a transaction) and the
same template and context with bare docxtpl (DocxTemplate, render with autoescape, save),
interleaved in one run so that both meet the same machine load. It prints the ratio
(target: at most 1.3x) and letters per second.

Part 2 queues `--bulk` letters as django-q2 tasks and runs a cluster (the `qcluster`
command's Cluster, in a subprocess) with 1 worker, then the same number of fresh tasks
with 2 workers, on the same database; it prints both rates and their ratio (target: at
least 1.7x). The rate is measured from the first letter made to the last.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path, and its name would hide
# the `letters` app: put the project root there instead.
sys.path[0] = str(ROOT)


def configure(workdir: Path, database: str, synchronous: str = "full") -> dict[str, str]:
    env = {
        "BENCH_SQLITE_SYNCHRONOUS": synchronous,
        "DJANGO_SETTINGS_MODULE": "legaltracker.settings.test",
        "PRIVATE_STORAGE_ROOT": str(workdir / "private"),
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "LOG_LEVEL": "WARNING",
    }
    if database == "postgres":
        name = f"letters_bench_{os.getpid()}"
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f'CREATE DATABASE "{name}"'],
            check=True,
        )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ.update(env)
    return env


def sqlite_synchronous() -> None:
    """With --synchronous normal, each SQLite connection of this process (and of the
    cluster's) commits to the write-ahead log without waiting for the disk (the log is
    synced at checkpoints): it separates the cost of the work from the disk's latency."""
    from django.db.backends.signals import connection_created

    level = os.environ.get("BENCH_SQLITE_SYNCHRONOUS", "full").upper()

    def set_level(sender: object, connection: object, **kwargs: object) -> None:
        if connection.vendor == "sqlite":  # type: ignore[attr-defined]
            with connection.cursor() as cursor:  # type: ignore[attr-defined]
                cursor.execute(f"PRAGMA synchronous={level}")

    connection_created.connect(set_level, weak=False)


def setup_django() -> None:
    import django

    django.setup()
    sqlite_synchronous()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    if connection.vendor == "sqlite":
        # Several processes share the file: write-ahead logging (a property of the file,
        # kept by every connection) lets readers work while one writes, and a commit
        # appends to the log instead of rewriting the database and its journal.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


def make_cases(count: int) -> tuple[list[tuple[int, int]], object]:
    """`count` cases in pre-proceedings, each with a schedule and letter details, made
    through the services; returns [(case id, mother's id)] and the social worker."""
    import datetime as dt

    from legaltracker.accounts.models import Role, Team, User
    from legaltracker.cases import services as case_services
    from legaltracker.core import clock
    from letters import services

    team, _ = Team.objects.get_or_create(code="bench", defaults={"name": "Bench Family Support"})
    worker, _ = User.objects.get_or_create(
        username="bench-sw",
        defaults={
            "role": Role.SOCIAL_WORKER,
            "team": team,
            "first_name": "Sam",
            "last_name": "Brookfield",
            "email": "sam@example.org",
        },
    )
    User.objects.get_or_create(
        username="bench-tm",
        defaults={
            "role": Role.TEAM_MANAGER,
            "team": team,
            "first_name": "Maya",
            "last_name": "Fernsby",
        },
    )
    lawyer, _ = User.objects.get_or_create(username="bench-legal", defaults={"role": Role.LEGAL})
    today = clock.today()
    start = today - dt.timedelta(days=10)
    made = []
    for n in range(count):
        case = case_services.case_create(
            actor=worker,
            data={
                "team": "bench",
                "social_worker": "bench-sw",
                "opened_on": start.isoformat(),
                "children": [
                    {
                        "first_name": "Amy",
                        "last_name": f"Fletcher{n}",
                        "date_of_birth": "2019-05-12",
                    },
                    {
                        "first_name": "Ben",
                        "last_name": f"Fletcher{n}",
                        "date_of_birth": "2022-09-03",
                    },
                ],
                "adults": [
                    {
                        "first_name": "Kerry",
                        "last_name": f"Fletcher{n}",
                        "relationship": "mother",
                        "parental_responsibility": True,
                        "address": "14 Willow Road\nEastbrook\nEB4 2PQ",
                    },
                    {
                        "first_name": "Dean",
                        "last_name": f"Marsh{n}",
                        "relationship": "father",
                        "parental_responsibility": True,
                        "address": "3 Station Flats\nEastbrook",
                    },
                ],
            },
        )
        case_services.case_transition(
            case_id=case.pk,
            transition="refer_to_gateway",
            actor=worker,
            data={
                "date": (start + dt.timedelta(days=1)).isoformat(),
                "reasons": "Concerns persist.",
            },
        )
        case_services.case_transition(
            case_id=case.pk,
            transition="gateway_enter_pre_proceedings",
            actor=lawyer,
            data={
                "date": (start + dt.timedelta(days=2)).isoformat(),
                "threshold_view": "met",
                "reasons": "A last chance for change.",
                "attendees": [
                    {"name": "Sam", "role": "social_worker"},
                    {"name": "Alex", "role": "chair"},
                    {"name": "Jo", "role": "legal"},
                ],
            },
        )
        adults = [a.pk for a in case.adults.all()]
        for days, action in (
            (30, "Keep the home clean and safe. Keep the floors clear."),
            (45, "Take Amy to school on time every day."),
            (60, "Do not drink alcohol when you look after Amy and Ben."),
        ):
            services.expectation_create(
                case_id=case.pk,
                actor=worker,
                data={
                    "adults": adults,
                    "action": action,
                    "why_it_matters": "Amy and Ben need a safe home where they will not get hurt.",
                    "help_offered": "A family support worker will come twice a week to help you.",
                    "how_judged": "We will visit each week and see that it has happened.",
                    "due_by": (today + dt.timedelta(days=days)).isoformat(),
                },
            )
        services.letter_details_update(
            case_id=case.pk,
            actor=worker,
            data={
                "concerns": "Amy and Ben have been left at home on their own at night. The house "
                "has not been safe for them. Amy has missed a lot of school.",
                "history": "We have worked with you since May 2025.",
                "help_given": "A family support worker has come to see you each week.",
                "meeting_date": (today + dt.timedelta(days=14)).isoformat(),
                "meeting_time": "10:00",
                "meeting_place": "Eastbrook Family Centre, 5 Grove Road, Eastbrook",
                "meeting_attendees": [
                    "Sam Brookfield, your social worker",
                    "Leonie Quillon, lawyer",
                ],
                "fgdm_how_to_accept": "call Sam Brookfield on 01632 960 000.",
                "legal_contact_name": "Leonie Quillon",
                "legal_reference": "LEG/2026/0412",
                "assessments": [
                    {
                        "what": "How you look after Amy and Ben each day",
                        "why": "To see what help you need",
                        "who": "Jo Hart",
                        "when": (today + dt.timedelta(days=21)).isoformat(),
                    }
                ],
            },
        )
        made.append((case.pk, case.adults.get(first_name="Kerry").pk))
    return made, worker


# --- part 1: the full service against bare docxtpl ---------------------------------------


def bare_renderer(template_data: bytes, logo_path: Path, *, memo: bool):
    """Bare docxtpl rendering the letter, with everything docxtpl lets a caller reuse
    reused: the template's and the logo's bytes are read once, one `DocxTemplate` is
    rendered again and again (before each render docxtpl reloads its document from the
    same in-memory file: its documented reuse), one Jinja environment (autoescape) is
    passed to every render, and the file is written by docxtpl's own `save`.

    With `memo`, it also keeps what the service's renderer keeps (letters/rendering.py)
    and docxtpl does not offer: each part's compiled Jinja template and each part's
    XML preparation (`patch_xml`). The ratio against that is what the service adds
    around the same rendering (the database, text, readability, storage, audit).
    """
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import Environment

    class Compiled(Environment):
        def __init__(self) -> None:
            super().__init__(autoescape=True)
            self.compiled: dict[str, object] = {}

        def from_string(self, source, globals=None, template_class=None):
            found = self.compiled.get(source)
            if found is None:
                found = self.compiled[source] = super().from_string(source)
            return found

    class Patched(DocxTemplate):
        patched: dict[str, str] = {}

        def patch_xml(self, src_xml: str) -> str:
            found = self.patched.get(src_xml)
            if found is None:
                found = self.patched[src_xml] = super().patch_xml(src_xml)
            return found

    environment = Compiled() if memo else Environment(autoescape=True)
    tpl = (Patched if memo else DocxTemplate)(io.BytesIO(template_data))
    logo = logo_path.read_bytes()

    def bare(context: dict) -> bytes:
        values = dict(context)
        values["logo"] = InlineImage(tpl, io.BytesIO(logo), height=Mm(16))
        tpl.render(values, jinja_env=environment, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()

    return bare


def part_one(letters: int) -> dict[str, float]:
    from docx import Document

    from letters import conf, services
    from letters.docxfile import document_blocks
    from letters.registry import current_template

    [(case_id, recipient)], worker = make_cases(1)
    request = {"kind": "letter_before_proceedings", "recipient": recipient}
    sample = services.letter_generate(case_id=case_id, actor=worker, data=request)
    template = current_template("letter_before_proceedings")
    renderers = {
        "bare": bare_renderer(template.data, conf.council_logo(), memo=False),
        "memo": bare_renderer(template.data, conf.council_logo(), memo=True),
    }
    for render in renderers.values():
        # The same letter every way: the same text, paragraph by paragraph.
        made = render(sample.context)
        assert document_blocks(Document(io.BytesIO(made))) == sample.text.split("\n")

    actions = {
        "bare": lambda: renderers["bare"](sample.context),
        "memo": lambda: renderers["memo"](sample.context),
        "full": lambda: services.letter_generate(case_id=case_id, actor=worker, data=request),
    }
    for _ in range(3):  # warm caches on every side
        for action in actions.values():
            action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(letters):  # taking turns, so that every side meets the same load
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    figures: dict[str, float] = {"letters": letters}
    for name, taken in times.items():
        figures[f"{name}_per_letter_ms"] = 1000 * sum(taken) / letters
        figures[f"{name}_median_ms"] = 1000 * statistics.median(taken)
        figures[f"{name}_letters_per_second"] = letters / sum(taken)
    figures["ratio"] = sum(times["full"]) / sum(times["bare"])
    figures["ratio_memo"] = sum(times["full"]) / sum(times["memo"])
    return figures


# --- part 2: bulk through django-q2 ---------------------------------------------------------

CLUSTER = """
import sys
sys.path[0] = {root!r}
import django
django.setup()
import importlib.util
spec = importlib.util.spec_from_file_location("bench_letters", {bench!r})
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
bench.sqlite_synchronous()
# The shipped Q_CLUSTER settings, as `manage.py qcluster` reads them: the number of
# workers comes from Q_CLUSTER_WORKERS, set by the bench; nothing else is changed.
from django.conf import settings
from django_q.conf import Conf
assert Conf.WORKERS == settings.Q_CLUSTER["workers"] == {workers}
from django_q.cluster import Cluster
cluster = Cluster()
cluster.start()
"""


def shipped_cluster_settings() -> str:
    """The shipped Q_CLUSTER as django-q2 reads it (its defaults for what is not set)."""
    from django.conf import settings
    from django_q.conf import Conf

    shown = {k: v for k, v in settings.Q_CLUSTER.items() if k not in ("name", "orm", "redis")}
    return (
        f"Q_CLUSTER {shown}; in effect: bulk {Conf.BULK}, poll {Conf.POLL} s, "
        f"save_limit {Conf.SAVE_LIMIT}, ack_failures {Conf.ACK_FAILURES}, "
        f"queue_limit workers**2 unless set"
    )


def part_two(count: int, env: dict[str, str]) -> dict[str, float]:
    from django.db import connection

    from letters.models import Letter
    from letters.tasks import letters_generate_many

    cases, worker = make_cases(max(10, count // 50))
    results = {}
    for workers in (1, 2):
        requests = [
            {
                "case_id": cases[n % len(cases)][0],
                "kind": "letter_before_proceedings",
                "recipient_id": cases[n % len(cases)][1],
            }
            for n in range(count)
        ]
        before = Letter.objects.count()
        first_id = Letter.objects.order_by("-id").values_list("id", flat=True).first() or 0
        letters_generate_many(requests, actor_id=worker.pk, group=f"bench-{workers}")
        connection.close()
        started = time.perf_counter()
        cluster = subprocess.Popen(
            [sys.executable, "-c", CLUSTER.format(root=str(ROOT), workers=workers, bench=__file__)],
            env={**os.environ, **env, "Q_CLUSTER_WORKERS": str(workers)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            while Letter.objects.count() < before + count:
                if cluster.poll() is not None:
                    raise RuntimeError(cluster.stderr.read().decode()[-2000:])
                time.sleep(0.5)
            wall = time.perf_counter() - started
        finally:
            cluster.terminate()
            try:
                cluster.wait(timeout=30)
            except subprocess.TimeoutExpired:
                cluster.kill()
        made = list(
            Letter.objects.filter(id__gt=first_id)
            .order_by("generated_at")
            .values_list("generated_at", flat=True)
        )
        span = (made[-1] - made[0]).total_seconds()
        results[workers] = {
            "wall_seconds": wall,
            "steady_rate": (len(made) - 1) / span,
            "wall_rate": count / wall,
        }
    return {
        "count": count,
        "one_worker_rate": results[1]["steady_rate"],
        "two_worker_rate": results[2]["steady_rate"],
        "one_worker_wall": results[1]["wall_seconds"],
        "two_worker_wall": results[2]["wall_seconds"],
        "speedup": results[2]["steady_rate"] / results[1]["steady_rate"],
        "wall_speedup": results[1]["wall_seconds"] / results[2]["wall_seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=200, help="part 1: letters each way")
    parser.add_argument("--bulk", type=int, default=500, help="part 2: letters per cluster run")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--skip-bulk", action="store_true")
    parser.add_argument("--skip-single", action="store_true")
    parser.add_argument(
        "--synchronous",
        choices=["full", "normal"],
        default="full",
        help="SQLite: wait for the disk at every commit (full, the default) or not (normal)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="letters-bench-") as work:
        env = configure(Path(work), args.database, args.synchronous)
        setup_django()
        print(
            f"Database: {args.database} (synchronous={args.synchronous} for SQLite); "
            f"CPUs: {os.cpu_count()}; load average: {os.getloadavg()[0]:.1f}"
        )
        if not args.skip_single:
            one = part_one(args.letters)
            print(f"\nPart 1: {one['letters']} letters before proceedings each way, taking turns")
            for name, label in (
                ("bare", "bare docxtpl, cached template"),
                ("memo", "the same + the service's template caches"),
                ("full", "full service"),
            ):
                print(
                    f"  {label + ':':43} {one[name + '_per_letter_ms']:.1f} ms a letter "
                    f"(median {one[name + '_median_ms']:.1f}), "
                    f"{one[name + '_letters_per_second']:.2f} letters/s"
                )
            print(
                f"  ratio full / bare docxtpl (cached template): {one['ratio']:.2f}x "
                f"(target: at most 1.3x); full / bare with the service's caches: "
                f"{one['ratio_memo']:.2f}x"
            )
        if not args.skip_bulk:
            two = part_two(args.bulk, env)
            print(f"\nPart 2: {two['count']} letters through django-q2, per cluster run")
            print(f"  shipped settings: {shipped_cluster_settings()}")
            print(
                f"  1 worker:  {two['one_worker_rate']:.2f} letters/s "
                f"(wall {two['one_worker_wall']:.1f} s including start-up)"
            )
            print(
                f"  2 workers: {two['two_worker_rate']:.2f} letters/s "
                f"(wall {two['two_worker_wall']:.1f} s including start-up)"
            )
            print(
                f"  speed-up: {two['speedup']:.2f}x (target: at least 1.7x); "
                f"wall-clock speed-up {two['wall_speedup']:.2f}x"
            )
        if args.database == "postgres":
            from django.db import connections

            connections.close_all()
            name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-qc",
                    f'DROP DATABASE IF EXISTS "{name}"',
                ],
                check=False,
            )


if __name__ == "__main__":
    main()
