"""The census return page (`/census/<year>/`): counts, findings with their fix pages,
errors told from queries, pages of findings, the downloads, and who may see it."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.audit.models import AccessLog
from legaltracker.census import exporting, views
from legaltracker.exports.models import ExportJob
from legaltracker.exports.services import export_build
from legaltracker.web.access import CENSUS_ROLES
from tests.factories import UserFactory

from . import census_data
from .census_data import YEAR, census_case

census_today = census_data.census_today
performance_officer = census_data.performance_officer

pytestmark = pytest.mark.django_db

PAGE = f"/census/{YEAR}/"


@pytest.fixture
def findings_return(staff, census_today):
    """One clean child and one with neither an LAchildID nor a CIN episode."""
    clean = census_case(staff, la_child_id="LA0001")
    failing = census_case(staff, la_child_id="", referral=None)
    return clean, failing


@pytest.fixture
def officer_client(client, performance_officer):
    client.force_login(performance_officer)
    return client


def test_census_redirects_to_the_current_census_year(officer_client, census_today):
    response = officer_client.get("/census/")
    assert response.status_code == 302
    assert response["Location"] == reverse("census:return", kwargs={"year": YEAR})
    assert reverse("census:return") == "/census/"


def test_the_year_list_goes_to_the_year_chosen(officer_client, census_today):
    response = officer_client.get("/census/", {"year": "2027"})
    assert response.status_code == 302
    assert response["Location"] == "/census/2027/"


def test_the_page_counts_and_lists_each_finding_with_its_fix(officer_client, findings_return):
    _, failing = findings_return
    response = officer_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    counts = response.context["counts"]
    assert (counts.blocks, counts.children, counts.errors, counts.queries) == (2, 2, 2, 0)
    assert 'id="count-errors"><strong class="govuk-tag govuk-tag--red">2 errors</strong>' in html
    rows = response.context["page"].object_list
    assert [(r.finding.code, r.case_reference) for r in rows] == [
        ("LT01", failing.reference),
        ("LT04", failing.reference),
    ]
    # A performance officer opens no case: the row says who fixes it instead of linking.
    people = reverse("casework:case_people", args=[failing.pk])
    assert f'href="{people}"' not in html
    assert "Fixed by the case&#x27;s team" in html
    assert 'govuk-tag--red">Error</strong>' in html
    assert "No LAchildID" in html
    assert f'href="{reverse("census:xml", args=[YEAR])}"' in html


def test_the_page_warns_while_the_outcome_codes_are_unconfirmed(officer_client, census_today):
    from legaltracker.census.models import OutcomeCode

    assert 'id="codes-unconfirmed"' in officer_client.get(PAGE).content.decode()
    OutcomeCode.objects.update(confirmed=True)
    assert 'id="codes-unconfirmed"' not in officer_client.get(PAGE).content.decode()


def test_a_head_of_service_gets_the_link_to_the_page_where_it_is_fixed(
    client, staff, findings_return
):
    _, failing = findings_return
    client.force_login(staff.head_of_service)
    html = client.get(PAGE).content.decode()
    assert f'href="{reverse("casework:case_people", args=[failing.pk])}"' in html
    assert "Fixed by" not in html


def test_queries_are_told_apart_from_errors(officer_client, census_today):
    # An empty return: one query for the whole return, no error.
    response = officer_client.get(PAGE)
    html = response.content.decode()
    assert response.context["counts"].queries == 1
    assert 'govuk-tag--yellow">Query</strong>' in html
    assert 'govuk-tag--red">Error</strong>' not in html
    assert "The whole return" in html


def test_the_findings_come_a_page_at_a_time(officer_client, findings_return, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    first = officer_client.get(PAGE)
    second = officer_client.get(PAGE, {"page": "2"})
    assert [r.finding.code for r in first.context["page"].object_list] == ["LT01"]
    assert [r.finding.code for r in second.context["page"].object_list] == ["LT04"]
    assert 'aria-label="Pages of errors and queries"' in first.content.decode()
    # A page that is not one shows the nearest page, never an error.
    assert officer_client.get(PAGE, {"page": "x"}).status_code == 200


def test_a_clean_return_says_it_is_ready(officer_client, staff, census_today):
    census_case(staff, la_child_id="LA0001")
    html = officer_client.get(PAGE).content.decode()
    assert "No errors or queries: the return is ready to send." in html


@pytest.mark.parametrize("year", ["20x6", "1999", "202"])
def test_a_year_that_is_not_one_is_a_page_saying_so(officer_client, census_today, year):
    response = officer_client.get(f"/census/{year}/")
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert response.context["error"].startswith("Enter ")


@pytest.mark.parametrize("role", sorted(set(Role.values) - set(CENSUS_ROLES)))
def test_other_roles_are_refused(client, census_today, role):
    client.force_login(UserFactory(username=f"someone-{role}", role=role))
    for url in ("/census/", PAGE, f"{PAGE}return.xml"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{PAGE}export.csv").status_code == 403
    assert not ExportJob.objects.exists()


def test_a_head_of_service_may_see_it(client, staff, census_today):
    client.force_login(staff.head_of_service)
    assert client.get(PAGE).status_code == 200


def test_signed_out_goes_to_sign_in(client, census_today):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "sign" in response["Location"]


def test_the_xml_download_streams_the_return_and_is_logged(
    officer_client, performance_officer, findings_return
):
    response = officer_client.get(f"{PAGE}return.xml")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="cin-census-pre-proceedings-2026-'
    )
    root = ET.fromstring(b"".join(response.streaming_content))
    assert len(root.findall("Children/Child")) == 2
    row = AccessLog.objects.get(action=exporting.PAGE_ACTION)
    assert row.actor_id == performance_officer.pk
    assert row.object_id == YEAR
    assert row.details == {"census_year": YEAR, "format": exporting.FORMAT_CODES["xml"]}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_csv_and_xlsx_are_exports_with_who_when_and_the_year(
    officer_client, performance_officer, findings_return, file_format
):
    response = officer_client.post(f"{PAGE}export.{file_format}")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", kwargs={"export_id": job.pk})
    assert (job.kind, job.file_format, job.params) == ("census", file_format, {"year": YEAR})
    assert job.requested_by == performance_officer
    built = export_build(job_id=job.pk)
    assert built is not None
    assert (built.status, built.rows_total, built.rows_done) == ("done", 2, 2)
    page = officer_client.get(reverse("exports:job", kwargs={"export_id": job.pk}))
    assert "Census year: 1 April 2026 to 31 March 2027" in page.content.decode()


def test_an_export_is_asked_for_with_a_post(officer_client, census_today):
    assert officer_client.get(f"{PAGE}export.csv").status_code == 405


def test_the_census_year_label(db):
    assert exporting.year_label(2026) == "1 April 2026 to 31 March 2027"
    assert exporting.current_year(dt.date(2027, 3, 31)) == 2026
    assert exporting.current_year(dt.date(2027, 4, 1)) == 2027
