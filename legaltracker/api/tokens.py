"""Issuing, checking and revoking API tokens (`models.ApiToken`).

A key is 40 random hex characters, as DRF's keys were, sent as `Authorization: Token
<key>`; the database keeps its SHA-256 only. The key is random enough that a fast hash
is safe (no dictionary to guess from). Making a token through the app needs a recent
second-factor check where the person has one (the page in `security.token_views`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction

from legaltracker.core import clock
from legaltracker.core.errors import InvalidInput, NotFound, NotPermitted
from legaltracker.core.text import clean_text

from .models import ApiToken

MAX_NAME = 100
MAX_DAYS = 365
# last_used_at is written at most this often per token, not on every request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def default_days() -> int:
    return int(getattr(settings, "LEGALTRACKER_API_TOKEN_DAYS", 90))


def _name(value: Any) -> str:
    text = clean_text(value).strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput(
            "Give the token a name.",
            field_errors={"name": ["Give the token a name, for example the script that uses it."]},
        )
    if len(text) > MAX_NAME:
        raise InvalidInput(
            "The name is too long.",
            field_errors={"name": [f"Keep the name to {MAX_NAME} characters or fewer."]},
        )
    return text


def _days(value: Any) -> int:
    if value is None or value == "":
        return default_days()
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DAYS:
        return value
    raise InvalidInput(
        "The number of days is not valid.",
        field_errors={"days": [f"Enter a whole number of days from 1 to {MAX_DAYS}."]},
    )


def token_issue(*, user: Any, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its key, which is not kept anywhere."""
    if not getattr(user, "is_active", False):
        raise NotPermitted("An inactive account cannot have an API token.")
    text = _name(name)
    lifetime = _days(days)
    key = secrets.token_hex(20)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        name=text,
        prefix=key[:8],
        key_hash=key_hash(key),
        created_at=now,
        expires_at=now + dt.timedelta(days=lifetime),
    )
    return token, key


def token_revoke(*, token_id: int, actor: Any) -> ApiToken:
    """Revoke one of the actor's own tokens (an administrator revokes others' in the admin,
    `token_revoke_any`). Revoking a revoked token changes nothing."""
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .filter(pk=token_id, user_id=getattr(actor, "pk", None) or 0)
            .first()
        )
        if token is None:
            raise NotFound("There is no token of yours with that id.")
        return _revoke(token, actor)


def token_revoke_any(*, token: ApiToken, actor: Any) -> ApiToken:
    """For the admin: an administrator revokes anyone's token."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        return _revoke(locked, actor)


def _revoke(token: ApiToken, actor: Any) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_touch(token: ApiToken, now: dt.datetime) -> None:
    """Record a use, at most once a minute per token: one conditional UPDATE, which does
    nothing (and takes no lock) while the last record is recent."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_EVERY).update(
        last_used_at=now
    )
    token.last_used_at = now
