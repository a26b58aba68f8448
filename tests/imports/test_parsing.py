"""The parser on its own: every messy date form, loose stages, and files that cannot be read."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from legaltracker.core import clock
from legaltracker.imports import parsing
from legaltracker.imports.parsing import DateProblem, SheetError, parse_date, parse_stage

from .helpers import csv_bytes, row

APRIL_3 = dt.date(2026, 4, 3)


@pytest.mark.parametrize(
    "written",
    [
        "03/04/2026",  # UK day/month
        "3/4/2026",
        "3/4/26",
        "03-04-2026",
        "03.04.2026",
        "3 April 2026",
        "3rd April 2026",
        "3 Apr 26",
        "3 apr 2026",
        "3-Apr-2026",
        "April 3, 2026",
        "2026-04-03",
        "2026-04-03 00:00:00",
        "46115",  # Excel's day number, typed or exported as text
        46115.0,  # ... or read from a number cell of a workbook
        dt.datetime(2026, 4, 3, 0, 0),
        APRIL_3,
    ],
)
def test_each_date_form_reads_as_3_april_2026(written):
    with clock.frozen(dt.date(2026, 12, 1)):
        assert parse_date(written) == APRIL_3


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_a_blank_cell_is_no_date(blank):
    assert parse_date(blank) is None


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("31/02/2026", "February 2026 has 28 days"),
        ("29/02/2025", "February 2025 has 28 days"),
        ("31/04/2026", "April 2026 has 30 days"),
        ("12/13/2026", "no month 13"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("TBC", "not a date the import can read"),
        ("next week", "not a date the import can read"),
        ("3 Smarch 2026", "not a date the import can read"),
        (12.5, "a number, not a date"),
        (5.0, "a number, not a date"),
    ],
)
def test_an_impossible_or_unreadable_date_says_why(written, says):
    with pytest.raises(DateProblem, match=says):
        parse_date(written)


def test_a_leap_day_is_a_real_date():
    assert parse_date("29/02/2028") == dt.date(2028, 2, 29)


def test_two_figure_years_are_this_century_unless_far_ahead():
    with clock.frozen(dt.date(2026, 12, 1)):
        assert parse_date("1/1/31") == dt.date(2031, 1, 1)
        assert parse_date("1/1/32") == dt.date(1932, 1, 1)


@pytest.mark.parametrize(
    ("written", "stage"),
    [
        ("Pre proceedings", "pre_proceedings"),
        ("Pre-proceedings", "pre_proceedings"),
        ("PLO", "pre_proceedings"),
        ("pre-proc", "pre_proceedings"),
        ("LGM", "legal_gateway"),
        ("Legal Gateway", "legal_gateway"),
        ("concern", "concern"),
        ("To issue", "issue"),
    ],
)
def test_stages_spelt_loosely(written, stage):
    assert parse_stage(written) == stage


@pytest.mark.parametrize(
    ("written", "says"),
    [("Care proceedings", "lawyer"), ("Closed", "live cases"), ("Assessment", "not a stage")],
)
def test_stages_not_imported_say_why(written, says):
    with pytest.raises(ValueError, match=says):
        parse_stage(written)


# --- files ------------------------------------------------------------------------------


def _refused(content: bytes, name: str, says: str) -> None:
    with pytest.raises(SheetError, match=says):
        parsing.read_sheet(content, name)


def test_an_empty_file():
    _refused(b"", "tracker.csv", "empty")


def test_a_file_of_another_type():
    _refused(b"%PDF-1.7 ...", "tracker.pdf", "not a file the import reads")


def test_an_old_excel_file():
    _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "tracker.xls", "old-style Excel")


def test_a_broken_workbook():
    _refused(b"PK\x03\x04 not really a zip", "tracker.xlsx", "not a valid .xlsx")


def test_a_csv_in_the_windows_character_set_says_what_went_wrong():
    content = "Reference,Child last name\nTRK-1,Côté\n".encode("cp1252")
    _refused(content, "tracker.csv", r"not in UTF-8: line 2 holds the byte 0xF4.*CSV UTF-8")


def test_a_csv_in_utf16_with_its_mark_is_read():
    content = "Reference\tChild last name\nTRK-1\tCôté\n".encode("utf-16")
    headings, rows = parsing.read_sheet(content, "tracker.txt")
    assert headings == ["Reference", "Child last name"]
    assert rows == [(2, ["TRK-1", "Côté"])]


def test_a_csv_with_a_byte_order_mark_and_semicolons():
    content = "\ufeffReference;Team\nTRK-1;riverside\n".encode()
    assert parsing.read_sheet(content, "t.csv") == (
        ["Reference", "Team"],
        [(2, ["TRK-1", "riverside"])],
    )


def test_a_huge_file_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_BYTES", 1000)
    _refused(b"Reference\n" + b"TRK-1\n" * 500, "tracker.csv", "the limit is")


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 3)
    _refused(csv_bytes(*[row(Reference=f"R{n}") for n in range(4)]), "t.csv", "more than 3 rows")


def test_headings_without_rows():
    _refused(b"Reference,Team\n\n,\n", "t.csv", "no cases under it")


def test_a_workbook_that_unpacks_too_large(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_UNPACKED", 10_000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", "a" * 100_000)
    _refused(out.getvalue(), "tracker.xlsx", "unpacks to")


def _workbook(*rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    for cells in rows:
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_saved_values(content: bytes, saved: str) -> bytes:
    """The workbook as Excel would save it: each formula with its last value."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v></v>", f"<v>{saved}</v>".encode())
                data = data.replace(b'<c r="C2">', b'<c r="C2" t="str">')
            target.writestr(item, data)
    return out.getvalue()


