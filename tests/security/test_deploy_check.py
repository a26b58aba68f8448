"""`manage.py check --deploy --fail-level WARNING` passes with the production settings and
the environment production requires (in a subprocess: production settings refuse to
load without it), and fails when a production setting is weakened."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow


def deploy_check(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "legaltracker.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "tracker.eastbrook.example.org",
        # Not connected to: the deploy checks read settings only.
        "DATABASE_URL": "postgres://legaltracker@db.invalid:5432/legaltracker",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_checks_pass_with_production_settings():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_fail_without_hsts():
    result = deploy_check(DJANGO_SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
