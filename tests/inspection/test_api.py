"""`GET /api/v1/inspection-list/`: the same rows and order as the file, paged; 400
naming `from` or `to`; refused for other roles; in the OpenAPI schema; the period in the
request's access log row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from legaltracker.audit.models import AccessLog
from legaltracker.inspection import selectors

from .cohort import END, START, build

pytestmark = pytest.mark.django_db
URL = "/api/v1/inspection-list/"
PERIOD = {"from": START.isoformat(), "to": END.isoformat()}


@pytest.fixture
def cohort(staff, other_staff, today):
    return build(staff, other_staff)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_rows_in_order_paged_with_the_period(cohort, staff):
    client = api(staff.performance_officer)
    body = client.get(URL, {**PERIOD, "limit": 3}).json()
    assert body["count"] == 5
    assert body["period"] == PERIOD
    names = [row["child_name"] for row in body["results"]]
    assert names == ["Cal Long", "Bea Boundary", "Dot During"]
    assert body["next"] and body["previous"] is None
    rest = client.get(body["next"]).json()
    assert [row["child_name"] for row in rest["results"]] == ["Eli During", "Fay Direct"]
    dot = body["results"][2]
    assert dot["initial_meeting_on"] == "2025-12-17"
    assert dot["review_meetings"] == 2
    assert dot["stage"] == "pre_proceedings"
    expected = next(
        r
        for r in selectors.iter_rows(staff.performance_officer, start=START, end=END)
        if r.child_name == "Dot During"
    )
    assert dot == expected.as_json()


def test_no_period_is_the_last_twelve_months(cohort, staff, today):
    body = api(staff.head_of_service).get(URL).json()
    assert body["period"] == {"from": "2025-03-05", "to": "2026-03-04"}
    # Entered on 4 March 2026 (today): in the default period, not in the chosen one.
    assert "Gus After" in [row["child_name"] for row in body["results"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "", "to": "2026-02-28"}, "from"),
        ({"from": "yesterday", "to": "2026-02-28"}, "from"),
        ({"from": "2025-09-01", "to": "2026-02-30"}, "to"),
        ({"from": "2025-09-01", "to": "2025-08-31"}, "to"),
        ({"from": "2025-09-01"}, "to"),
        ({"from": "2025-09-01", "to": "2026-02-28", "limit": "many"}, "limit"),
    ],
)
def test_a_bad_period_is_a_400_naming_the_field(staff, today, query, field):
    response = api(staff.head_of_service).get(URL, query)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert field in body["errors"] if "errors" in body else field in body


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "legal", "court_liaison_officer", "administrator"]
)
def test_other_roles_are_refused(staff, today, role):
    response = api(staff.by_role(role)).get(URL, PERIOD)
    assert response.status_code == 403
    assert "heads of service and performance officers" in response.json()["detail"]


def test_not_signed_in_is_401(db):
    assert APIClient().get(URL).status_code == 401


def test_a_page_is_a_constant_number_of_queries(cohort, staff):
    client = api(staff.performance_officer)
    client.get(URL, PERIOD)  # the first request's one-off reads (content types, throttle)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {**PERIOD, "limit": 1}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL, {**PERIOD, "limit": 5}).status_code == 200
    assert len(small) == len(large)


def test_the_period_is_in_the_access_log(cohort, staff):
    api(staff.performance_officer).get(URL, PERIOD)
    row = AccessLog.objects.filter(action__icontains="inspection").latest("id")
    assert row.actor_id == staff.performance_officer.pk
    assert row.details["period_from"] == 20250901
    assert row.details["period_to"] == 20260228


def test_in_the_openapi_schema(staff, today):
    schema = api(staff.head_of_service).get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/inspection-list/"]["get"]
    assert operation["operationId"] == "inspection_list"
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to", "limit", "offset"}
    assert set(operation["responses"]) >= {"200", "400", "401", "403"}
