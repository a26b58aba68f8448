"""Real processes: `manage.py qcluster` against a real SMTP server on loopback, on the
ORM broker and on Redis, with a database shared between processes.

Each test gets its own copy of a seeded database (a file for SQLite, a database made
from a template on PostgreSQL when DATABASE_URL is set), its own queue name and its own
SMTP port. pytest-django's test database cannot be used: on SQLite it lives in memory,
in this process only (tests/concurrency/sqlite_race.py says more). The database is
checked with plain SQL from here; the tasks are queued by `python -m tests.alerts.proc`.

What every test asserts at the end: each person's digest arrived exactly once, listing
exactly their items; every delivery is recorded as sent; the ledger holds no key twice.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

from .smtp_sink import Received, Sink, free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
RUN_DAY = "2026-03-04"
Q_TIMEOUT = 4  # the claim on a delivery lasts as long as a task may run
REDIS_URL = os.environ.get("ALERTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


# --- where the processes meet: the database and the broker --------------------------


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """The Redis the Redis-broker tests use: ALERTS_TEST_REDIS_URL (default: db 15 of the
    Redis on 127.0.0.1:6379, which CI has) when it answers; otherwise a private
    `redis-server` started here on a free loopback port. Keys are per test (the queue
    name carries a random suffix) and removed afterwards, so parallel runs do not meet.
    Neither: the tests fail, saying what to install (Redis is part of what is tested)."""
    if _redis_answers(REDIS_URL):
        yield REDIS_URL
        return
    server = shutil.which("redis-server")
    assert server, (
        f"no Redis answers at {REDIS_URL} and redis-server is not installed: "
        "sudo apt-get install -y redis-server (or set ALERTS_TEST_REDIS_URL)"
    )
    port = free_port()
    directory = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        end = time.monotonic() + 10
        while not _redis_answers(url):
            assert process.poll() is None and time.monotonic() < end, "redis-server did not start"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def _vendor() -> str:
    """The suite's database: PostgreSQL when DATABASE_URL names one, else an SQLite file."""
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


@dataclass
class Database:
    vendor: str
    location: str  # a file path (SQLite) or a URL (PostgreSQL)

    def env(self) -> dict[str, str]:
        if self.vendor == "sqlite":
            return {"SQLITE_PATH": self.location}
        return {"DATABASE_URL": self.location}

    def rows(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.location, timeout=20) as connection:
                return list(connection.execute(sql))
        import psycopg

        with psycopg.connect(self.location) as connection:
            return list(connection.execute(sql))


def _admin_url() -> str:
    url = urlparse(os.environ["DATABASE_URL"])
    return urlunparse(url._replace(path="/postgres"))


