"""Fixtures for the API tests: clients that authenticate as a given user with a token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from legaltracker.accounts.models import User
from legaltracker.api.tokens import token_issue


@pytest.fixture
def client_for(db) -> Callable[[User], APIClient]:
    """`client_for(user)`: an API client sending `Authorization: Token <key>` for user."""

    def make(user: User) -> APIClient:
        _, key = token_issue(user=user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()
