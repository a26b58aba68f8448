"""Reading an uploaded sheet (CSV or XLSX) into rows of text, and reading the messy values
council trackers hold: dates written every way, stages spelt loosely (docs/imports.md).

Nothing here touches the database. A file that cannot be read raises `SheetError` with a
sentence a person can act on; a value that cannot be read gives a problem sentence.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from legaltracker.cases.choices import Relationship, Stage, ThresholdView
from legaltracker.core import clock
from legaltracker.core.errors import InvalidInput

from .columns import BY_FIELD, COLUMNS, KNOWN_HEADINGS, REQUIRED, heading_key

# Limits (docs/imports.md): a council's live cases fit in far less.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
# The page does its work inside the request, under the web timeout (60 s, docs/operations.md):
# a row takes 35-120 ms (SQLite-PostgreSQL, 2 busy cores), so 200 rows stay well under it;
# bigger sheets go through `import_tracker` or are split (docs/imports.md).
PAGE_MAX_ROWS = 200
MAX_COLUMNS = 100
MAX_CELL = 2000
# An XLSX is a zip: refused if its parts would unpack to more than this.
MAX_UNPACKED = 50 * 1024 * 1024

ACCEPTED = "Upload the tracker as a .csv file (CSV UTF-8) or an .xlsx workbook."


class SheetError(InvalidInput):
    """The file as a whole cannot be imported."""


@dataclass
class Sheet:
    headings: list[str]
    rows: list[tuple[int, list[str | dt.date | float | None]]]  # (row number, cells)
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    ignored: list[str] = field(default_factory=list)  # headings mapped to nothing

    def value(self, cells: list[Any], name: str) -> Any:
        index = self.columns.get(name)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value


# --- the file ---------------------------------------------------------------------------


def read_sheet(
    content: bytes, file_name: str, *, max_rows: int | None = None
) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The headings and the non-blank rows (numbered as in the sheet, headings = row 1)."""
    if not content:
        raise SheetError("The file is empty: upload the tracker with its heading row.")
    if len(content) > MAX_BYTES:
        raise SheetError(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split the tracker into smaller files, or leave "
            "out closed cases and columns the tracker does not need."
        )
    name = (file_name or "").lower()
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            "This is an old-style Excel file (.xls). In Excel use Save As and choose "
            "'Excel Workbook (.xlsx)' or 'CSV UTF-8', then upload that file."
        )
    if content.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        table = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        table = _read_csv(content)
    else:
        raise SheetError(f"'{file_name}' is not a file the import reads. {ACCEPTED}")
    return _rows(table, MAX_ROWS if max_rows is None else min(max_rows, MAX_ROWS))


def _rows(table: Any, max_rows: int) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    headings: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(table, start=1):
        cells = list(cells)[:MAX_COLUMNS]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if headings is None:
            headings = [str(c).strip() if c is not None else "" for c in cells]
            continue
        if len(rows) >= max_rows:
            raise SheetError(
                f"The sheet has more than {max_rows} rows of cases; the limit is {max_rows}. "
                "Split it into smaller files (each can be imported on its own; rows already "
                "imported are found again) or leave out closed cases."
            )
        rows.append((number, [_cell(c) for c in cells]))
    if headings is None:
        raise SheetError("The sheet has no rows: upload the tracker with its heading row.")
    if not rows:
        raise SheetError("The sheet has a heading row but no cases under it.")
    return headings, rows


