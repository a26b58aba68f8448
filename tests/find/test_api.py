"""`GET /api/v1/cases/?q=`: the same matching and visibility as "Find a case", and a bad
query is a 400 in the API's error shape."""

from __future__ import annotations

import pytest

from legaltracker.audit import services as audit_services

from .conftest import Cases

pytestmark = pytest.mark.django_db


def _refs(api, q: str, **params) -> set[str]:
    response = api.get("/api/v1/cases/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


def test_q_matches_as_the_page_does(cases: Cases, staff, api_for):
    api = api_for(staff.legal)
    assert _refs(api, "zoe suilleabhain") == {cases.gateway.reference}
    assert _refs(api, "3 April 2019") == {cases.gateway.reference}
    assert _refs(api, "20/06/2026") == {cases.unborn.reference}
    assert _refs(api, "A1234567") == {cases.pre_proceedings.reference}
    assert _refs(api, "ZW26C04711") == {cases.proceedings.reference}
    assert _refs(api, "Harrowgate") == {cases.closed.reference}  # closed too
    assert _refs(api, "Brackwater") == {cases.concern.reference}  # concern too
    assert _refs(api, "Quillfeather") == {
        cases.pre_proceedings.reference,
        cases.other_team.reference,
    }


def test_q_with_the_other_filters(cases: Cases, staff, api_for):
    api = api_for(staff.legal)
    assert _refs(api, "Quillfeather", team="south") == {cases.other_team.reference}
    assert _refs(api, "parent", stage="closed") == {cases.closed.reference}


def test_q_keeps_to_what_the_person_may_see(cases: Cases, staff, other_staff, api_for):
    assert _refs(api_for(other_staff.social_worker), "Quillfeather") == {cases.other_team.reference}
    audit_services.case_restrict(
        case_id=cases.other_team.pk, actor=staff.head_of_service, reason="Staff member's family."
    )
    assert _refs(api_for(other_staff.social_worker), "Quillfeather") == set()
    assert _refs(api_for(staff.legal), "Quillfeather") == {cases.pre_proceedings.reference}


def test_administrators_list_nothing(cases, staff, api_for):
    response = api_for(staff.administrator).get("/api/v1/cases/", {"q": "Quillfeather"})
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "blank"),
        ("  ", "blank"),
        ("x" * 101, "100 characters or fewer"),
        ("a b c d e f", "5 words or fewer"),
        ("31/02/2026", "not a real date"),
        ("3/4/26", "in full"),
    ],
)
def test_a_bad_q_is_a_400_naming_it(cases, staff, api_for, q, message):
    response = api_for(staff.legal).get("/api/v1/cases/", {"q": q})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert "q" in body["errors"]
    assert message in " ".join(body["errors"]["q"])


def test_q_is_in_the_schema(staff, api_for, db):
    schema = api_for(staff.legal).get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    parameters = schema.json()["paths"]["/api/v1/cases/"]["get"]["parameters"]
    assert "q" in {p["name"] for p in parameters}
