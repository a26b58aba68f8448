"""Queries do not grow with history: a case's detail costs the same
number of queries with 5 recorded events as with 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legaltracker.cases.facts import deadlines_recompute
from legaltracker.cases.models import RecordedEvent
from tests.factories import case_at, move

pytestmark = pytest.mark.usefixtures("today")

# Kinds that each add deadline rows (review cycles, oversight cycles) as well as events.
KINDS = [
    "review_meeting_held",
    "management_oversight",
    "note",
    "hearing_listed",
    "assessment_completed",
]


def case_with_history(staff, today, events: int):
    """A case in proceedings with an extension and `events` recorded events. The events are
    written in bulk (test set-up only), then the deadlines brought into step with them."""
    case = case_at("pre_proceedings", staff, start=today - dt.timedelta(days=400))
    move(
        case,
        "escalate_to_gateway",
        staff.social_worker,
        date=(today - dt.timedelta(days=300)).isoformat(),
        reasons="No progress.",
    )
    first = today - dt.timedelta(days=290)
    RecordedEvent.objects.bulk_create(
        RecordedEvent(
            case=case,
            kind=KINDS[n % len(KINDS)],
            date=first + dt.timedelta(days=n % 280),
            summary=f"Entry {n}",
            recorded_by=(staff.social_worker, staff.team_manager)[n % 2],
            details={"hearing_type": "interim_hearing", "hearing_date": first.isoformat()}
            if KINDS[n % len(KINDS)] == "hearing_listed"
            else {},
        )
        for n in range(events)
    )
    deadlines_recompute(case=case)
    return case


def detail_queries(client, case) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    return len(queries), response.json()


def test_case_detail_costs_the_same_with_5_or_500_events(staff, client_for, today):
    small = case_with_history(staff, today, 5)
    large = case_with_history(staff, today, 500)
    client = client_for(staff.social_worker)
    detail_queries(client, small)  # warm: the token, the policy row
    small_count, small_body = detail_queries(client, small)
    large_count, large_body = detail_queries(client, large)
    assert len(small_body["events"]) == 5
    assert len(large_body["events"]) == 500
    assert len(large_body["deadlines"]) > len(small_body["deadlines"])
    assert {e["recorded_by"] for e in large_body["events"]} == {"sw-north", "tm-north"}
    assert large_count == small_count, (small_count, large_count)


def test_case_history_costs_the_same_however_long(staff, client_for, today):
    short = case_at("concern", staff)
    long = case_at("proceedings", staff)
    client = client_for(staff.legal)
    client.get(f"/api/v1/cases/{short.pk}/history/")
    with CaptureQueriesContext(connection) as few:
        short_rows = client.get(f"/api/v1/cases/{short.pk}/history/").json()
    with CaptureQueriesContext(connection) as many:
        long_rows = client.get(f"/api/v1/cases/{long.pk}/history/").json()
    assert len(long_rows) > len(short_rows) + 5
    assert len(many) == len(few)


def test_the_case_list_costs_the_same_however_many_cases(staff, client_for, today):
    client = client_for(staff.legal)
    case_at("concern", staff)
    client.get("/api/v1/cases/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/cases/").json()["count"] == 1
    for stage in ("legal_gateway", "pre_proceedings", "issue", "proceedings", "closed"):
        case_at(stage, staff)
    with CaptureQueriesContext(connection) as six:
        assert client.get("/api/v1/cases/").json()["count"] == 6
    assert len(six) == len(one)
