"""The board as CSV and XLSX for panels and the Local Family Justice Board.

The board registers one export kind (`board`) with the exports app, which builds the
file in a django-q2 task as the person who asked, with the filters of the board as it
was (legaltracker/exports). The columns are here; the cell rules that keep formulas and
control characters out of a spreadsheet are the exports' writers
(legaltracker/exports/writers.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.urls import reverse

from legaltracker.cases.choices import Stage
from legaltracker.court.models import CourtCentre
from legaltracker.deadlines.choices import Milestone, Rag
from legaltracker.deadlines.selectors import Today
from legaltracker.exports import registry
from legaltracker.exports.writers import (
    AMBER,
    FORMULA_STARTS,
    GREEN,
    RED,
    Cell,
    Layout,
    csv_cell,
)

from .forms import SORTS, BoardFilterForm
from .permissions import may_view_board
from .rows import BoardRow
from .selectors import filtered_cases, iter_board_rows

__all__ = ["COLUMNS", "FORMULA_STARTS", "HEADERS", "KIND", "csv_cell", "row_values"]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


# (header, value of the row) in the order the columns appear in both files.
COLUMNS: list[tuple[str, Callable[[BoardRow], Cell]]] = [
    ("Reference", lambda r: r.reference),
    ("Children", lambda r: r.children_names),
    ("Team", lambda r: r.team_name),
    ("Social worker", lambda r: r.social_worker_name),
    ("Stage", lambda r: r.stage_label),
    ("In stage since", lambda r: r.stage_entered_on),
    ("Days in stage", lambda r: r.days_in_stage),
    ("Weeks in pre-proceedings", lambda r: r.weeks_in_pre_proceedings),
    ("Weeks since issue", lambda r: r.weeks_since_issue),
    ("Next deadline", lambda r: r.next_deadline.milestone_label if r.next_deadline else ""),
    ("Next deadline due", lambda r: r.next_deadline.due if r.next_deadline else None),
    ("Next deadline status", lambda r: r.next_deadline.status_label if r.next_deadline else ""),
    ("RAG", lambda r: r.rag_label),
    ("Last management oversight", lambda r: r.last_oversight_on),
    ("Days since management oversight", lambda r: r.days_since_oversight),
    ("Last assessment", lambda r: r.last_assessment_on),
    ("Assessment out of date", lambda r: _yes_no(r.assessment_stale)),
    ("Held too early", lambda r: _yes_no(r.held_early)),
    ("Extensions", lambda r: r.extensions),
    ("Urgent", lambda r: _yes_no(r.urgent)),
    ("Unborn baby", lambda r: _yes_no(r.unborn_baby)),
    ("Next hearing", lambda r: r.next_hearing.kind_label if r.next_hearing else ""),
    ("Next hearing date", lambda r: r.next_hearing.day if r.next_hearing else None),
    ("Next hearing time", lambda r: r.next_hearing.time if r.next_hearing else ""),
    ("Next hearing court", lambda r: r.next_hearing.court_centre if r.next_hearing else ""),
    ("Court", lambda r: r.court_centre),
    ("Judge", lambda r: r.judge_name),
    ("At risk", lambda r: _yes_no(r.at_risk)),
    ("At risk because", lambda r: " ".join(r.at_risk_reasons)),
    ("Directions overdue", lambda r: r.directions_overdue),
]
HEADERS = [header for header, _ in COLUMNS]
# The XLSX file: names and milestones wide enough to read, the RAG coloured beside its word.
LAYOUT = Layout(
    widths={
        "Reference": 16,
        "Children": 30,
        "Team": 24,
        "Social worker": 22,
        "Stage": 18,
        "Next deadline": 34,
        "Next deadline status": 14,
        "Next hearing": 30,
        "Next hearing court": 24,
        "Court": 24,
        "Judge": 22,
        "At risk because": 50,
    },
    highlights={"RAG": {Rag.RED.label: RED, Rag.AMBER.label: AMBER, Rag.GREEN.label: GREEN}},
)

REFUSED = (
    "The tracker board is for the court liaison officer, the legal team, heads of service "
    "and team managers."
)


def row_values(row: BoardRow) -> list[Cell]:
    return [value(row) for _, value in COLUMNS]


def _query(data: Mapping[str, Any]) -> QueryDict:
    if isinstance(data, QueryDict):
        return data
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list | tuple):
            query.setlist(key, [str(v) for v in value])
        elif value is not None:
            query[key] = str(value)
    return query


def parse(user: Any, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The board's filters from a query string (or the API's JSON object), as
    `BoardFilterForm` cleans them; the page and its size are not filters."""
    query = _query(data).copy()
    for ignored in ("page", "page_size"):
        query.pop(ignored, None)
    form = BoardFilterForm(query or None, user=user)
    if form.is_bound and not form.is_valid():
        return {}, form.error_messages()
    return form.filters(), {}


