"""CSV and XLSX files written a row at a time, safe to open in a spreadsheet.

Spreadsheets run formulas: a cell of text that begins with = + - @ (or a tab or carriage
return, which some programs skip before looking for one) is written as text, never as a
formula. In the XLSX file such a cell is stored as a string; in the CSV file, which has
no types, it gets a leading apostrophe (OWASP's advice for CSV injection). Control
characters that XML cannot hold (openpyxl refuses them) are removed from both.

Both writers stream: the CSV goes straight to its file, and openpyxl's write-only mode
keeps rows in a temporary file until the workbook is zipped, so memory stays flat
whatever the number of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from legaltracker.core.text import clean_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | bool | dt.date | None
# Called with the number of rows written so far.
Progress = Callable[[int], None]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


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


def _noop(done: int) -> None:
    return None


def write_csv(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    progress: Progress = _noop,
) -> int:
    """Write the file; returns the number of rows (not counting the header)."""
    done = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        # A byte order mark makes Excel read the file as UTF-8 (names with accents).
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([csv_cell(h) for h in headers])
        for row in rows:
            writer.writerow([csv_cell(value) for value in row])
            done += 1
            progress(done)
    return done


def _xlsx_cell(sheet: Any, value: Cell) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=safe_text(value))
        # openpyxl makes any text beginning with "=" a formula; a string type keeps
        # it as the words typed.
        cell.data_type = "s"
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def write_xlsx(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str = "Export",
    progress: Progress = _noop,
) -> int:
    """Write the workbook; returns the number of rows (not counting the header)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=safe_text(title)[:31] or "Export")
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = _xlsx_cell(sheet, text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    done = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        done += 1
        progress(done)
    workbook.save(str(path))
    return done


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
