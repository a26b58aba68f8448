"""Fixtures for the audit tests.

These tests need the audit app and its middleware installed. Until the project's
settings include them, run `pytest tests/audit --ds=tests.audit.settings` (that module
adds exactly the lines the lead is asked to add). A run without the app stops with that
instruction; a run without the middleware fails each test with it. Nothing is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

if "legaltracker.audit" not in settings.INSTALLED_APPS:
    # The test modules import the app's models: say what to do instead of an import error.
    raise pytest.UsageError(
        "tests/audit needs legaltracker.audit in INSTALLED_APPS: run with "
        "--ds=tests.audit.settings, or add the lines in docs/retention.md to the settings."
    )

from legaltracker.cases import permissions

from . import restriction_patch


@pytest.fixture(autouse=True)
def _urls(settings: Any) -> None:
    """The project's URLs plus the audit and letters pages (tests/audit/urls.py)."""
    settings.ROOT_URLCONF = "tests.audit.urls"


@pytest.fixture(autouse=True)
def _audit_installed() -> None:
    missing = [
        name
        for name, present in (
            (
                "legaltracker.audit in INSTALLED_APPS",
                "legaltracker.audit" in settings.INSTALLED_APPS,
            ),
            (
                "AccessAuditMiddleware in MIDDLEWARE",
                "legaltracker.audit.middleware.AccessAuditMiddleware" in settings.MIDDLEWARE,
            ),
            (
                "RequestIdMiddleware in MIDDLEWARE",
                "legaltracker.audit.requestid.RequestIdMiddleware" in settings.MIDDLEWARE,
            ),
        )
        if not present
    ]
    if missing:
        pytest.fail(
            "The audit app is not wired in (" + ", ".join(missing) + "): run with "
            "--ds=tests.audit.settings, or add the lines in docs/retention.md to the settings."
        )


@pytest.fixture(autouse=True)
def _restriction_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apply the cases.permissions change for restricted records until the lead has."""
    if not restriction_patch.applied():
        monkeypatch.setattr(permissions, "can_view_case", restriction_patch.can_view_case)
        monkeypatch.setattr(
            permissions, "filter_visible_cases", restriction_patch.filter_visible_cases
        )


@pytest.fixture
def signed_in(client) -> Callable[[Any], Any]:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_for(db) -> Callable[[Any], APIClient]:
    def make(user: Any) -> APIClient:
        token, _ = Token.objects.get_or_create(user=user)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return make


@pytest.fixture
def postgresql(db) -> None:
    """For checks that only mean something on PostgreSQL (the triggers)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://...")