def _cell(value: Any) -> Any:
    """A cell as the import reads it: text (trimmed to a sane length), a date or a
    number. A text cell starting with = + - or @ is kept as text: nothing is evaluated."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return float(value)
    if value is None:
        return None
    return str(value)[:MAX_CELL]


def _read_csv(content: bytes) -> Any:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(content, "utf-16")
    else:
        text = _decode(content, "utf-8-sig")
    if "\x00" in text:
        raise SheetError(f"The file is not a text file (it holds NUL bytes). {ACCEPTED}")
    # The separator is the one the heading row uses most (Excel writes ; in some locales,
    # "Unicode text" uses tabs); quoting is always Excel's.
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter))
    except csv.Error as error:
        raise SheetError(f"The CSV file cannot be read ({error}). {ACCEPTED}") from None


def _decode(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as error:
        byte = content[error.start : error.start + 1].hex().upper()
        line = content[: error.start].count(b"\n") + 1
        raise SheetError(
            f"The file is not in UTF-8: line {line} holds the byte 0x{byte}, which UTF-8 "
            "does not allow. It was probably saved as 'CSV (Comma delimited)', which uses "
            "the Windows character set. In Excel use Save As, choose 'CSV UTF-8 (Comma "
            "delimited)' and upload that file."
        ) from None


def _read_xlsx(content: bytes) -> Any:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SheetError(f"The file is not a valid .xlsx workbook. {ACCEPTED}") from None
    if unpacked > MAX_UNPACKED:
        raise SheetError(
            f"The workbook unpacks to {unpacked / 1024 / 1024:.0f} MB; the limit is "
            f"{MAX_UNPACKED // 1024 // 1024} MB. Copy the cases onto a new sheet with values "
            "only and upload that."
        )
    # Values only: a formula's cell gives the value Excel last saved; nothing is evaluated
    # here. A formula with no saved value (a workbook written by a program that does not
    # calculate) would read as blank: the file is refused, saying where.
    values = _first_sheet(content, data_only=True)
    blanks = [
        (r, c) for r, row in enumerate(values) for c, value in enumerate(row) if value is None
    ]
    if blanks:
        formulas = _first_sheet(content, data_only=False)
        for r, c in blanks:
            text = formulas[r][c] if r < len(formulas) and c < len(formulas[r]) else None
            if isinstance(text, str) and text.startswith("="):
                from openpyxl.utils import get_column_letter

                raise SheetError(
                    f"Cell {get_column_letter(c + 1)}{r + 1} holds a formula ({text[:40]}) "
                    "with no saved value, and the import does not calculate formulas. Open "
                    "the workbook in Excel and save it, or copy the cases and paste them as "
                    "values only."
                )
    return values


def _first_sheet(content: bytes, *, data_only: bool) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise SheetError(
            f"The workbook cannot be opened ({type(error).__name__}). {ACCEPTED}"
        ) from None
    try:
        if not book.worksheets:
            raise SheetError("The workbook has no sheets.")
        sheet = book.worksheets[0]
        rows: list[list[Any]] = []
        filled = 0
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row)[:MAX_COLUMNS])
            filled += any(value is not None for value in row)
            if filled > MAX_ROWS + 1:  # past any limit: `_rows` says so
                break
        return rows
    except SheetError:
        raise
    except Exception as error:
        raise SheetError(
            f"The workbook cannot be read ({type(error).__name__}). {ACCEPTED}"
        ) from None
    finally:
        book.close()


# --- the mapping ------------------------------------------------------------------------


def parse_mapping(text: str) -> dict[str, str]:
    """`Sheet heading = field` lines (or a JSON object of the same) into a dict."""
    import json

    text = (text or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            raise SheetError("The mapping is not valid JSON.") from None
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise SheetError('The mapping must be an object of "Sheet heading": "field".')
        mapping = dict(data)
    else:
        mapping = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            heading, equals, name = line.partition("=")
            if not equals or not heading.strip() or not name.strip():
                raise SheetError(
                    f"Line {number} of the mapping should read 'Sheet heading = field'."
                )
            mapping[heading.strip()] = name.strip()
    unknown = [name for name in mapping.values() if name not in BY_FIELD]
    if unknown:
        raise SheetError(
            f"The mapping names fields the tracker does not have: {', '.join(unknown)}. "
            "The fields are: " + ", ".join(BY_FIELD) + "."
        )
    return mapping


def map_columns(
    headings: list[str], mapping: Mapping[str, str]
) -> tuple[dict[str, int], list[str]]:
    """Which column holds each field: the mapping first, then the known headings."""
    explicit = {heading_key(k): v for k, v in mapping.items()}
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, heading in enumerate(headings):
        key = heading_key(heading)
        name = explicit.get(key) or (KNOWN_HEADINGS.get(key) if key not in explicit else None)
        if name is None or name in columns:
            if heading:
                ignored.append(heading)
            continue
        columns[name] = index
    missing = [BY_FIELD[name].heading for name in REQUIRED if name not in columns]
    if missing:
        raise SheetError(
            "The sheet has no column for: " + ", ".join(missing) + ". Add the columns, "
            "named as in the template sheet, or map your headings to them (for example "
            f"'{headings[0] or 'Your heading'} = reference')."
        )
    return columns, ignored


def template_headings() -> list[str]:
    return [c.heading for c in COLUMNS]


# --- values -----------------------------------------------------------------------------

_MONTHS = (
    {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    | {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{4}|\d{2})", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE)
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
# Excel counts days from 30 December 1899 (its 1900 leap-year bug included).
EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (366, 73415)  # 1901 to 2100


class DateProblem(ValueError):
    pass


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two figures: this century unless that would be more than five years ahead.
        pivot = clock.today().year % 100 + 5
        year += 2000 if year <= pivot else 1900
    return year


def _make(year: int, month: int, day: int, raw: str) -> dt.date:
    if not 1 <= month <= 12:
        raise DateProblem(
            f"'{raw}' has no month {month}: dates are read as day/month/year, as in the UK."
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        days = calendar.monthrange(year, month)[1] if 1900 <= year <= 9999 else 0
        month_name = calendar.month_name[month]
        raise DateProblem(
            f"'{raw}' is not a real date: {month_name} {year} has {days} days."
            if days
            else f"'{raw}' is not a real date: check the year."
        ) from None


def parse_date(value: Any) -> dt.date | None:
    """A date from a sheet's cell, or None for a blank one; `DateProblem` otherwise.

    Reads dates as in the UK: 03/04/2026 is 3 April. Also ISO (2026-04-03), words
    (3 April 2026, 3 Apr 26, April 3, 2026) and Excel's day numbers (46115)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _serial(value, str(value))
    raw = str(value).strip()
    if not raw:
        return None
    if match := _ISO.fullmatch(raw):
        return _make(int(match[1]), int(match[2]), int(match[3]), raw)
    if match := _NUMERIC.fullmatch(raw):
        return _make(_year(match[3]), int(match[2]), int(match[1]), raw)
    if _SERIAL.fullmatch(raw):
        return _serial(float(raw), raw)
    if match := _DAY_MONTH_YEAR.fullmatch(raw):
        month = _MONTHS.get(match[2].lower())
        if month:
            return _make(_year(match[3]), month, int(match[1]), raw)
    if match := _MONTH_DAY_YEAR.fullmatch(raw):
        month = _MONTHS.get(match[1].lower())
        if month:
            return _make(int(match[3]), month, int(match[2]), raw)
    raise DateProblem(
        f"'{raw[:40]}' is not a date the import can read: write it as 03/04/2026 "
        "(day/month/year) or 2026-04-03."
    )


