"""CSV and XLSX exports of the current board view: every row, the filters kept, and no
formula or control character reaching a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from legaltracker.board import exports
from legaltracker.cases.models import Child

pytestmark = pytest.mark.django_db
CSV = reverse("board:export_csv")
XLSX = reverse("board:export_xlsx")


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def xlsx_cells(response):
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows())


@pytest.fixture
def clo_client(client, staff):
    client.force_login(staff.court_liaison_officer)
    return client


def test_csv_has_every_row_of_the_view_not_just_the_page(clo_client, cases):
    response = clo_client.get(CSV + "?page_size=1&page=2")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="tracker-board-2026-03-04.csv"'
    rows = csv_rows(response)
    assert rows[0] == exports.HEADERS
    assert [r[0] for r in rows[1:]] == [
        cases.other_team.reference,
        cases.pre_proceedings.reference,
        cases.proceedings.reference,
        cases.gateway_green.reference,
    ]


def test_csv_columns_for_a_known_case(clo_client, cases):
    rows = csv_rows(clo_client.get(CSV + "?stage=pre_proceedings"))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Reference"] == cases.pre_proceedings.reference
    assert row["Children"] == "Ada Quillfeather"
    assert row["Team"] == "North Family Support"
    assert row["Stage"] == "Pre-proceedings"
    assert row["In stage since"] == "2026-01-07"
    assert row["Weeks in pre-proceedings"] == "8"
    assert row["Weeks since issue"] == ""
    assert row["Next deadline"] == "Review meeting held"
    assert row["Next deadline due"] == "2026-03-03"
    assert row["Next deadline status"] == "Overdue"
    assert row["RAG"] == "Red"
    assert row["Days since management oversight"] == "12"
    assert row["Last assessment"] == "2026-02-02"
    assert row["Assessment out of date"] == "No"
    assert row["Extensions"] == "1"
    assert (row["Urgent"], row["Unborn baby"]) == ("No", "No")


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_exports_keep_the_filters_and_the_sort(clo_client, cases, url):
    response = clo_client.get(url + "?rag=red&sort=-next_deadline")
    rows = csv_rows(response) if url == CSV else xlsx_rows(response)
    assert [r[0] for r in rows[1:]] == [cases.pre_proceedings.reference, cases.other_team.reference]


def test_team_manager_exports_only_their_team(client, cases, staff):
    client.force_login(staff.team_manager)
    references = {r[0] for r in csv_rows(client.get(CSV))[1:]}
    assert references == {
        cases.pre_proceedings.reference,
        cases.proceedings.reference,
        cases.gateway_green.reference,
    }


@pytest.fixture
def hostile(cases, staff):
    """Values that a spreadsheet would run, or could not hold. The services clean text on
    the way in; the exports must still be safe with whatever is stored."""
    Child.objects.filter(case=cases.pre_proceedings).update(
        first_name='=HYPERLINK("http://evil.example")', last_name="Bell\x07Ringer"
    )
    staff.team.name = "+SUM(A1:A9)"
    staff.team.save()
    staff.social_worker.first_name = "@cmd"
    staff.social_worker.last_name = "-2+3"
    staff.social_worker.save()
    return cases


def test_csv_neutralises_formulas_and_control_characters(clo_client, hostile):
    rows = csv_rows(clo_client.get(CSV + "?stage=pre_proceedings"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Children"] == '\'=HYPERLINK("http://evil.example") BellRinger'
    assert row["Team"] == "'+SUM(A1:A9)"
    assert row["Social worker"] == "'@cmd -2+3"
    for value in rows[1]:
        assert not value.startswith(exports.FORMULA_STARTS)
        assert "\x07" not in value


def test_xlsx_stores_formula_like_text_as_text(clo_client, hostile):
    response = clo_client.get(XLSX + "?stage=pre_proceedings")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="tracker-board-2026-03-04.xlsx"'
    header, row = xlsx_cells(response)
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    assert cells["Children"].value == '=HYPERLINK("http://evil.example") BellRinger'
    assert cells["Children"].data_type == "s"
    assert cells["Team"].value == "+SUM(A1:A9)" and cells["Team"].data_type == "s"
    assert cells["Social worker"].value == "@cmd -2+3" and cells["Social worker"].data_type == "s"
    assert all(c.data_type != "f" for c in row)
    assert cells["In stage since"].value == dt.datetime(2026, 1, 7)
    assert cells["Extensions"].value == 1


def test_xlsx_has_every_row_with_the_same_columns_as_csv(clo_client, cases):
    rows = xlsx_rows(clo_client.get(XLSX + "?page_size=1"))
    assert list(rows[0]) == exports.HEADERS
    assert len(rows) == 5


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_invalid_filters_on_an_export_say_what_to_fix(clo_client, cases, url):
    response = clo_client.get(url + "?rag=purple")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Choose red, amber or green." in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'=1+1"),
        ("\r\n=1", "'=1"),
        ("a\x00b\x1bc", "abc"),
        ("plain", "plain"),
        ("", ""),
        (None, ""),
        (7, "7"),
        (True, "Yes"),
        (dt.date(2026, 3, 4), "2026-03-04"),
    ],
)
def test_csv_cell(value, expected):
    assert exports.csv_cell(value) == expected
