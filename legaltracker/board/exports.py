"""The board as CSV and XLSX for panels and the Local Family Justice Board.

Spreadsheets run formulas: a cell of text that begins with = + - @ (or a tab or carriage
return, which some programs skip before looking for one) is written as text, never as a
formula. In the XLSX file such a cell is stored as a string; in the CSV file, which has
no types, it gets a leading apostrophe (OWASP's advice for CSV injection). Control
characters that XML cannot hold (openpyxl refuses them) are removed from both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from legaltracker.core.text import clean_text

from .rows import BoardRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | bool | dt.date | None


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
    ("Extensions", lambda r: r.extensions),
    ("Urgent", lambda r: _yes_no(r.urgent)),
    ("Unborn baby", lambda r: _yes_no(r.unborn_baby)),
]
HEADERS = [header for header, _ in COLUMNS]


def safe_text(value: str) -> str:
    """Text without the characters a spreadsheet cannot hold, trimmed (which also drops
    a leading tab or carriage return)."""
    return clean_text(value)


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = safe_text(str(value))
    return f"'{text}" if looks_like_formula(text) else text


def row_values(row: BoardRow) -> list[Cell]:
    return [value(row) for _, value in COLUMNS]


def write_csv(rows: Iterable[BoardRow]) -> bytes:
    buffer = io.StringIO()
    # A byte order mark makes Excel read the file as UTF-8 (names with accents).
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row_values(row)])
    return buffer.getvalue().encode("utf-8")


def _xlsx_cell(sheet: Any, value: Cell) -> WriteOnlyCell:
    if isinstance(value, str):
        text = safe_text(value)
        cell = WriteOnlyCell(sheet, value=text)
        # openpyxl makes any text beginning with "=" a formula; a string type keeps
        # it as the words typed.
        cell.data_type = "s"
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def write_xlsx(rows: Iterable[BoardRow], *, title: str = "Tracker board") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = _xlsx_cell(sheet, text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row_values(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
