"""Hash chains over the audit tables, so that rows inserted, changed or removed behind the
app's back are found by `manage.py audit_verify` (legaltracker/audit/chain.py walks them;
docs/security.md, "Finding 2"). Here in `core` so that both audit writers, in `cases` and
in `audit`, can link rows without an import cycle between the apps.

Each row stores `chain_hash` = HMAC(key, previous row's chain_hash + the row's content).
Chains: the access log is one chain (rows in id order); each case's audit trail is its
own chain (`CaseEvent` rows of that case in id order). Per case because every writer of a
case's events already holds that case's row lock (`cases.events.case_lock`), so a case
chain adds no lock between cases (a service that changes two cases cannot deadlock on a
global one), and the invented-load generator can build each case's chain alone.

The key comes from the settings (`AUDIT_CHAIN_KEY`, else derived from SECRET_KEY), never
from the database: whoever owns the database can read every hash but cannot compute a
new one, so a forged row, an edited one or a chain rebuilt after a removal does not
verify. The newest link of each chain is kept, sealed, in `AuditChainHead`: removing the
newest rows leaves the head pointing past them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import AuditChainHead

ACCESS = "access"
CASE = "case"


def _key() -> bytes:
    configured = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if configured:
        return configured.encode()
    return hashlib.sha256(b"legaltracker.audit.chain:" + settings.SECRET_KEY.encode()).digest()


def _mac(*parts: str) -> str:
    return hmac.new(_key(), "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def _when(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def case_event_content(event: Any) -> str:
    """A `cases.CaseEvent` row as the text its hash covers (everything but id and hash)."""
    return _json(
        [
            event.case_id,
            event.actor_id,
            _when(event.at),
            str(event.action),
            event.from_stage,
            event.to_stage,
            _when(event.effective_date),
            event.reasons,
            event.details,
        ]
    )


def access_content(row: Any) -> str:
    """An `audit.AccessLog` row as the text its hash covers."""
    return _json(
        [
            row.actor_id,
            _when(row.at),
            row.case_id,
            row.object_type,
            row.object_id,
            row.action,
            row.status,
            str(row.outcome),
            str(uuid.UUID(str(row.request_id))),
            row.details,
        ]
    )


def link(previous: str, content: str) -> str:
    """The hash of a row whose content is `content` after a row hashed `previous`."""
    return _mac("row", previous, content)


def head_seal(chain: str, key: int, length: int, last_hash: str) -> str:
    return _mac("head", chain, str(key), str(length), last_hash)


def _locked_head(chain: str, key: int) -> AuditChainHead:
    heads = AuditChainHead.objects.select_for_update()
    head = heads.filter(chain=chain, key=key).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(chain=chain, key=key)
    except IntegrityError:
        # Another transaction created it first (and has committed: the unique index waited).
        return heads.get(chain=chain, key=key)


def advance(chain: str, key: int, content: str) -> str:
    """Lock the chain's head, move it on by one row with `content`, and return that row's
    hash. Call inside the transaction that inserts the row: the head stays locked until
    it commits, so the next writer of this chain links to this row."""
    head = _locked_head(chain, key)
    head.last_hash = link(head.last_hash, content)
    head.length += 1
    head.seal = head_seal(chain, key, head.length, head.last_hash)
    head.save(update_fields=["last_hash", "length", "seal"])
    return head.last_hash
