"""Who gets in: token and session authentication; everyone else gets 401 with a detail."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import case_at, record

pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def urls(staff, today):
    case = case_at("pre_proceedings", staff)
    event = record(case, staff.social_worker, "assessment_completed", today, summary="Done.")
    return {
        ("get", "/api/v1/cases/"),
        ("post", "/api/v1/cases/"),
        ("get", f"/api/v1/cases/{case.pk}/"),
        ("post", f"/api/v1/cases/{case.pk}/transitions/escalate_to_gateway/"),
        ("post", f"/api/v1/cases/{case.pk}/events/"),
        ("get", f"/api/v1/cases/{case.pk}/history/"),
        ("patch", f"/api/v1/events/{event.pk}/"),
    }


def test_every_endpoint_answers_401_with_a_detail_without_credentials(urls, anonymous):
    for method, url in sorted(urls):
        response = getattr(anonymous, method)(url, {}, format="json")
        assert response.status_code == 401, (method, url)
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Authentication credentials were not provided."}
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("header", ["Token not-a-real-key", "Token", "Bearer abc", "Token a b"])
def test_a_bad_token_is_401_never_500(urls, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_the_token_header_authenticates(staff, client_for):
    response = client_for(staff.social_worker).get("/api/v1/cases/")
    assert response.status_code == 200


def test_an_inactive_users_token_no_longer_works(staff, client_for):
    client = client_for(staff.social_worker)
    staff.social_worker.is_active = False
    staff.social_worker.save()
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_signed_in_session_works_too(staff, urls):
    client = APIClient()
    client.force_login(staff.legal)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
