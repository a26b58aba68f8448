"""Walking the audit hash chains (legaltracker/core/hashchain.py): what
`manage.py audit_verify` reports (docs/security.md, "Finding 2")."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from legaltracker.core.hashchain import (
    ACCESS,
    CASE,
    access_content,
    case_event_content,
    head_seal,
    link,
)
from legaltracker.core.models import AuditChainHead


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
