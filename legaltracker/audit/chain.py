"""Hash chains over the audit tables, so that rows inserted, changed or removed behind the
app's back are found by `manage.py audit_verify` (docs/security.md, "Finding 2").

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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


# --- verifying -------------------------------------------------------------------------


@dataclass
class Report:
    rows: int = 0
    chains: int = 0
    unchained: int = 0  # rows from before the chain existed (all before the first link)
    problems: list[str] | None = None

    def __post_init__(self) -> None:
        self.problems = self.problems or []


def _walk(
    report: Report,
    label: str,
    rows: Iterable[tuple[int, str, str]],
    head: AuditChainHead | None,
    chain: str,
    key: int,
    first_chained_id: int | None,
) -> None:
    """One chain: `rows` are (id, stored hash, content) in id order."""
    problems = report.problems
    assert problems is not None
    previous = ""
    length = 0
    for row_id, stored, content in rows:
        report.rows += 1
        if not stored:
            if first_chained_id is not None and row_id > first_chained_id:
                problems.append(
                    f"{label} row {row_id} has no hash: it was inserted outside the app."
                )
            else:
                report.unchained += 1
            continue
        if stored != link(previous, content):
            problems.append(
                f"{label} row {row_id} does not match the chain: it was changed or "
                "inserted outside the app, or the row before it was removed."
            )
        previous = stored
        length += 1
    if head is None:
        if length:
            problems.append(f"{label}: the chain's head record is missing.")
        return
    report.chains += 1
    if head.seal != head_seal(chain, key, head.length, head.last_hash):
        problems.append(f"{label}: the chain's head record was changed outside the app.")
    elif head.length != length or head.last_hash != previous:
        problems.append(
            f"{label}: the chain holds {length} linked rows but the app wrote {head.length}: "
            "rows were removed (or the newest ones changed) outside the app."
        )


def _access_rows(rows: Iterator[Any]) -> Iterator[tuple[int, str, str]]:
    for row in rows:
        yield row.pk, row.chain_hash, access_content(row)


def verify() -> Report:
    """Walk every chain; `Report.problems` lists what does not add up."""
    from legaltracker.audit.models import AccessLog
    from legaltracker.cases.models import CaseEvent

    report = Report()
    heads = {(h.chain, h.key): h for h in AuditChainHead.objects.all()}

    first_access = (
        AccessLog.objects.exclude(chain_hash="").order_by("id").values_list("id", flat=True)
    ).first()
    access = AccessLog.objects.order_by("id").iterator(chunk_size=2000)
    _walk(
        report,
        "Access log",
        _access_rows(access),
        heads.pop((ACCESS, 0), None),
        ACCESS,
        0,
        first_access,
    )

    first_event = (
        CaseEvent.objects.exclude(chain_hash="").order_by("id").values_list("id", flat=True)
    ).first()
    events = CaseEvent.objects.order_by("case_id", "id").iterator(chunk_size=2000)
    case_id: int | None = None
    batch: list[tuple[int, str, str]] = []

    def flush() -> None:
        if case_id is not None:
            _walk(
                report,
                f"Case {case_id} audit trail",
                batch,
                heads.pop((CASE, case_id), None),
                CASE,
                case_id,
                first_event,
            )

    for event in events:
        if event.case_id != case_id:
            flush()
            case_id, batch = event.case_id, []
        batch.append((event.pk, event.chain_hash, case_event_content(event)))
    flush()

    assert report.problems is not None
    for (chain, key), head in sorted(heads.items()):
        if head.length:
            where = "Access log" if chain == ACCESS else f"Case {key} audit trail"
            report.problems.append(
                f"{where}: the app wrote {head.length} rows but none are left: "
                "they were removed outside the app."
            )
    return report