def _with_db(name: str) -> str:
    return urlunparse(urlparse(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True) as connection:
        connection.execute(sql)


def _run(args: list[str], env: dict[str, str], timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def _base_env(database: Database, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.alerts.proc_settings",
        ALERTS_TEST_Q_TIMEOUT=str(Q_TIMEOUT),
        PYTHONUNBUFFERED="1",
        **database.env(),
        **extra,
    )
    return env


@dataclass
class Seeded:
    database: Database
    expected: dict[str, int]  # username -> number of items in their digest


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Iterator[Seeded]:
    vendor = _vendor()
    if vendor == "sqlite":
        database = Database("sqlite", str(tmp_path_factory.mktemp("alerts") / "template.sqlite3"))
    else:
        name = f"alerts_proc_template_{os.getpid()}"
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
        _pg_admin(f'CREATE DATABASE "{name}"')
        database = Database("postgresql", _with_db(name))
    out = _run(["-m", "tests.alerts.proc", "seed"], _base_env(database))
    expected = json.loads(out.strip().splitlines()[-1])
    yield Seeded(database, expected)
    if vendor == "postgresql":
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class World:
    database: Database
    broker: str
    expected: dict[str, int]
    smtp_port: int
    queue: str
    tmp: Path
    redis_url: str = ""
    clusters: list[Cluster] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        values = {
            "ALERTS_TEST_SMTP_PORT": str(self.smtp_port),
            "ALERTS_TEST_Q_NAME": self.queue,
        }
        if self.broker == "redis":
            values.update(Q_CLUSTER_BROKER="redis", Q_CLUSTER_REDIS_URL=self.redis_url)
        values.update(extra)
        return _base_env(self.database, **values)

    def enqueue(self, *tasks: str) -> None:
        """Queue tasks ("func" or "func:arg") in one helper process."""
        _run(["-m", "tests.alerts.proc", "enqueue", *tasks], self.env())

    def start(self, *clusters: int, tasks: tuple[str, ...] = ()) -> list[Cluster]:
        """Start clusters (the number of workers of each) and queue `tasks`, all at
        once; return when every cluster says it is running."""
        started = []
        for workers in clusters:
            cluster = Cluster(self, workers, self.tmp / f"qcluster-{len(self.clusters)}.log")
            self.clusters.append(cluster)
            started.append(cluster.launch())
        if tasks:
            self.enqueue(*tasks)
        for cluster in started:
            cluster.wait_until_running()
        return started

    # -- what the database says ----------------------------------------------------------

    def duplicate_keys(self) -> list[tuple]:
        return self.database.rows(
            "SELECT deadline_id, level, recipient_id, COUNT(*) FROM alerts_alert "
            "GROUP BY deadline_id, level, recipient_id HAVING COUNT(*) > 1"
        )

    def alert_count(self) -> int:
        return self.database.rows("SELECT COUNT(*) FROM alerts_alert")[0][0]

    def deliveries(self) -> dict[int, tuple[str, int]]:
        rows = self.database.rows("SELECT id, status, attempts FROM alerts_delivery")
        return {row[0]: (row[1], row[2]) for row in rows}


@pytest.fixture(params=["orm", "redis"])
def world(request, seeded, tmp_path) -> Iterator[World]:
    broker = request.param
    redis_url = request.getfixturevalue("redis_url") if broker == "redis" else ""
    source = seeded.database
    if source.vendor == "sqlite":
        copy = tmp_path / "alerts.sqlite3"
        shutil.copyfile(source.location, copy)
        database = Database("sqlite", str(copy))
    else:
        name = f"alerts_proc_{uuid.uuid4().hex[:12]}"
        template = urlparse(source.location).path.lstrip("/")
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        database = Database("postgresql", _with_db(name))
    world = World(
        database=database,
        broker=broker,
        expected=seeded.expected,
        smtp_port=free_port(),
        queue=f"alerts-test-{uuid.uuid4().hex[:8]}",
        tmp=tmp_path,
        redis_url=redis_url,
    )
    try:
        yield world
    finally:
        for cluster in world.clusters:
            cluster.kill()
        if broker == "redis":
            import redis

            connection = redis.Redis.from_url(redis_url)
            for key in connection.scan_iter(f"*{world.queue}*"):
                connection.delete(key)
        if database.vendor == "postgresql":
            name = urlparse(database.location).path.lstrip("/")
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the cluster ---------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


class Cluster:
    """One `manage.py qcluster` in its own process group (so it can be killed whole,
    as a node that loses power would be)."""

    def __init__(self, world: World, workers: int, log: Path) -> None:
        self.world = world
        self.workers = workers
        self.log = log
        self.process: subprocess.Popen | None = None

    def launch(self) -> Cluster:
        env = self.world.env(ALERTS_TEST_Q_WORKERS=str(self.workers))
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_until_running(self, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if "running." in self.log.read_text():
                return
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            time.sleep(0.1)
        raise AssertionError("qcluster did not start:\n" + self.log.read_text()[-3000:])

    def kill(self) -> None:
        """SIGKILL the whole cluster: parent, sentinel, workers, monitor, pusher."""
        if self.process is not None and self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def kill_workers(self) -> list[int]:
        """SIGKILL the processes under the sentinel (workers, monitor, pusher), leaving
        the sentinel to notice and start new ones."""
        (sentinel,) = _children(self.process.pid)
        victims = _children(sentinel)
        for pid in victims:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return victims

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


# --- checks --------------------------------------------------------------------------


def _items(received: Received) -> int:
    for part in received.message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode()
            return sum(1 for line in text.splitlines() if line.startswith("- "))
    return 0


def wait_for_all(world: World, sink: Sink, timeout: float = 45) -> None:
    """Wait until every digest arrived and every delivery is recorded as sent; then a
    little longer, so that a late duplicate would be seen."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        deliveries = world.deliveries()
        if (
            len(sink.messages()) >= len(world.expected)
            and deliveries
            and all(status == "sent" for status, _ in deliveries.values())
        ):
            break
        time.sleep(0.2)
    time.sleep(1.5)


def assert_each_digest_once(world: World, sink: Sink) -> None:
    messages = sink.messages()
    who = Counter(m.to[0].split("@")[0] for m in messages)
    logs = "\n".join(c.log.read_text()[-2000:] for c in world.clusters)
    assert who == Counter(dict.fromkeys(world.expected, 1)), logs
    for message in messages:
        assert _items(message) == world.expected[message.to[0].split("@")[0]]
    assert len({m.message_id for m in messages}) == len(messages)
    assert world.duplicate_keys() == []
    assert world.alert_count() == sum(world.expected.values())
    deliveries = world.deliveries()
    assert len(deliveries) == len(world.expected)
    assert {status for status, _ in deliveries.values()} == {"sent"}


# --- the tests -----------------------------------------------------------------------

DAILY = f"daily_alerts:{RUN_DAY}"


def test_every_due_alert_arrives_once(world):
    with Sink(world.smtp_port) as sink:
        world.start(2, tasks=(DAILY,))
        wait_for_all(world, sink)
    assert_each_digest_once(world, sink)


def test_killed_mid_run_then_restarted_every_alert_arrives_once(world):
    """One worker, the mail server slow to answer: SIGKILL the whole cluster while it
    waits for the server's answer to the third digest, restart it, and every digest
    still arrives, once."""
    with Sink(world.smtp_port, hold=0.5) as sink:
        (cluster,) = world.start(1, tasks=(DAILY,))
        assert sink.wait_for_arrivals(3, timeout=30), cluster.log.read_text()[-3000:]
        cluster.kill()
        assert len(sink.messages()) == 2  # the third was in flight: never answered 250
        (claim_ends,) = world.database.rows(
            "SELECT next_attempt_at FROM alerts_delivery WHERE status = 'sending'"
        )
        # systemd restarts the service after RestartSec; the restarted workers' sweep
        # finishes what the dead one held once its claim (one task timeout) runs out.
        time.sleep(max(0.0, _seconds_until(claim_ends[0]) - 1.0))
        world.start(1)
        wait_for_all(world, sink)
    assert_each_digest_once(world, sink)
    attempts = sorted(a for _, a in world.deliveries().values())
    assert attempts[-1] == 2
    assert attempts[:-1] == [1] * (len(attempts) - 1)


# The ORM broker only: it redelivers the task a dead worker held once `retry` has passed.
# Redis does not redeliver; there the delivery left behind is found by the sweep that a
# restarted cluster queues (the restart test) or by the minute schedule.
@pytest.mark.parametrize("world", ["orm"], indirect=True)
def test_workers_killed_the_cluster_recovers(world):
    """SIGKILL every process under the sentinel mid-run (the django-q2 report of a
    cluster that stops taking work after a worker dies): the sentinel starts new ones
    and the same cluster completes the run, each digest once."""
    with Sink(world.smtp_port, hold=0.5) as sink:
        (cluster,) = world.start(1, tasks=(DAILY,))
        assert sink.wait_for_arrivals(2, timeout=30)
        assert cluster.kill_workers()
        wait_for_all(world, sink)
        assert cluster.process.poll() is None  # the same cluster, still running
    assert_each_digest_once(world, sink)


def test_two_clusters_at_once_no_duplicates(world):
    """Two clusters on the same queue, the daily task queued twice, plus two sweeps."""
    with Sink(world.smtp_port, hold=0.1) as sink:
        world.start(2, 2, tasks=(DAILY, DAILY, "sweep", "sweep"))
        wait_for_all(world, sink)
    assert_each_digest_once(world, sink)
    runs = world.database.rows("SELECT COUNT(*), SUM(new_alerts) FROM alerts_alertrun")[0]
    assert runs[0] == 2
    assert runs[1] == sum(world.expected.values())  # one of the two wrote them all


def test_smtp_down_for_a_while_retried_and_arrive_once(world):
    (cluster,) = world.start(2, tasks=(DAILY,))
    # Nothing listens on the port yet: every delivery fails and is retried with backoff.
    end = time.monotonic() + 30
    states: dict[int, tuple[str, int]] = {}
    while time.monotonic() < end:
        states = world.deliveries()
        if states and all(attempts >= 2 for _, attempts in states.values()):
            break
        time.sleep(0.2)
    assert states and all(a >= 2 for _, a in states.values()), cluster.log.read_text()[-3000:]
    refused = world.database.rows(
        "SELECT COUNT(*) FROM alerts_delivery WHERE last_error LIKE '%ConnectionRefused%'"
    )[0][0]
    assert refused >= 1
    with Sink(world.smtp_port) as sink:
        wait_for_all(world, sink)
    assert_each_digest_once(world, sink)
    cleared = world.database.rows("SELECT COUNT(*) FROM alerts_delivery WHERE last_error <> ''")
    assert cleared[0][0] == 0


def _seconds_until(value: object) -> float:
    """Seconds from now until a timestamp read from the database (a datetime from
    PostgreSQL, ISO text from SQLite)."""
    import datetime as dt

    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - dt.datetime.now(dt.UTC)).total_seconds()
