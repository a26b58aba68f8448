"""HMCTS's national reasons for adjourning or vacating a hearing (docs/court.md,
"Hearing statuses"), shipped as data (`data/hearing_reasons.json`, where it came from
is in docs/decisions.md). The same list serves both: HMCTS keeps one list of
cancellation reasons for adjournments and vacations alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "hearing_reasons.json"

# Who caused it, in HMCTS's grouping, in our words.
GROUPS = {
    "LocalAuthority": "The council",
    "Lawyers": "The lawyers",
    "Cafcass": "Cafcass",
    "LegalAidAgency": "The Legal Aid Agency",
    "HMCTS": "The court service (HMCTS)",
    "Experts": "The experts",
    "Other": "Other",
}


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    group: str

    @property
    def group_label(self) -> str:
        return GROUPS.get(self.group, self.group)


@cache
def _load() -> dict[str, tuple[Reason, ...]]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        status: tuple(Reason(r["code"], r["label"], r["group"]) for r in rows)
        for status, rows in raw.items()
    }


def reasons(status: str) -> tuple[Reason, ...]:
    """The reasons for `status` ("adjourned" or "vacated"), in HMCTS's order."""
    return _load()[status]


def reason(status: str, code: str) -> Reason | None:
    return next((r for r in reasons(status) if r.code == code), None)


def choices(status: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a form's select."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for r in reasons(status):
        grouped.setdefault(r.group_label, []).append((r.code, f"{r.code}: {r.label}"))
    return list(grouped.items())
