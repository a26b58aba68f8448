"""Changing a password and resetting a forgotten one, through the real pages with Django's
test client: the real sign-in form, the reset email read from the mail outbox and its
link followed (docs/security.md, "Changing and resetting a password")."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client

from legaltracker.accounts.models import Role
from legaltracker.audit.models import AccessLog
from legaltracker.core import clock
from legaltracker.security.models import Lockout, LockoutReason, SignedInSession, TotpDevice
from legaltracker.web import passwords
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD = "An old invented password 17"
NEW = "A fresh invented password 29"
EMAIL = "riley.worker@example.org"


@pytest.fixture
def person(team):
    user = UserFactory(username="riley", role=Role.SOCIAL_WORKER, team=team, email=EMAIL)
    user.set_password(OLD)
    user.save()
    return user


def sign_in(username: str, password: str, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post("/sign-in/", {"username": username, "password": password})
    client.signed_in = response.status_code == 302 and "/sign-in/" not in response["Location"]
    return client


def is_signed_in(client: Client) -> bool:
    """Whether the client's session still opens a page that needs signing in."""
    return client.get("/alerts/").status_code == 200


# --- changing a password (signed in) -----------------------------------------------------


def test_changing_keeps_this_session_and_ends_the_others(person):
    here = sign_in("riley", OLD)
    elsewhere = sign_in("riley", OLD)
    assert here.signed_in and elsewhere.signed_in
    assert SignedInSession.objects.filter(user=person).count() == 2

    page = here.get("/account/password/")
    assert page.status_code == 200 and 'autocomplete="current-password"' in page.content.decode()
    done = here.post(
        "/account/password/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert done.status_code == 302 and done["Location"] == "/"

    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert list(
        SignedInSession.objects.filter(user=person).values_list("session_key", flat=True)
    ) == [here.session.session_key]
    assert not sign_in("riley", OLD).signed_in
    assert sign_in("riley", NEW).signed_in
    row = AccessLog.objects.get(action="web:password_change POST")
    assert (row.actor_id, row.object_type, row.object_id, row.status) == (
        person.pk,
        "user",
        person.pk,
        302,
    )


@pytest.mark.parametrize(
    ("old", "new1", "new2", "message"),
    [
        ("not it at all 1234", NEW, NEW, "Your current password is not right"),
        (OLD, NEW, NEW + "x", "Enter the same new password twice"),
        (OLD, "short 1", "short 1", "at least 12 characters"),
        (OLD, "qwertyuiop123", "qwertyuiop123", "too common"),
        (OLD, "203948571029384", "203948571029384", "entirely numeric"),
        ("", "", "", "Enter your current password"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(person, old, new1, new2, message):
    client = sign_in("riley", OLD)
    response = client.post(
        "/account/password/", {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "govuk-error-summary" in body
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_changing_needs_signing_in(db):
    response = Client().get("/account/password/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")
    response = Client().post("/account/password/", {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")


# --- resetting a forgotten password by email ----------------------------------------------


def ask_for_reset(email: str, client: Client | None = None, **extra) -> tuple[Client, object]:
    client = client or Client()
    return client, client.post("/sign-in/forgotten-password/", {"email": email}, **extra)


def link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/sign-in/reset/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_the_sign_in_page_links_to_the_reset():
    page = Client().get("/sign-in/").content.decode()
    assert 'href="/sign-in/forgotten-password/"' in page and "Forgot your password?" in page


def test_a_reset_by_email_sets_the_password_and_ends_every_session(person):
    elsewhere = sign_in("riley", OLD)
    browser, asked = ask_for_reset("Riley.Worker@example.org")
    assert asked.status_code == 302 and asked["Location"] == "/sign-in/forgotten-password/sent/"
    assert "Check your email" in browser.get(asked["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL] and "reset your password" in message.subject
    link = link_in(message)

    opened = browser.get(link)  # Django swaps the token for one kept in the session
    assert opened.status_code == 302
    form = browser.get(opened["Location"])
    assert form.status_code == 200 and "Set a new password" in form.content.decode()
    done = browser.post(opened["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/sign-in/"
    assert "signed out everywhere" in browser.get("/sign-in/").content.decode()

    assert not is_signed_in(elsewhere)
    assert not SignedInSession.objects.filter(user=person).exists()
    assert not is_signed_in(browser)  # a reset signs no one in
    assert not sign_in("riley", OLD).signed_in
    assert sign_in("riley", NEW).signed_in
    row = AccessLog.objects.get(action="web:password_reset_confirm POST")
    assert (row.actor_id, row.object_type, row.object_id) == (person.pk, "user", person.pk)
    # The link worked once.
    again = Client().get(link)
    assert again.status_code == 200 and "This link does not work" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(person):
    known_client, known = ask_for_reset(EMAIL)
    unknown_client, unknown = ask_for_reset("nobody.here@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert (
        known_client.get(known["Location"]).content
        == unknown_client.get(unknown["Location"]).content
    )
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_an_inactive_account_gets_no_email(person):
    person.is_active = False
    person.save()
    _, asked = ask_for_reset(EMAIL)
    assert asked.status_code == 302 and mail.outbox == []


def test_the_link_runs_out_after_an_hour(person, monkeypatch, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    ask_for_reset(EMAIL)
    link = link_in(mail.outbox[0])
    later = dt.datetime.now() + dt.timedelta(minutes=61)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    browser = Client()
    response = browser.get(link)
    assert response.status_code == 200 and "This link does not work" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_a_reset_does_not_get_past_two_step_verification(person):
    TotpDevice.objects.create(user=person, secret=pyotp.random_base32(), confirmed_at=clock.now())
    browser, _ = ask_for_reset(EMAIL)
    opened = browser.get(link_in(mail.outbox[0]))
    browser.post(opened["Location"], {"new_password1": NEW, "new_password2": NEW})
    client = sign_in("riley", NEW)
    assert client.get("/alerts/")["Location"].startswith("/sign-in/code/")


def test_a_reset_with_a_weak_or_mismatched_password_is_refused(person):
    browser, _ = ask_for_reset(EMAIL)
    opened = browser.get(link_in(mail.outbox[0]))
    for new1, new2 in (("riley riley", "riley riley"), (NEW, NEW + "!")):
        refused = browser.post(opened["Location"], {"new_password1": new1, "new_password2": new2})
        assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)


@pytest.mark.parametrize(
    "path",
    [
        "/sign-in/reset/MQ/not-a-token/",
        "/sign-in/reset/%F0%9F%92%A5/set-password/",
        "/sign-in/reset/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/x-y/",
    ],
)
def test_a_forged_link_is_a_page_saying_so(db, path):
    response = Client().get(path)
    assert response.status_code == 200 and "This link does not work" in response.content.decode()
    refused = Client().post(path, {"new_password1": NEW, "new_password2": NEW})
    assert refused.status_code == 200


@pytest.mark.parametrize("email", ["", "not an address", "a@" + "b" * 300 + ".org"])
def test_a_malformed_address_is_a_form_error(db, email):
    _, response = ask_for_reset(email)
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    assert mail.outbox == []


def test_asking_is_limited_per_address(person):
    client = Client()
    for n in range(passwords.RESET_ADDRESS_LIMIT):
        _, asked = ask_for_reset(f"someone{n}@example.org", client)
        assert asked.status_code == 302
    _, refused = ask_for_reset(EMAIL, client)
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()
    assert mail.outbox == []
    # Another address is not held back.
    _, other = ask_for_reset(EMAIL, REMOTE_ADDR="192.0.2.44")
    assert other.status_code == 302 and len(mail.outbox) == 1


def test_emails_are_limited_per_account_without_saying_so(person):
    answers = set()
    for n in range(passwords.RESET_ACCOUNT_LIMIT + 2):
        _, asked = ask_for_reset(EMAIL, REMOTE_ADDR=f"192.0.2.{10 + n}")
        answers.add((asked.status_code, asked["Location"]))
    assert len(answers) == 1
    assert len(mail.outbox) == passwords.RESET_ACCOUNT_LIMIT


def test_an_address_locked_out_of_signing_in_cannot_ask_either(person):
    Lockout.objects.create(
        reason=LockoutReason.ADDRESS,
        ip_address="127.0.0.1",
        locked_at=clock.now(),
        locked_until=clock.now() + dt.timedelta(minutes=15),
    )
    _, refused = ask_for_reset(EMAIL)
    assert refused.status_code == 429 and mail.outbox == []
