"""Fixtures for the case page tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def signed_in(client):
    """`signed_in(user)` returns the test client signed in as that user."""

    def sign_in(user: Any):
        client.force_login(user)
        return client

    return sign_in
