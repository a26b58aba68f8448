"""The API asks for `confirm_non_working_day: true` where the page shows its box: a meeting,
hearing or issue date on a weekend or bank holiday."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from legaltracker.cases.models import RecordedEvent
from tests.factories import case_at, ready_for_issue

pytestmark = pytest.mark.django_db

SATURDAY = dt.date(2026, 2, 28)


class TestApi:
    def url(self, case):
        return reverse("api:case-events", args=[case.pk])

    def test_the_api_refuses_an_unconfirmed_weekend_hearing_then_takes_the_confirmed_one(
        self, staff, today, client_for
    ):
        case = case_at("proceedings", staff, start=dt.date(2026, 1, 5))
        client = client_for(staff.legal)
        body = {
            "kind": "hearing_held",
            "date": SATURDAY.isoformat(),
            "hearing_type": "interim_hearing",
        }
        refused = client.post(self.url(case), body, format="json")
        assert refused.status_code == 400
        assert '"confirm_non_working_day": true' in refused.json()["errors"]["date"][0]
        assert not RecordedEvent.objects.filter(case=case, kind="hearing_held")
        taken = client.post(
            self.url(case), {**body, "confirm_non_working_day": True}, format="json"
        )
        assert taken.status_code == 201

    def test_the_issue_date_on_a_sunday_needs_the_confirmation(self, staff, today, client_for):
        case = case_at("issue", staff, start=dt.date(2026, 1, 5))
        ready_for_issue(case, staff, dt.date(2026, 2, 2))
        client = client_for(staff.legal)
        url = reverse("api:case-transition", args=[case.pk, "issue_proceedings"])
        body = {"date": "2026-03-01", "court_reference": "ZW26C00001"}
        assert client.post(url, body, format="json").status_code == 400
        case.refresh_from_db()
        assert case.stage == "issue"
        body["confirm_non_working_day"] = True
        assert client.post(url, body, format="json").status_code == 200
