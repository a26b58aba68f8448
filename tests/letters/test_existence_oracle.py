"""Another team's event, expectation or letter is answered exactly like an id that does
not exist (same status, same body), so that ids cannot be probed (docs/security.md,
"Finding 7")."""

from __future__ import annotations

import pytest

from legaltracker.cases.models import RecordedEvent
from tests.factories import record

from .conftest import add_expectation, generate, set_details

pytestmark = pytest.mark.django_db

MISSING = 99_999_999


def _same(api, method: str, url: str, missing_url: str, body: dict) -> None:
    foreign = getattr(api, method)(url, body, format="json")
    missing = getattr(api, method)(missing_url, body, format="json")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_another_teams_event_is_answered_like_a_missing_one(
    pp_case, staff, other_staff, today, client_for
):
    event = record(pp_case, staff.social_worker, "note", today, summary="Visited.")
    assert RecordedEvent.objects.filter(pk=event.pk).exists()
    _same(
        client_for(other_staff.social_worker),
        "patch",
        f"/api/v1/events/{event.pk}/",
        f"/api/v1/events/{MISSING}/",
        {"summary": "Changed.", "reason_for_change": "Typo."},
    )


def test_another_teams_expectation_is_answered_like_a_missing_one(
    pp_case, staff, other_staff, client_for
):
    item = add_expectation(pp_case, staff.social_worker)
    _same(
        client_for(other_staff.team_manager),
        "patch",
        f"/api/v1/expectations/{item.pk}/",
        f"/api/v1/expectations/{MISSING}/",
        {"action": "Walk Amy to school."},
    )


@pytest.mark.parametrize("action", ["approve", "sent"])
def test_another_teams_letter_is_answered_like_a_missing_one(
    action, pp_case, staff, other_staff, today, client_for
):
    add_expectation(pp_case, staff.social_worker)
    set_details(pp_case, staff.social_worker)
    letter = generate(pp_case, staff.social_worker)
    body = {"date": today.isoformat(), "method": "post"} if action == "sent" else {}
    _same(
        client_for(other_staff.team_manager),
        "post",
        f"/api/v1/letters/{letter.pk}/{action}/",
        f"/api/v1/letters/{MISSING}/{action}/",
        body,
    )
