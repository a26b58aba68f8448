"""`GET /api/v1/census/<year>/`: the return's counts and findings as JSON, paged like the
other API lists, for the census roles only, and in the OpenAPI schema."""

from __future__ import annotations

import pytest

from legaltracker.accounts.models import Role
from legaltracker.web.access import CENSUS_ROLES
from tests.api.conftest import anonymous, client_for
from tests.factories import UserFactory

from . import census_data
from .census_data import YEAR, census_case

census_today = census_data.census_today
performance_officer = census_data.performance_officer
# The API clients (tests/api/conftest.py).
client_for = client_for
anonymous = anonymous

pytestmark = pytest.mark.django_db

URL = f"/api/v1/census/{YEAR}/"


@pytest.fixture
def findings_return(staff, census_today):
    clean = census_case(staff, la_child_id="LA0001")
    failing = census_case(staff, la_child_id="", referral=None)
    return clean, failing


def test_counts_and_findings(client_for, performance_officer, findings_return):
    _, failing = findings_return
    response = client_for(performance_officer).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == YEAR
    assert body["counts"] == {"blocks": 2, "children": 2, "errors": 2, "queries": 0}
    assert body["count"] == 2
    assert body["next"] is None
    first = body["results"][0]
    assert first["code"] == "LT01"
    assert first["severity"] == "error"
    assert first["case_id"] == failing.pk
    assert first["case_reference"] == failing.reference
    assert first["la_child_id"] == ""
    assert first["fields"] == ["LAchildID"]
    assert first["fix_url"] == f"/cases/{failing.pk}/people/"


def test_findings_are_paged_with_limit_and_offset(client_for, performance_officer, findings_return):
    client = client_for(performance_officer)
    page = client.get(URL, {"limit": "1"}).json()
    assert [f["code"] for f in page["results"]] == ["LT01"]
    assert page["count"] == 2
    assert "offset=1" in page["next"]
    second = client.get(URL, {"limit": "1", "offset": "1"}).json()
    assert [f["code"] for f in second["results"]] == ["LT04"]
    bad = client.get(URL, {"limit": "many"})
    assert bad.status_code == 400
    assert "limit" in bad.json()["errors"]


def test_a_return_level_query(client_for, staff, census_today):
    body = client_for(staff.head_of_service).get(URL).json()
    assert body["counts"]["queries"] == 1
    assert body["results"][0]["code"] == "8995Q"
    assert body["results"][0]["child_id"] is None


@pytest.mark.parametrize("year", ["20x6", "1999", "1"])
def test_a_year_that_is_not_one_is_a_400_naming_the_field(
    client_for, performance_officer, census_today, year
):
    response = client_for(performance_officer).get(f"/api/v1/census/{year}/")
    assert response.status_code == 400
    assert "year" in response.json()["errors"]


@pytest.mark.parametrize("role", sorted(set(Role.values) - set(CENSUS_ROLES)))
def test_other_roles_are_refused(client_for, census_today, role):
    user = UserFactory(username=f"api-{role}", role=role)
    response = client_for(user).get(URL)
    assert response.status_code == 403
    assert "performance team" in response.json()["detail"]


def test_no_one_is_refused(anonymous, census_today):
    assert anonymous.get(URL).status_code == 401


def test_the_operation_is_in_the_schema(anonymous):
    schema = anonymous.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/census/{year}/"]["get"]
    assert operation["operationId"] == "census_return"
    assert set(operation["responses"]) == {"200", "400", "401", "403"}
    names = {p["name"] for p in operation["parameters"]}
    assert {"year", "limit", "offset"} <= names
