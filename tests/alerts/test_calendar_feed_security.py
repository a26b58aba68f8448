"""The calendar feed's secret address: each read recorded in the access log as its owner's,
the address kept out of every log line, replaced by its owner at will, and expired when
no calendar reads it (docs/security.md, "Finding 10")."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.test import Client
from django.urls import reverse
from gunicorn.config import Config

from legaltracker.alerts import feed as feed_module
from legaltracker.alerts.models import CalendarFeed
from legaltracker.audit.models import AccessLog
from legaltracker.audit.requestid import RequestIdLogFilter
from legaltracker.core import clock

from .helpers import case_with_deadline
from .test_calendar import turn_on

pytestmark = pytest.mark.django_db

CALENDAR = "/alerts/calendar/"


def token_of(path: str) -> str:
    return path.rsplit("/", 1)[1].removesuffix(".ics")


def feed_rows() -> list[AccessLog]:
    return list(AccessLog.objects.filter(action__startswith="alerts:calendar_feed "))


# --- every read is audited, as its owner's ---------------------------------------------


def test_each_read_is_an_access_log_row_by_the_feed_s_owner(client, staff, today):
    case, _ = case_with_deadline(staff, dt.date(2026, 3, 10))
    path = turn_on(client, staff.legal)
    feed = CalendarFeed.objects.get(user=staff.legal)

    assert Client().get(path).status_code == 200  # a calendar app: no session
    stranger = Client()
    stranger.force_login(staff.team_manager)  # someone else who got hold of the address
    assert stranger.get(path).status_code == 200

    rows = feed_rows()
    assert len(rows) == 2
    for row in rows:
        assert row.actor_id == staff.legal.pk
        assert row.action == "alerts:calendar_feed GET"
        assert (row.object_type, row.object_id) == ("calendar_feed", feed.pk)
        assert (row.status, row.outcome) == (200, "allowed")
        assert case.pk in row.details["cases"]
    # The request's id leads from the response to its row.
    response = Client().get(path)
    assert str(feed_rows()[-1].request_id) == response["X-Request-ID"]


def test_an_address_that_does_not_work_reads_nothing_and_records_no_read(client, staff):
    path = turn_on(client, staff.legal)
    client.post(reverse("alerts:calendar"), {"action": "revoke"})
    assert Client().get(path).status_code == 404
    assert Client().get(f"{CALENDAR}{'x' * 43}.ics").status_code == 404
    assert feed_rows() == []


# --- the token in no log line and no access log row -------------------------------------


@pytest.fixture
def console():
    """What the configured console handler (LOGGING in the settings) writes."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    configured = [h for h in handlers if any(isinstance(f, RequestIdLogFilter) for f in h.filters)]
    assert configured, "LOGGING's console handler is on the root logger"
    buffer = io.StringIO()
    previous = [(h, h.setStream(buffer)) for h in configured]
    try:
        yield buffer
    finally:
        for handler, stream in previous:
            handler.setStream(stream)


def test_no_log_line_and_no_access_log_row_holds_the_token(
    client, staff, console, caplog, monkeypatch
):
    path = turn_on(client, staff.legal)
    token = token_of(path)
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(staff.team_manager)
    with caplog.at_level(logging.DEBUG):
        assert Client().get(path).status_code == 200
        assert Client().get(path.replace(token, token[:-2] + "zz")).status_code == 404
        assert Client().post(path).status_code == 405  # (the test client skips CSRF)
    # What the app logs for these, before any filter: nothing with the address.
    assert token not in caplog.text
    assert token[:-2] not in caplog.text
    # A change without a CSRF token is refused before the view, and Django logs the
    # refusal with the path: the handler writes it without the token (below).
    assert signed_in.post(path).status_code == 403
    assert signed_in.put(path).status_code == 403
    for row in AccessLog.objects.all():
        assert token not in f"{row.action} {row.object_type} {row.details}"

    # A failure inside the feed: Django logs "Internal Server Error: <path>" and the
    # traceback; the handler writes neither with the token.
    def broken(*args, **kwargs):
        raise RuntimeError(f"could not build {path}")

    monkeypatch.setattr(feed_module, "build_calendar", broken)
    assert Client(raise_request_exception=False).get(path).status_code == 500
    # The development server's request line goes through the same handler.
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 512', path)
    written = console.getvalue()
    assert "Internal Server Error: /alerts/calendar/[token].ics" in written
    refusals = [line for line in written.splitlines() if "Forbidden (CSRF" in line]
    assert len(refusals) == 2
    assert all("/alerts/calendar/[token].ics" in line for line in refusals)
    assert "GET /alerts/calendar/[token].ics HTTP/1.1" in written
    assert "could not build /alerts/calendar/[token].ics" in written
    assert token not in written


