"""Opening, listing and reading cases: the API contract (the schema at /api/v1/schema/)."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.cases.transitions import TRANSITIONS
from legaltracker.deadlines.choices import DeadlineStatus, Milestone, Rag
from tests.factories import case_at, case_data, move

pytestmark = pytest.mark.usefixtures("today")

DEADLINE_KEYS = {"milestone", "cycle", "starts_from", "due", "not_before", "status", "met_on"}


def minimal_body(staff):
    """Exactly the minimal body of the issue."""
    return {
        "team": staff.team.code,
        "social_worker": staff.social_worker.username,
        "children": [{"first_name": "Ada", "last_name": "Example", "date_of_birth": "2020-05-17"}],
        "adults": [
            {
                "first_name": "Bea",
                "last_name": "Example",
                "relationship": "mother",
                "parental_responsibility": True,
            },
        ],
    }


# --- POST /api/v1/cases/ ---------------------------------------------------------------


def test_create_with_the_minimal_body_answers_201_with_the_case(staff, client_for, today):
    response = client_for(staff.social_worker).post(
        "/api/v1/cases/", minimal_body(staff), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["reference"] == case.reference
    assert body["stage"] == "concern"
    assert body["outcome"] is None
    assert body["version"] == 1
    assert body["team"] == "north"
    assert body["social_worker"] == staff.social_worker.username
    assert body["opened_on"] == today.isoformat()
    assert body["available_transitions"] == ["refer_to_gateway"]
    assert [(c["first_name"], c["last_name"], c["date_of_birth"]) for c in body["children"]] == [
        ("Ada", "Example", "2020-05-17")
    ]
    adult = body["adults"][0]
    assert (adult["relationship"], adult["parental_responsibility"]) == ("mother", True)
    assert body["events"] == [] and body["extensions"] == [] and body["gateway_decisions"] == []
    assert body["episodes"] == []


def test_create_is_in_the_audit_trail(staff, client_for):
    client = client_for(staff.social_worker)
    case_id = client.post("/api/v1/cases/", minimal_body(staff), format="json").json()["id"]
    history = client.get(f"/api/v1/cases/{case_id}/history/").json()
    assert [(h["action"], h["actor"], h["to_stage"]) for h in history] == [
        ("case_created", staff.social_worker.username, "concern")
    ]


def test_create_cleans_control_characters_from_text(staff, client_for):
    body = minimal_body(staff)
    body["children"][0]["last_name"] = "Ex\x00am\x07ple"
    response = client_for(staff.social_worker).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201
    assert response.json()["children"][0]["last_name"] == "Example"


def test_create_links_an_earlier_episode_of_the_family(staff, client_for):
    client = client_for(staff.social_worker)
    earlier = case_at("closed", staff)
    response = client.post(
        "/api/v1/cases/", {**minimal_body(staff), "previous_case": earlier.pk}, format="json"
    )
    assert response.status_code == 201
    later = response.json()
    assert later["episodes"] == [
        {
            "id": earlier.pk,
            "reference": earlier.reference,
            "stage": "closed",
            "outcome": "continue_plan",
            "opened_on": earlier.opened_on.isoformat(),
        }
    ]
    again = client.get(f"/api/v1/cases/{earlier.pk}/").json()
    assert [e["id"] for e in again["episodes"]] == [later["id"]]
    assert again["episodes"][0]["outcome"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"children": []}, "children"),
        ({"team": "nowhere"}, "team"),
        ({"social_worker": "nobody"}, "social_worker"),
        ({"social_worker": "lawyer"}, "social_worker"),
        ({"children": [{"last_name": "X", "date_of_birth": "2020-02-30"}]}, "children"),
        ({"children": [{"last_name": "X", "date_of_birth": "2099-01-01"}]}, "children"),
        ({"adults": [{"first_name": "A", "last_name": "B", "relationship": "uncle"}]}, "adults"),
        ({"previous_case": 999999}, "previous_case"),
    ],
)
def test_create_with_invalid_values_is_400_with_field_errors(staff, client_for, change, field):
    response = client_for(staff.social_worker).post(
        "/api/v1/cases/", {**minimal_body(staff), **change}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Some of the values are missing or not valid")
    assert field in body["errors"], body
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"team": 7},
        {"team": ["north"]},
        {"social_worker": {"username": "x"}},
        {"children": "Ada"},
        {"children": [["Ada"]]},
        {"children": [{"last_name": 12, "date_of_birth": 20200101}]},
        {"adults": {"first_name": "A"}},
        {
            "adults": [
                {
                    "first_name": "A",
                    "last_name": "B",
                    "relationship": ["mother"],
                    "parental_responsibility": "maybe",
                }
            ]
        },
        {"unborn_baby": [True]},
        {"opened_on": 2026},
        {"previous_case": {"id": 1}},
        {"previous_case": 10**30},
    ],
)
def test_create_with_wrong_types_is_400_never_500(staff, client_for, change):
    response = client_for(staff.social_worker).post(
        "/api/v1/cases/", {**minimal_body(staff), **change}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    assert response.json()["errors"]


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b'{"team": "north",', "The request body is not valid JSON."),
        (b"[1, 2, 3]", "The request body must be a JSON object"),
        (b'"north"', "The request body must be a JSON object"),
        (b"null", "The request body must be a JSON object"),
        (b'{"team": NaN}', "The request body is not valid JSON."),
        (b"\xff\xfe", "The request body is not valid JSON."),
        (b"[" * 100_000 + b"]" * 100_000, "The request body is not valid JSON."),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "The request body is not valid JSON."),
    ],
)
def test_create_with_a_body_that_is_not_a_json_object_is_400(staff, client_for, raw, detail):
    response = client_for(staff.social_worker).post(
        "/api/v1/cases/", raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail)


def test_create_for_another_team_is_403(staff, other_staff, client_for):
    response = client_for(other_staff.social_worker).post(
        "/api/v1/cases/", minimal_body(staff), format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role cannot open a case for this team."}
    assert Case.objects.count() == 0


@pytest.mark.parametrize("role", ["legal", "court_liaison_officer", "administrator"])
def test_create_by_a_role_that_may_not_open_cases_is_403(staff, client_for, role):
    response = client_for(staff.by_role(role)).post(
        "/api/v1/cases/", minimal_body(staff), format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"]


# --- GET /api/v1/cases/<id>/ -----------------------------------------------------------


def test_detail_body_uses_the_domain_identifiers(staff, client_for, today):
    case = case_at("legal_gateway", staff)  # referred on Tuesday 3 February 2026
    response = client_for(staff.legal).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    body = response.json()
    for key in (
        "id",
        "reference",
        "stage",
        "outcome",
        "rag",
        "version",
        "team",
        "social_worker",
        "urgent",
        "unborn_baby",
        "children",
        "adults",
        "available_transitions",
        "deadlines",
        "events",
        "extensions",
        "gateway_decisions",
        "episodes",
    ):
        assert key in body, key
    assert (body["id"], body["reference"], body["stage"]) == (
        case.pk,
        case.reference,
        "legal_gateway",
    )
    assert body["rag"] in Rag.values
    assert set(body["available_transitions"]) <= set(TRANSITIONS)
    for deadline in body["deadlines"]:
        assert set(deadline) == DEADLINE_KEYS
        assert deadline["milestone"] in Milestone.values
        assert deadline["status"] in DeadlineStatus.values
    gateway = next(d for d in body["deadlines"] if d["milestone"] == "gateway_meeting")
    # 10 working days after the referral; nobody has held the meeting by 4 March.
    assert gateway == {
        "milestone": "gateway_meeting",
        "cycle": 1,
        "starts_from": "2026-02-03",
        "due": "2026-02-17",
        "not_before": None,
        "status": "overdue",
        "met_on": None,
    }
    assert body["rag"] == "red"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("social_worker", []),
        ("team_manager", []),
        ("legal", ["gateway_continue_plan", "gateway_enter_pre_proceedings", "gateway_issue"]),
        (
            "head_of_service",
            ["gateway_continue_plan", "gateway_enter_pre_proceedings", "gateway_issue", "close"],
        ),
        ("court_liaison_officer", []),
    ],
)
def test_available_transitions_are_those_of_the_requesting_user(staff, client_for, role, expected):
    case = case_at("legal_gateway", staff)
    body = client_for(staff.by_role(role)).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["available_transitions"] == expected


def test_a_case_of_another_team_is_404_like_one_that_does_not_exist(staff, other_staff, client_for):
    case = case_at("concern", staff)
    client = client_for(other_staff.social_worker)
    hidden = client.get(f"/api/v1/cases/{case.pk}/")
    missing = client.get(f"/api/v1/cases/{case.pk + 1000}/")
    assert hidden.status_code == missing.status_code == 404
    assert (
        hidden.json()
        == missing.json()
        == {"detail": "There is no case with that id that you can see."}
    )


def test_an_administrator_sees_no_case(staff, client_for):
    case = case_at("concern", staff)
    client = client_for(staff.administrator)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert client.get("/api/v1/cases/").json()["count"] == 0


@pytest.mark.parametrize("raw", ["abc", "1.5", "-1", "%201", "١٢"])
def test_a_non_integer_id_is_400(staff, client_for, raw):
    response = client_for(staff.legal).get(f"/api/v1/cases/{raw}/")
    assert response.status_code == 400
    assert "whole number" in response.json()["detail"]


@pytest.mark.parametrize("raw", ["0", "99999999999999999999999", str(2**63)])
def test_an_id_no_case_can_have_is_404_not_500(staff, client_for, raw):
    assert client_for(staff.legal).get(f"/api/v1/cases/{raw}/").status_code == 404


# --- GET /api/v1/cases/ ----------------------------------------------------------------


@pytest.fixture
def cases(staff, other_staff, today):
    """One case per stage in `team`, one concern case in `other_team`, one fresh case."""
    made = {stage: case_at(stage, staff) for stage in Stage.values}
    made["other"] = case_at("concern", other_staff)
    # Opened today: nothing is due yet.
    made["fresh"] = case_at("concern", staff, start=today)
    return made


def test_the_list_holds_the_cases_the_user_may_see(cases, staff, client_for):
    team_view = client_for(staff.social_worker).get("/api/v1/cases/").json()
    assert team_view["count"] == 7
    assert {c["team"] for c in team_view["results"]} == {"north"}
    everyone = client_for(staff.legal).get("/api/v1/cases/").json()
    assert everyone["count"] == 8


def test_list_items_have_the_domain_identifiers(cases, staff, client_for):
    results = client_for(staff.legal).get("/api/v1/cases/").json()["results"]
    for item in results:
        assert item["stage"] in Stage.values
        assert item["rag"] in Rag.values
        assert {"id", "reference", "outcome", "version", "team", "social_worker"} <= set(item)


@pytest.mark.parametrize("stage", Stage.values)
def test_filter_by_stage(cases, staff, client_for, stage):
    results = client_for(staff.legal).get("/api/v1/cases/", {"stage": stage}).json()["results"]
    assert results
    assert {c["stage"] for c in results} == {stage}


def test_filter_by_team(cases, staff, client_for):
    results = client_for(staff.legal).get("/api/v1/cases/", {"team": "south"}).json()["results"]
    assert [c["id"] for c in results] == [cases["other"].pk]


def test_filter_by_rag(cases, staff, client_for):
    client = client_for(staff.legal)
    everyone = client.get("/api/v1/cases/").json()["results"]
    by_rag = {rag: client.get("/api/v1/cases/", {"rag": rag}).json()["results"] for rag in Rag}
    assert by_rag["red"] and by_rag["green"]
    for rag, results in by_rag.items():
        assert {c["id"] for c in results} == {c["id"] for c in everyone if c["rag"] == rag}
    assert cases["fresh"].pk in {c["id"] for c in by_rag["green"]}
    assert cases["legal_gateway"].pk in {c["id"] for c in by_rag["red"]}


def test_filters_combine(cases, staff, client_for):
    results = (
        client_for(staff.legal)
        .get("/api/v1/cases/", {"stage": "concern", "team": "north"})
        .json()["results"]
    )
    assert {c["id"] for c in results} == {cases["concern"].pk, cases["fresh"].pk}


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"stage": "court"}, "stage", "'court' is not one of: concern, legal_gateway"),
        ({"rag": "purple"}, "rag", "'purple' is not one of: red, amber, green"),
        ({"team": "nowhere"}, "team", "There is no team with the code 'nowhere'"),
    ],
)
def test_an_invalid_filter_value_is_400_with_a_message(
    cases, staff, client_for, query, field, words
):
    response = client_for(staff.legal).get("/api/v1/cases/", query)
    assert response.status_code == 400
    body = response.json()
    assert words in body["detail"]
    assert list(body["errors"]) == [field]


def test_the_list_is_paginated(cases, staff, client_for):
    client = client_for(staff.legal)
    first = client.get("/api/v1/cases/", {"limit": 3}).json()
    assert first["count"] == 8
    assert len(first["results"]) == 3
    assert first["next"]
    rest = client.get("/api/v1/cases/", {"limit": 3, "offset": 3}).json()["results"]
    assert not {c["id"] for c in first["results"]} & {c["id"] for c in rest}
    # Newest first.
    opened = [c["opened_on"] for c in client.get("/api/v1/cases/").json()["results"]]
    assert opened == sorted(opened, reverse=True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "lots"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-4"}, "offset"),
        ({"offset": "1e3"}, "offset"),
        ({"offset": str(10**30)}, "offset"),
        ({"limit": str(2**63)}, "limit"),
    ],
)
def test_a_bad_page_value_is_400_never_500(cases, staff, client_for, query, field):
    response = client_for(staff.legal).get("/api/v1/cases/", query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_page_past_the_end_is_empty_and_a_huge_limit_is_capped(cases, staff, client_for):
    client = client_for(staff.legal)
    assert client.get("/api/v1/cases/", {"offset": 10**9}).json()["results"] == []
    assert len(client.get("/api/v1/cases/", {"limit": 10**9}).json()["results"]) == 8


def test_the_list_never_shows_a_case_twice_when_dates_tie(staff, client_for, today):
    for _ in range(4):
        case_at("concern", staff, start=today - dt.timedelta(days=2))
    client = client_for(staff.legal)
    ids = [
        c["id"]
        for offset in range(4)
        for c in client.get("/api/v1/cases/", {"limit": 1, "offset": offset}).json()["results"]
    ]
    assert len(set(ids)) == 4


def test_an_unsupported_content_type_is_rejected_with_a_detail(staff, client_for):
    response = client_for(staff.social_worker).post(
        "/api/v1/cases/", case_data(staff), format="multipart"
    )
    assert response.status_code == 415
    assert response.json()["detail"]


def test_a_moved_case_lists_its_new_stage(staff, client_for, today):
    case = case_at("concern", staff)
    move(case, "refer_to_gateway", staff.social_worker, date=today.isoformat(), reasons="Worse.")
    results = client_for(staff.legal).get("/api/v1/cases/", {"stage": "legal_gateway"}).json()
    assert [c["id"] for c in results["results"]] == [case.pk]
