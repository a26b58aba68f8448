"""Fixtures for the alerts tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from legaltracker.accounts.models import Role
from legaltracker.alerts import services
from legaltracker.core import clock
from legaltracker.deadlines.models import Deadline
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    """Links in emails and calendars are absolute: one known base for the assertions."""
    settings.ALERTS_SITE_URL = "https://tracker.example.test"


@pytest.fixture
def scan() -> Callable[..., services.ScanResult]:
    """Run the scan as the daily task would on `day` (clock pinned), without workers."""

    def run(day: dt.date, **kwargs: object) -> services.ScanResult:
        with clock.frozen(day):
            return services.alerts_scan(today=day, dispatch=False, **kwargs)

    return run


@pytest.fixture
def second_lawyer(staff):
    return UserFactory(username="lawyer-2", role=Role.LEGAL, email="lawyer2@example.test")


@pytest.fixture
def emails(staff) -> None:
    """Give every staff member an email address (the factories leave it blank)."""
    for user in (
        staff.social_worker,
        staff.team_manager,
        staff.head_of_service,
        staff.legal,
        staff.court_liaison_officer,
        staff.administrator,
    ):
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])


def set_due(deadline: Deadline, due: dt.date) -> Deadline:
    """Move a real deadline row to a chosen date (and mark it changed, as the deadline
    service does), so a test can put it on a boundary."""
    Deadline.objects.filter(pk=deadline.pk).update(due=due, updated_at=clock.now())
    deadline.refresh_from_db()
    return deadline
