"""A meeting, hearing or issue date on a weekend or bank holiday is asked about once on
the page, and accepted when confirmed (the API's twin: tests/api/test_non_working_days.py)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from legaltracker.cases.choices import EventKind
from legaltracker.cases.models import RecordedEvent
from tests.factories import ATTENDEES, case_at, record

from .helpers import dmy, event_url, form_post, transition_url

pytestmark = pytest.mark.django_db

SATURDAY = dt.date(2026, 2, 28)
GOOD_FRIDAY = dt.date(2026, 4, 3)
MONDAY = dt.date(2026, 3, 2)


def meeting_post(case, day, **extra):
    # `effective`: the initial meeting's question (ignored by the other forms).
    return {
        "version": str(case.version),
        "date": dmy(day),
        "summary": "",
        "effective": "yes",
        **extra,
    }


def test_a_meeting_on_a_saturday_is_asked_about_then_accepted_when_confirmed(
    staff, today, signed_in
):
    case = case_at("pre_proceedings", staff)
    client = signed_in(staff.social_worker)
    url = event_url(case, EventKind.INITIAL_MEETING_HELD)

    asked = client.post(url, meeting_post(case, SATURDAY))
    page = html.unescape(asked.content.decode())
    assert asked.status_code == 400
    assert "Saturday 28 February 2026 is a weekend" in page
    assert 'name="confirm_non_working_day"' in page
    assert not RecordedEvent.objects.filter(case=case, kind=EventKind.INITIAL_MEETING_HELD)

    confirmed = client.post(url, meeting_post(case, SATURDAY, confirm_non_working_day="on"))
    assert confirmed.status_code == 302
    event = RecordedEvent.objects.get(case=case, kind=EventKind.INITIAL_MEETING_HELD)
    assert event.date == SATURDAY


def test_a_working_day_is_not_asked_about_and_the_box_stays_hidden(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)
    client = signed_in(staff.social_worker)
    url = event_url(case, EventKind.INITIAL_MEETING_HELD)
    assert 'name="confirm_non_working_day"' not in client.get(url).content.decode()
    assert client.post(url, meeting_post(case, MONDAY)).status_code == 302


def test_a_bank_holiday_is_named(staff, today, signed_in):
    case = case_at("proceedings", staff, start=dt.date(2026, 1, 5))
    client = signed_in(staff.legal)
    with_hearing = meeting_post(case, MONDAY, hearing_type="case_management_hearing")
    with_hearing["hearing_date"] = dmy(GOOD_FRIDAY)
    response = client.post(event_url(case, EventKind.HEARING_LISTED), with_hearing)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Friday 3 April 2026 is a bank holiday (Good Friday)" in page
    # The listing itself (a Monday) was fine: only the hearing's date is asked about.
    assert "Monday 2 March 2026 is" not in page


def test_a_note_on_a_sunday_is_not_asked_about(staff, today, signed_in):
    case = case_at("concern", staff)
    client = signed_in(staff.social_worker)
    response = client.post(
        event_url(case, EventKind.NOTE),
        meeting_post(case, dt.date(2026, 3, 1), summary="Call from the school"),
    )
    assert response.status_code == 302


def test_the_gateway_meeting_and_the_issue_date_are_asked_about(staff, today, signed_in):
    case = case_at("legal_gateway", staff)
    client = signed_in(staff.legal)
    post = form_post(
        {
            "date": SATURDAY.isoformat(),
            "attendees": ATTENDEES,
            "threshold_view": "met",
            "reasons": "Neglect continues.",
        },
        version=case.version,
    )
    response = client.post(transition_url(case, "gateway_enter_pre_proceedings"), post)
    assert response.status_code == 400
    assert "Check the date of the gateway meeting" in html.unescape(response.content.decode())
    case.refresh_from_db()
    assert case.stage == "legal_gateway"
    post["confirm_non_working_day"] = "on"
    assert (
        client.post(transition_url(case, "gateway_enter_pre_proceedings"), post).status_code == 302
    )
    case.refresh_from_db()
    assert case.stage == "pre_proceedings"


def test_correcting_only_the_summary_of_a_confirmed_weekend_meeting_asks_nothing(
    staff, today, signed_in
):
    case = case_at("pre_proceedings", staff)
    event = record(case, staff.social_worker, EventKind.REVIEW_MEETING_HELD, SATURDAY)
    case.refresh_from_db()
    client = signed_in(staff.social_worker)
    post = {
        "version": str(case.version),
        "date": dmy(SATURDAY),
        "summary": "Mother attended with an advocate",
        "reason_for_change": "Summary added",
    }
    assert client.post(reverse("casework:correct_event", args=[event.pk]), post).status_code == 302
    event.refresh_from_db()
    assert event.summary == "Mother attended with an advocate"
