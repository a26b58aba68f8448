"""The inspection list as CSV and XLSX: one export kind (`inspection_list`) registered
with the exports app, which builds the file in a task as the person who asked and records
who, when and for which period on the export job (the audit of who took the list)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from legaltracker.exports import registry
from legaltracker.exports.writers import Cell, Layout

from . import forms, selectors
from .access import REFUSED, may_produce
from .selectors import InspectionRow

# (header, value) in the order an inspection team reads a child's PLO: who the child is,
# who works the case, where it is now, then each date in the order it happens.
COLUMNS: list[tuple[str, Callable[[InspectionRow], Cell]]] = [
    ("Team", lambda r: r.team),
    ("LA child id", lambda r: r.la_child_id),
    ("UPN", lambda r: r.upn),
    ("Case reference", lambda r: r.case_reference),
    ("Child", lambda r: r.child_name),
    ("Date of birth", lambda r: r.date_of_birth),
    ("Expected date of birth", lambda r: r.expected_date_of_birth),
    ("Social worker", lambda r: r.social_worker),
    ("Allocated lawyer", lambda r: r.allocated_lawyer),
    ("Stage now", lambda r: r.stage_label),
    ("Entered the PLO", lambda r: r.entered_on),
    ("Gateway decision", lambda r: r.gateway_decision_on),
    ("Pre-proceedings started", lambda r: r.pre_proceedings_started_on),
    ("Letter before proceedings sent", lambda r: r.letter_before_proceedings_on),
    ("Initial meeting", lambda r: r.initial_meeting_on),
    ("Review meetings", lambda r: r.review_meetings),
    ("Last review meeting", lambda r: r.last_review_meeting_on),
    ("Decision point", lambda r: r.decision_point_on),
    ("Stepped down", lambda r: r.stepped_down_on),
    ("Stepped down to", lambda r: r.step_down_to),
    ("Decision to issue", lambda r: r.issue_decided_on),
    ("Issued", lambda r: r.issued_on),
    ("Court case number", lambda r: r.court_reference),
    ("First hearing", lambda r: r.first_hearing_on),
    ("Closed", lambda r: r.closed_on),
    ("Outcome", lambda r: r.outcome_label),
]
HEADERS = [header for header, _ in COLUMNS]
LAYOUT = Layout(
    widths={
        "Team": 22,
        "Case reference": 16,
        "Child": 26,
        "Social worker": 22,
        "Allocated lawyer": 22,
        "Stage now": 18,
        "Stepped down to": 24,
        "Outcome": 24,
    }
)


def row_values(row: InspectionRow) -> list[Cell]:
    return [value(row) for _, value in COLUMNS]


def parse(user: Any, data: Mapping[str, Any]) -> registry.Parsed:
    return forms.parse(data)


def count(user: Any, params: dict[str, Any], day: dt.date) -> int:
    start, end = forms.period_of(params)
    return selectors.count(user, start=start, end=end)


def rows(user: Any, params: dict[str, Any], day: dt.date) -> Iterator[Sequence[Cell]]:
    start, end = forms.period_of(params)
    for row in selectors.iter_rows(user, start=start, end=end):
        yield row_values(row)


def back_url(params: dict[str, Any]) -> str:
    query = urlencode([("from", params.get("from", "")), ("to", params.get("to", ""))])
    return f"{reverse('inspection:list')}?{query}"


def describe(params: dict[str, Any]) -> list[str]:
    start, end = forms.period_of(params)
    return [f"Period: {start.day} {start:%B %Y} to {end.day} {end:%B %Y}"]


KIND = registry.ExportKind(
    name="inspection_list",
    label="Inspection list",
    headers=HEADERS,
    may_use=may_produce,
    refused_message=REFUSED,
    parse=parse,
    count=count,
    rows=rows,
    file_stem=lambda day: f"inspection-list-{day.isoformat()}",
    back_url=back_url,
    describe=describe,
    sheet_title="Inspection list",
    layout=LAYOUT,
)


def register() -> None:
    registry.register(KIND)
