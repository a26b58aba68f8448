"""POST /api/v1/cases/<id>/transitions/<transition>/: every answer of the contract."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.cases.models import Case, CaseEvent
from tests.factories import ATTENDEES, case_at, gateway_data, ready_for_issue, record

pytestmark = pytest.mark.usefixtures("today")


def url(case, transition):
    return f"/api/v1/cases/{case.pk}/transitions/{transition}/"


def unchanged(case):
    """The case as it was: same stage, same version, no new audit row."""
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.stage == case.stage
        and fresh.version == case.version
        and CaseEvent.objects.filter(case=case).count() == case.audit_events.count()
    )


def test_a_transition_answers_200_with_the_moved_case(staff, client_for, today):
    case = case_at("concern", staff)
    response = client_for(staff.social_worker).post(
        url(case, "refer_to_gateway"),
        {"date": today.isoformat(), "reasons": "Neglect continues."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == case.pk
    assert body["stage"] == "legal_gateway"
    assert body["version"] == case.version + 1
    assert body["available_transitions"] == []  # the gateway is for the chair and the lawyer
    assert "gateway_meeting" in {d["milestone"] for d in body["deadlines"]}
    last = CaseEvent.objects.filter(case=case).last()
    assert (last.action, last.from_stage, last.to_stage, last.actor) == (
        "transition",
        "concern",
        "legal_gateway",
        staff.social_worker,
    )


def test_a_gateway_decision_appears_in_the_body(staff, client_for, today):
    case = case_at("legal_gateway", staff)
    response = client_for(staff.legal).post(
        url(case, "gateway_enter_pre_proceedings"), gateway_data(today), format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "pre_proceedings"
    assert body["pre_proceedings_started_on"] == today.isoformat()
    [decision] = body["gateway_decisions"]
    assert decision["transition"] == "gateway_enter_pre_proceedings"
    assert decision["threshold_view"] == "met"
    assert decision["attendees"] == ATTENDEES
    assert decision["recorded_by"] == "lawyer"


def test_the_whole_life_of_a_case_through_the_api(staff, client_for, today):
    """concern -> legal_gateway -> issue -> proceedings -> closed (care order)."""
    start = today - dt.timedelta(days=20)
    sw, legal = client_for(staff.social_worker), client_for(staff.legal)
    case_id = sw.post(
        "/api/v1/cases/",
        {
            "team": "north",
            "social_worker": staff.social_worker.username,
            "opened_on": start.isoformat(),
            "children": [
                {"first_name": "Ada", "last_name": "Example", "date_of_birth": "2020-05-17"}
            ],
            "adults": [
                {
                    "first_name": "Bea",
                    "last_name": "Example",
                    "relationship": "mother",
                    "parental_responsibility": True,
                }
            ],
        },
        format="json",
    ).json()["id"]
    case = Case.objects.get(pk=case_id)

    def post(client, transition, **data):
        # The days are consecutive, weekends included: each is confirmed as meant
        # (the asking itself: tests/api/test_non_working_days.py).
        data = {"confirm_non_working_day": True, **data}
        response = client.post(url(case, transition), data, format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    post(sw, "refer_to_gateway", date=(start + dt.timedelta(days=1)).isoformat(), reasons="Worse.")
    body = post(legal, "gateway_issue", **gateway_data(start + dt.timedelta(days=2)))
    assert body["stage"] == "issue"
    ready_for_issue(case, staff, start + dt.timedelta(days=3))
    body = post(
        legal,
        "issue_proceedings",
        date=(start + dt.timedelta(days=3)).isoformat(),
        court_reference="ZW26C00099",
    )
    assert (body["stage"], body["court_reference"]) == ("proceedings", "ZW26C00099")
    assert "final_order" in {d["milestone"] for d in body["deadlines"]}
    body = post(legal, "conclude_proceedings", date=today.isoformat(), outcome="care_order")
    assert (body["stage"], body["outcome"], body["closed_on"]) == (
        "closed",
        "care_order",
        today.isoformat(),
    )
    assert body["available_transitions"] == []
    history = legal.get(f"/api/v1/cases/{case.pk}/history/").json()
    stages = [(h["from_stage"], h["to_stage"]) for h in history if h["action"] == "transition"]
    assert stages == [
        ("concern", "legal_gateway"),
        ("legal_gateway", "issue"),
        ("issue", "proceedings"),
        ("proceedings", "closed"),
    ]


def test_an_extension_appears_in_the_body(staff, client_for, today):
    case = case_at("pre_proceedings", staff)  # entered on 4 February 2026
    record(case, staff.social_worker, "letter_before_proceedings_sent", dt.date(2026, 2, 5))
    record(case, staff.social_worker, "initial_meeting_held", dt.date(2026, 2, 16))
    response = client_for(staff.head_of_service).post(
        url(case, "extend_pre_proceedings"),
        {
            "date": today.isoformat(),
            "reasons": "Assessment of the father is under way.",
            "approved_by": "hos",
            "new_end_date": "2026-07-06",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    [extension] = response.json()["extensions"]
    assert extension["kind"] == "pre_proceedings"
    assert extension["previous_end"] == "2026-06-08"  # 16 weeks after the initial meeting
    assert extension["new_end"] == "2026-07-06"
    assert (extension["approved_by"], extension["recorded_by"]) == ("hos", "hos")
    decision = next(
        d for d in response.json()["deadlines"] if d["milestone"] == "pre_proceedings_decision"
    )
    assert decision["due"] == "2026-07-06"


# --- 400: invalid input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"date", "reasons"}),
        ({"date": "04/03/2026", "reasons": "x"}, {"date"}),
        ({"date": "2026-03-05", "reasons": "x"}, {"date"}),  # tomorrow
        ({"date": "2026-01-01", "reasons": "x"}, {"date"}),  # before the case was opened
        ({"date": "2026-03-04", "reasons": "   "}, {"reasons"}),
        ({"date": ["2026-03-04"], "reasons": ["x"]}, {"date", "reasons"}),
        ({"date": True, "reasons": {"why": "x"}}, {"date", "reasons"}),
    ],
)
def test_invalid_values_are_400_with_field_errors(staff, client_for, data, fields):
    case = case_at("concern", staff)
    response = client_for(staff.social_worker).post(
        url(case, "refer_to_gateway"), data, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Some of the values are missing or not valid")
    assert set(body["errors"]) == fields
    assert unchanged(case)


def test_a_gateway_decision_without_a_lawyer_present_is_400(staff, client_for, today):
    case = case_at("legal_gateway", staff)
    data = gateway_data(today, attendees=[a for a in ATTENDEES if a["role"] != "legal"])
    response = client_for(staff.legal).post(url(case, "gateway_issue"), data, format="json")
    assert response.status_code == 400
    assert "Missing: a lawyer" in response.json()["errors"]["attendees"][0]
    assert unchanged(case)


@pytest.mark.parametrize("raw", [b"[]", b'"date"', b"{bad json", b"17"])
def test_a_body_that_is_not_a_json_object_is_400(staff, client_for, raw):
    case = case_at("concern", staff)
    response = client_for(staff.social_worker).post(
        url(case, "refer_to_gateway"), raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert unchanged(case)


@pytest.mark.parametrize("version", ["1", 1.5, True, 0, -3, [1], {"v": 1}])
def test_a_version_that_is_not_a_whole_number_is_400(staff, client_for, today, version):
    case = case_at("concern", staff)
    response = client_for(staff.social_worker).post(
        url(case, "refer_to_gateway"),
        {"date": today.isoformat(), "reasons": "x", "version": version},
        format="json",
    )
    assert response.status_code == 400
    assert "version" in response.json()["errors"]
    assert unchanged(case)


def test_a_non_integer_case_id_is_400(staff, client_for, today):
    response = client_for(staff.social_worker).post(
        "/api/v1/cases/first/transitions/refer_to_gateway/",
        {"date": today.isoformat(), "reasons": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"id": ["Enter the case's id as a whole number."]}


# --- 400: refused -----------------------------------------------------------------------


def test_a_step_down_without_a_fresh_assessment_is_refused_with_400(staff, client_for, today):
    case = case_at("pre_proceedings", staff)
    response = client_for(staff.team_manager).post(
        url(case, "step_down"),
        {
            "date": today.isoformat(),
            "reasons": "Progress made.",
            "step_down_to": "child_protection_plan",
        },
        format="json",
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("A step down needs an assessment completed since pre-proceedings")
    assert "errors" not in response.json()
    assert unchanged(case)


def test_a_step_down_after_a_fresh_assessment_goes_through(staff, client_for, today):
    case = case_at("pre_proceedings", staff)
    record(case, staff.social_worker, "assessment_completed", today, summary="Parenting better.")
    response = client_for(staff.team_manager).post(
        url(case, "step_down"),
        {
            "date": today.isoformat(),
            "reasons": "Progress made.",
            "step_down_to": "child_protection_plan",
        },
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["outcome"], response.json()["step_down_to"]) == (
        "stepped_down",
        "child_protection_plan",
    )


def test_issue_without_the_day1_documents_is_refused_with_400(staff, client_for, today):
    case = case_at("issue", staff)
    response = client_for(staff.legal).post(
        url(case, "issue_proceedings"),
        {"date": today.isoformat(), "court_reference": "ZW26C00001"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The Day 1 documents are not all ready.")
    assert unchanged(case)


def test_a_transition_from_the_wrong_stage_is_400_and_says_where_it_can_be_done(
    staff, client_for, today
):
    case = case_at("concern", staff)
    response = client_for(staff.head_of_service).post(
        url(case, "step_down"),
        {"date": today.isoformat(), "reasons": "x", "step_down_to": "child_in_need_plan"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "This case is at the concern stage. 'Step down from pre-proceedings' can only be "
        "done at: pre-proceedings."
    )
    assert unchanged(case)


# --- 403, 404 ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "court_liaison_officer"])
def test_a_role_that_may_not_make_a_gateway_decision_gets_403(staff, client_for, today, role):
    case = case_at("legal_gateway", staff)
    response = client_for(staff.by_role(role)).post(
        url(case, "gateway_enter_pre_proceedings"), gateway_data(today), format="json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Your role cannot do this on this case: Gateway decision: enter pre-proceedings."
    }
    assert unchanged(case)


def test_an_unknown_transition_is_404(staff, client_for, today):
    case = case_at("concern", staff)
    response = client_for(staff.head_of_service).post(
        url(case, "fast_track"), {"date": today.isoformat()}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no transition called 'fast_track'."}


def test_a_case_of_another_team_is_404_not_403(staff, other_staff, client_for, today):
    case = case_at("concern", staff)
    response = client_for(other_staff.social_worker).post(
        url(case, "refer_to_gateway"), {"date": today.isoformat(), "reasons": "x"}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no case with that id that you can see."}
    assert unchanged(case)


def test_a_case_id_beyond_any_row_is_404(staff, client_for, today):
    response = client_for(staff.legal).post(
        f"/api/v1/cases/{10**25}/transitions/close/",
        {"date": today.isoformat(), "reasons": "x", "outcome": "withdrawn"},
        format="json",
    )
    assert response.status_code == 404


# --- 409 --------------------------------------------------------------------------------


def test_a_stale_version_is_409_and_changes_nothing(staff, client_for, today):
    case = case_at("legal_gateway", staff)
    lawyer, head = client_for(staff.legal), client_for(staff.head_of_service)
    read = lawyer.get(f"/api/v1/cases/{case.pk}/").json()["version"]
    # Meanwhile, the head of service records the gateway's decision.
    assert (
        head.post(
            url(case, "gateway_continue_plan"),
            {**gateway_data(today), "version": read},
            format="json",
        ).status_code
        == 200
    )
    before = Case.objects.get(pk=case.pk)
    response = lawyer.post(
        url(case, "gateway_enter_pre_proceedings"),
        {**gateway_data(today), "version": read},
        format="json",
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Someone else changed this case while you were working on it. Reload the "
        "case to see what changed, then try again."
    }
    assert unchanged(before)
    assert before.stage == "closed"


def test_the_current_version_goes_through(staff, client_for, today):
    case = case_at("concern", staff)
    client = client_for(staff.social_worker)
    version = client.get(f"/api/v1/cases/{case.pk}/").json()["version"]
    response = client.post(
        url(case, "refer_to_gateway"),
        {"date": today.isoformat(), "reasons": "x", "version": version},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["version"] == version + 1


def test_an_event_recorded_meanwhile_also_makes_the_version_stale(staff, client_for, today):
    case = case_at("pre_proceedings", staff)
    client = client_for(staff.head_of_service)
    version = client.get(f"/api/v1/cases/{case.pk}/").json()["version"]
    record(case, staff.social_worker, "note", today, summary="Mother called.")
    response = client.post(
        url(case, "close"),
        {
            "date": today.isoformat(),
            "reasons": "Family moved away.",
            "outcome": "transferred_out",
            "version": version,
        },
        format="json",
    )
    assert response.status_code == 409


def test_without_a_version_a_second_identical_request_is_refused_not_applied_twice(
    staff, client_for, today
):
    case = case_at("legal_gateway", staff)
    client = client_for(staff.legal)
    first = client.post(url(case, "gateway_issue"), gateway_data(today), format="json")
    second = client.post(url(case, "gateway_issue"), gateway_data(today), format="json")
    assert first.status_code == 200
    assert second.status_code == 400
    assert "This case is at the issue stage" in second.json()["detail"]
    assert Case.objects.get(pk=case.pk).gateway_decisions.count() == 1
