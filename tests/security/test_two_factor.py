"""The second factor: time-based codes from an authenticator app, optional for everyone
and required for administrators; a code works once; too many wrong codes sign out."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.test import Client

from legaltracker.core import clock
from legaltracker.security.models import TotpDevice

from .conftest import sign_in

pytestmark = pytest.mark.django_db

SETUP = "/account/two-step-verification/"
CODE = "/sign-in/code/"


def code_for(user, moment: dt.datetime | None = None) -> str:
    return pyotp.TOTP(TotpDevice.objects.get(user=user).secret).at(moment or clock.now())


def test_an_administrator_must_set_up_a_second_factor_before_anything_else(people):
    admin = people.administrator
    browser = Client()
    assert sign_in(browser, admin).status_code == 302
    for path in ("/", "/admin/", "/my-work/"):
        response = browser.get(path)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), path
    # Session-authenticated API calls are refused too (403 with a message, not a page).
    api = browser.get("/api/v1/cases/")
    assert api.status_code == 403 and "authenticator" in api.json()["detail"]

    page = browser.get(SETUP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Administrators must set up two-step verification" in body
    device = TotpDevice.objects.get(user=admin)
    assert device.secret[:4] in body and not device.confirmed

    wrong = browser.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 400 and not TotpDevice.objects.get(user=admin).confirmed
    right = browser.post(SETUP, {"code": code_for(admin), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200
    # It cannot be turned off for an administrator.
    browser.post(SETUP, {"action": "turn_off", "code": code_for(admin)})
    assert TotpDevice.objects.filter(user=admin, confirmed_at__isnull=False).exists()


def test_with_a_device_the_code_is_asked_after_the_password_and_works_once(people, monkeypatch):
    admin = people.administrator
    device = TotpDevice.objects.create(
        user=admin, secret=pyotp.random_base32(), confirmed_at=clock.now()
    )
    first = Client()
    sign_in(first, admin)
    response = first.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(CODE)
    assert first.get(response["Location"]).status_code == 200
    code = code_for(admin)
    entered = first.post(CODE, {"code": code, "next": "/admin/"})
    assert entered.status_code == 302 and entered["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200

    # The same code, seen over a shoulder, does not let anyone else in.
    second = Client()
    sign_in(second, admin)
    replay = second.post(CODE, {"code": code})
    assert replay.status_code == 400
    assert second.get("/admin/").status_code == 302
    device.refresh_from_db()
    assert device.last_used_step == pyotp.TOTP(device.secret).timecode(clock.now())

    # The next code (30 seconds later) works.
    later = clock.now() + dt.timedelta(seconds=30)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert second.post(CODE, {"code": code_for(admin, later)}).status_code == 302
    assert second.get("/admin/").status_code == 200


def test_five_wrong_codes_sign_out(people):
    TotpDevice.objects.create(
        user=people.administrator, secret=pyotp.random_base32(), confirmed_at=clock.now()
    )
    browser = Client()
    sign_in(browser, people.administrator)
    statuses = [browser.post(CODE, {"code": "000000"}).status_code for _ in range(5)]
    assert statuses[:4] == [400] * 4 and statuses[4] == 302
    assert browser.get("/admin/").status_code == 302
    assert browser.get(CODE)["Location"].startswith("/sign-in/")


def test_it_is_optional_for_everyone_else(people):
    worker = people.social_worker
    browser = Client()
    sign_in(browser, worker)
    assert browser.get("/my-work/").status_code == 200  # not asked for a code
    page = browser.get(SETUP)
    assert page.status_code == 200 and "You can add a second step" in page.content.decode()
    assert browser.post(SETUP, {"code": "12 34"}).status_code == 400  # not six digits
    assert browser.post(SETUP, {"code": code_for(worker)}).status_code == 302

    # From now on a code is asked for after the password.
    again = Client()
    sign_in(again, worker)
    assert again.get("/my-work/")["Location"].startswith(CODE)
    later = clock.now() + dt.timedelta(seconds=30)
    code = pyotp.TOTP(TotpDevice.objects.get(user=worker).secret).at(later)
    device = TotpDevice.objects.get(user=worker)
    device.last_used_step = 0
    device.save()
    assert again.post(CODE, {"code": code}).status_code == 302
    assert again.get("/my-work/").status_code == 200

    # They may turn it off again with a current code.
    device.last_used_step = 0
    device.save()
    again.post(SETUP, {"action": "turn_off", "code": code_for(worker)})
    assert not TotpDevice.objects.filter(user=worker).exists()


def test_an_administrator_can_remove_a_lost_authenticator_app_and_read_lockouts(people):
    import io

    from django.core.management import call_command

    from legaltracker.accounts.models import User

    call_command("add_user", "config-admin", "--role", "administrator", stdout=io.StringIO())
    administrator = User.objects.get(username="config-admin")
    assert not administrator.is_superuser
    lost = TotpDevice.objects.create(
        user=people.social_worker, secret=pyotp.random_base32(), confirmed_at=clock.now()
    )
    admin = Client()
    admin.force_login(administrator)
    assert admin.get("/admin/security/lockout/").status_code == 200
    assert admin.get("/admin/security/totpdevice/").status_code == 200
    response = admin.post(f"/admin/security/totpdevice/{lost.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(pk=lost.pk).exists()
    # The person then signs in with the password alone and may set up a new app.
    browser = Client()
    sign_in(browser, people.social_worker)
    assert browser.get("/my-work/").status_code == 200


def test_without_an_app_the_question_is_asked_once_a_session(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = Client()
    sign_in(browser, people.social_worker)
    with CaptureQueriesContext(connection) as first:
        assert browser.get("/my-work/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert browser.get("/my-work/").status_code == 200
    table = TotpDevice._meta.db_table
    assert any(table in q["sql"] for q in first.captured_queries)
    assert not any(table in q["sql"] for q in second.captured_queries)
