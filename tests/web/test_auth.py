"""Signing in and out, session cookies after sign-out, and the no-store header."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from legaltracker.accounts.models import User

PASSWORD = "correct horse battery staple"


@pytest.fixture
def worker(staff) -> User:
    user = staff.social_worker
    user.set_password(PASSWORD)
    user.save()
    return user


def test_signed_out_home_redirects_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign_in"))
    assert "Cache-Control" not in response  # nobody is signed in: nothing to keep out


def test_sign_in_page_is_a_govuk_form_not_marked_by_no_store(client, db):
    response = client.get(reverse("web:sign_in"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert 'class="govuk-input"' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    # The middleware leaves anonymous pages alone (no Pragma, its mark). Django's
    # LoginView sends its own never_cache headers: a page with a CSRF token must not be
    # served from a cache.
    assert "Pragma" not in response
    assert response["Cache-Control"] != "no-store, private"


def test_sign_in_lands_a_social_worker_on_my_work(client, worker):
    response = client.post(
        reverse("web:sign_in"), {"username": worker.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    home = client.get(reverse("web:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("web:my_work")
    page = client.get(reverse("web:my_work"))
    assert page.status_code == 200
    assert page.context["user"] == worker


def test_wrong_password_is_an_error_summary_not_a_sign_in(client, worker):
    response = client.post(
        reverse("web:sign_in"), {"username": worker.username, "password": "not it"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a correct username and password" in html
    assert "<title>Error: Sign in" in html
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_names_each_missing_field(client, db):
    response = client.post(reverse("web:sign_in"), {"username": "", "password": ""})
    html = response.content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'class="govuk-input govuk-input--error"' in html


def test_sign_out_is_post_only(client, worker):
    client.force_login(worker)
    assert client.get(reverse("web:sign_out")).status_code == 405
    assert client.get(reverse("web:my_work")).status_code == 200


def test_after_sign_out_the_old_session_cookie_is_refused(client, worker):
    client.post(reverse("web:sign_in"), {"username": worker.username, "password": PASSWORD})
    old_cookie = client.cookies["sessionid"].value
    assert client.get(reverse("web:my_work")).status_code == 200

    response = client.post(reverse("web:sign_out"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:sign_in")
    signed_out = client.get(response["Location"])
    assert "You have signed out." in signed_out.content.decode()

    # Someone who copied the cookie before sign-out gets nothing with it.
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    response = replay.get(reverse("web:my_work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign_in"))


def test_sign_out_needs_the_csrf_token(worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    assert client.post(reverse("web:sign_out")).status_code == 403
    assert client.get(reverse("web:my_work")).status_code == 200


@pytest.mark.parametrize("url", ["/", "/my-work/", "/reports/"])
def test_authenticated_responses_are_not_stored(client, staff, url):
    client.force_login(staff.team_manager)
    response = client.get(url, follow=False)
    assert response.status_code in (200, 302)
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_no_store_replaces_a_cache_lifetime_set_by_a_view(rf, staff):
    from django.http import HttpResponse

    from legaltracker.web.middleware import NoStoreMiddleware

    def view(request):
        response = HttpResponse("cached?")
        response["Cache-Control"] = "max-age=3600"
        return response

    request = rf.get("/")
    request.user = staff.legal
    response = NoStoreMiddleware(view)(request)
    assert response["Cache-Control"] == "no-store, private"


def test_an_anonymous_response_is_left_alone(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from legaltracker.web.middleware import NoStoreMiddleware

    request = rf.get("/sign-in/")
    request.user = AnonymousUser()
    response = NoStoreMiddleware(lambda r: HttpResponse("hello"))(request)
    assert "Cache-Control" not in response


def test_a_signed_in_person_visiting_sign_in_goes_home(client, worker):
    client.force_login(worker)
    response = client.get(reverse("web:sign_in"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_sessions_expire(client, worker, settings):
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.post(reverse("web:sign_in"), {"username": worker.username, "password": PASSWORD})
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    lifetime = session.expire_date - timezone.now()
    assert dt.timedelta(0) < lifetime <= dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)

    # Past its expiry the session no longer signs anyone in.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("web:my_work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign_in"))
