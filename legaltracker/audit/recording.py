"""Writing access log rows: the one INSERT per audited request, and the rows written by
commands. Everything stored is an id, a URL name, a status or a fixed word.

Views may add ids the URL does not carry (`note`), or say that they wrote the row
themselves (`mark_recorded`) so that the middleware does not write a second one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from legaltracker.core import clock, hashchain

from .models import AccessLog, AccessOutcome

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
KNOWN_METHODS = SAFE_METHODS | {"POST", "PUT", "PATCH", "DELETE"}
# Not let in: not signed in, not permitted, not shown (404 hides cases from other teams),
# or throttled.
REFUSED_STATUSES = frozenset({401, 403, 404, 429})
_MAX_ID = 2**63 - 1
_NOTES = "_audit_notes"
_RECORDED = "_audit_recorded"


def method_word(method: str | None) -> str:
    """The method as one of a fixed set of words: a client may send any token."""
    method = (method or "").upper()
    return method if method in KNOWN_METHODS else "OTHER"


def parse_id(value: Any) -> int | None:
    """An id from a URL or a form, or None when it is not a plain positive integer (ids
    are captured as text in the API; free text must not reach the log)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        return None
    return number if 0 < number <= _MAX_ID else None


def outcome_for(status: int, *, signed_in: bool) -> str:
    if status >= 500:
        return AccessOutcome.ERROR
    if status in REFUSED_STATUSES or (not signed_in and 300 <= status < 400):
        # A redirect for someone not signed in is the redirect to the sign-in page.
        return AccessOutcome.REFUSED
    if status >= 400:
        return AccessOutcome.REJECTED
    return AccessOutcome.ALLOWED


def clean_details(details: Mapping[str, Any] | None) -> dict[str, int | list[int]]:
    """Keep only ids: {name: id} or {name: [ids]}. Anything else is a programming error."""
    cleaned: dict[str, int | list[int]] = {}
    for key, value in (details or {}).items():
        if not (isinstance(key, str) and key.replace("_", "").isalnum() and len(key) <= 40):
            raise ValueError(f"Access log detail names are short identifiers, not {key!r}.")
        if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
            parsed = [parse_id(item) for item in value]
            ids = [item for item in parsed if item is not None]
            if len(ids) != len(parsed):
                raise ValueError(f"Access log detail {key!r} must hold ids only.")
            cleaned[key] = sorted(set(ids))
        else:
            single = parse_id(value)
            if single is None:
                raise ValueError(f"Access log detail {key!r} must be an id.")
            cleaned[key] = single
    return cleaned


def access_record(
    *,
    actor: Any,
    action: str,
    status: int,
    outcome: str,
    request_id: uuid.UUID,
    case_id: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    details: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AccessLog:
    """Insert one access log row, linked into the access log's hash chain
    (core/hashchain.py): the chain head is locked until the caller's transaction commits.
    The actor is referred to by id only, and the audit table itself is not read."""
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    row = AccessLog(
        at=at or clock.now(),
        actor_id=actor_id,
        case_id=parse_id(case_id),
        object_type=object_type,
        object_id=parse_id(object_id),
        action=action[:150],
        status=status,
        outcome=outcome,
        request_id=request_id,
        details=clean_details(details),
    )
    with transaction.atomic():
        row.chain_hash = hashchain.advance(hashchain.ACCESS, 0, hashchain.access_content(row))
        row.save(force_insert=True)
    return row


def note(
    request: HttpRequest,
    *,
    case_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    **ids: Any,
) -> None:
    """Add ids to the row the middleware will write for this request."""
    notes: dict[str, Any] = getattr(request, _NOTES, None) or {}
    if case_id is not None:
        notes["case_id"] = case_id
    if object_type is not None:
        notes["object_type"] = object_type
        notes["object_id"] = object_id
    if ids:
        notes.setdefault("details", {}).update(clean_details(ids))
    setattr(request, _NOTES, notes)


def notes_for(request: HttpRequest) -> dict[str, Any]:
    return getattr(request, _NOTES, None) or {}


def mark_recorded(request: HttpRequest) -> None:
    """The view wrote this request's row itself (with what only it knew)."""
    setattr(request, _RECORDED, True)


def was_recorded(request: HttpRequest) -> bool:
    return bool(getattr(request, _RECORDED, False))
