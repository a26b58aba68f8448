"""Fixtures for the API tests: clients that authenticate as a given user with a token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from legaltracker.accounts.models import User


@pytest.fixture
def client_for(db) -> Callable[[User], APIClient]:
    """`client_for(user)`: an API client sending `Authorization: Token <key>` for user."""

    def make(user: User) -> APIClient:
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()
