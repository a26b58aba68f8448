"""API tokens (docs/security.md, API tokens): hashed keys with a name, an expiry and a
last-used time; listed and revoked by their owner (a page) and by an administrator (the
admin); made through the app only after a recent second-factor check where the person has
an authenticator app. Expired and revoked tokens get 401 with a JSON message."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from legaltracker.accounts.services import user_sync_role_access
from legaltracker.api import authentication, tokens
from legaltracker.api.models import ApiToken
from legaltracker.core import clock
from legaltracker.security import sessions
from legaltracker.security.models import TotpDevice

pytestmark = pytest.mark.django_db

PAGE = "/account/api-tokens/"
CODE = "/sign-in/code/"
CASES = "/api/v1/cases/"


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def browser(user) -> Client:
    client = Client()
    client.force_login(user)  # passes the second factor now (tests/conftest.py)
    return client


def make(client: Client, name: str = "nightly report", **extra: str):
    return client.post(PAGE, {"name": name, **extra})


def test_a_token_made_on_the_page_has_a_name_an_expiry_and_a_hashed_key(staff, settings):
    settings.LEGALTRACKER_API_TOKEN_DAYS = 90
    client = browser(staff.legal)
    response = make(client)
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()  # shown once, on this page
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    token = ApiToken.objects.get(user=staff.legal)
    assert token.name == "nightly report"
    assert token.key_hash == tokens.key_hash(key) and token.prefix == key[:8]
    assert dt.timedelta(days=89, hours=23) < token.expires_at - clock.now() <= dt.timedelta(days=90)
    # No column holds the key itself.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        assert not any(key in str(value) for row in cursor.fetchall() for value in row)
    assert api(key).get(CASES).status_code == 200
    # Listed afterwards without the key.
    page = client.get(PAGE).content.decode()
    assert "nightly report" in page and key not in page


def test_the_owner_chooses_a_shorter_life_within_bounds(staff):
    client = browser(staff.legal)
    assert make(client, days="7").status_code == 200
    token = ApiToken.objects.get()
    assert (token.expires_at - token.created_at).days == 7
    for days in ("0", "366", "two"):
        refused = make(client, days=days)
        assert refused.status_code == 400
        assert "Enter a whole number of days from 1 to 365" in refused.content.decode()
    refused = make(client, name="  ")
    assert refused.status_code == 400 and "Give the token a name" in refused.content.decode()
    assert ApiToken.objects.count() == 1


def test_an_expired_token_gets_401_with_a_json_message(staff):
    token, key = tokens.token_issue(user=staff.legal, name="old")
    assert api(key).get(CASES).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=clock.now() - dt.timedelta(seconds=1))
    response = api(key).get(CASES)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": authentication.EXPIRED}
    assert response["WWW-Authenticate"] == "Token"


def test_the_owner_revokes_a_token_and_it_gets_401(staff):
    token, key = tokens.token_issue(user=staff.legal, name="laptop")
    client = browser(staff.legal)
    assert "laptop" in client.get(PAGE).content.decode()
    revoked = client.post(f"{PAGE}{token.pk}/revoke/")
    assert revoked.status_code == 302 and revoked["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == staff.legal
    response = api(key).get(CASES)
    assert response.status_code == 401
    assert response.json() == {"detail": authentication.REVOKED}
    assert "Revoked" in client.get(PAGE).content.decode()


def test_nobody_lists_or_revokes_another_persons_token(staff):
    token, key = tokens.token_issue(user=staff.legal, name="the lawyer's script")
    other = browser(staff.social_worker)
    assert "the lawyer&#x27;s script" not in other.get(PAGE).content.decode()
    assert "the lawyer's script" not in other.get(PAGE).content.decode()
    assert other.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert other.post(f"{PAGE}999999/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api(key).get(CASES).status_code == 200


def test_last_used_is_written_at_most_once_a_minute(staff):
    token, key = tokens.token_issue(user=staff.legal, name="busy")
    client = api(key)
    assert client.get(CASES).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and clock.now() - first < dt.timedelta(seconds=30)

    def token_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CASES).status_code == 200
        return sum(
            1
            for query in queries.captured_queries
            if query["sql"].lstrip().upper().startswith("UPDATE") and "api_apitoken" in query["sql"]
        )

    assert token_writes() == 0
    assert token_writes() == 0
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    assert token_writes() == 1
    token.refresh_from_db()
    assert token.last_used_at > first


def _with_device(user) -> TotpDevice:
    return TotpDevice.objects.create(
        user=user, secret=pyotp.random_base32(), confirmed_at=clock.now()
    )


def _checked_minutes_ago(client: Client, minutes: int) -> None:
    session = client.session
    session[sessions.SECOND_FACTOR_AT] = int(clock.now().timestamp()) - minutes * 60
    session.save()


def test_making_a_token_needs_a_recent_second_factor_check(staff, settings):
    settings.LEGALTRACKER_API_TOKEN_SECOND_FACTOR_MINUTES = 15
    device = _with_device(staff.legal)
    client = browser(staff.legal)
    _checked_minutes_ago(client, 20)
    page = client.get(PAGE)
    assert page.status_code == 200 and "Enter a code" in page.content.decode()
    refused = make(client)
    assert refused.status_code == 302
    assert refused["Location"].startswith(f"{CODE}?again=1")
    assert not ApiToken.objects.exists()
    # The code page asks again although the session passed the second factor at sign-in.
    asked = client.get(refused["Location"])
    assert asked.status_code == 200 and 'name="again"' in asked.content.decode()
    code = pyotp.TOTP(device.secret).now()
    entered = client.post(CODE, {"code": code, "next": PAGE, "again": "1"})
    assert entered.status_code == 302 and entered["Location"] == PAGE
    made = make(client)
    assert made.status_code == 200 and made.context["new_key"]
    assert ApiToken.objects.filter(user=staff.legal).count() == 1


def test_a_check_at_sign_in_a_few_minutes_ago_is_recent_enough(staff):
    _with_device(staff.legal)
    client = browser(staff.legal)
    _checked_minutes_ago(client, 5)
    assert make(client).status_code == 200


def test_without_an_authenticator_app_no_check_is_asked(staff):
    client = browser(staff.social_worker)
    _checked_minutes_ago(client, 60 * 8)
    assert make(client).status_code == 200


def test_an_administrator_lists_and_revokes_tokens_in_the_admin(staff):
    token, key = tokens.token_issue(user=staff.legal, name="court bundle export")
    admin_user = staff.administrator
    user_sync_role_access(user=admin_user)
    admin = browser(admin_user)
    listing = admin.get("/admin/api/apitoken/")
    assert listing.status_code == 200
    assert "court bundle export" in listing.content.decode()
    assert token.key_hash not in listing.content.decode()
    assert admin.get("/admin/api/apitoken/add/").status_code == 403
    done = admin.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert done.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin_user
    assert api(key).get(CASES).status_code == 401
    assert ApiToken.objects.filter(pk=token.pk).exists()  # kept on record


def test_the_upgrade_hashes_drf_tokens_and_deletes_the_plain_keys(staff, transactional_db):
    """The migration's data step on a real table shaped like DRF's `authtoken_token`: the
    key in use keeps working, no plain key is left."""
    import importlib

    from django.apps import apps as registry

    migration = importlib.import_module("legaltracker.api.migrations.0002_api_tokens")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "user_id integer NOT NULL, created timestamp NULL)"
        )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO authtoken_token (key, user_id, created) VALUES (%s, %s, %s)",
                [key, staff.legal.pk, clock.now()],
            )
        with connection.schema_editor() as editor:
            migration.hash_drf_tokens(registry, editor)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM authtoken_token")
            assert cursor.fetchone()[0] == 0
        token = ApiToken.objects.get(user=staff.legal)
        assert token.name == migration.LEGACY_NAME
        assert token.key_hash == tokens.key_hash(key)
        assert token.expires_at > clock.now() + dt.timedelta(days=89)
        assert api(key).get(CASES).status_code == 200
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE authtoken_token")
