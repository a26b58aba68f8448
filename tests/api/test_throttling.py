"""API throttling and the bounded record of anonymous refusals (docs/security.md,
"Finding 4"): a real request through the Django test client, a real database."""

from __future__ import annotations

import time

import pytest
from rest_framework.test import APIClient

from legaltracker.audit.models import AccessLog

pytestmark = pytest.mark.usefixtures("today")

ANON_LIMIT = 20
RATES = {"anon": f"{ANON_LIMIT}/hour", "user": "30/hour"}


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = RATES


def test_300_anonymous_requests_write_a_bounded_number_of_rows_and_get_429(db, low_rates):
    anonymous = APIClient()
    before = AccessLog.objects.count()
    answers = [anonymous.get("/api/v1/cases/").status_code for _ in range(300)]
    assert answers[:ANON_LIMIT] == [401] * ANON_LIMIT
    assert answers[ANON_LIMIT:] == [429] * (300 - ANON_LIMIT)
    rows = AccessLog.objects.all()[before:]
    assert AccessLog.objects.count() - before == 1
    [row] = rows
    assert row.actor_id is None and row.status == 401
    assert row.details == {"anonymous_window_seconds": 3600}


def test_the_429_says_how_long_to_wait(db, low_rates):
    anonymous = APIClient()
    for _ in range(ANON_LIMIT):
        anonymous.get("/api/v1/cases/")
    answer = anonymous.get("/api/v1/cases/")
    assert answer.status_code == 429
    assert answer["Content-Type"] == "application/json"
    wait = int(answer["Retry-After"])
    assert 0 < wait <= 3600
    assert answer.json() == {
        "detail": f"Too many requests. Wait {wait} seconds, then try again. If your work "
        "needs more requests than this, ask the service desk to raise your limit."
    }


def test_bad_tokens_count_against_the_anonymous_rate(db, low_rates):
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    answers = [guesser.get("/api/v1/cases/").status_code for _ in range(ANON_LIMIT + 5)]
    assert answers == [401] * ANON_LIMIT + [429] * 5
    assert AccessLog.objects.filter(actor__isnull=True).count() == 1


def test_each_address_has_its_own_window_and_its_own_row(db, low_rates):
    for address in ("192.0.2.1", "192.0.2.2"):
        client = APIClient(REMOTE_ADDR=address)
        for _ in range(5):
            assert client.get("/api/v1/cases/").status_code == 401
    assert AccessLog.objects.filter(actor__isnull=True).count() == 2


def test_x_forwarded_for_from_the_client_is_not_trusted(db, low_rates):
    for n in range(ANON_LIMIT):
        APIClient(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").get("/api/v1/cases/")
    assert APIClient(HTTP_X_FORWARDED_FOR="203.0.113.9").get("/api/v1/cases/").status_code == 429


def test_signed_in_use_is_throttled_per_person_and_every_request_is_still_recorded(
    staff, other_staff, client_for, low_rates
):
    api = client_for(staff.social_worker)
    before = AccessLog.objects.count()
    answers = [api.get("/api/v1/cases/").status_code for _ in range(31)]
    assert answers == [200] * 30 + [429]
    assert AccessLog.objects.count() - before == 31
    assert client_for(other_staff.social_worker).get("/api/v1/cases/").status_code == 200


def test_limits_are_settings(db, settings):
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "user": "30/hour"}
    anonymous = APIClient()
    assert [anonymous.get("/api/v1/cases/").status_code for _ in range(3)] == [401, 401, 429]


def test_the_database_cache_that_app_servers_share_counts_the_same(transactional_db, settings):
    """The production default: the counts in a database table every app server reads."""
    from django.core.management import call_command

    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_throttle_cache",
        },
    }
    settings.API_THROTTLE_RATES = RATES
    call_command("createcachetable", verbosity=0)
    anonymous = APIClient()
    answers = [anonymous.get("/api/v1/cases/").status_code for _ in range(300)]
    assert answers == [401] * ANON_LIMIT + [429] * (300 - ANON_LIMIT)
    assert AccessLog.objects.filter(actor__isnull=True).count() == 1


@pytest.fixture
def database_cache(transactional_db, settings):
    """The production default: the counts in a database table every app server reads."""
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_throttle_cache",
        },
    }
    call_command("createcachetable", verbosity=0)
    return caches["throttle"]


def test_a_process_counts_a_lease_of_requests_in_the_shared_cache_at_once(
    database_cache, settings, staff
):
    """With 3,000 an hour, a lease is 30 requests: 30 requests, one write to the table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from legaltracker.api.tokens import token_issue

    settings.API_THROTTLE_RATES = {"anon": "60/hour", "user": "3000/hour"}
    _, key = token_issue(user=staff.social_worker, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as queries:
        answers = [api.get("/api/v1/cases/").status_code for _ in range(30)]
    assert answers == [200] * 30
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "test_throttle_cache" in q["sql"] and q["sql"].lstrip().startswith(("INSERT", "UPDATE"))
    ]
    assert len(writes) == 1
    window = int(time.time() // 3600)
    counted = database_cache.get(f"throttle_user_{staff.social_worker.pk}:3600:{window}")
    assert counted == 30


def test_processes_sharing_the_cache_never_serve_more_than_the_rate(database_cache):
    """Two processes (two lease books) take turns serving one person: never more than the
    rate in the window, and refused at most (processes - 1) x (lease - 1) early."""
    from legaltracker.api.throttles import Leases, lease_size

    limit, hour, now = 300, 3600, 7200.0 * 1000
    processes = [Leases(), Leases()]
    served = 0
    for n in range(400):
        if processes[n % 2].allow(database_cache, "throttle_user_1", limit, hour, now + n):
            served += 1
    assert lease_size(limit) == 3
    assert limit - (len(processes) - 1) * (lease_size(limit) - 1) <= served <= limit
    # The next window counts again from nothing.
    assert processes[0].allow(database_cache, "throttle_user_1", limit, hour, now + hour)


def test_each_window_has_its_own_count(database_cache):
    from legaltracker.api.throttles import Leases

    leases, start = Leases(), 3600.0 * 500
    assert [leases.allow(database_cache, "throttle_anon_x", 2, 3600, start) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert leases.allow(database_cache, "throttle_anon_x", 2, 3600, start + 3599) is False
    assert leases.allow(database_cache, "throttle_anon_x", 2, 3600, start + 3600) is True
