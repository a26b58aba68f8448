"""`GET /api/v1/board/`: the board's JSON twin."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from legaltracker.accounts.models import Role
from legaltracker.board.api import BoardResponseSerializer, BoardRowSerializer

pytestmark = pytest.mark.django_db
API = reverse("board_api:board")


def api(client, user, query: str = ""):
    client.force_login(user)
    return client.get(API + query)


def html_references(client, user, query: str) -> list[str]:
    client.force_login(user)
    html = client.get(reverse("board:board") + query).content.decode()
    table = html.split('id="board-table"', 1)
    return re.findall(r'href="/cases/\d+/">(LT-[\d-]+)</a>', table[1]) if len(table) > 1 else []


def test_the_api_path_is_fixed():
    assert API == "/api/v1/board/"


def test_body_shape_for_a_known_case(client, cases, staff):
    response = api(client, staff.court_liaison_officer, "?stage=pre_proceedings")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == set(BoardResponseSerializer().fields)
    assert (body["count"], body["page"], body["page_size"], body["num_pages"]) == (1, 1, 50, 1)
    assert body["next"] is None and body["previous"] is None
    assert body["counts"] == {
        "stage": {"legal_gateway": 0, "pre_proceedings": 1, "issue": 0, "proceedings": 0},
        "rag": {"red": 1, "amber": 0, "green": 0},
    }
    (row,) = body["results"]
    assert set(row) == set(BoardRowSerializer().fields)
    assert row["id"] == cases.pre_proceedings.pk
    assert row["reference"] == cases.pre_proceedings.reference
    assert row["stage"] == "pre_proceedings"
    assert row["rag"] == "red"
    assert row["next_deadline"] == {
        "milestone": "review_meeting",
        "due": "2026-03-03",
        "status": "overdue",
    }
    assert row["team"] == {"code": "north", "name": "North Family Support"}
    assert row["social_worker"] == {
        "id": staff.social_worker.pk,
        "name": staff.social_worker.get_full_name(),
    }
    assert row["children"][0]["name"] == "Ada Quillfeather"
    assert row["children"][0]["date_of_birth"] == "2018-05-01"
    assert (row["stage_entered_on"], row["days_in_stage"], row["weeks_in_stage"]) == (
        "2026-01-07",
        56,
        8,
    )
    assert (row["weeks_in_pre_proceedings"], row["weeks_since_issue"]) == (8, None)
    assert row["last_management_oversight_on"] == "2026-02-20"
    assert row["days_since_management_oversight"] == 12
    assert row["assessment"] == {"last_completed_on": "2026-02-02", "stale": False}
    assert (row["extensions"], row["urgent"], row["unborn_baby"]) == (1, False, False)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?stage=legal_gateway&stage=proceedings",
        "?rag=red",
        "?team=north&sort=-weeks",
        "?q=quill",
        "?overdue=true",
        "?due_within=14&sort=rag",
        "?milestone=gateway_meeting&sort=-reference",
        "?page_size=2&page=2&sort=stage",
    ],
)
def test_json_twin_returns_the_same_rows_as_the_page(client, cases, staff, query):
    body = api(client, staff.court_liaison_officer, query).json()
    assert [r["reference"] for r in body["results"]] == html_references(
        client, staff.court_liaison_officer, query
    )


def test_pagination(client, cases, staff):
    first = api(client, staff.court_liaison_officer, "?page_size=3&rag=red&rag=amber&rag=green")
    body = first.json()
    assert (body["count"], body["num_pages"], len(body["results"])) == (4, 2, 3)
    assert body["previous"] is None
    assert body["next"] == (
        "http://testserver/api/v1/board/?page_size=3&rag=red&rag=amber&rag=green&page=2"
    )
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1
    assert second["previous"].endswith("page=1")


def test_a_page_past_the_end_is_404(client, cases, staff):
    response = api(client, staff.court_liaison_officer, "?page=3&page_size=2")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no page 3: the last page is 2."}


def test_invalid_filters_are_400_naming_each_parameter(client, cases, staff):
    response = api(client, staff.court_liaison_officer, "?stage=closed&due_within=x&sort=up")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert set(body["errors"]) == {"stage", "due_within", "sort"}
    assert "Choose a stage from the list" in body["errors"]["stage"][0]


@pytest.mark.parametrize(
    ("query", "name"),
    [("?due_within=5&due_within=6", "due_within"), ("?team=north&team=south", "team")],
)
def test_a_single_value_sent_twice_is_a_400_naming_it(client, cases, staff, query, name):
    """Found by the schemathesis run: the board read the last of repeated `due_within`."""
    response = api(client, staff.court_liaison_officer, query)
    assert response.status_code == 400
    assert response.json()["errors"][name] == [f"'{name}' was sent 2 times: send it once."]


def test_the_list_parameters_may_be_repeated(client, cases, staff):
    response = api(client, staff.court_liaison_officer, "?stage=proceedings&stage=issue&rag=red")
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["?overdue=2", "?mine=-1", "?mine=1", "?overdue=yes please"])
def test_a_flag_is_true_or_false_or_a_400_naming_it(client, cases, staff, query):
    response = api(client, staff.legal if "mine" in query else staff.court_liaison_officer, query)
    assert response.status_code == 400
    name = query[1:].split("=")[0]
    assert response.json()["errors"][name] == [f"'{name}' is true or false."]


@pytest.mark.parametrize("query", ["?overdue=false", "?mine=true", "?mine=FALSE"])
def test_a_flag_reads_true_and_false(client, cases, staff, query):
    assert api(client, staff.legal, query).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COURT_LIAISON_OFFICER, 200),
        (Role.LEGAL, 200),
        (Role.HEAD_OF_SERVICE, 200),
        (Role.TEAM_MANAGER, 200),
        (Role.SOCIAL_WORKER, 403),
        (Role.ADMINISTRATOR, 403),
    ],
)
def test_who_may_read_the_board(client, cases, staff, role, status):
    response = api(client, staff.by_role(role))
    assert response.status_code == status
    if status == 403:
        assert "court liaison officer" in response.json()["detail"]


def test_signed_out_is_refused(client, today):
    assert client.get(API).status_code in (401, 403)


def test_team_manager_reads_only_their_team(client, cases, staff, other_staff):
    body = api(client, other_staff.team_manager).json()
    assert [r["id"] for r in body["results"]] == [cases.other_team.pk]
    assert body["count"] == 1


def test_token_authentication_works(client, cases, staff):
    from legaltracker.api.tokens import token_issue

    _, key = token_issue(user=staff.legal, name="test")
    response = client.get(API, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["count"] == 4


def test_schema_documents_the_board(today):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/board/"]["get"]
    assert operation["operationId"] == "board_list"
    names = {p["name"] for p in operation["parameters"]}
    assert {
        "q",
        "stage",
        "team",
        "social_worker",
        "rag",
        "overdue",
        "due_within",
        "milestone",
        "sort",
        "page",
        "page_size",
    } <= names
    assert set(operation["responses"]) == {"200", "400", "401", "403", "404"}


def test_the_teams_are_read_only_when_a_team_is_chosen(client, cases, staff):
    """The team menu is the HTML page's; the JSON twin reads the teams to check a team
    asked for, and not otherwise."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff.court_liaison_officer)

    def team_reads(query: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = client.get(API + query)
        reads = [q for q in context.captured_queries if 'FROM "accounts_team"' in q["sql"]]
        return response.status_code, len(reads)

    assert team_reads("") == (200, 0)
    assert team_reads("?team=north") == (200, 1)
    status, _ = team_reads("?team=nowhere")
    assert status == 400
