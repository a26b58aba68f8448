"""My work and reports run a fixed number of queries, whatever the number of cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legaltracker.cases.choices import Stage
from tests.factories import case_at, record

from . import data

pytestmark = pytest.mark.slow


def queries(client, url: str) -> int:
    client.get(url)  # warm: the timescale policy row, the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def grow(staff, other_staff, n: int) -> None:
    start = dt.date(2025, 6, 2)
    data.more_cases(staff, n, start)
    data.more_cases(other_staff, n, start)
    for case in data.more_cases(staff, 2, dt.date(2025, 9, 1))[:1]:
        record(
            case, staff.team_manager, "management_oversight", dt.date(2026, 3, 2), summary="Seen."
        )


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("social_worker", "/my-work/"),
        ("team_manager", "/my-work/"),
        ("team_manager", "/reports/"),
        ("head_of_service", "/reports/"),
        ("court_liaison_officer", "/reports/?team=north"),
    ],
)
def test_query_count_does_not_grow_with_cases(client, staff, other_staff, today, role, url):
    client.force_login(staff.by_role(role))
    case_at(Stage.PRE_PROCEEDINGS, staff)
    small = queries(client, url)
    grow(staff, other_staff, 8)
    large = queries(client, url)
    assert large == small
    # session, user, policy, calendar, the page's reads, the header's unread alerts, the
    # header's counts of what waits for approval (letters and extensions), session save
    assert small <= 17
