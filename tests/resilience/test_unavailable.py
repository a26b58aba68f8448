"""While the database refuses every statement: the API answers a JSON 503 with Retry-After,
people get the plain "Sorry, the service is unavailable" page, whichever layer of the
request met the error first (the session, django-axes, a view, the access log, saving the
session); nobody is told their session was deleted and nobody is signed out
(docs/operations.md, "When the database goes away").

The outage is SQLite's own: a progress handler on the connection makes SQLite interrupt
every statement, so Django raises the driver's real OperationalError ("interrupted"),
from wherever the statement was. An execute wrapper starts the outage at a chosen
statement, so that it begins part-way through a request. The same on PostgreSQL with
real processes, a real restart and a real network cut: test_restart_processes.py.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from legaltracker.api import tokens
from legaltracker.audit.requestid import RequestIdLogFilter
from legaltracker.cases.choices import Stage
from legaltracker.core import unavailable
from tests.factories import UserFactory, case_at
from tests.markers import not_on_postgresql

pytestmark = [
    # A failed statement leaves no transaction of the test's to repair: each statement
    # commits on its own, as in a real request.
    pytest.mark.django_db(transaction=True),
    not_on_postgresql,
    pytest.mark.usefixtures("today"),
]

PAGE_WORDS = "Sorry, the service is unavailable"
SESSION_DELETED = "session was deleted"


class Outage:
    """Every statement on the test's connection is interrupted by SQLite while `on`."""

    def __init__(self) -> None:
        self.on = False

    def start(self) -> None:
        connection.ensure_connection()
        connection.connection.set_progress_handler(lambda: 1, 1)
        self.on = True

    def stop(self) -> None:
        connection.ensure_connection()
        connection.connection.set_progress_handler(None, 1)
        self.on = False

    def from_statement(self, matches: Callable[[str], bool]):
        """An execute wrapper starting the outage at the first statement `matches` picks."""

        def wrapper(execute, sql, params, many, context):
            if not self.on and matches(sql):
                self.start()
            return execute(sql, params, many, context)

        return connection.execute_wrapper(wrapper)


@pytest.fixture
def outage() -> Iterator[Outage]:
    outage = Outage()
    yield outage
    outage.stop()


@pytest.fixture
def person(staff) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(staff.social_worker)
    return client


@pytest.fixture
def case(staff):
    return case_at(Stage.PRE_PROCEEDINGS, staff)


def _is_api_503(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": unavailable.API_MESSAGE}
    assert response["Retry-After"] == str(unavailable.RETRY_AFTER_SECONDS)
    assert response["X-Request-ID"]


def _is_page_503(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert PAGE_WORDS in body
    assert SESSION_DELETED not in body
    assert response["Retry-After"] == str(unavailable.RETRY_AFTER_SECONDS)
    assert response["X-Request-ID"]


def _still_signed_in(client: Client, response, user) -> None:
    """No cookie was cleared or replaced, and the same session still names the person."""
    assert "sessionid" not in response.cookies, response.cookies.output()
    assert client.get("/my-work/").status_code == 200
    assert client.session.get("_auth_user_id") == str(user.pk)


# Where the outage begins, as the first statement that fails. Each is a different layer:
# the session middleware loading the session (through authentication), the view's own
# query, the access log written after the view, and the session saved at the very end
# (Django's "session was deleted" error).
STARTS = {
    "from the start": lambda sql: True,
    "at the view's first query": lambda sql: '"cases_case"' in sql,
    "at the access log row": lambda sql: sql.startswith('INSERT INTO "audit_accesslog"'),
    "at saving the session": lambda sql: sql.startswith('UPDATE "django_session"'),
}


# Where a request goes -> (its path for a case, the answer it must get in an outage):
# the API's JSON 503 for programs, the plain "try again" page for people.
ANSWERS = {
    "api": ("/api/v1/cases/{}/", _is_api_503),
    "page": ("/cases/{}/", _is_page_503),
}


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("where", ANSWERS)
def test_the_answer_is_a_503_wherever_the_outage_begins(person, staff, case, outage, start, where):
    path, is_503 = ANSWERS[where]
    with outage.from_statement(STARTS[start]):
        response = person.get(path.format(case.pk))
    assert outage.on, "the outage never began: the test proved nothing"
    outage.stop()
    is_503(response)
    _still_signed_in(person, response, staff.social_worker)
    assert person.get(path.format(case.pk)).status_code == 200


def test_a_change_sent_during_the_outage_is_a_503_and_the_person_stays_signed_in(
    person, staff, case, outage
):
    outage.start()
    response = person.post(
        f"/cases/{case.pk}/record/note/",
        {"date": "2026-03-04", "summary": "Visited the family."},
    )
    outage.stop()
    _is_page_503(response)
    _still_signed_in(person, response, staff.social_worker)


def test_signing_in_during_the_outage_is_the_page_not_a_refusal(outage, staff):
    UserFactory(username="newcomer").set_password("a long enough password")
    client = Client(raise_request_exception=False)
    outage.start()
    response = client.post("/sign-in/", {"username": "newcomer", "password": "whatever it is"})
    outage.stop()
    _is_page_503(response)


def test_an_api_token_request_during_the_outage_is_json(outage, staff, case):
    _, key = tokens.token_issue(user=staff.social_worker, name="case system")
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {key}")
    outage.start()
    response = client.get(f"/api/v1/cases/{case.pk}/")
    outage.stop()
    _is_api_503(response)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_the_health_check_says_unavailable_in_its_own_words(outage):
    outage.start()
    response = Client(raise_request_exception=False).get("/healthz")
    outage.stop()
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"


def test_one_log_line_with_the_request_id_and_no_traceback(person, staff, case, outage, caplog):
    caplog.handler.addFilter(RequestIdLogFilter())
    outage.start()
    with caplog.at_level(logging.INFO):
        # Several layers meet the error here (the session, the page, the access log, the
        # no-store check, saving the session): still one line.
        response = person.get(f"/cases/{case.pk}/")
    outage.stop()
    _is_page_503(response)
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in lines] == ["legaltracker.core.unavailable"], [
        (r.name, r.getMessage()) for r in lines
    ]
    (line,) = lines
    assert line.request_id == response["X-Request-ID"]
    assert line.exc_info is None
    message = line.getMessage()
    assert (
        message == f"Database unavailable: answered 503 to GET /cases/{case.pk}/ (OperationalError)"
    )
    user = staff.social_worker
    for personal in (user.username, user.last_name, person.cookies["sessionid"].value):
        assert personal not in message


def test_the_answers_are_made_without_a_query(django_assert_num_queries):
    factory = RequestFactory()
    with django_assert_num_queries(0):
        page = unavailable.response(factory.get("/board/"))
        api = unavailable.response(factory.get("/api/v1/board/"))
    assert page.status_code == api.status_code == 503
    assert PAGE_WORDS in page.content.decode()
    assert json.loads(api.content)["detail"] == unavailable.API_MESSAGE


def test_only_a_lost_database_is_taken_for_an_outage():
    """A statement the database refused (a duplicate, a missing table) stays what it was;
    a lost connection is recognised however deep in the chain of errors it is."""
    from django.db import IntegrityError, OperationalError, ProgrammingError

    assert not unavailable.database_unavailable(IntegrityError("duplicate key"))
    assert not unavailable.database_unavailable(ProgrammingError("no such table"))
    assert not unavailable.database_unavailable(ValueError("bad input"))
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as lost:
            raise ValueError("saving failed") from lost
    except ValueError as wrapped:
        assert unavailable.database_unavailable(wrapped)
