"""CSV and XLSX files written a row at a time, safe to open in a spreadsheet.

Spreadsheets run formulas: a cell of text that begins with = + - @ (or a tab or carriage
return, which some programs skip before looking for one) is written as text, never as a
formula. In the XLSX file such a cell is stored as a string; in the CSV file, which has
no types, it gets a leading apostrophe (OWASP's advice for CSV injection). Control
characters that XML cannot hold (openpyxl refuses them) are removed from both.

Both writers stream: the CSV goes straight to its file, and openpyxl's write-only mode
keeps rows in a temporary file until the workbook is zipped, so memory stays flat
whatever the number of rows.

The workbook is laid out for reading, not only for importing: the header row is bold and
frozen, every column has a filter and a width, dates are real dates shown as "4 Mar
2026", and a kind may colour some words (the board's RAG) while keeping the words, so
that nothing is said by colour alone.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

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


DATE_FORMAT = "d mmm yyyy"
# Columns are at least this wide and at most that (in characters): wide enough for a
# date or a short word, never so wide that the next column leaves the screen.
MIN_WIDTH, MAX_WIDTH = 10, 50


@dataclass(frozen=True)
class Highlight:
    """A cell's fill and text colour (RGB hex); the cell keeps its words."""

    fill: str
    text: str


# Spreadsheets' own "good / neutral / bad" cell styles: dark text on a light fill, which
# keeps the contrast the words need.
RED = Highlight(fill="FFC7CE", text="9C0006")
AMBER = Highlight(fill="FFEB9C", text="9C5700")
GREEN = Highlight(fill="C6EFCE", text="006100")


@dataclass(frozen=True)
class Layout:
    """How a kind's sheet looks: widths by header (characters; the default fits the
    header), and by header the words whose cells are coloured."""

    widths: Mapping[str, int] = field(default_factory=dict)
    highlights: Mapping[str, Mapping[str, Highlight]] = field(default_factory=dict)

    def width(self, header: str) -> int:
        wanted = self.widths.get(header, len(header) + 2)
        return max(MIN_WIDTH, min(MAX_WIDTH, wanted))


def _xlsx_cell(
    sheet: Any, value: Cell, highlights: Mapping[str, Highlight] | None = None
) -> WriteOnlyCell:
    if isinstance(value, str):
        text = safe_text(value)
        cell = WriteOnlyCell(sheet, value=text)
        # openpyxl makes any text beginning with "=" a formula; a string type keeps
        # it as the words typed.
        cell.data_type = "s"
        colour = (highlights or {}).get(text)
        if colour is not None:
            cell.fill = PatternFill(fill_type="solid", fgColor=colour.fill)
            cell.font = Font(color=colour.text)
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def write_xlsx(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str = "Export",
    progress: Progress = _noop,
    layout: Layout | None = None,
) -> int:
    """Write the workbook; returns the number of rows (not counting the header)."""
    layout = layout or Layout()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=safe_text(title)[:31] or "Export")
    # Set before the first row: a write-only sheet writes its columns and panes first.
    sheet.freeze_panes = "A2"
    for number, text in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = layout.width(text)
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = _xlsx_cell(sheet, text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    highlights = [layout.highlights.get(text) for text in headers]
    done = 0
    for row in rows:
        sheet.append(
            [
                _xlsx_cell(sheet, value, colours)
                for value, colours in zip(row, highlights, strict=True)
            ]
        )
        done += 1
        progress(done)
    last_column = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last_column}{done + 1}"
    workbook.save(str(path))
    return done


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
