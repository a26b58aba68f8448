"""Fixtures for the sign-in security tests: people with passwords who sign in through
the real sign-in form (not force_login), so that django-axes, the session records and
the second factor all run as they do for real."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from legaltracker.core import clock

PASSWORD = "An invented test password 42"


@pytest.fixture(autouse=True)
def letters_storage(settings: Any, tmp_path: Any) -> Any:
    settings.LETTERS_STORAGE_ROOT = str(tmp_path / "private" / "letters")
    return tmp_path / "private" / "letters"


@pytest.fixture
def people(staff: Any) -> Any:
    from legaltracker.accounts.services import user_sync_role_access

    for user in (staff.social_worker, staff.team_manager, staff.administrator, staff.legal):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    user_sync_role_access(user=staff.administrator)  # staff, as `add_user` makes them
    return staff


def sign_in(client: Client, user: Any, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/sign-in/", {"username": user.username, "password": password}, **extra)


def cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def with_cookie(value: str) -> Client:
    """A new browser holding a copy of someone's session cookie."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = value
    return other


class Clock:
    """Moves the application's clock (legaltracker.core.clock.now) forward."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.offset = dt.timedelta()
        real = clock.now
        monkeypatch.setattr(clock, "now", lambda: real() + self.offset)

    def advance(self, **delta: float) -> None:
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def app_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)
