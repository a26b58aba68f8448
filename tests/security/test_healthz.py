"""The load balancer's health check: 200 when the database answers, 503 when it does not;
no sign-in, no personal data, never cached."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthy_answers_200_without_sign_in_or_personal_data(staff):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session is started for it
    assert staff.social_worker.last_name not in response.content.decode()


@pytest.mark.slow
def test_an_unreachable_database_answers_503():
    """A real unreachable database: PostgreSQL on a port where nothing listens."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "legaltracker.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none?connect_timeout=2",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stdout + result.stderr
    assert json.loads(body) == {"status": "unavailable", "database": "unreachable"}
