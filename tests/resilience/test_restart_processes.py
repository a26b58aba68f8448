"""A database restart and a database outage under a real server: gunicorn with several
workers serving a copy of a seeded PostgreSQL database, client threads signed in as
people (pages) and as an API client (a token), and the database taken away twice
(docs/operations.md, "When the database goes away"):

- **restart under load**: while the clients keep asking, every session the app holds on
  its database is terminated (`pg_terminate_backend`, what a restart does to each
  connection, without cutting off the other databases of this shared server), three
  times. A request in flight at a cut may get the outage's 503 (JSON under /api/, the
  plain page for people), never a 500 or an HTML page to the API; every request that
  starts after a cut has settled succeeds, and everyone is still signed in. Then a
  **quiet restart**: the sessions are cut while nobody is asking, and every request
  after it succeeds at once (before health checks were on, each worker's first request
  after a restart failed on its dead connection).
- **outage**: the app reaches PostgreSQL through a small TCP proxy run by the test; the
  proxy stops (connections dropped, new ones refused) and starts again. While stopped:
  the API answers JSON 503 with Retry-After, people get the page, within seconds, and no
  session cookie is touched. Started again: everything answers 200 at once, with the
  same sessions.

PostgreSQL only (DATABASE_URL); slow (real processes). The figures are printed (`-s`).
"""

from __future__ import annotations

import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
import requests

from legaltracker.core import unavailable
from tests.alerts.smtp_sink import free_port
from tests.markers import postgresql_only

pytestmark = [pytest.mark.slow, pytest.mark.postgres, postgresql_only]

REPO = Path(__file__).resolve().parents[2]
WORKERS = 3
CLIENT_THREADS = 6
PAGE_WORDS = "Sorry, the service is unavailable"
# A request that started this long after the server finished ending the sessions of a cut
# must not fail: the next request's health check reconnects.
SETTLE_SECONDS = 0.2
# Requests that must all succeed after the last cut under load.
AFTER_LAST_CUT = 40
TERMINATE = (
    "SELECT array_agg(pid) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
)


# --- the database: a seeded template, a copy per test -----------------------------------


def _url(name: str, port: int | None = None) -> str:
    """DATABASE_URL naming database `name`, or reaching it through a loopback `port`."""
    parts = urlparse(os.environ["DATABASE_URL"])
    if port is not None:
        credentials = parts.netloc.rpartition("@")[0]
        parts = parts._replace(netloc=f"{credentials}@127.0.0.1:{port}")
    return urlunparse(parts._replace(path=f"/{name}", query=""))


def _admin(sql: str) -> None:
    with psycopg.connect(_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


@dataclass
class Cut:
    at: float
    settled: float  # when the last terminated session had gone
    sessions: int


def _cut(database: str) -> Cut:
    """Terminate every session of `database` from a connection of our own, and wait until
    the server has finished ending them (a starved backend can take a moment)."""
    at = time.monotonic()
    with psycopg.connect(_url("postgres"), autocommit=True) as connection:
        pids = connection.execute(TERMINATE, (database,)).fetchone()[0] or []
        end = time.monotonic() + 30
        while connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,)
        ).fetchone()[0]:
            assert time.monotonic() < end, "terminated sessions did not end"
            time.sleep(0.02)
    return Cut(at, time.monotonic(), len(pids))


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.resilience.proc_settings",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class Seed:
    template: str
    usernames: list[str]
    password: str
    token: str
    case_ids: list[int]


