"""The sign-in throttle (django-axes): repeated wrong passwords lock that username out
from that address for a limited time, each lockout is recorded and shown in the admin,
and the lockout ends by itself."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from legaltracker.security.models import Lockout

from .conftest import sign_in

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.10"  # documentation range: invented


def fail(client: Client, user, times: int, address: str = ADDRESS) -> list[int]:
    return [
        sign_in(client, user, "wrong password", REMOTE_ADDR=address).status_code
        for _ in range(times)
    ]


def test_repeated_wrong_passwords_lock_out_for_a_while_and_are_recorded(people, staff):
    user = people.social_worker
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5 and dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    browser = Client()
    # The form says the password is wrong, then the limit is reached.
    assert fail(browser, user, limit - 1) == [200] * (limit - 1)
    assert fail(browser, user, 1) == [429]
    assert Lockout.objects.count() == 1

    # Locked out: even the right password is refused, with a page that says for how long.
    locked = sign_in(browser, user, REMOTE_ADDR=ADDRESS)
    assert locked.status_code == 429
    assert "try again in 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in browser.session

    lockout = Lockout.objects.get()
    assert lockout.username == user.username and lockout.ip_address == ADDRESS
    assert lockout.locked_until - lockout.locked_at == settings.AXES_COOLOFF_TIME

    # Not for ever: once the cool-off has passed the right password works again.
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    response = sign_in(browser, user, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    assert browser.get("/my-work/").status_code == 200


def test_a_lockout_is_of_one_username_from_one_address(people):
    user = people.social_worker
    fail(Client(), user, settings.AXES_FAILURE_LIMIT)
    # The same person from another address, and a colleague from the same one, get in.
    assert sign_in(Client(), user, REMOTE_ADDR="192.0.2.99").status_code == 302
    assert sign_in(Client(), people.team_manager, REMOTE_ADDR=ADDRESS).status_code == 302


def test_lockouts_are_listed_in_the_admin(people, staff):
    fail(Client(), people.social_worker, settings.AXES_FAILURE_LIMIT)
    superuser = staff.administrator
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    admin = Client()
    admin.force_login(superuser)
    page = admin.get("/admin/security/lockout/")
    assert page.status_code == 200
    assert people.social_worker.username in page.content.decode()
    # Django-axes' own records are in the admin too.
    assert admin.get("/admin/axes/accessattempt/").status_code == 200
    # A lockout record cannot be edited or deleted there.
    lockout = Lockout.objects.get()
    assert admin.get(f"/admin/security/lockout/{lockout.pk}/delete/").status_code == 403
