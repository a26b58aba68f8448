"""The same races on a file-backed SQLite database with the app's SQLite settings.

SQLite has no row locks (Django ignores select_for_update there); what serialises writers
is `transaction_mode: IMMEDIATE`, which takes the database's write lock when a transaction
begins, with the busy timeout making the second writer wait instead of failing. The race
runs in a subprocess against its own database file (see sqlite_race.py for why the test
database cannot be used), so this test runs whatever database the suite itself is on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_two_threads_on_sqlite_one_winner_and_no_lost_update(tmp_path, race_figures):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    completed = subprocess.run(
        [sys.executable, "-m", "tests.concurrency.sqlite_race", str(tmp_path / "race.sqlite3")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    vendor = f"{report['vendor']} file, own process"
    race_figures("2 threads, expected_version given", report["with_version"], vendor=vendor)
    race_figures("2 threads, no version", report["without_version"], vendor=vendor)
    race_figures("2 event writers", f"writes={report['event_writes']}", vendor=vendor)

    assert report["vendor"] == "sqlite"
    assert report["transaction_mode"] == "IMMEDIATE"
    assert not report["problems"], "\n".join(report["problems"])
    with_version = report["with_version_counts"]
    assert with_version["winners"] == with_version["attempts"] // 2
    assert with_version["conflicts"] == with_version["attempts"] // 2
    without_version = report["without_version_counts"]
    assert without_version["winners"] == without_version["not_available"]
    assert report["event_writes"] == 20
