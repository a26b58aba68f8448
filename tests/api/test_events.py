"""POST /api/v1/cases/<id>/events/ and PATCH /api/v1/events/<id>/."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from tests.factories import case_at, record

pytestmark = pytest.mark.usefixtures("today")


def events_url(case):
    return f"/api/v1/cases/{case.pk}/events/"


def deadline(body, milestone, cycle=1):
    return next(d for d in body["deadlines"] if (d["milestone"], d["cycle"]) == (milestone, cycle))


def test_recording_an_event_answers_201_with_the_event(staff, client_for, today):
    case = case_at("pre_proceedings", staff)
    response = client_for(staff.social_worker).post(
        events_url(case),
        {
            "kind": "assessment_completed",
            "date": today.isoformat(),
            "summary": "Parenting assessment of the mother.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    event = RecordedEvent.objects.get(pk=body["id"])
    assert body["case"] == case.pk
    assert (body["kind"], body["date"], body["summary"]) == (
        "assessment_completed",
        today.isoformat(),
        "Parenting assessment of the mother.",
    )
    assert body["recorded_by"] == staff.social_worker.username
    assert body["case_version"] == case.version + 1 == Case.objects.get(pk=case.pk).version
    assert event.recorded_by == staff.social_worker


def test_an_event_moves_its_deadline_to_met(staff, client_for):
    case = case_at("pre_proceedings", staff)  # entered on 4 February 2026
    client = client_for(staff.social_worker)
    before = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert deadline(before, "letter_before_proceedings")["status"] == "overdue"
    client.post(
        events_url(case),
        {"kind": "letter_before_proceedings_sent", "date": "2026-02-06"},
        format="json",
    )
    after = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert deadline(after, "letter_before_proceedings")["status"] == "met"
    assert deadline(after, "letter_before_proceedings")["met_on"] == "2026-02-06"
    initial = deadline(after, "initial_meeting")
    assert (initial["not_before"], initial["due"]) == ("2026-02-13", "2026-02-20")
    assert [e["kind"] for e in after["events"]] == ["letter_before_proceedings_sent"]


def test_a_hearing_keeps_its_details(staff, client_for, today):
    case = case_at("proceedings", staff)
    response = client_for(staff.court_liaison_officer).post(
        events_url(case),
        {
            "kind": "hearing_listed",
            "date": today.isoformat(),
            "hearing_type": "case_management_hearing",
            "hearing_date": "2026-03-20",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["details"] == {
        "hearing_type": "case_management_hearing",
        "hearing_date": "2026-03-20",
    }


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"date": "2026-03-04"}, {"kind"}),
        ({"kind": "party", "date": "2026-03-04"}, {"kind"}),
        ({"kind": "note", "date": "2026-03-04"}, {"summary"}),
        ({"kind": "note", "summary": "x"}, {"date"}),
        ({"kind": "note", "date": "2026-03-05", "summary": "x"}, {"date"}),
        ({"kind": "document_ready", "date": "2026-03-04", "document": "diary"}, {"document"}),
        ({"kind": ["note"], "date": "2026-03-04"}, {"kind"}),
        ({"kind": "note", "date": {"y": 2026}, "summary": 5}, {"date", "summary"}),
    ],
)
def test_invalid_values_are_400_with_field_errors(staff, client_for, data, fields):
    case = case_at("pre_proceedings", staff)
    response = client_for(staff.team_manager).post(events_url(case), data, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields
    assert not RecordedEvent.objects.filter(case=case).exists()


def test_an_event_on_a_closed_case_is_refused_with_400(staff, client_for, today):
    case = case_at("closed", staff)
    response = client_for(staff.social_worker).post(
        events_url(case),
        {"kind": "note", "date": today.isoformat(), "summary": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "This case is closed: nothing more can be recorded on it."}


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("social_worker", "management_oversight"),
        ("court_liaison_officer", "assessment_completed"),
        ("legal", "change_of_circumstances"),
    ],
)
def test_a_role_that_may_not_record_this_kind_gets_403(staff, client_for, today, role, kind):
    case = case_at("pre_proceedings", staff)
    response = client_for(staff.by_role(role)).post(
        events_url(case),
        {"kind": kind, "date": today.isoformat(), "summary": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Your role cannot record")


def test_an_event_on_a_case_of_another_team_is_404(staff, other_staff, client_for, today):
    case = case_at("pre_proceedings", staff)
    response = client_for(other_staff.team_manager).post(
        events_url(case),
        {"kind": "note", "date": today.isoformat(), "summary": "x"},
        format="json",
    )
    assert response.status_code == 404


def test_an_event_with_a_stale_version_is_409(staff, client_for, today):
    case = case_at("pre_proceedings", staff)
    response = client_for(staff.social_worker).post(
        events_url(case),
        {"kind": "note", "date": today.isoformat(), "summary": "x", "version": case.version - 1},
        format="json",
    )
    assert response.status_code == 409
    assert not RecordedEvent.objects.filter(case=case).exists()


@pytest.mark.parametrize("path", ["/api/v1/cases/x/events/", "/api/v1/events/one/"])
def test_a_non_integer_id_is_400(staff, client_for, path):
    client = client_for(staff.team_manager)
    method = client.patch if "/events/one" in path else client.post
    response = method(path, {"kind": "note"}, format="json")
    assert response.status_code == 400


# --- PATCH /api/v1/events/<id>/ ---------------------------------------------------------


@pytest.fixture
def letter(staff):
    case = case_at("pre_proceedings", staff)
    return record(case, staff.social_worker, "letter_before_proceedings_sent", dt.date(2026, 2, 6))


def test_correcting_an_events_date_moves_what_depends_on_it(staff, client_for, letter):
    client = client_for(staff.social_worker)
    response = client.patch(
        f"/api/v1/events/{letter.pk}/",
        {"date": "2026-02-09", "reason_for_change": "The letter went out on Monday."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["date"] == "2026-02-09"
    assert response.json()["case_version"] == Case.objects.get(pk=letter.case_id).version
    body = client.get(f"/api/v1/cases/{letter.case_id}/").json()
    assert deadline(body, "initial_meeting")["due"] == "2026-02-23"
    corrected = client.get(f"/api/v1/cases/{letter.case_id}/history/").json()[-1]
    assert corrected["action"] == "event_corrected"
    assert corrected["reasons"] == "The letter went out on Monday."
    assert corrected["details"]["before"]["date"] == "2026-02-06"
    assert corrected["details"]["after"]["date"] == "2026-02-09"


def test_a_correction_needs_a_reason(staff, client_for, letter):
    response = client_for(staff.social_worker).patch(
        f"/api/v1/events/{letter.pk}/", {"date": "2026-02-09"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"reason_for_change"}
    assert RecordedEvent.objects.get(pk=letter.pk).date == dt.date(2026, 2, 6)


@pytest.mark.parametrize(
    ("name", "value"),
    [("hearing_date", "2024-13-01"), ("hearing_date", "2026-02-20"), ("effective", True)],
)
def test_a_value_for_another_kind_of_event_is_refused_not_dropped(
    staff, client_for, letter, name, value
):
    response = client_for(staff.social_worker).patch(
        f"/api/v1/events/{letter.pk}/",
        {"date": "2026-02-09", "reason_for_change": "x", name: value},
        format="json",
    )
    assert response.status_code == 400
    assert "leave it out" in response.json()["errors"][name][0]
    assert RecordedEvent.objects.get(pk=letter.pk).date == dt.date(2026, 2, 6)


@pytest.mark.parametrize("raw", [b"[]", b'["date"]', b"{", b"3"])
def test_a_correction_that_is_not_a_json_object_is_400(staff, client_for, letter, raw):
    response = client_for(staff.social_worker).patch(
        f"/api/v1/events/{letter.pk}/", raw, content_type="application/json"
    )
    assert response.status_code == 400


def test_correcting_an_event_of_another_teams_case_is_404(other_staff, client_for, letter):
    response = client_for(other_staff.social_worker).patch(
        f"/api/v1/events/{letter.pk}/",
        {"date": "2026-02-09", "reason_for_change": "x"},
        format="json",
    )
    assert response.status_code == 404
    assert RecordedEvent.objects.get(pk=letter.pk).date == dt.date(2026, 2, 6)


@pytest.mark.parametrize("event_id", ["424242", str(10**30)])
def test_correcting_an_event_that_does_not_exist_is_404(staff, client_for, letter, event_id):
    response = client_for(staff.social_worker).patch(
        f"/api/v1/events/{event_id}/", {"reason_for_change": "x"}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_role_that_may_not_change_the_event_gets_403(staff, client_for, letter):
    response = client_for(staff.court_liaison_officer).patch(
        f"/api/v1/events/{letter.pk}/",
        {"date": "2026-02-09", "reason_for_change": "x"},
        format="json",
    )
    assert response.status_code == 403


def test_a_correction_with_a_stale_version_is_409(staff, client_for, letter):
    stale = Case.objects.get(pk=letter.case_id).version - 1
    response = client_for(staff.social_worker).patch(
        f"/api/v1/events/{letter.pk}/",
        {"date": "2026-02-09", "reason_for_change": "x", "version": stale},
        format="json",
    )
    assert response.status_code == 409
    assert not CaseEvent.objects.filter(case_id=letter.case_id, action="event_corrected").exists()


def test_an_event_on_a_case_id_beyond_any_row_is_404(staff, client_for, today):
    response = client_for(staff.team_manager).post(
        f"/api/v1/cases/{10**30}/events/",
        {"kind": "note", "date": today.isoformat(), "summary": "x"},
        format="json",
    )
    assert response.status_code == 404
