"""The inspection list's page and its file: the period, one click to the export's page,
the file's rows and columns, the job recording who, when and which period; form errors
for a period that cannot be used; refused for everyone but heads of service and
performance officers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from legaltracker.accounts.models import Role
from legaltracker.cases.models import Child
from legaltracker.exports.choices import ExportStatus
from legaltracker.exports.models import ExportJob
from legaltracker.inspection import exports
from tests.exports.helpers import download
from tests.factories import case_at

from .cohort import END, START, build

pytestmark = pytest.mark.django_db
URL = reverse("inspection:list")
PERIOD = {"from": "1/9/2025", "to": "28/2/2026"}


@pytest.fixture
def cohort(staff, other_staff, today):
    return build(staff, other_staff)


def produce(client, user, data, capture, file_format="xlsx"):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(URL, {**data, "format": file_format})
    return response


def fetched(client, job: ExportJob) -> bytes:
    got = download(client, job)
    assert got.status_code == 200
    return b"".join(got.streaming_content)


def test_the_page_offers_the_last_twelve_months_and_one_button(client, staff, today):
    client.force_login(staff.head_of_service)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="05/03/2025"' in html and 'value="04/03/2026"' in html
    assert "Produce the inspection list" in html
    assert "csrfmiddlewaretoken" in html
    # Back from an export's page, the period asked for.
    again = client.get(URL, {"from": "2025-09-01", "to": "2026-02-28"}).content.decode()
    assert 'value="01/09/2025"' in again and 'value="28/02/2026"' in again


def test_one_click_makes_the_file_and_the_job_records_who_when_and_the_period(
    client, cohort, staff, queue, django_capture_on_commit_callbacks
):
    user = staff.performance_officer
    response = produce(client, user, PERIOD, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    assert (job.kind, job.file_format, job.status) == ("inspection_list", "xlsx", ExportStatus.DONE)
    assert (job.requested_by, job.role_at_request) == (user, Role.PERFORMANCE_OFFICER)
    assert job.requested_at is not None
    assert job.params == {"from": START.isoformat(), "to": END.isoformat()}
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "Period: 1 September 2025 to 28 February 2026" in page
    assert f'href="{URL}?from=2025-09-01&amp;to=2026-02-28"' in page

    sheet = load_workbook(io.BytesIO(fetched(client, job)), read_only=True).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == exports.HEADERS
    names = [row[exports.HEADERS.index("Child")] for row in table[1:]]
    assert names == ["Cal Long", "Bea Boundary", "Dot During", "Eli During", "Fay Direct"]
    dot = dict(zip(exports.HEADERS, table[3], strict=True))
    assert dot["LA child id"] == "LA2001"
    assert dot["Case reference"] == cohort.entered_during.reference
    assert dot["Initial meeting"].date() == dt.date(2025, 12, 17)
    assert dot["Review meetings"] == 2
    assert dot["Stage now"] == "Pre-proceedings"


def test_the_csv_has_the_same_rows(
    client, cohort, staff, queue, django_capture_on_commit_callbacks
):
    produce(client, staff.head_of_service, PERIOD, django_capture_on_commit_callbacks, "csv")
    job = ExportJob.objects.get()
    assert job.file_format == "csv"
    rows = list(csv.reader(io.StringIO(fetched(client, job).decode("utf-8-sig"))))
    assert rows[0] == exports.HEADERS
    fay = dict(zip(exports.HEADERS, rows[5], strict=True))
    assert (fay["Child"], fay["Team"]) == ("Fay Direct", "South Family Support")
    assert (fay["Issued"], fay["First hearing"]) == ("2025-10-02", "2025-10-16")
    assert fay["Pre-proceedings started"] == ""


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"from": "", "to": "28/2/2026"}, "from", "Enter the start of the period"),
        ({"from": "1/9/2025", "to": "31/2/2026"}, "to", "Enter a real date, for example 27/3/2026"),
        ({"from": "1/9/2025", "to": "31/8/2025"}, "to", "must be the same as or after its start"),
        ({"from": "1/1/2000", "to": "1/1/2026"}, "to", "The period can be 10 years at most"),
    ],
)
def test_a_period_that_cannot_be_used_is_a_form_error_and_starts_nothing(
    client, staff, today, django_capture_on_commit_callbacks, data, field, message
):
    response = produce(client, staff.head_of_service, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{field}"' in html
    assert message in html
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    "role",
    ["social_worker", "team_manager", "legal", "court_liaison_officer", "administrator"],
)
def test_other_roles_are_refused_and_start_nothing(client, staff, today, role):
    client.force_login(staff.by_role(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**PERIOD, "format": "xlsx"}).status_code == 403
    assert not ExportJob.objects.exists()


def test_signed_out_goes_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign_in"))


def test_too_many_exports_at_once_is_said_on_the_page(client, staff, today, settings):
    settings.EXPORTS_MAX_ACTIVE_PER_PERSON = 1
    client.force_login(staff.head_of_service)
    # Queued, not run: the first stays active.
    assert client.post(URL, {**PERIOD, "format": "xlsx"}).status_code == 302
    response = client.post(URL, {**PERIOD, "format": "csv"})
    assert response.status_code == 429
    assert "exports being made" in response.content.decode()
    assert ExportJob.objects.count() == 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formula_like_names_are_text_in_the_file(
    client, staff, today, queue, django_capture_on_commit_callbacks, file_format
):
    case = case_at("pre_proceedings", staff)
    Child.objects.filter(case=case).update(first_name='=HYPERLINK("http://evil.example")')
    staff.team.name = "+SUM(A1:A9)"
    staff.team.save()
    period = {"from": "1/1/2026", "to": "4/3/2026"}
    produce(client, staff.head_of_service, period, django_capture_on_commit_callbacks, file_format)
    content = fetched(client, ExportJob.objects.get())
    if file_format == "csv":
        cells = [v for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for v in row]
        assert "'+SUM(A1:A9)" in cells
        assert not [v for v in cells if v.startswith(("=", "+", "-", "@"))]
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert "+SUM(A1:A9)" in [cell.value for cell in cells]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
