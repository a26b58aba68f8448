"""Second factor guessing (docs/security.md, "Second factor guessing"): wrong codes are
counted per person on the server, across sign-ins; the limit-th locks the person out for
the cool-off whatever code comes next, and the administrators are told by email and in
the admin's Lockouts; a code works once."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from legaltracker.core import clock
from legaltracker.security.models import Lockout, TotpDevice

from .conftest import sign_in

# Real commits: the alert email goes when the lockout's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

CODE = "/sign-in/code/"
ADMIN_EMAIL = "it-admin@example.org"  # invented


def wrong_code(secret: str, moment: dt.datetime) -> str:
    """A code that is right at none of the steps the check accepts."""
    totp = pyotp.TOTP(secret)
    accepted = {totp.at(moment + dt.timedelta(seconds=30 * d)) for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


@pytest.fixture
def guessed(people):
    """A social worker with an authenticator app, and an administrator with an email."""
    people.administrator.email = ADMIN_EMAIL
    people.administrator.save(update_fields=["email"])
    device = TotpDevice.objects.create(
        user=people.social_worker, secret=pyotp.random_base32(), confirmed_at=clock.now()
    )
    return people.social_worker, device


def test_wrong_codes_count_across_sign_ins_and_lock_out_with_an_alert(guessed, app_clock):
    user, device = guessed
    limit = settings.LEGALTRACKER_SECOND_FACTOR_FAILURE_LIMIT
    assert limit == 5
    wrong = wrong_code(device.secret, clock.now())

    # Three wrong codes in one sign-in, then a new sign-in: the count goes on.
    first = Client()
    sign_in(first, user)
    assert [first.post(CODE, {"code": wrong}).status_code for _ in range(3)] == [400] * 3
    second = Client()
    sign_in(second, user)
    assert second.post(CODE, {"code": wrong}).status_code == 400
    fifth = second.post(CODE, {"code": wrong})
    assert fifth.status_code == 302 and fifth["Location"].startswith("/sign-in/")
    assert second.get("/my-work/").status_code == 302  # signed out

    # Locked out: even the right code, in a new sign-in, is not checked.
    third = Client()
    assert sign_in(third, user).status_code == 302
    right = pyotp.TOTP(device.secret).at(clock.now())
    locked = third.post(CODE, {"code": right})
    assert locked.status_code == 429
    assert "no code will be accepted for it for 15 minutes" in locked.content.decode()
    assert third.get("/my-work/").status_code == 302
    device.refresh_from_db()
    assert device.last_used_step == 0  # the right code was not used up either

    # The administrators are told: one email, one lockout in the admin.
    assert [m.to for m in mail.outbox] == [[ADMIN_EMAIL]]
    assert user.username in mail.outbox[0].body
    lockout = Lockout.objects.get()
    assert (lockout.reason, lockout.username) == ("second_factor", user.username)
    assert lockout.locked_until - lockout.locked_at == dt.timedelta(minutes=15)

    # Not for ever: after the cool-off the right code works and the count starts again.
    app_clock.advance(minutes=16)
    fourth = Client()
    sign_in(fourth, user)
    assert fourth.post(CODE, {"code": wrong_code(device.secret, clock.now())}).status_code == 400
    right = pyotp.TOTP(device.secret).at(clock.now())
    assert fourth.post(CODE, {"code": right}).status_code == 302
    assert fourth.get("/my-work/").status_code == 200
    assert len(mail.outbox) == 1


def test_a_right_code_resets_the_count(guessed):
    user, device = guessed
    wrong = wrong_code(device.secret, clock.now())
    browser = Client()
    sign_in(browser, user)
    for _ in range(4):
        assert browser.post(CODE, {"code": wrong}).status_code == 400
    assert browser.post(CODE, {"code": pyotp.TOTP(device.secret).now()}).status_code == 302
    again = Client()
    sign_in(again, user)
    assert [again.post(CODE, {"code": wrong}).status_code for _ in range(4)] == [400] * 4
    assert not Lockout.objects.exists() and not mail.outbox


def test_the_administrators_page_of_lockouts_lists_second_factor_lockouts(guessed, staff):
    user, device = guessed
    browser = Client()
    sign_in(browser, user)
    wrong = wrong_code(device.secret, clock.now())
    for _ in range(settings.LEGALTRACKER_SECOND_FACTOR_FAILURE_LIMIT):
        browser.post(CODE, {"code": wrong})
    admin = Client()
    admin.force_login(staff.administrator)
    page = admin.get("/admin/security/lockout/")
    assert page.status_code == 200
    assert "Wrong codes for this person" in page.content.decode()
