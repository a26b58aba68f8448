"""The Day 1 checklist as the council keeps it: which documents must be ready before the
application is issued, and what each is called.

The list is the `Day1ChecklistItem` table (the admin edits it; migration 0014 seeds it),
read here by the guard before issue, the Day 1 forms and the API. A "document ready"
event names its item by code, so an item switched off keeps its old events readable.
An empty table (a database restored without its seed) is read as the shipped list, so
that a missing configuration never lets a case issue with nothing checked
(docs/decisions.md, "The Day 1 checklist").
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import Day1Document

# What migration 0014 seeds, in its order.
SHIPPED: tuple[tuple[str, str], ...] = (
    *((str(doc.value), str(doc.label)) for doc in Day1Document),
    ("threshold", "Threshold document"),
)


@dataclass(frozen=True)
class Entry:
    code: str
    label: str
    active: bool


def checklist() -> list[Entry]:
    """Every item, switched off ones included, in the council's order (one query)."""
    from .models import Day1ChecklistItem

    rows = [
        Entry(item.code, item.label, item.active)
        for item in Day1ChecklistItem.objects.order_by("position", "id")
    ]
    return rows or [Entry(code, label, True) for code, label in SHIPPED]


def required() -> list[Entry]:
    """The items a case needs ready before issue."""
    return [entry for entry in checklist() if entry.active]


def required_codes() -> list[str]:
    return [entry.code for entry in required()]


class Labels:
    """The name of each item by code, read once for a page (one query, whether or not the
    page shows a Day 1 document, so that its query count does not depend on its rows). A
    code no longer in the table reads as itself in words."""

    def __init__(self) -> None:
        self._labels = {str(d.value): str(d.label) for d in Day1Document}
        self._labels.update({entry.code: entry.label for entry in checklist()})

    def __call__(self, code: str) -> str:
        return self._labels.get(code) or code.replace("_", " ").capitalize()


def label(code: str) -> str:
    return Labels()(code)
