"""Fixtures for the audit tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from legaltracker.api.tokens import token_issue


@pytest.fixture(autouse=True)
def _urls(settings: Any) -> None:
    """The project's URLs plus a view that fails half-way (tests/audit/urls.py)."""
    settings.ROOT_URLCONF = "tests.audit.urls"


@pytest.fixture
def signed_in(client) -> Callable[[Any], Any]:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_for(db) -> Callable[[Any], APIClient]:
    def make(user: Any) -> APIClient:
        _, key = token_issue(user=user, name="test")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    return make
