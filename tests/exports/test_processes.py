"""A real `manage.py qcluster` makes an export asked for by another process, against a
database they share (an SQLite file, or a PostgreSQL database of its own when
DATABASE_URL names one); the file is then downloaded through the download view, by the
person who asked and by nobody else."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import suppress
from pathlib import Path

import pytest

from tests.alerts.test_processes import Database, _pg_admin, _with_db

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def _env(database: Database, storage: Path, queue: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.exports.proc_settings",
        EXPORTS_TEST_STORAGE=str(storage),
        EXPORTS_TEST_Q_NAME=queue,
        PYTHONUNBUFFERED="1",
        **database.env(),
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> object:
    done = subprocess.run(
        [sys.executable, "-m", "tests.exports.proc", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def database(tmp_path):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield Database("sqlite", str(tmp_path / "exports.sqlite3"))
        return
    name = f"exports_proc_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield Database("postgresql", _with_db(name))
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_running_cluster_makes_the_export_and_only_its_owner_downloads_it(database, tmp_path):
    storage = tmp_path / "private" / "exports"
    env = _env(database, storage, f"exports-test-{uuid.uuid4().hex[:8]}")
    seeded = _run(["seed"], env)
    log = tmp_path / "qcluster.log"
    with log.open("w") as out:
        cluster = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        job_id = _run(["request", "tm-north"], env)
        end = time.monotonic() + 60
        status = None
        while time.monotonic() < end:
            status, rows_done, rows_total, file_name = database.rows(
                "SELECT status, rows_done, rows_total, file_name FROM exports_exportjob "
                f"WHERE id = {int(job_id)}"
            )[0]
            if status in ("done", "failed"):
                break
            assert cluster.poll() is None, log.read_text()[-3000:]
            time.sleep(0.2)
        assert status == "done", log.read_text()[-3000:]
        assert rows_done == rows_total == len(seeded["references"])
        assert (storage / file_name).exists()
    finally:
        with suppress(ProcessLookupError):
            os.killpg(cluster.pid, signal.SIGKILL)
        cluster.wait(10)

    mine = _run(["download", "tm-north", str(job_id)], env)
    assert mine["status"] == 200
    assert sorted(mine["references"]) == sorted(seeded["references"])
    assert not set(mine["references"]) & set(seeded["other"])
    for other in ("tm-south", "clo"):
        assert _run(["download", other, str(job_id)], env) == {"status": 404, "references": []}
