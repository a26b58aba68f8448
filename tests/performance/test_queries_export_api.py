"""The report's query count does not grow with the cases; the export files hold the
figures; the API gives the same figures, refusing a bad filter with a 400 naming it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legaltracker.exports.choices import ExportStatus
from legaltracker.exports.models import ExportJob
from legaltracker.performance.presentation import figure_rows
from legaltracker.performance.selectors import performance_report
from tests.exports.helpers import download, start
from tests.web import data as web_data

from . import data

D = dt.date


def grow(staff, other_staff, n: int) -> None:
    web_data.more_cases(staff, n, D(2025, 6, 2))
    web_data.more_cases(other_staff, n, D(2025, 6, 2))
    for i in range(n // 2):
        case = data.pre_proceedings(
            staff,
            D(2025, 4, 1) + dt.timedelta(days=7 * i),
            letter=D(2025, 4, 8) + dt.timedelta(days=7 * i),
            meeting=D(2025, 4, 20) + dt.timedelta(days=7 * i),
        )
        data.meeting_details(case, solicitor_present_for=data.parent_ids(case))


def page_queries(client, url: str) -> int:
    client.get(url)  # warm: the session, the timescale policy row
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and response.context["report"] is not None
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("role", "query"), [("team_manager", ""), ("head_of_service", "?team=north"), ("legal", "")]
)
def test_the_query_count_does_not_grow_with_the_cases(
    client, staff, other_staff, today, role, query
):
    client.force_login(staff.by_role(role))
    url = reverse("performance:reports") + query
    grow(staff, other_staff, 2)
    small = page_queries(client, url)
    report_small = client.get(url).context["report"]
    grow(staff, other_staff, 10)
    large = page_queries(client, url)
    report_large = client.get(url).context["report"]
    # The figures did grow, the queries did not.
    assert report_large.pre_proceedings.entered > report_small.pre_proceedings.entered
    assert report_large.solicitors.with_solicitor > report_small.solicitors.with_solicitor
    assert large == small
    assert small <= 24


def test_the_export_holds_every_figure_and_records_who_asked(
    client, staff, performance_officer, today, queue, django_capture_on_commit_callbacks
):
    data.pre_proceedings(staff, D(2025, 10, 1), letter=D(2025, 10, 8))
    client.force_login(performance_officer)
    url = reverse("performance:export_csv") + "?from=2025-04-01&to=2026-01-31&team=north"
    response, job = start(client, url, django_capture_on_commit_callbacks)
    assert job is not None, response
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert (job.kind, job.requested_by_id) == ("performance", performance_officer.pk)
    assert job.params == {"from": "2025-04-01", "to": "2026-01-31", "team": "north", "lawyer": None}
    body = b"".join(download(client, job).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Section", "Figure", "Row", "Measure", "Value"]
    assert [
        "The first steps of pre-proceedings",
        "Letters before proceedings sent on time",
        "Within 5 working days",
        "Number",
        "1",
    ] in rows
    assert [
        "Pre-proceedings",
        "Cases entering pre-proceedings, by month",
        "October 2025",
        "Cases",
        "1",
    ] in rows
    assert [
        "Care proceedings",
        "Adjournments and vacated hearings, by reason",
        "All reasons",
        "Adjourned",
        "0",
    ] in rows
    report = performance_report(user=performance_officer, filters=job.params)
    assert len(rows) - 1 == len(figure_rows(report))


def test_the_xlsx_export_starts_and_a_bad_filter_does_not(
    client, staff, today, queue, django_capture_on_commit_callbacks
):
    client.force_login(staff.team_manager)
    response, job = start(
        client, reverse("performance:export_xlsx"), django_capture_on_commit_callbacks
    )
    assert job is not None and job.file_format == "xlsx"
    assert job.params["team"] == staff.team.code  # a team manager's export is their team's
    count = ExportJob.objects.count()
    response = client.get(reverse("performance:export_csv") + "?from=2026-02-01&to=2026-01-01")
    assert response.status_code == 400
    assert "The end of the period must be on or after its start" in response.content.decode()
    assert ExportJob.objects.count() == count


def test_the_api_gives_the_page_figures(client, api_for, staff, performance_officer, today):
    case = data.pre_proceedings(
        staff, D(2025, 10, 1), letter=D(2025, 10, 8), meeting=D(2025, 10, 20)
    )
    data.meeting_details(case, solicitor_present_for=data.parent_ids(case))
    response = api_for(performance_officer).get(
        "/api/v1/reports/performance/", {"from": "2025-04-01", "to": "2026-01-31"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], body["team"], body["lawyer"]) == (
        "2025-04-01",
        "2026-01-31",
        None,
        None,
    )
    assert body["pre_proceedings"]["entered"] == 1
    assert {"month": "2025-10", "count": 1} in body["pre_proceedings"]["entered_by_month"]
    assert body["letters_before_proceedings"]["within"] == 1
    assert body["initial_meetings"]["within"] == 1
    assert body["solicitors_at_initial_meeting"]["with_solicitor"] == 1
    assert body["hearings"] == {
        "recorded": True,
        "hearings": 0,
        "adjournments": 0,
        "vacated": 0,
        "by_reason": [],
    }
    client.force_login(performance_officer)
    page = client.get(reverse("performance:reports"), {"from": "2025-04-01", "to": "2026-01-31"})
    assert page.context["report"].as_json() == body


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("from=2026-02-01&to=2026-01-01", "to"),
        ("from=01/02/2025", "from"),
        ("from=2025-02-30", "from"),
        ("to=", "to"),
        ("to=2025-01-01&to=2025-02-01", "to"),
        ("team=nowhere", "team"),
        ("lawyer=abc", "lawyer"),
        ("lawyer=999999", "lawyer"),
    ],
)
def test_the_api_names_a_bad_filter(api_for, staff, today, query, parameter):
    response = api_for(staff.head_of_service).get(f"/api/v1/reports/performance/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and list(body["errors"]) == [parameter]


def test_the_api_schema_documents_the_operation(api_for, staff, db):
    from rest_framework.test import APIClient

    schema = (
        APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    operation = schema["paths"]["/api/v1/reports/performance/"]["get"]
    assert operation["operationId"] == "performance_report"
    assert {p["name"] for p in operation["parameters"]} == {"from", "to", "team", "lawyer"}
    assert set(operation["responses"]) == {"200", "400", "401", "403"}
    body = schema["components"]["schemas"]["PerformanceReport"]
    assert "from" in body["properties"] and "from_" not in body["properties"]
