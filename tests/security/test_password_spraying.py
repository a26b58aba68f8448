"""Password spraying (docs/security.md, "Password spraying"): failed sign-ins from one
address count whatever the username, and enough of them lock that address out for a
while, even for the right password; failed sign-ins across the site coming in a burst
raise an alarm in the log and by email to the administrators, once a window."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from legaltracker.security.models import Lockout

from .conftest import sign_in

# Real commits: the alert emails go when their transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

SPRAYER = "192.0.2.66"  # documentation range: invented
ELSEWHERE = "198.51.100.7"
ADMIN_EMAIL = "it-admin@example.org"


def spray(times: int, address: str = SPRAYER, start: int = 0) -> list[int]:
    """One wrong password for each of `times` different usernames."""
    return [
        Client()
        .post(
            "/sign-in/",
            {"username": f"sprayed-{n}", "password": "Summer2026!"},
            REMOTE_ADDR=address,
        )
        .status_code
        for n in range(start, start + times)
    ]


@pytest.fixture
def admin_email(people):
    people.administrator.email = ADMIN_EMAIL
    people.administrator.save(update_fields=["email"])
    return ADMIN_EMAIL


def test_failures_from_one_address_across_usernames_lock_that_address_out(
    people, admin_email, app_clock
):
    limit = settings.LEGALTRACKER_SIGN_IN_ADDRESS_FAILURE_LIMIT
    assert limit == 20
    assert spray(limit) == [200] * limit  # each username tried once: django-axes is silent

    # Now the address is locked out, whatever the username, even with the right password.
    locked = sign_in(Client(), people.social_worker, REMOTE_ADDR=SPRAYER)
    assert locked.status_code == 429
    assert "too many failed attempts to sign in from this network" in locked.content.decode()
    assert spray(1, start=limit) == [429]
    lockout = Lockout.objects.get()
    assert (lockout.reason, lockout.ip_address, lockout.username) == ("address", SPRAYER, "")
    assert [m.to for m in mail.outbox] == [[admin_email]]
    assert SPRAYER in mail.outbox[0].body

    # The same person from another address gets in.
    elsewhere = Client()
    assert sign_in(elsewhere, people.social_worker, REMOTE_ADDR=ELSEWHERE).status_code == 302
    assert elsewhere.get("/my-work/").status_code == 200

    # Not for ever: after the cool-off the address may sign in again, and what was tried
    # during the lockout does not lock it again at once.
    app_clock.advance(minutes=16)
    back = Client()
    assert sign_in(back, people.social_worker, REMOTE_ADDR=SPRAYER).status_code == 302
    assert back.get("/my-work/").status_code == 200
    assert Lockout.objects.count() == 1


def test_failures_below_the_limit_or_spread_over_time_do_not_lock(people, app_clock):
    limit = settings.LEGALTRACKER_SIGN_IN_ADDRESS_FAILURE_LIMIT
    spray(limit - 1)
    app_clock.advance(minutes=16)  # the first ones fall out of the window
    spray(1, start=limit)
    assert sign_in(Client(), people.team_manager, REMOTE_ADDR=SPRAYER).status_code == 302
    assert not Lockout.objects.exists()


def test_a_burst_of_failures_across_the_site_raises_one_alarm(
    people, admin_email, settings, caplog
):
    settings.LEGALTRACKER_SIGN_IN_BURST_LIMIT = 12
    caplog.set_level(logging.WARNING, logger="legaltracker.security")
    # From many addresses, a few each: no address reaches its own limit.
    for n in range(11):
        spray(1, address=f"203.0.113.{n + 1}", start=n)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not mail.outbox

    spray(1, address="203.0.113.200", start=99)
    alarms = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(alarms) == 1 and "failed sign-ins across the site" in alarms[0].getMessage()
    assert "sprayed" not in alarms[0].getMessage()  # no username in the log
    assert [m.to for m in mail.outbox] == [[admin_email]]
    assert "12 sign-ins failed" in mail.outbox[0].body

    # Once a window: more failures in the same window raise no second alarm.
    spray(5, address="203.0.113.201", start=200)
    assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 1
    assert len(mail.outbox) == 1
