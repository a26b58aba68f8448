"""Sessions: signing out ends the session on the server (a copied cookie is refused), an
idle timeout and an absolute cap, and switching an account off ends its sessions."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from legaltracker.security.models import SignedInSession

from .conftest import cookie, sign_in, with_cookie

pytestmark = pytest.mark.django_db


def test_signing_out_ends_the_session_and_a_copied_cookie_is_refused(people):
    browser = Client()
    assert sign_in(browser, people.social_worker).status_code == 302
    stolen = cookie(browser)
    # The copy works while the session lives: it is a real session cookie.
    assert with_cookie(stolen).get("/my-work/").status_code == 200
    assert SignedInSession.objects.filter(session_key=stolen).exists()

    assert browser.post("/sign-out/").status_code == 302

    replay = with_cookie(stolen).get("/my-work/")
    assert replay.status_code == 302 and replay["Location"].startswith("/sign-in/")
    assert not Session.objects.filter(session_key=stolen).exists()
    assert not SignedInSession.objects.filter(session_key=stolen).exists()


def test_a_session_ends_after_the_idle_timeout(people, app_clock):
    browser = Client()
    sign_in(browser, people.social_worker)
    stolen = cookie(browser)
    idle = settings.SESSION_COOKIE_AGE
    assert idle == 30 * 60
    app_clock.advance(seconds=idle - 60)
    assert browser.get("/my-work/").status_code == 200  # activity restarts the clock
    app_clock.advance(seconds=idle - 60)
    assert browser.get("/my-work/").status_code == 200
    app_clock.advance(seconds=idle + 1)
    response = browser.get("/my-work/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert with_cookie(stolen).get("/my-work/").status_code == 302
    assert not Session.objects.filter(session_key=stolen).exists()
    page = browser.get(response["Location"])
    assert "signed out after 30 minutes without activity" in page.content.decode()


def test_a_session_ends_at_the_absolute_cap_however_active(people, app_clock):
    browser = Client()
    sign_in(browser, people.social_worker)
    cap = settings.SESSION_ABSOLUTE_AGE
    assert cap == 10 * 60 * 60
    elapsed = 0
    while elapsed + 20 * 60 < cap - 60:
        app_clock.advance(minutes=20)
        elapsed += 20 * 60
        assert browser.get("/my-work/").status_code == 200, f"refused after {elapsed} s"
    app_clock.advance(seconds=cap - 60 - elapsed)
    assert browser.get("/my-work/").status_code == 200  # a minute before the cap
    app_clock.advance(minutes=2)
    response = browser.get("/my-work/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert "sessions last at most 10 hours" in browser.get("/sign-in/").content.decode()


def test_switching_an_account_off_ends_all_its_sessions(people):
    user = people.social_worker
    office, laptop = Client(), Client()
    sign_in(office, user)
    sign_in(laptop, user)
    keys = {cookie(office), cookie(laptop)}
    colleague = Client()
    sign_in(colleague, people.team_manager)

    user.is_active = False
    user.save()

    assert not Session.objects.filter(session_key__in=keys).exists()
    for key in keys:
        assert with_cookie(key).get("/my-work/").status_code == 302
    assert colleague.get("/my-work/").status_code == 200  # nobody else is signed out


def test_the_limits_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_AGE, s.SESSION_ABSOLUTE_AGE, s.AXES_FAILURE_LIMIT, "
        "int(s.AXES_COOLOFF_TIME.total_seconds()))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "legaltracker.settings.local",
        "SESSION_COOKIE_AGE": "600",
        "SESSION_ABSOLUTE_AGE": "7200",
        "LEGALTRACKER_SIGN_IN_FAILURE_LIMIT": "3",
        "LEGALTRACKER_SIGN_IN_COOLOFF_MINUTES": "5",
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["600", "7200", "3", "300"]


def test_session_records_older_than_the_cap_are_forgotten_at_the_next_sign_in(people):
    import datetime as dt

    from legaltracker.core import clock

    user = people.social_worker
    stale = SignedInSession.objects.create(
        user=user,
        session_key="x" * 32,
        signed_in_at=clock.now() - dt.timedelta(seconds=settings.SESSION_ABSOLUTE_AGE + 1),
    )
    sign_in(Client(), user)
    assert not SignedInSession.objects.filter(pk=stale.pk).exists()
    assert SignedInSession.objects.filter(user=user).count() == 1
