"""The case API's census fields: the child's identifiers, an initial meeting's answers
and the allocated lawyer, each bad value a 400 naming its field (docs/decisions.md,
151 to 155)."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.accounts.models import Role
from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from legaltracker.core.upn import check_letter
from tests.factories import UserFactory, case_at, case_data, record

pytestmark = pytest.mark.usefixtures("today")

UPN = check_letter("999000021042") + "999000021042"


def test_a_case_is_opened_with_the_childs_identifiers(staff, client_for):
    data = case_data(staff)
    data["children"][0].update(
        upn=UPN.lower(), cin_referral_date="2025-09-01", cin_episode_id="EP-9", la_child_id="LA9"
    )
    response = client_for(staff.social_worker).post("/api/v1/cases/", data, format="json")
    assert response.status_code == 201, response.json()
    child = response.json()["children"][0]
    assert (child["upn"], child["cin_referral_date"], child["cin_episode_id"]) == (
        UPN,
        "2025-09-01",
        "EP-9",
    )
    assert child["la_child_id"] == "LA9"
    assert response.json()["allocated_lawyer"] is None


def test_a_bad_upn_is_a_400_naming_the_child_and_the_field(staff, client_for):
    data = case_data(staff)
    data["children"][0]["upn"] = "Z" + UPN[1:] if UPN[0] != "Z" else "A" + UPN[1:]
    before = Case.objects.count()
    response = client_for(staff.social_worker).post("/api/v1/cases/", data, format="json")
    assert response.status_code == 400
    message = response.json()["errors"]["children"][0]
    assert message.startswith("1, upn: ")
    assert "check letter" in message
    assert Case.objects.count() == before


def _meeting(case, client, **body):
    return client.post(
        f"/api/v1/cases/{case.pk}/events/",
        {"kind": "initial_meeting_held", "date": case.stage_entered_on.isoformat(), **body},
        format="json",
    )


@pytest.fixture
def meeting_case(staff):
    case = case_at("pre_proceedings", staff)
    record(case, staff.social_worker, "letter_before_proceedings_sent", case.stage_entered_on)
    return Case.objects.get(pk=case.pk)


def test_an_initial_meeting_needs_its_answer(meeting_case, staff, client_for):
    client = client_for(staff.social_worker)
    missing = _meeting(meeting_case, client)
    assert missing.status_code == 400
    assert list(missing.json()["errors"]) == ["effective"]
    wrong = _meeting(meeting_case, client, effective="perhaps")
    assert wrong.status_code == 400
    assert "effective" in wrong.json()["errors"]
    assert not RecordedEvent.objects.filter(case=meeting_case, kind="initial_meeting_held")


def test_an_initial_meeting_names_the_parents_with_a_solicitor(
    meeting_case, staff, other_staff, client_for
):
    client = client_for(staff.social_worker)
    mother = meeting_case.adults.get()
    stranger = case_at("concern", other_staff).adults.get()
    refused = _meeting(
        meeting_case, client, effective=True, solicitor_present_for=[mother.pk, stranger.pk]
    )
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["solicitor_present_for"]
    not_a_list = _meeting(meeting_case, client, effective=True, solicitor_present_for=mother.pk)
    assert not_a_list.status_code == 400

    created = _meeting(meeting_case, client, effective=False, solicitor_present_for=[mother.pk])
    assert created.status_code == 201, created.json()
    assert created.json()["details"] == {
        "effective": False,
        "solicitor_present_for": [mother.pk],
    }
    event_id = created.json()["id"]
    corrected = client.patch(
        f"/api/v1/events/{event_id}/",
        {"effective": True, "reason_for_change": "It did go ahead: the parents came late."},
        format="json",
    )
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["details"]["effective"] is True
    assert corrected.json()["details"]["solicitor_present_for"] == [mother.pk]


def test_the_schema_lists_the_new_fields(staff, client_for):
    schema = client_for(staff.social_worker).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    text = schema.content.decode()
    for name in ("solicitor_present_for", "effective", "allocated_lawyer", "cin_episode_id"):
        assert name in text


def test_the_lawyer_is_allocated_and_changed_through_the_api(staff, client_for):
    case = case_at("legal_gateway", staff)
    other = UserFactory(username="lawyer2", role=Role.LEGAL)
    client = client_for(staff.legal)
    url = f"/api/v1/cases/{case.pk}/lawyer/"
    taken = client.post(url, {"allocated_lawyer": staff.legal.pk}, format="json")
    assert taken.status_code == 200, taken.json()
    assert taken.json()["allocated_lawyer"] == staff.legal.pk
    assert taken.json()["allocated_lawyer_name"] == staff.legal.display_name

    for bad in (staff.social_worker.pk, "x", staff.legal.pk):
        refused = client.post(url, {"allocated_lawyer": bad}, format="json")
        assert refused.status_code == 400, bad
        assert list(refused.json()["errors"]) == ["allocated_lawyer"]
    stale = client.post(
        url, {"allocated_lawyer": other.pk, "version": taken.json()["version"] - 1}, format="json"
    )
    assert stale.status_code == 409
    forbidden = client_for(staff.social_worker).post(
        url, {"allocated_lawyer": other.pk}, format="json"
    )
    assert forbidden.status_code == 403
    moved = client.post(url, {"allocated_lawyer": other.pk, "reason": "Leave"}, format="json")
    assert moved.status_code == 200
    assert Case.objects.get(pk=case.pk).allocated_lawyer == other
    assert CaseEvent.objects.filter(case=case, action="lawyer_allocated").count() == 2
    listed = client.get("/api/v1/cases/").json()["results"]
    assert {c["id"]: c["allocated_lawyer"] for c in listed}[case.pk] == other.pk


def test_dates_in_the_future_are_refused_for_the_cin_referral(staff, client_for, today):
    data = case_data(staff)
    data["children"][0]["cin_referral_date"] = (today + dt.timedelta(days=1)).isoformat()
    response = client_for(staff.social_worker).post("/api/v1/cases/", data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["children"][0].startswith("1, cin_referral_date: ")
