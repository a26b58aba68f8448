"""Session rules: the keys this app keeps in a session, and ending sessions server-side.

Signing out flushes the session (Django deletes its row), so a copied cookie is refused
afterwards. Switching an account off ends every session it has: each sign-in records its
session key in `SignedInSession`, and `end_sessions_of` deletes those sessions from the
session store.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings

from legaltracker.core import clock

from .models import SignedInSession

SIGNED_IN_AT = "security.signed_in_at"  # epoch seconds of the sign-in (absolute cap)
LAST_SEEN = "security.last_seen"  # epoch seconds of the last request (idle timeout)
SECOND_FACTOR = "security.second_factor"  # the user id whose code was accepted
SECOND_FACTOR_AT = "security.second_factor_at"  # epoch seconds of that (recent-check rules)


def session_store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_sessions_of(user: Any) -> int:
    """Delete every session the user signed in with; returns how many there were."""
    store = session_store()
    records = list(SignedInSession.objects.filter(user=user))
    for record in records:
        store(session_key=record.session_key).delete()
    SignedInSession.objects.filter(pk__in=[r.pk for r in records]).delete()
    return len(records)


def end_other_sessions(user: Any, *, keep: Any, old_key: str | None = None) -> int:
    """Delete every session of the user but `keep` (the session making the request),
    whose key may have just changed from `old_key`; returns how many ended."""
    store = session_store()
    spared = {key for key in (keep.session_key, old_key) if key}
    records = list(SignedInSession.objects.filter(user=user).exclude(session_key__in=spared))
    for record in records:
        store(session_key=record.session_key).delete()
    SignedInSession.objects.filter(pk__in=[r.pk for r in records]).delete()
    if old_key and keep.session_key and old_key != keep.session_key:
        SignedInSession.objects.filter(session_key=old_key).update(session_key=keep.session_key)
    return len(records)


def mark_second_factor(session: Any, user: Any) -> None:
    session[SECOND_FACTOR] = user.pk
    session[SECOND_FACTOR_AT] = int(clock.now().timestamp())


def second_factor_done(session: Any, user: Any) -> bool:
    return session.get(SECOND_FACTOR) == user.pk


def second_factor_at(session: Any, user: Any) -> int | None:
    """When this session last passed the second factor (epoch seconds), for the steps
    that need a recent check (making an API token); None if it has not."""
    at = session.get(SECOND_FACTOR_AT)
    return at if second_factor_done(session, user) and isinstance(at, int) else None
