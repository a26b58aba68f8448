"""Ids are ASCII digits only, and every API error is a JSON `{"detail": ...}` body, a 500
included (docs/security.md, "Finding 8")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from legaltracker.cases import api as cases_api
from legaltracker.cases.models import Case
from tests.factories import case_at, case_data

pytestmark = pytest.mark.usefixtures("today")

NOT_ASCII_DIGITS = ["²", "١٢", "\uff11\uff12", "12²"]  # superscript, Arabic-Indic, fullwidth


@pytest.mark.parametrize("raw", NOT_ASCII_DIGITS)
def test_a_previous_case_in_other_digits_is_a_400_with_a_message(raw, staff, client_for):
    api = client_for(staff.social_worker)
    answer = api.post("/api/v1/cases/", case_data(staff, previous_case=raw), format="json")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"
    assert "digits 0-9" in answer.json()["errors"]["previous_case"][0]
    assert not Case.objects.exists()


def test_a_previous_case_in_ascii_digits_still_joins_the_family(staff, client_for):
    first = case_at("concern", staff)
    api = client_for(staff.social_worker)
    for sent in (first.pk, str(first.pk)):
        answer = api.post("/api/v1/cases/", case_data(staff, previous_case=sent), format="json")
        assert answer.status_code == 201, answer.json()
        assert Case.objects.get(pk=answer.json()["id"]).family_id == first.family_id


@pytest.mark.parametrize("raw", NOT_ASCII_DIGITS)
def test_url_ids_in_other_digits_are_a_400(raw, staff, client_for):
    answer = client_for(staff.social_worker).get(f"/api/v1/cases/{raw}/")
    assert answer.status_code == 400
    assert "whole number" in answer.json()["detail"]


@pytest.mark.parametrize("raw", ["²", "١٢"])
def test_the_new_case_page_answers_400_with_a_message(raw, staff, client):
    client.force_login(staff.social_worker)
    url = reverse("casework:case_create")
    for answer in (
        client.get(url, {"previous": raw}),
        client.post(url, {"previous_case": raw}),
    ):
        assert answer.status_code == 400
        assert "digits 0-9" in answer.content.decode()
    assert not Case.objects.exists()


def test_an_uncaught_exception_under_the_api_is_a_json_500(staff, client_for, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("internal detail that must not reach the client")

    monkeypatch.setattr(cases_api.services, "case_create", broken)
    api = client_for(staff.social_worker)
    api.raise_request_exception = False
    answer = api.post("/api/v1/cases/", case_data(staff), format="json")
    assert answer.status_code == 500
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert set(body) == {"detail"} and "went wrong" in body["detail"]
    assert "internal detail" not in answer.content.decode()


def test_an_unknown_api_address_is_a_json_404(staff, client_for):
    answer = client_for(staff.social_worker).get("/api/v1/no-such-thing/")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert "nothing at this address" in answer.json()["detail"]


def test_pages_outside_the_api_keep_their_html_error_pages(staff, client):
    client.force_login(staff.social_worker)
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("text/html")
