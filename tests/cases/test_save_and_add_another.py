"""Fewer page loads where people add several things in a row: "Save and add another" on
recorded events and on the schedule of expectations, and the gateway form's attendees
filled in from the case (values the person can change)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from legaltracker.cases.models import Case, GatewayDecision, RecordedEvent
from letters.models import Expectation
from tests.factories import case_at, gateway_data, move

pytestmark = pytest.mark.django_db


def _dmy(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _version(case) -> int:
    return Case.objects.get(pk=case.pk).version


def test_record_event_save_and_add_another(staff, client, today):
    case = case_at("pre_proceedings", staff)
    url = reverse("casework:record_event", args=[case.pk, "review_meeting_held"])
    client.force_login(staff.social_worker)
    assert 'name="add_another"' in client.get(url).content.decode()

    first = client.post(url, {"version": _version(case), "date": _dmy(today), "add_another": "1"})
    assert first.status_code == 302
    assert first["Location"] == url  # the same form again
    again = client.get(url).content.decode()
    assert "Recorded: Review meeting held, 4 March 2026. You can record another below." in again
    assert 'name="date" value' not in again  # empty, ready for the next one

    day2 = today - dt.timedelta(days=1)
    second = client.post(url, {"version": _version(case), "date": _dmy(day2)})
    assert second.status_code == 302
    assert second["Location"] != url  # plain Save goes back to the section
    dates = sorted(
        RecordedEvent.objects.filter(case=case, kind="review_meeting_held").values_list(
            "date", flat=True
        )
    )
    assert dates == [day2, today]


def test_save_and_add_another_with_an_error_saves_nothing(staff, client):
    case = case_at("pre_proceedings", staff)
    url = reverse("casework:record_event", args=[case.pk, "note"])
    client.force_login(staff.social_worker)
    response = client.post(url, {"version": _version(case), "date": "", "add_another": "1"})
    assert response.status_code == 400
    assert not RecordedEvent.objects.filter(case=case, kind="note").exists()


EXPECTATION = {
    "action": "Take Amy to school on time every day.",
    "why_it_matters": "Amy misses lessons.",
    "help_offered": "A family support worker in the mornings.",
    "how_judged": "The school's attendance record.",
}


def test_expectations_save_and_add_another(staff, client, today):
    case = case_at("pre_proceedings", staff)
    adult = case.adults.get()
    url = reverse("letters:expectation_create", args=[case.pk])
    client.force_login(staff.social_worker)
    assert 'name="add_another"' in client.get(url).content.decode()
    due = _dmy(today + dt.timedelta(days=30))
    for n in (1, 2, 3):
        response = client.post(
            url,
            {
                "version": _version(case),
                "adults": [str(adult.pk)],
                **EXPECTATION,
                "due_by": due,
                "add_another": "1",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == url
        page = client.get(url).content.decode()
        assert f"Item {n} was added to the schedule of expectations." in page
    assert Expectation.objects.filter(case=case).count() == 3
    # An error keeps the form and the button, and adds nothing.
    response = client.post(url, {"version": _version(case), "add_another": "1"})
    assert response.status_code == 400
    assert 'name="add_another"' in response.content.decode()
    assert Expectation.objects.filter(case=case).count() == 3


def _field_value(body: str, name: str) -> str | None:
    import re

    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', body)
    return match[1] if match else None


def _selected(body: str, name: str) -> str | None:
    import re

    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', body, re.S)
    if not select:
        return None
    option = re.search(r'<option value="([^"]*)"[^>]*selected', select[1])
    return option[1] if option else None


def test_first_gateway_attendees_come_from_the_case(staff, client):
    case = case_at("legal_gateway", staff)
    url = reverse("casework:transition", args=[case.pk, "gateway_enter_pre_proceedings"])
    client.force_login(staff.head_of_service)
    body = client.get(url).content.decode()
    assert _field_value(body, "attendee_1_name") == staff.social_worker.display_name
    assert _selected(body, "attendee_1_role") == "social_worker"
    assert _field_value(body, "attendee_2_name") == staff.team_manager.display_name
    assert _selected(body, "attendee_2_role") == "team_manager"
    assert _field_value(body, "attendee_3_name") == staff.head_of_service.display_name
    assert _selected(body, "attendee_3_role") == "chair"
    assert _field_value(body, "attendee_4_name") in (None, "")


def test_a_second_gateway_needs_no_retyping(staff, client, today):
    case = case_at("pre_proceedings", staff)
    move(case, "escalate_to_gateway", staff.social_worker, date=today.isoformat(), reasons="Worse.")
    decision = GatewayDecision.objects.get(case=case)
    url = reverse("casework:transition", args=[case.pk, "gateway_issue"])
    client.force_login(staff.legal)
    body = client.get(url).content.decode()
    for row, attendee in enumerate(decision.attendees, start=1):
        assert _field_value(body, f"attendee_{row}_name") == attendee["name"]
        assert _selected(body, f"attendee_{row}_role") == attendee["role"]

    # Submitting the filled-in rows as they are records the same attendees.
    post = {
        "version": str(_version(case)),
        "date": _dmy(today),
        "threshold_view": "met",
        "reasons": "Harm continues.",
    }
    for row in range(1, 7):
        post[f"attendee_{row}_name"] = _field_value(body, f"attendee_{row}_name") or ""
        post[f"attendee_{row}_role"] = _selected(body, f"attendee_{row}_role") or ""
    response = client.post(url, post)
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = GatewayDecision.objects.filter(case=case).latest("id")
    assert latest.attendees == decision.attendees
    assert gateway_data(today)["attendees"] == latest.attendees