def test_gunicorn_s_access_log_writes_the_path_without_the_token():
    from legaltracker.core.logging import GunicornLogger  # the --logger-class deployed

    token = "k" * 43
    path = f"/alerts/calendar/{token}.ics"
    config = Config()
    logger = GunicornLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://tracker.example.test{path}",
    }

    class Response:
        status = "200 OK"
        sent = 512
        headers: list[tuple[str, str]] = []

    class Request:
        headers = [("REFERER", environ["HTTP_REFERER"])]

    atoms = logger.atoms(Response(), Request(), environ, dt.timedelta(milliseconds=12))
    # The format docs/operations.md deploys, and the combined format gunicorn defaults to.
    deployed = '{"remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s}'
    line = deployed % atoms
    combined = config.access_log_format % logger.atoms_wrapper_class(atoms)
    assert '"path": "/alerts/calendar/[token].ics"' in line
    assert token not in line
    assert token not in combined
    assert token not in str(atoms)  # the request line, the referrer, the headers


# --- the owner replaces the address -----------------------------------------------------


def show_new_address(client: Client) -> str:
    page = client.get(reverse("alerts:calendar")).content.decode()
    start = page.index("https://tracker.example.test/alerts/calendar/")
    return page[start : page.index(".ics", start) + 4].removeprefix("https://tracker.example.test")


def test_the_owner_replaces_the_address_and_the_old_one_stops_at_once(client, staff):
    old = turn_on(client, staff.social_worker)
    assert Client().get(old).status_code == 200
    response = client.post(reverse("alerts:calendar"), {"action": "rotate"})
    assert response.status_code == 302
    new = show_new_address(client)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=staff.social_worker).count() == 1


def test_replacing_a_feed_one_does_not_have_says_what_to_do(client, staff):
    client.force_login(staff.social_worker)
    response = client.post(reverse("alerts:calendar"), {"action": "rotate"})
    assert response.status_code == 400
    assert "Turn your calendar feed on instead" in response.content.decode()
    assert not CalendarFeed.objects.exists()


# --- unused feeds expire ----------------------------------------------------------------


def _age(user, *, created_days: int, read_days: int | None) -> None:
    now = clock.now()
    CalendarFeed.objects.filter(user=user).update(
        created_at=now - dt.timedelta(days=created_days),
        last_read_at=None if read_days is None else now - dt.timedelta(days=read_days),
    )


def test_a_feed_never_read_for_the_expiry_period_answers_404(client, staff):
    path = turn_on(client, staff.legal)
    _age(staff.legal, created_days=91, read_days=None)
    response = Client().get(path)
    assert response.status_code == 404
    assert "make a new address" in response.content.decode()
    assert feed_rows() == []
    page = client.get(reverse("alerts:calendar")).content.decode()
    assert "stopped working because no calendar read it for 90 days" in page
    # The owner makes a new one, which works.
    assert client.post(reverse("alerts:calendar"), {"action": "rotate"}).status_code == 302
    assert Client().get(show_new_address(client)).status_code == 200


def test_a_feed_last_read_long_ago_expires_and_one_read_recently_does_not(client, staff):
    path = turn_on(client, staff.legal)
    _age(staff.legal, created_days=400, read_days=89)
    assert Client().get(path).status_code == 200  # read within the period: still works
    feed = CalendarFeed.objects.get(user=staff.legal)
    assert clock.now() - feed.last_read_at < dt.timedelta(minutes=1)  # the read moved it on
    _age(staff.legal, created_days=400, read_days=91)
    assert Client().get(path).status_code == 404


def test_the_expiry_period_is_a_setting(client, staff, settings):
    settings.ALERTS_CALENDAR_FEED_EXPIRY_DAYS = 7
    path = turn_on(client, staff.legal)
    _age(staff.legal, created_days=8, read_days=None)
    assert Client().get(path).status_code == 404


def test_a_read_that_cannot_be_recorded_is_not_shown(client, staff, monkeypatch):
    from django.db import DatabaseError

    from legaltracker.audit import recording

    path = turn_on(client, staff.legal)

    def refused(**kwargs):
        raise DatabaseError("the access log refused the row")

    monkeypatch.setattr(recording, "access_record", refused)
    response = Client().get(path)
    assert response.status_code == 503
    assert b"BEGIN:VCALENDAR" not in response.content
    assert CalendarFeed.objects.get(user=staff.legal).last_read_at is None
