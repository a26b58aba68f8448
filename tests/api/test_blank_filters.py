"""Query parameters sent blank or with values that do not exist: a 400 naming the
parameter on the API, a form error (never a 500) on the board page."""

from __future__ import annotations

import pytest

from tests.factories import case_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal_api(staff, client_for, today):
    case_at("pre_proceedings", staff)
    return client_for(staff.legal)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("stage=", "stage"),
        ("rag=", "rag"),
        ("team=", "team"),
        ("limit=", "limit"),
        ("offset=", "offset"),
        ("stage=%20", "stage"),
        ("stage=made_up", "stage"),
        ("rag=purple", "rag"),
        ("team=nowhere", "team"),
        ("limit=-1", "limit"),
        ("offset=x", "offset"),
    ],
)
def test_the_case_list_refuses_blank_and_unknown_filters(legal_api, query, parameter):
    response = legal_api.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    assert parameter in body["errors"], body


def test_the_case_list_without_filters_still_lists(legal_api):
    response = legal_api.get("/api/v1/cases/?limit=10&offset=0&stage=pre_proceedings")
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("stage=", "stage"),
        ("rag=", "rag"),
        ("stage=made_up", "stage"),
        ("page_size=", "page_size"),
        ("due_within=abc", "due_within"),
        ("overdue=2", "overdue"),
        ("overdue=", "overdue"),
    ],
)
def test_the_board_api_refuses_blank_and_unknown_filters(legal_api, query, parameter):
    response = legal_api.get(f"/api/v1/board/?{query}")
    assert response.status_code == 400, response.content
    assert parameter in response.json()["errors"]


def test_the_board_page_shows_blank_filters_as_form_errors(client, staff, today):
    case_at("pre_proceedings", staff)
    client.force_login(staff.legal)
    response = client.get("/board/?stage=&rag=&due_within=abc&page_size=&page=&sort=")
    assert response.status_code < 500
    assert b"govuk-error-summary" in response.content