def _serial(number: float, raw: str) -> dt.date:
    if number != int(number) or not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise DateProblem(
            f"'{raw}' is a number, not a date: format the cell as a date, or write it as "
            "03/04/2026 (day/month/year)."
        )
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


_STAGES = {
    Stage.CONCERN: {"concern", "new", "newconcern", "referral", "notyetreferred"},
    Stage.LEGAL_GATEWAY: {
        "legalgateway",
        "gateway",
        "lgm",
        "legalgatewaymeeting",
        "legalplanningmeeting",
        "lpm",
        "referredtogateway",
        "awaitinggateway",
        "legalplanning",
    },
    Stage.PRE_PROCEEDINGS: {
        "preproceedings",
        "preproceeding",
        "preproc",
        "preprocs",
        "plo",
        "plopreproceedings",
        "publiclawoutline",
        "prepro",
    },
    Stage.ISSUE: {"issue", "issuing", "toissue", "issuedecided", "issueagreed", "awaitingissue"},
    Stage.PROCEEDINGS: {"proceedings", "careproceedings", "inproceedings", "court", "incourt"},
    Stage.CLOSED: {"closed", "steppeddown", "stepdown", "nfa", "ended"},
}
_STAGE_BY_KEY = {key: stage for stage, keys in _STAGES.items() for key in keys}
IMPORTED_STAGES = [Stage.CONCERN, Stage.LEGAL_GATEWAY, Stage.PRE_PROCEEDINGS, Stage.ISSUE]


def parse_stage(value: Any) -> str:
    """The stage a loosely spelt cell means; `ValueError` with the reason otherwise."""
    stage = _STAGE_BY_KEY.get(heading_key(value))
    if stage is None:
        raise ValueError(
            f"'{str(value)[:40]}' is not a stage the import knows: write concern, legal "
            "gateway, pre-proceedings or issue."
        )
    if stage == Stage.PROCEEDINGS:
        raise ValueError(
            "Cases already in care proceedings are not imported: the issue, the court "
            "reference and the Day 1 documents are a lawyer's to record. Import the case "
            "at the issue stage and the lawyer records the application as issued."
        )
    if stage == Stage.CLOSED:
        raise ValueError("Only live cases are imported: leave closed cases out of the sheet.")
    return str(stage)


_THRESHOLD = {
    "met": ThresholdView.MET,
    "yes": ThresholdView.MET,
    "thresholdmet": ThresholdView.MET,
    "notmet": ThresholdView.NOT_MET,
    "no": ThresholdView.NOT_MET,
    "thresholdnotmet": ThresholdView.NOT_MET,
    "finelybalanced": ThresholdView.FINELY_BALANCED,
    "balanced": ThresholdView.FINELY_BALANCED,
    "borderline": ThresholdView.FINELY_BALANCED,
}


def parse_threshold(value: Any) -> str:
    view = _THRESHOLD.get(heading_key(value))
    if view is None:
        raise ValueError(
            f"'{str(value)[:40]}' is not a threshold view: write met, not met or finely balanced."
        )
    return str(view)


_RELATIONSHIP = (
    {heading_key(r.label): r.value for r in Relationship}
    | {heading_key(r.value): r.value for r in Relationship}
    | {
        "mum": "mother",
        "mom": "mother",
        "dad": "father",
        "stepmother": "step_parent",
        "stepfather": "step_parent",
        "stepparent": "step_parent",
        "grandmother": "grandparent",
        "grandfather": "grandparent",
        "nan": "grandparent",
        "aunt": "other_relative",
        "uncle": "other_relative",
    }
)


def parse_relationship(value: Any) -> str:
    found = _RELATIONSHIP.get(heading_key(value))
    if found is None:
        raise ValueError(
            f"'{str(value)[:40]}' is not a relationship the tracker knows: write "
            + ", ".join(r.label.lower() for r in Relationship)
            + "."
        )
    return found


def shown(value: Any) -> str:
    """A cell's value as a report shows it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)[:80]
