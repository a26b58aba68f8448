"""GET /api/v1/cases/<id>/history/: the audit trail, as recorded by the services."""

from __future__ import annotations

import pytest

from tests.factories import case_at, record

pytestmark = pytest.mark.usefixtures("today")


def test_the_history_lists_who_did_what_when_and_why(staff, client_for, today):
    case = case_at("pre_proceedings", staff)
    record(case, staff.team_manager, "management_oversight", today, summary="Plan on track.")
    response = client_for(staff.court_liaison_officer).get(f"/api/v1/cases/{case.pk}/history/")
    assert response.status_code == 200
    history = response.json()
    assert [
        (h["action"], h["actor"], h["from_stage"], h["to_stage"], h["effective_date"])
        for h in history
    ] == [
        ("case_created", "sw-north", "", "concern", "2026-02-02"),
        ("transition", "sw-north", "concern", "legal_gateway", "2026-02-03"),
        ("transition", "lawyer", "legal_gateway", "pre_proceedings", "2026-02-04"),
        ("event_recorded", "tm-north", "", "", "2026-03-04"),
    ]
    assert history[1]["reasons"] == "Concerns persist."
    assert history[2]["details"]["transition"] == "gateway_enter_pre_proceedings"
    assert history[2]["details"]["threshold_view"] == "met"
    assert history[3]["details"]["kind"] == "management_oversight"
    assert all(
        set(h)
        == {
            "id",
            "actor",
            "at",
            "action",
            "from_stage",
            "to_stage",
            "effective_date",
            "reasons",
            "details",
        }
        for h in history
    )
    ats = [h["at"] for h in history]
    assert ats == sorted(ats)


def test_a_refused_request_leaves_no_trace_in_the_history(staff, client_for, today):
    case = case_at("pre_proceedings", staff)
    client = client_for(staff.team_manager)
    before = client.get(f"/api/v1/cases/{case.pk}/history/").json()
    client.post(
        f"/api/v1/cases/{case.pk}/transitions/step_down/",
        {"date": today.isoformat(), "reasons": "x", "step_down_to": "child_in_need_plan"},
        format="json",
    )
    assert client.get(f"/api/v1/cases/{case.pk}/history/").json() == before


def test_the_history_of_a_case_of_another_team_is_404(staff, other_staff, client_for):
    case = case_at("concern", staff)
    response = client_for(other_staff.team_manager).get(f"/api/v1/cases/{case.pk}/history/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no case with that id that you can see."}


@pytest.mark.parametrize(("raw", "status"), [("abc", 400), ("0", 404), (str(10**20), 404)])
def test_bad_ids_for_the_history(staff, client_for, raw, status):
    assert client_for(staff.legal).get(f"/api/v1/cases/{raw}/history/").status_code == status