HEADINGS = ["Reference", "Opened on", "Child first name", "Child last name"]


def test_a_workbooks_dates_and_day_numbers_are_read():
    content = _workbook(
        HEADINGS,
        ["TRK-1", dt.datetime(2026, 4, 3), "Ada", "Ashcombe"],
        ["TRK-2", 46115, "Bryn", "Cobbleworth"],
    )
    _, rows = parsing.read_sheet(content, "tracker.xlsx")
    assert rows == [
        (2, ["TRK-1", APRIL_3, "Ada", "Ashcombe"]),
        (3, ["TRK-2", 46115.0, "Bryn", "Cobbleworth"]),
    ]


def test_a_formula_is_never_calculated_its_saved_value_is_read():
    content = _workbook(HEADINGS, ["TRK-1", "03/04/2026", '=HYPERLINK("http://x","y")', "Ashcombe"])
    # Saved by a program that does not calculate: no value, so the file is refused.
    _refused(content, "tracker.xlsx", r"Cell C2 holds a formula \(=HYPERLINK.*no saved value")
    # Saved by Excel: the value it saved is read, as text.
    _, rows = parsing.read_sheet(_with_saved_values(content, "y"), "tracker.xlsx")
    assert rows == [(2, ["TRK-1", "03/04/2026", "y", "Ashcombe"])]


def test_mapping_lines_and_unknown_fields():
    assert parsing.parse_mapping("Case no = reference\nSW = social_worker") == {
        "Case no": "reference",
        "SW": "social_worker",
    }
    with pytest.raises(SheetError, match="fields the tracker does not have: colour"):
        parsing.parse_mapping("Colour = colour")
    with pytest.raises(SheetError, match="Line 1"):
        parsing.parse_mapping("just words")


def test_missing_required_columns_are_named():
    with pytest.raises(SheetError, match="no column for: Team, Social worker"):
        parsing.map_columns(["Reference", "Opened", "Surname", "Status"], {})


def test_known_headings_and_a_mapping_find_the_columns():
    columns, ignored = parsing.map_columns(
        ["Case no", "Team", "Allocated SW", "Date opened", "Surname", "Status", "Colour"],
        {"Case no": "reference"},
    )
    assert columns == {
        "reference": 0,
        "team": 1,
        "social_worker": 2,
        "opened_on": 3,
        "child_last_name": 4,
        "stage": 5,
    }
    assert ignored == ["Colour"]