def count(user: Any, params: dict[str, Any], day: dt.date) -> int:
    return filtered_cases(user, Today.now(day), params).count()


def rows(user: Any, params: dict[str, Any], day: dt.date) -> Iterator[Sequence[Cell]]:
    for row in iter_board_rows(user=user, today=Today.now(day), filters=params):
        yield row_values(row)


def back_url(params: dict[str, Any]) -> str:
    """The board with the export's filters, in the order of the filter form (a stored
    JSON object need not keep its keys' order: PostgreSQL's jsonb does not)."""
    rank = {name: i for i, name in enumerate(BoardFilterForm.base_fields)}
    ordered = sorted(params.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
    query = urlencode([(k, "on" if v is True else v) for k, v in ordered], doseq=True)
    return reverse("board:board") + (f"?{query}" if query else "")


def describe(params: dict[str, Any]) -> list[str]:
    """The filters in words, for the export's page."""
    lines = []
    if params.get("q"):
        lines.append(f"Reference or name: {params['q']}")
    if params.get("stage"):
        lines.append("Stage: " + ", ".join(Stage(s).label for s in params["stage"]))
    if params.get("team"):
        lines.append(f"Team: {params['team']}")
    if params.get("social_worker"):
        worker = get_user_model().objects.filter(pk=params["social_worker"]).first()
        name = (worker.get_full_name() or worker.username) if worker else "no longer listed"
        lines.append(f"Social worker: {name}")
    if params.get("rag"):
        lines.append("RAG status: " + ", ".join(Rag(r).label for r in params["rag"]))
    if params.get("overdue"):
        lines.append("Only cases with something overdue")
    if params.get("mine"):
        lines.append("Only the cases allocated to the lawyer who exported")
    if params.get("due_within") is not None:
        lines.append(f"Due within {params['due_within']} days")
    if params.get("milestone"):
        lines.append(f"Milestone: {Milestone(params['milestone']).label}")
    if params.get("court_centre"):
        court = CourtCentre.objects.filter(code=params["court_centre"]).first()
        lines.append(f"Court: {court.name if court else params['court_centre']}")
    if params.get("judge"):
        lines.append(f"Judge: {params['judge']}")
    if params.get("at_risk"):
        lines.append("Only cases at risk (HMCTS's test)")
    if params.get("directions_overdue"):
        lines.append("Only cases with a council direction overdue")
    sort = params.get("sort")
    if sort and sort in SORTS:
        lines.append(f"Sorted by: {SORTS[sort]}")
    return lines


KIND = registry.ExportKind(
    name="board",
    label="Tracker board",
    headers=HEADERS,
    may_use=may_view_board,
    refused_message=REFUSED,
    parse=parse,
    count=count,
    rows=rows,
    file_stem=lambda day: f"tracker-board-{day.isoformat()}",
    back_url=back_url,
    describe=describe,
    sheet_title="Tracker board",
    layout=LAYOUT,
)


def register() -> None:
    registry.register(KIND)
