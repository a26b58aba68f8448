"""The system checks that stop the app (and qcluster) starting with settings that would
break the alert guarantees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from legaltracker.alerts.checks import check_alert_settings

REPO = Path(__file__).resolve().parents[2]
BASE = {"name": "t", "orm": "default", "timeout": 120, "retry": 300}


def ids(**settings) -> list[str]:
    with override_settings(**settings):
        return [problem.id for problem in check_alert_settings()]


def test_the_project_settings_pass():
    assert ids() == []


@pytest.mark.parametrize(
    ("cluster", "expected"),
    [
        ({**BASE, "retry": 120}, ["alerts.E002"]),
        ({**BASE, "retry": 60}, ["alerts.E002"]),
        ({k: v for k, v in BASE.items() if k != "timeout"}, ["alerts.E001"]),
        ({k: v for k, v in BASE.items() if k != "orm"}, ["alerts.E003"]),
        ({**BASE, "orm": None, "redis": "redis://127.0.0.1:6379/0"}, []),
    ],
)
def test_q_cluster(cluster, expected):
    assert ids(Q_CLUSTER=cluster) == expected


def test_other_settings():
    assert ids(ALERTS_DAILY_TIME="7am") == ["alerts.E004"]
    assert ids(ALERTS_CHANNEL="pigeon") == ["alerts.E005"]
    assert ids(ALERTS_RETRY_WAIT_SECONDS=60, Q_CLUSTER=BASE) == ["alerts.E007"]
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert ids(EMAIL_BACKEND=smtp, EMAIL_TIMEOUT=None) == ["alerts.W001"]
    assert ids(EMAIL_BACKEND=smtp, EMAIL_TIMEOUT=30) == []


@pytest.mark.slow
def test_qcluster_refuses_to_start_when_retry_is_not_longer_than_timeout(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.alerts.proc_settings",
        SQLITE_PATH=str(tmp_path / "unused.sqlite3"),
        ALERTS_TEST_Q_TIMEOUT="10",
        ALERTS_TEST_Q_RETRY="10",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "qcluster"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "alerts.E002" in done.stderr
    assert "Q Cluster" not in done.stderr + done.stdout  # it never started
