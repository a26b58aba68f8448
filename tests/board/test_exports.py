"""CSV and XLSX exports of the current board view, made by the export task: every row,
the filters kept, only the cases the person may see, and no formula or control
character reaching a spreadsheet. The request itself only starts the job."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from legaltracker.audit.services import case_restrict
from legaltracker.board import exports
from legaltracker.cases.models import Child
from legaltracker.exports.choices import ExportStatus
from legaltracker.exports.models import ExportJob
from tests.exports.helpers import download, start, sync_queue

pytestmark = pytest.mark.django_db
CSV = reverse("board:export_csv")
XLSX = reverse("board:export_xlsx")


@pytest.fixture(autouse=True)
def exports_storage(settings, tmp_path):
    settings.EXPORTS_STORAGE_ROOT = str(tmp_path / "exports")


@pytest.fixture(autouse=True)
def queue(settings):
    with sync_queue(settings):
        yield


@pytest.fixture
def export(client, django_capture_on_commit_callbacks):
    """Start an export as `user` and download its file: (download response, job)."""

    def run(user, url):
        client.force_login(user)
        response, job = start(client, url, django_capture_on_commit_callbacks)
        assert response.status_code == 302, response.content.decode()[:500]
        job.refresh_from_db()
        assert job.status == ExportStatus.DONE, job.error
        got = download(client, job)
        assert got.status_code == 200
        got.body = b"".join(got.streaming_content)
        return got, job

    return run


def csv_rows(response) -> list[list[str]]:
    text = response.body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.body))
    return list(book.active.iter_rows(values_only=True))


def xlsx_cells(response):
    book = load_workbook(io.BytesIO(response.body))
    return list(book.active.iter_rows())


def references(response, url=CSV) -> set[str]:
    rows = csv_rows(response) if url == CSV else xlsx_rows(response)
    return {r[0] for r in rows[1:]}


def test_csv_has_every_row_of_the_view_not_just_the_page(export, cases, staff):
    response, job = export(staff.court_liaison_officer, CSV + "?page_size=1&page=2")
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
    assert (job.rows_total, job.rows_done, job.today) == (4, 4, dt.date(2026, 3, 4))
    assert job.params == {"sort": "next_deadline"}


def test_csv_columns_for_a_known_case(export, cases, staff):
    response, _ = export(staff.court_liaison_officer, CSV + "?stage=pre_proceedings")
    rows = csv_rows(response)
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
def test_exports_keep_the_filters_and_the_sort(export, cases, staff, url):
    response, job = export(staff.court_liaison_officer, url + "?rag=red&sort=-next_deadline")
    rows = csv_rows(response) if url == CSV else xlsx_rows(response)
    assert [r[0] for r in rows[1:]] == [cases.pre_proceedings.reference, cases.other_team.reference]
    assert job.params == {"rag": ["red"], "sort": "-next_deadline"}


def test_the_job_page_says_what_the_file_holds_and_links_back(client, export, cases, staff):
    _, job = export(staff.court_liaison_officer, XLSX + "?rag=red&stage=pre_proceedings")
    html = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "Tracker board" in html and "Stage: Pre-proceedings" in html
    assert "RAG status: Red" in html
    assert 'href="/board/?stage=pre_proceedings&amp;rag=red&amp;sort=next_deadline"' in html


def test_team_manager_exports_only_their_team(export, cases, staff):
    response, _ = export(staff.team_manager, CSV)
    assert references(response) == {
        cases.pre_proceedings.reference,
        cases.proceedings.reference,
        cases.gateway_green.reference,
    }


def test_another_teams_manager_gets_only_their_own_team(export, cases, other_staff):
    response, _ = export(other_staff.team_manager, XLSX)
    assert references(response, XLSX) == {cases.other_team.reference}


def test_a_restricted_case_is_in_no_file_but_of_those_named(export, cases, staff):
    case_restrict(
        case_id=cases.pre_proceedings.pk,
        actor=staff.head_of_service,
        reason="A member of staff's family.",
        named_user_ids=[staff.team_manager.pk],
    )
    restricted = cases.pre_proceedings.reference
    for user in (staff.court_liaison_officer, staff.legal):
        response, _ = export(user, CSV)
        assert restricted not in references(response), user
        assert cases.proceedings.reference in references(response)
    for user in (staff.team_manager, staff.head_of_service):
        response, _ = export(user, CSV)
        assert restricted in references(response), user


def test_the_file_holds_what_the_person_may_see_when_it_is_made(
    client, cases, staff, django_capture_on_commit_callbacks
):
    """The task runs as the person who asked, at the time it runs: a case restricted
    between the request and the task is not in the file."""
    client.force_login(staff.court_liaison_officer)
    # Queued, not run: no callbacks executed.
    response = client.get(CSV)
    job = ExportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == ExportStatus.QUEUED
    case_restrict(
        case_id=cases.proceedings.pk,
        actor=staff.head_of_service,
        reason="A member of staff's family.",
    )
    from legaltracker.exports import services

    services.export_build(job_id=job.pk)
    got = download(client, job)
    got.body = b"".join(got.streaming_content)
    assert cases.proceedings.reference not in references(got)
    assert cases.pre_proceedings.reference in references(got)


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


def test_csv_neutralises_formulas_and_control_characters(export, hostile, staff):
    response, _ = export(staff.court_liaison_officer, CSV + "?stage=pre_proceedings")
    rows = csv_rows(response)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Children"] == '\'=HYPERLINK("http://evil.example") BellRinger'
    assert row["Team"] == "'+SUM(A1:A9)"
    assert row["Social worker"] == "'@cmd -2+3"
    for value in rows[1]:
        assert not value.startswith(exports.FORMULA_STARTS)
        assert "\x07" not in value


def test_xlsx_stores_formula_like_text_as_text(export, hostile, staff):
    response, _ = export(staff.court_liaison_officer, XLSX + "?stage=pre_proceedings")
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


def test_xlsx_has_every_row_with_the_same_columns_as_csv(export, cases, staff):
    response, _ = export(staff.court_liaison_officer, XLSX + "?page_size=1")
    rows = xlsx_rows(response)
    assert list(rows[0]) == exports.HEADERS
    assert len(rows) == 5


@pytest.mark.parametrize("url", [CSV, XLSX])
@pytest.mark.parametrize(
    "query", ["?rag=purple", "?stage=closed", "?due_within=soon", "?social_worker=x%00"]
)
def test_invalid_filters_on_an_export_say_what_to_fix_and_start_nothing(
    client, cases, staff, url, query
):
    client.force_login(staff.court_liaison_officer)
    response = client.get(url + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_people_who_may_not_see_the_board_start_no_export(client, cases, staff, url):
    for user in (staff.social_worker, staff.administrator):
        client.force_login(user)
        assert client.get(url).status_code == 403
    assert not ExportJob.objects.exists()


def test_the_request_only_records_the_job(client, cases, staff):
    """No case, deadline or child is read by the request: it takes the same time with
    any number of cases (bench/exports.py measures it)."""
    client.force_login(staff.court_liaison_officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(XLSX + "?stage=proceedings")
    assert response.status_code == 302
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("cases_case", "cases_child", "deadlines_deadline", "cases_recordedevent"):
        assert table not in read
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.QUEUED and job.rows_total is None


def test_too_many_exports_at_once_are_refused_on_the_board(client, cases, staff, settings):
    settings.EXPORTS_MAX_ACTIVE_PER_PERSON = 1
    client.force_login(staff.court_liaison_officer)
    assert client.get(CSV).status_code == 302
    response = client.get(XLSX)
    assert response.status_code == 429
    assert "1 exports being made" in response.content.decode()


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


def test_the_xlsx_is_laid_out_for_reading(export, cases, staff):
    """A frozen bold header with a filter over every column, widths that fit the words,
    real dates, and the RAG coloured beside its word (never colour alone)."""
    response, _ = export(staff.court_liaison_officer, XLSX)
    sheet = load_workbook(io.BytesIO(response.body)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:AD{sheet.max_row}" and sheet.max_row == 5
    assert len(exports.HEADERS) == 30  # A to AD
    header = [cell.value for cell in sheet[1]]
    assert all(cell.font.b for cell in sheet[1])
    widths = {
        name: sheet.column_dimensions[cell.column_letter].width
        for name, cell in zip(header, sheet[1], strict=True)
    }
    assert widths["Children"] == 30 and widths["Next deadline"] == 34
    assert all(10 <= width <= 50 for width in widths.values())
    rag = header.index("RAG") + 1
    due = header.index("Next deadline due") + 1
    colours = {"Red": "00FFC7CE", "Amber": "00FFEB9C", "Green": "00C6EFCE"}
    seen = set()
    for row in sheet.iter_rows(min_row=2):
        cell = row[rag - 1]
        assert cell.value in colours
        assert cell.fill.fgColor.rgb == colours[cell.value], cell.value
        seen.add(cell.value)
        when = row[due - 1]
        if when.value is not None:
            assert isinstance(when.value, dt.datetime) and when.number_format == "d mmm yyyy"
    assert "Red" in seen
