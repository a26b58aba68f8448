"""Fixtures for the performance reports' tests."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from legaltracker.accounts.models import Role
from legaltracker.api.tokens import token_issue
from tests.exports.helpers import sync_queue
from tests.factories import UserFactory


@pytest.fixture
def performance_officer(db):
    return UserFactory(username="performance", role=Role.PERFORMANCE_OFFICER)


@pytest.fixture
def api_for(db):
    def make(user):
        _, key = token_issue(user=user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def queue(settings):
    with sync_queue(settings):
        yield
