"""The private calendar feed: turned on, shown once, read by token alone, limited to what
its owner may see, regenerated and revoked."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from legaltracker.alerts.models import CalendarFeed
from legaltracker.cases.choices import Stage
from legaltracker.core import clock
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline
from tests.factories import case_at, record

from .helpers import case_with_deadline

pytestmark = pytest.mark.django_db


def turn_on(client: Client, user) -> str:
    """Turn the feed on through the page; return the feed's path from the one-time URL."""
    client.force_login(user)
    assert client.post(reverse("alerts:calendar"), {"action": "enable"}).status_code == 302
    page = client.get(reverse("alerts:calendar")).content.decode()
    start = page.index("https://tracker.example.test/alerts/calendar/")
    url = page[start : page.index(".ics", start) + 4]
    return url.removeprefix("https://tracker.example.test")


def events(response) -> dict[str, str]:
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]).split("@")[0]: str(e["summary"]) for e in calendar.walk("VEVENT")}


def test_the_address_is_shown_once_and_only_its_hash_is_kept(client, staff):
    path = turn_on(client, staff.legal)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    feed = CalendarFeed.objects.get(user=staff.legal)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    again = client.get(reverse("alerts:calendar")).content.decode()
    assert token not in again
    assert "Its address was shown once" in again


def test_the_feed_needs_no_session_and_lists_deadlines_and_hearings(client, staff, today):
    case, deadline = case_with_deadline(staff, dt.date(2026, 3, 10))
    court = case_at(Stage.PROCEEDINGS, staff)
    record(
        court,
        staff.legal,
        "hearing_listed",
        today,
        hearing_type="case_management_hearing",
        hearing_date="2026-03-20",
    )
    path = turn_on(client, staff.legal)
    response = Client().get(path)  # a calendar app: no cookie, no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert found[f"deadline-{deadline.pk}"] == f"Gateway meeting held due ({case.reference})"
    hearings = [s for uid, s in found.items() if uid.startswith("hearing-")]
    assert hearings == [f"Case management hearing ({court.reference})"]
    # The legal team's feed holds legal milestones, not the teams' own tasks.
    oversight = Deadline.objects.filter(milestone=Milestone.MANAGEMENT_OVERSIGHT).values_list(
        "pk", flat=True
    )
    assert not any(f"deadline-{pk}" in found for pk in oversight)
    body = response.content.decode()
    for child in case.children.all():
        assert child.last_name not in body


def test_a_feed_shows_only_what_its_owner_may_see(client, staff, other_staff, today):
    ours, deadline = case_with_deadline(staff, dt.date(2026, 3, 10))
    theirs, their_deadline = case_with_deadline(other_staff, dt.date(2026, 3, 11))
    found = events(Client().get(turn_on(client, other_staff.social_worker)))
    assert f"deadline-{their_deadline.pk}" in found
    assert f"deadline-{deadline.pk}" not in found
    assert all(ours.reference not in summary for summary in found.values())
    # A social worker's own task is in their feed.
    oversight = Deadline.objects.get(case=theirs, milestone=Milestone.MANAGEMENT_OVERSIGHT)
    assert f"deadline-{oversight.pk}" in found


def test_a_new_address_replaces_the_old_and_revoking_stops_it(client, staff):
    first = turn_on(client, staff.team_manager)
    second = turn_on(client, staff.team_manager)
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post(reverse("alerts:calendar"), {"action": "revoke"})
    assert Client().get(second).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_deactivated_person_s_feed_stops(client, staff):
    path = turn_on(client, staff.legal)
    staff.legal.is_active = False
    staff.legal.save()
    assert Client().get(path).status_code == 404


def test_an_unknown_token_is_not_logged(client, caplog):
    with caplog.at_level("WARNING", logger="django.request"):
        response = Client().get("/alerts/calendar/not-a-real-token-0000000000000000000000.ics")
    assert response.status_code == 404
    assert "not-a-real-token" not in caplog.text


def test_clock_is_the_feed_s_today(client, staff):
    """Entries from a month back are kept; older outstanding ones are left out."""
    _, old = case_with_deadline(staff, dt.date(2026, 1, 5))
    _, recent = case_with_deadline(staff, dt.date(2026, 2, 20))
    path = turn_on(client, staff.legal)
    with clock.frozen(dt.date(2026, 3, 4)):
        found = events(Client().get(path))
    assert f"deadline-{recent.pk}" in found
    assert f"deadline-{old.pk}" not in found
