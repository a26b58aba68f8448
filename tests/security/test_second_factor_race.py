"""Second factor guessing in parallel, on PostgreSQL (real row locks between connections):
many wrong codes sent at once in one sign-in are checked one at a time, exactly up to the
limit, and lock the person out; one right code sent twice at once lets in one request."""

from __future__ import annotations

import threading

import pyotp
import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.test import Client

from legaltracker.core import clock
from legaltracker.security.models import Lockout, TotpDevice
from tests.markers import postgresql_only

from .conftest import cookie, sign_in, with_cookie
from .test_second_factor_guessing import ADMIN_EMAIL, CODE, wrong_code

pytestmark = [pytest.mark.postgres, postgresql_only, pytest.mark.django_db(transaction=True)]

PARALLEL = 30


def post_at_once(clients: list[Client], codes: list[str]) -> list[int]:
    """Each client posts its code, all released together; their statuses."""
    start = threading.Barrier(len(clients))
    statuses: list[int] = [0] * len(clients)

    def one(index: int) -> None:
        try:
            start.wait(timeout=30)
            statuses[index] = clients[index].post(CODE, {"code": codes[index]}).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return statuses


@pytest.fixture
def device(people):
    people.administrator.email = ADMIN_EMAIL
    people.administrator.save(update_fields=["email"])
    return TotpDevice.objects.create(
        user=people.social_worker, secret=pyotp.random_base32(), confirmed_at=clock.now()
    )


def test_parallel_wrong_codes_in_one_sign_in_are_counted_exactly_and_lock_out(people, device):
    user = people.social_worker
    limit = settings.LEGALTRACKER_SECOND_FACTOR_FAILURE_LIMIT
    browser = Client()
    sign_in(browser, user)
    session = cookie(browser)
    wrong = wrong_code(device.secret, clock.now())

    statuses = post_at_once([with_cookie(session) for _ in range(PARALLEL)], [wrong] * PARALLEL)

    # Exactly limit codes were checked: limit - 1 told "wrong", one signed out at the
    # limit; every other request was refused without its code being checked (429 while
    # locked, or the sign-in page once the session had ended).
    assert statuses.count(400) == limit - 1, statuses
    assert statuses.count(400) + statuses.count(302) + statuses.count(429) == PARALLEL
    assert Lockout.objects.filter(reason="second_factor").count() == 1
    assert [m.to for m in mail.outbox] == [[ADMIN_EMAIL]]

    # A new sign-in with the right code is refused while the lockout lasts.
    again = Client()
    sign_in(again, user)
    right = again.post(CODE, {"code": pyotp.TOTP(device.secret).at(clock.now())})
    assert right.status_code == 429
    assert again.get("/my-work/").status_code == 302


def test_one_right_code_sent_twice_at_once_lets_in_one(people, device):
    user = people.social_worker
    clients = []
    for _ in range(2):
        browser = Client()
        sign_in(browser, user)
        clients.append(browser)
    code = pyotp.TOTP(device.secret).at(clock.now())

    statuses = post_at_once(clients, [code, code])

    assert sorted(statuses) == [302, 400], statuses
    assert [c.get("/my-work/").status_code for c in clients].count(200) == 1