@pytest.fixture(scope="module")
def seed() -> Iterator[Seed]:
    template = f"resilience_template_{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{template}"')
    done = subprocess.run(
        [sys.executable, "-m", "tests.resilience.proc", "seed"],
        cwd=REPO,
        env=_env(_url(template)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    data = json.loads(done.stdout.strip().splitlines()[-1])
    yield Seed(template=template, **data)
    _admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


# --- the proxy between the app and PostgreSQL ----------------------------------------


class Proxy:
    """A TCP proxy to PostgreSQL on a loopback port: `stop` drops every connection and
    refuses new ones (the database unreachable), `start` accepts again."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown, not only close: on Linux a close leaves a blocked accept() waiting.
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # stopped meanwhile
                    client.close()
                    server.close()
                    return
                self._sockets |= {client, server}
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 1.0)
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (b if source is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            with self._lock:
                self._sockets -= {a, b}
            for sock in (a, b):
                with suppress(OSError):
                    sock.close()


# --- the site: gunicorn on a copy of the seed ------------------------------------------


@dataclass
class Site:
    base: str
    database: str
    seed: Seed
    log: Path
    process: subprocess.Popen[bytes]
    proxy: Proxy | None = None

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        assert process.poll() is None, log.read_text()[-4000:]
        with suppress(requests.RequestException):
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError("gunicorn did not start:\n" + log.read_text()[-4000:])


def _site(seed: Seed, tmp_path: Path, *, through_proxy: bool) -> Iterator[Site]:
    database = f"resilience_{os.getpid()}_{int(time.monotonic() * 1000)}"
    for attempt in range(20):  # the template is busy for a moment after the seed
        try:
            _admin(f'CREATE DATABASE "{database}" TEMPLATE "{seed.template}"')
            break
        except psycopg.errors.ObjectInUse:
            assert attempt < 19
            time.sleep(0.5)
    proxy = None
    url = _url(database)
    if through_proxy:
        upstream = urlparse(os.environ["DATABASE_URL"])
        proxy = Proxy((upstream.hostname or "127.0.0.1", upstream.port or 5432))
        proxy.start()
        url = _url(database, proxy.port)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "legaltracker.wsgi:application"),
                *("--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"),
                *("--timeout", "30", "--graceful-timeout", "5"),
            ],
            cwd=REPO,
            env=_env(url),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield Site(base, database, seed, log, process, proxy)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if proxy is not None:
            proxy.stop()
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def site(seed, tmp_path) -> Iterator[Site]:
    yield from _site(seed, tmp_path, through_proxy=False)


@pytest.fixture
def proxied_site(seed, tmp_path) -> Iterator[Site]:
    yield from _site(seed, tmp_path, through_proxy=True)


# --- the clients ----------------------------------------------------------------------


@dataclass
class Result:
    client: str
    path: str
    started: float
    ended: float
    status: int | None = None
    content_type: str = ""
    retry_after: str | None = None
    text: str = ""
    cookies_set: tuple[str, ...] = ()
    error: str = ""

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    def verdict(self) -> str:
        """ "ok", "outage" (the 503 it should be) or what is wrong with it."""
        if self.error:
            return f"no answer: {self.error}"
        if self.status == 200:
            return "ok"
        if "session was deleted" in self.text:
            return "told their session was deleted"
        if "sessionid" in self.cookies_set:
            return "session cookie changed during the outage"
        if self.status != 503:
            return f"status {self.status}"
        if self.retry_after != str(unavailable.RETRY_AFTER_SECONDS):
            return f"503 without Retry-After ({self.retry_after})"
        if self.api:
            if self.content_type != "application/json":
                return f"API 503 as {self.content_type}"
            if json.loads(self.text) != {"detail": unavailable.API_MESSAGE}:
                return f"API 503 body {self.text[:200]}"
            return "outage"
        if not self.content_type.startswith("text/html") or PAGE_WORDS not in self.text:
            return f"page 503 as {self.content_type}: {self.text[:200]}"
        return "outage"


class Person:
    """A browser: signed in through the real form, or an API client with its token."""

    def __init__(self, site: Site, name: str, paths: list[str], *, username: str = ""):
        self.site = site
        self.name = name
        self.paths = paths
        self.http = requests.Session()
        if username:
            self._sign_in(username)
        else:
            self.http.headers["Authorization"] = f"Token {site.seed.token}"

    def _sign_in(self, username: str) -> None:
        form = self.http.get(f"{self.site.base}/sign-in/", timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token, form.text[:500]
        done = self.http.post(
            f"{self.site.base}/sign-in/",
            data={
                "username": username,
                "password": self.site.seed.password,
                "csrfmiddlewaretoken": token.group(1),
            },
            allow_redirects=False,
            timeout=10,
        )
        assert done.status_code == 302, done.text[:500]
        assert "sessionid" in self.http.cookies

    @property
    def session_key(self) -> str | None:
        return self.http.cookies.get("sessionid")

    def get(self, path: str) -> Result:
        started = time.monotonic()
        try:
            response = self.http.get(f"{self.site.base}{path}", allow_redirects=False, timeout=30)
        except requests.RequestException as error:
            return Result(self.name, path, started, time.monotonic(), error=repr(error))
        cookies = tuple(c.name for c in response.cookies)
        return Result(
            self.name,
            path,
            started,
            time.monotonic(),
            status=response.status_code,
            content_type=response.headers.get("Content-Type", ""),
            retry_after=response.headers.get("Retry-After"),
            text=response.text,
            cookies_set=cookies,
        )


def _people(site: Site) -> list[Person]:
    social_worker, team_manager = site.seed.usernames
    cases = site.seed.case_ids
    worker_paths = ["/my-work/", *(f"/cases/{c}/" for c in cases), f"/api/v1/cases/{cases[0]}/"]
    manager_paths = ["/board/", "/api/v1/board/", f"/cases/{cases[1]}/", "/my-work/"]
    api_paths = ["/api/v1/board/", *(f"/api/v1/cases/{c}/" for c in cases)]
    people = []
    for n in range(CLIENT_THREADS):
        kind = n % 3
        if kind == 0:
            people.append(Person(site, f"social worker {n}", worker_paths, username=social_worker))
        elif kind == 1:
            people.append(Person(site, f"team manager {n}", manager_paths, username=team_manager))
        else:
            people.append(Person(site, f"API client {n}", api_paths))
    return people


@dataclass
class Load:
    people: list[Person]
    results: list[Result] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _run(self, person: Person) -> None:
        n = 0
        while not self.stop.is_set():
            result = person.get(person.paths[n % len(person.paths)])
            n += 1
            with self._lock:
                self.results.append(result)

    def started_after(self, moment: float) -> int:
        with self._lock:
            return sum(1 for result in self.results if result.started > moment)

    def __enter__(self) -> Load:
        self.threads = [
            threading.Thread(target=self._run, args=(p,), daemon=True) for p in self.people
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def _all_paths_once(people: list[Person]) -> list[Result]:
    return [person.get(path) for person in people for path in person.paths]


def _still_signed_in(people: list[Person], keys: dict[str, str | None]) -> list[str]:
    problems = []
    for person in people:
        if keys[person.name] is not None and person.session_key != keys[person.name]:
            problems.append(f"{person.name}: the session cookie changed")
        mine = person.get(person.paths[0])
        if mine.status != 200:
            problems.append(f"{person.name}: {mine.path} answered {mine.status} afterwards")
    return problems


# --- the tests ------------------------------------------------------------------------


def test_a_database_restart_under_load_fails_no_request_after_it_settles(site, capsys):
    people = _people(site)
    keys = {person.name: person.session_key for person in people}
    cuts: list[Cut] = []
    with Load(people) as load:
        time.sleep(3)
        for _ in range(3):
            cuts.append(_cut(site.database))
            time.sleep(2.5)
        # Enough requests after the last cut to say something, however busy the machine.
        settled = cuts[-1].settled + SETTLE_SECONDS
        end = time.monotonic() + 60
        while time.monotonic() < end and load.started_after(settled) < AFTER_LAST_CUT:
            time.sleep(0.25)
    results = load.results

    def near_a_cut(result: Result) -> bool:
        return any(
            result.started <= cut.settled + SETTLE_SECONDS and result.ended >= cut.at
            for cut in cuts
        )

    verdicts = Counter(result.verdict() for result in results)
    wrong = [r for r in results if r.verdict() not in ("ok", "outage")]
    failed_after_settling = [r for r in results if r.verdict() != "ok" and not near_a_cut(r)]
    after_last = [r for r in results if r.started > cuts[-1].settled + SETTLE_SECONDS]

    # The quiet restart: nobody is asking when the sessions are cut; each worker's next
    # request must reconnect, not fail.
    time.sleep(1)
    quiet_cut = _cut(site.database).sessions
    quiet = _all_paths_once(people) + _all_paths_once(people)
    quiet_failed = [r for r in quiet if r.verdict() != "ok"]
    problems = _still_signed_in(people, keys)
    with capsys.disabled():
        print(
            f"\nrestart under load: workers={WORKERS} clients={len(people)} "
            f"requests={len(results)} cuts={[c.sessions for c in cuts]} "
            f"cut_to_settled={[round(c.settled - c.at, 3) for c in cuts]}s "
            f"verdicts={dict(verdicts)} "
            f"requests_after_last_cut={len(after_last)} quiet_cut={quiet_cut} "
            f"quiet_requests={len(quiet)} quiet_failed={len(quiet_failed)}"
        )
    assert all(c.sessions > 0 for c in cuts), f"a cut found no session: {cuts}"
    assert quiet_cut > 0, "the quiet cut found no session: it proved nothing"
    assert not wrong, [(r.client, r.path, r.verdict()) for r in wrong[:10]] + [site.log_tail()]
    assert not failed_after_settling, [
        (r.client, r.path, r.verdict(), round(r.started - cuts[0].at, 2))
        for r in failed_after_settling[:10]
    ]
    assert len(after_last) >= AFTER_LAST_CUT, "too few requests after the last cut"
    assert not quiet_failed, [(r.client, r.path, r.verdict()) for r in quiet_failed[:10]]
    assert not problems, problems


def test_an_unreachable_database_is_a_503_and_nobody_is_signed_out(proxied_site, capsys):
    site = proxied_site
    assert site.proxy is not None
    people = _people(site)
    keys = {person.name: person.session_key for person in people}
    before = _all_paths_once(people)
    assert {r.verdict() for r in before} == {"ok"}, [
        (r.path, r.verdict()) for r in before if r.verdict() != "ok"
    ]

    site.proxy.stop()
    during = _all_paths_once(people)
    slowest = max(r.ended - r.started for r in during)
    site.proxy.start()
    after = _all_paths_once(people)
    problems = _still_signed_in(people, keys)

    with capsys.disabled():
        print(
            f"\noutage through the proxy: requests during={len(during)} "
            f"verdicts={dict(Counter(r.verdict() for r in during))} "
            f"slowest={slowest:.2f}s after={dict(Counter(r.verdict() for r in after))}"
        )
    not_outage = [(r.client, r.path, r.verdict()) for r in during if r.verdict() != "outage"]
    assert not not_outage, [*not_outage[:10], site.log_tail()]
    assert any(r.api for r in during) and any(not r.api for r in during)
    assert slowest < 10, f"an answer during the outage took {slowest:.1f}s"
    assert {r.verdict() for r in after} == {"ok"}, [
        (r.client, r.path, r.verdict()) for r in after if r.verdict() != "ok"
    ][:10]
    assert not problems, problems
    log = site.log.read_text(errors="replace")
    assert "Database unavailable: answered 503" in log
    assert "Traceback" not in log, site.log_tail()
