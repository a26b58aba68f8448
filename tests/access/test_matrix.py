"""Who sees what: every URL pattern of the web app and the JSON API, for every role (the
six roles, a social worker and a team manager of another team, and someone not signed
in), each page requested (GET) and each action done (POST, or PATCH in the API) with
valid data, on a case of team A. The answers expected are in expectations.py.

A refused action must leave the case as it was; an allowed one must have done what it
says. Pages that list cases must list team A's case only to those who may read it.

The Django admin is not in this matrix (its own staff check guards it; see
test_admin.py). A URL pattern added without an entry in WALKS fails
`test_every_url_pattern_is_in_the_matrix`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import pytest
from django.http import HttpResponse
from django.test import override_settings

from legaltracker.alerts import selectors
from legaltracker.alerts import services as alert_services
from legaltracker.alerts.choices import AlertMode, DeliveryStatus
from legaltracker.alerts.models import Delivery
from legaltracker.audit import services as audit_services
from legaltracker.audit.models import CaseRestriction, RetentionDecision
from legaltracker.cases.choices import EventKind, Stage
from legaltracker.cases.models import Case, RecordedEvent
from letters.models import Expectation, Letter
from tests.alerts.helpers import failed_digest
from tests.factories import case_at, case_data

from . import expectations as x
from .html import PageLinks
from .routes import all_routes
from .world import (
    ACTORS,
    ANON,
    PASSWORD,
    TRANSITION_FROM,
    TRANSITION_TO,
    World,
    as_form,
    details_as_form,
    expectation_as_form,
    family,
    letter_details,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXCLUDED_NAMESPACES = {"admin": "Django's admin: guarded by is_staff, see test_admin.py"}


@dataclass
class Matrix:
    world: World
    cells: int = 0
    mismatches: list[str] = field(default_factory=list)
    pages: list[PageLinks] = field(default_factory=list)
    actors_by_route: dict[str, set[str]] = field(default_factory=dict)
    # (route, HTTP method) -> actors: every API operation must be walked by every actor.
    actors_by_operation: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def answer(
        self, route: str, what: str, actor: str, expected: x.Answer, response: HttpResponse
    ) -> bool:
        self.cells += 1
        self.actors_by_route.setdefault(route, set()).add(actor)
        method = what.split(" ", 1)[0]
        self.actors_by_operation.setdefault((route, method), set()).add(actor)
        location = response.get("Location", "")
        ok = response.status_code == expected.status and (
            expected.location is None or location.startswith(expected.location)
        )
        leaked = [word for word in PageLinks.words() if word in unquote(location)]
        if leaked:
            self.mismatches.append(f"{what} as {actor}: redirects to {location} ({leaked})")
        if not ok:
            got = f"{response.status_code}" + (f" to {location}" if location else "")
            self.mismatches.append(f"{what} as {actor}: got {got}, expected {expected}")
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            self.pages.append(PageLinks.parse(what, actor, response.content.decode()))
        return ok

    def unchanged(self, what: str, actor: str, case: Case, version: int) -> None:
        now = Case.objects.get(pk=case.pk).version
        if now != version:
            self.mismatches.append(f"{what} as {actor}: refused, but the case changed")

    def lists(self, what: str, actor: str, response: HttpResponse, case: Case, shown: bool):
        """Whether team A's case is listed must follow who may read it."""
        if response.status_code != 200:
            return
        body = response.content.decode(errors="replace")
        if (case.reference in body) != shown:
            verb = "lists" if not shown else "does not list"
            self.mismatches.append(f"{what} as {actor} {verb} team A's case {case.reference}")


def _permitted(actor: str, allowed: frozenset[str]) -> bool:
    return actor in allowed and actor in x.CASE_READERS


# --- the web app -------------------------------------------------------------------------


def walk_home(m: Matrix) -> None:
    for actor in ACTORS:
        m.answer("web:home", "GET /", actor, x.home(actor), m.world.web(actor).get("/"))


def walk_sign_in(m: Matrix) -> None:
    for actor in ACTORS:
        expected = x.OK if actor == ANON else x.Answer(302, "/")
        m.answer(
            "web:sign_in", "GET /sign-in/", actor, expected, m.world.web(actor).get("/sign-in/")
        )
        username = (m.world.users[actor] or m.world.users[x.SW]).username
        response = m.world.web(actor, new=True).post(
            "/sign-in/", {"username": username, "password": PASSWORD}
        )
        m.answer("web:sign_in", "POST /sign-in/", actor, x.Answer(302, "/"), response)


def walk_sign_out(m: Matrix) -> None:
    for actor in ACTORS:
        client = m.world.web(actor, new=True)
        m.answer("web:sign_out", "GET /sign-out/", actor, x.NOT_ALLOWED, client.get("/sign-out/"))
        response = client.post("/sign-out/")
        m.answer("web:sign_out", "POST /sign-out/", actor, x.Answer(302, "/sign-in/"), response)
        # Signed out means signed out: the next page asks to sign in again.
        m.answer(
            "web:sign_out",
            "GET /my-work/ after signing out",
            actor,
            x.TO_SIGN_IN,
            client.get("/my-work/"),
        )


def walk_my_work(m: Matrix) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        response = m.world.web(actor).get("/my-work/")
        m.answer("web:my_work", "GET /my-work/", actor, x.page(actor, x.MY_WORK_USERS), response)
        m.lists("GET /my-work/", actor, response, listed, shown=actor in (x.SW, x.TM))


def walk_reports(m: Matrix) -> None:
    for actor in ACTORS:
        response = m.world.web(actor).get("/reports/")
        m.answer("web:reports", "GET /reports/", actor, x.page(actor, x.REPORT_USERS), response)


def _walk_board_page(m: Matrix, route: str, path: str) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        response = m.world.web(actor).get(path)
        m.answer(route, f"GET {path}", actor, x.page(actor, x.BOARD_USERS), response)
        m.lists(f"GET {path}", actor, response, listed, shown=actor in x.CASE_READERS)


def walk_board(m: Matrix) -> None:
    _walk_board_page(m, "board:board", "/board/")


def walk_export_csv(m: Matrix) -> None:
    _walk_board_page(m, "board:export_csv", "/board/export.csv")


def walk_export_xlsx(m: Matrix) -> None:
    # A zipped workbook: the reference cannot be read in its bytes, so only the answer.
    for actor in ACTORS:
        response = m.world.web(actor).get("/board/export.xlsx")
        m.answer(
            "board:export_xlsx",
            "GET /board/export.xlsx",
            actor,
            x.page(actor, x.BOARD_USERS),
            response,
        )


def walk_case_create(m: Matrix) -> None:
    for actor in ACTORS:
        response = m.world.web(actor).get("/cases/new/")
        m.answer(
            "casework:case_create",
            "GET /cases/new/",
            actor,
            x.page(actor, x.OPENS_SOME_CASES),
            response,
        )
        before = Case.objects.count()
        data = as_form(case_data(m.world.staff, **family()))
        response = m.world.web(actor).post("/cases/new/", data)
        if actor in x.OPENS_TEAM_A_CASES:
            expected = x.Answer(302, "/cases/")
        elif actor in x.OPENS_SOME_CASES:
            expected = x.INVALID  # team A is not one of the teams they can choose
        else:
            expected = x.page(actor, frozenset())
        if (
            m.answer(
                "casework:case_create", "POST /cases/new/ for team A", actor, expected, response
            )
            and expected.status != 302
            and Case.objects.count() != before
        ):
            m.mismatches.append(f"POST /cases/new/ as {actor}: refused, but a case was opened")


def walk_case_detail(m: Matrix) -> None:
    for where in ("concern", "pre_proceedings", "proceedings"):
        case = m.world.case(where)
        for actor in ACTORS:
            path = f"/cases/{case.pk}/"
            m.answer(
                "casework:case_detail",
                f"GET {path} ({where})",
                actor,
                x.on_case(actor, x.CASE_READERS),
                m.world.web(actor).get(path),
            )


def walk_transition(m: Matrix) -> None:
    for name, allowed in x.TRANSITION_ACTORS.items():
        where = TRANSITION_FROM[name]
        shared = m.world.case(where)
        for actor in ACTORS:
            path = f"/cases/{shared.pk}/actions/{name}/"
            m.answer(
                "casework:transition",
                f"GET {path}",
                actor,
                x.on_case(actor, allowed),
                m.world.web(actor).get(path),
            )
            case = m.world.fresh(where) if actor in allowed else m.world.case(where)
            path = f"/cases/{case.pk}/actions/{name}/"
            data = as_form(m.world.transition_data(name, case), case.version)
            expected = x.on_case(actor, allowed, x.Answer(302, f"/cases/{case.pk}/"))
            what = f"POST {path} ({name})"
            if m.answer(
                "casework:transition", what, actor, expected, m.world.web(actor).post(path, data)
            ):
                _after_transition(m, what, actor, case, name)


def _after_transition(m: Matrix, what: str, actor: str, case: Case, name: str) -> None:
    if _permitted(actor, x.TRANSITION_ACTORS[name]):
        now = Case.objects.get(pk=case.pk)
        if now.stage != TRANSITION_TO[name] or now.version == case.version:
            m.mismatches.append(f"{what} as {actor}: allowed, but the case is at {now.stage}")
    else:
        m.unchanged(what, actor, case, case.version)


def walk_record_event(m: Matrix) -> None:
    for kind in EventKind:
        allowed = x.event_actors(kind)
        for actor in ACTORS:
            case = m.world.case("events", kind)
            path = f"/cases/{case.pk}/record/{kind}/"
            m.answer(
                "casework:record_event",
                f"GET {path}",
                actor,
                x.on_case(actor, allowed),
                m.world.web(actor).get(path),
            )
            data = as_form(m.world.event_data(kind), case.version)
            expected = x.on_case(actor, allowed, x.Answer(302, f"/cases/{case.pk}/"))
            what = f"POST {path}"
            if m.answer(
                "casework:record_event", what, actor, expected, m.world.web(actor).post(path, data)
            ):
                _after_event(m, what, actor, case, kind)


def _after_event(m: Matrix, what: str, actor: str, case: Case, kind: str) -> None:
    if _permitted(actor, x.event_actors(kind)):
        user = m.world.users[actor]
        if not RecordedEvent.objects.filter(case=case, kind=kind, recorded_by=user).exists():
            m.mismatches.append(f"{what} as {actor}: allowed, but nothing was recorded")
    else:
        m.unchanged(what, actor, case, case.version)


def walk_correct_event(m: Matrix) -> None:
    for kind in EventKind:
        allowed = x.event_actors(kind)
        event = m.world.event_of_kind(kind)
        path = f"/cases/events/{event.pk}/correct/"
        for actor in ACTORS:
            m.answer(
                "casework:correct_event",
                f"GET {path} ({kind})",
                actor,
                x.on_case(actor, allowed),
                m.world.web(actor).get(path),
            )
            case = Case.objects.get(pk=event.case_id)
            data = as_form(m.world.correction_data(kind), case.version)
            data.setdefault("summary", event.summary)
            expected = x.on_case(actor, allowed, x.Answer(302, f"/cases/{case.pk}/"))
            what = f"POST {path} ({kind})"
            if m.answer(
                "casework:correct_event", what, actor, expected, m.world.web(actor).post(path, data)
            ):
                _after_correction(m, what, actor, case, kind)


def _after_correction(m: Matrix, what: str, actor: str, case: Case, kind: str) -> None:
    if _permitted(actor, x.event_actors(kind)):
        if Case.objects.get(pk=case.pk).version == case.version:
            m.mismatches.append(f"{what} as {actor}: allowed, but nothing changed")
    else:
        m.unchanged(what, actor, case, case.version)


# --- the schedule of expectations and letters (web) ----------------------------------------


def _changed_or_not(m: Matrix, what: str, actor: str, allowed: frozenset[str], case: Case):
    """An allowed change moves the case's version on; a refused one leaves it."""
    if _permitted(actor, allowed):
        if Case.objects.get(pk=case.pk).version == case.version:
            m.mismatches.append(f"{what} as {actor}: allowed, but the case did not change")
    else:
        m.unchanged(what, actor, case, case.version)


def walk_case_letters(m: Matrix) -> None:
    case = m.world.letters_case()
    path = f"/letters/cases/{case.pk}/"
    for actor in ACTORS:
        m.answer(
            "letters:case_letters",
            f"GET {path}",
            actor,
            x.on_case(actor, x.CASE_READERS),
            m.world.web(actor).get(path),
        )


def walk_expectation_create(m: Matrix) -> None:
    route = "letters:expectation_create"
    for actor in ACTORS:
        case = m.world.letters_case()
        path = f"/letters/cases/{case.pk}/expectations/new/"
        allowed = x.EDITS_EXPECTATIONS
        m.answer(
            route, f"GET {path}", actor, x.on_case(actor, allowed), m.world.web(actor).get(path)
        )
        data = expectation_as_form(m.world.expectation_data(case), case.version)
        expected = x.on_case(actor, allowed, x.Answer(302, f"/cases/{case.pk}/"))
        what = f"POST {path}"
        if m.answer(route, what, actor, expected, m.world.web(actor).post(path, data)):
            _changed_or_not(m, what, actor, allowed, case)


def walk_expectation_review(m: Matrix) -> None:
    route = "letters:expectation_review"
    for actor in ACTORS:
        case = m.world.letters_case()
        path = f"/letters/cases/{case.pk}/expectations/review/"
        allowed = x.EDITS_EXPECTATIONS
        m.answer(
            route, f"GET {path}", actor, x.on_case(actor, allowed), m.world.web(actor).get(path)
        )
        review = m.world.review_data(case)
        day = m.world.today
        data: dict[str, str] = {
            "version": str(case.version),
            "date": f"{day.day}/{day.month}/{day.year}",
        }
        for item in review["items"]:
            data[f"status_{item['expectation']}"] = item["status"]
        expected = x.on_case(actor, allowed, x.Answer(302, f"/cases/{case.pk}/"))
        what = f"POST {path}"
        if m.answer(route, what, actor, expected, m.world.web(actor).post(path, data)):
            _changed_or_not(m, what, actor, allowed, case)


def walk_expectation_edit(m: Matrix) -> None:
    route = "letters:expectation_edit"
    expectation = m.world.expectation()
    path = f"/letters/expectations/{expectation.pk}/edit/"
    allowed = x.EDITS_EXPECTATIONS
    for actor in ACTORS:
        case = m.world.letters_case()
        m.answer(
            route, f"GET {path}", actor, x.on_case(actor, allowed), m.world.web(actor).get(path)
        )
        body = m.world.expectation_data(case, action=f"Take the children to school ({actor}).")
        body["due_by"] = Expectation.objects.get(pk=expectation.pk).due_by.isoformat()
        body["adults"] = [a.pk for a in Expectation.objects.get(pk=expectation.pk).adults.all()]
        data = expectation_as_form(body, case.version)
        expected = x.on_case(actor, allowed, x.Answer(302, f"/cases/{case.pk}/"))
        what = f"POST {path}"
        if m.answer(route, what, actor, expected, m.world.web(actor).post(path, data)):
            _changed_or_not(m, what, actor, allowed, case)


def walk_details_edit(m: Matrix) -> None:
    route = "letters:details_edit"
    allowed = x.EDITS_LETTER_DETAILS
    for actor in ACTORS:
        case = m.world.letters_case()
        path = f"/letters/cases/{case.pk}/details/"
        m.answer(
            route, f"GET {path}", actor, x.on_case(actor, allowed), m.world.web(actor).get(path)
        )
        data = details_as_form(letter_details(f"Concerns as written by {actor}."), case.version)
        expected = x.on_case(actor, allowed, x.Answer(302, f"/cases/{case.pk}/"))
        what = f"POST {path}"
        if m.answer(route, what, actor, expected, m.world.web(actor).post(path, data)):
            _changed_or_not(m, what, actor, allowed, case)


def _letter_made(m: Matrix, what: str, actor: str, allowed: frozenset[str], before: int) -> None:
    made = _letters_by(m, actor)
    if _permitted(actor, allowed) and made == before:
        m.mismatches.append(f"{what} as {actor}: allowed, but no letter was made")
    if not _permitted(actor, allowed) and made != before:
        m.mismatches.append(f"{what} as {actor}: refused, but a letter was made")


def _letters_by(m: Matrix, actor: str) -> int:
    user = m.world.users[actor]
    return Letter.objects.filter(generated_by=user).count() if user else 0


def walk_letter_create(m: Matrix) -> None:
    route = "letters:letter_create"
    allowed = x.DRAFTS_LETTERS
    case = m.world.letters_case()
    adult = case.adults.order_by("pk").first()
    path = f"/letters/cases/{case.pk}/new/"
    for actor in ACTORS:
        m.answer(
            route, f"GET {path}", actor, x.on_case(actor, allowed), m.world.web(actor).get(path)
        )
        data = {"kind": "letter_before_proceedings", "recipient": str(adult.pk)}
        before = _letters_by(m, actor)
        expected = x.on_case(actor, allowed, x.Answer(302, "/letters/"))
        what = f"POST {path}"
        if m.answer(route, what, actor, expected, m.world.web(actor).post(path, data)):
            _letter_made(m, what, actor, allowed, before)


def walk_letter_detail(m: Matrix) -> None:
    for status in ("draft", "approved"):
        path = f"/letters/{m.world.letter(status).pk}/"
        for actor in ACTORS:
            m.answer(
                "letters:letter_detail",
                f"GET {path} ({status})",
                actor,
                x.on_case(actor, x.CASE_READERS),
                m.world.web(actor).get(path),
            )


def _letter_status(
    m: Matrix, what: str, actor: str, allowed: frozenset[str], letter: Letter, to: str
) -> None:
    now = Letter.objects.get(pk=letter.pk).status
    if _permitted(actor, allowed) and now != to:
        m.mismatches.append(f"{what} as {actor}: allowed, but the letter is {now}")
    if not _permitted(actor, allowed) and now != letter.status:
        m.mismatches.append(f"{what} as {actor}: refused, but the letter is {now}")


def walk_letter_approve(m: Matrix) -> None:
    route = "letters:letter_approve"
    allowed = x.APPROVES_LETTERS
    for actor in ACTORS:
        letter = m.world.letter("draft", shared=actor not in allowed)
        path = f"/letters/{letter.pk}/approve/"
        m.answer(route, f"GET {path}", actor, x.post_only(actor), m.world.web(actor).get(path))
        expected = x.on_case(actor, allowed, x.Answer(302, f"/letters/{letter.pk}/"))
        what = f"POST {path}"
        if m.answer(route, what, actor, expected, m.world.web(actor).post(path, {})):
            _letter_status(m, what, actor, allowed, letter, "approved")


def walk_letter_sent(m: Matrix) -> None:
    route = "letters:letter_sent"
    allowed = x.SENDS_LETTERS
    day = m.world.today
    for actor in ACTORS:
        letter = m.world.letter("approved", shared=actor not in allowed)
        path = f"/letters/{letter.pk}/sent/"
        m.answer(route, f"GET {path}", actor, x.post_only(actor), m.world.web(actor).get(path))
        data = {"date": f"{day.day}/{day.month}/{day.year}", "method": "post"}
        expected = x.on_case(actor, allowed, x.Answer(302, f"/letters/{letter.pk}/"))
        what = f"POST {path}"
        if m.answer(route, what, actor, expected, m.world.web(actor).post(path, data)):
            _letter_status(m, what, actor, allowed, letter, "sent")


def walk_letter_download(m: Matrix) -> None:
    # Word only: a PDF needs LibreOffice on the server (503 without it), not a question
    # of access.
    path = f"/letters/{m.world.letter('approved').pk}/download/docx/"
    for actor in ACTORS:
        response = m.world.web(actor).get(path)
        m.answer(
            "letters:letter_download",
            f"GET {path}",
            actor,
            x.on_case(actor, x.CASE_READERS),
            response,
        )
        if response.status_code == 200 and "officedocument" not in response.get("Content-Type", ""):
            m.mismatches.append(f"GET {path} as {actor}: not a Word file")


# --- alerts: notifications, settings, the calendar feed ---------------------------------


def walk_alerts_list(m: Matrix) -> None:
    for actor in ACTORS:
        m.answer(
            "alerts:list",
            "GET /alerts/",
            actor,
            x.page(actor, x.EVERYONE_SIGNED_IN),
            m.world.web(actor).get("/alerts/"),
        )


def walk_alerts_mark_read(m: Matrix) -> None:
    for actor in ACTORS:
        client = m.world.web(actor)
        m.answer(
            "alerts:mark_read",
            "GET /alerts/read/",
            actor,
            x.post_only(actor),
            client.get("/alerts/read/"),
        )
        expected = x.page(actor, x.EVERYONE_SIGNED_IN, x.Answer(302, "/alerts/"))
        m.answer(
            "alerts:mark_read", "POST /alerts/read/", actor, expected, client.post("/alerts/read/")
        )


def _failed_delivery_of_the_lawyer(m: Matrix) -> Delivery:
    return failed_digest(m.world.users[x.LEGAL])


def _walk_delivery_action(m: Matrix, route: str, action: str, done: Callable) -> None:
    for actor in ACTORS:
        delivery = _failed_delivery_of_the_lawyer(m)
        path = f"/alerts/deliveries/{delivery.pk}/{action}/"
        client = m.world.web(actor)
        m.answer(route, f"GET {path}", actor, x.post_only(actor), client.get(path))
        expected = x.own_delivery(actor)
        what = f"POST {path} (the lawyer's failed email)"
        if m.answer(route, what, actor, expected, client.post(path)):
            delivery.refresh_from_db()
            if done(delivery) != (actor in x.ALERT_DELIVERY_HANDLERS):
                m.mismatches.append(f"{what} as {actor}: the delivery is {delivery.status}")


def walk_alerts_dismiss(m: Matrix) -> None:
    _walk_delivery_action(
        m, "alerts:dismiss_delivery", "dismiss", lambda d: d.status == DeliveryStatus.DISMISSED
    )


def walk_alerts_retry(m: Matrix) -> None:
    _walk_delivery_action(
        m, "alerts:retry_delivery", "retry", lambda d: d.next_attempt_at is not None
    )


def walk_alerts_settings(m: Matrix) -> None:
    for actor in ACTORS:
        client = m.world.web(actor)
        m.answer(
            "alerts:settings",
            "GET /alerts/settings/",
            actor,
            x.page(actor, x.EVERYONE_SIGNED_IN),
            client.get("/alerts/settings/"),
        )
        expected = x.page(actor, x.EVERYONE_SIGNED_IN, x.Answer(302, "/alerts/settings/"))
        response = client.post("/alerts/settings/", {"mode": AlertMode.DIGEST_AND_IMMEDIATE})
        if m.answer("alerts:settings", "POST /alerts/settings/", actor, expected, response):
            user = m.world.users[actor]
            if (
                user is not None
                and selectors.preference_for(user) != AlertMode.DIGEST_AND_IMMEDIATE
            ):
                m.mismatches.append(f"POST /alerts/settings/ as {actor}: not saved")


def walk_alerts_calendar(m: Matrix) -> None:
    for actor in ACTORS:
        client = m.world.web(actor)
        m.answer(
            "alerts:calendar",
            "GET /alerts/calendar/",
            actor,
            x.page(actor, x.EVERYONE_SIGNED_IN),
            client.get("/alerts/calendar/"),
        )
        expected = x.page(actor, x.EVERYONE_SIGNED_IN, x.Answer(302, "/alerts/calendar/"))
        response = client.post("/alerts/calendar/", {"action": "enable"})
        if m.answer(
            "alerts:calendar", "POST /alerts/calendar/ (turn on)", actor, expected, response
        ):
            user = m.world.users[actor]
            if user is not None and not selectors.has_calendar_feed(user):
                m.mismatches.append(f"POST /alerts/calendar/ as {actor}: no feed was made")


def walk_alerts_calendar_feed(m: Matrix) -> None:
    lawyer = m.world.users[x.LEGAL]
    token = alert_services.calendar_feed_enable(actor=lawyer)
    for actor in ACTORS:
        path = f"/alerts/calendar/{token}.ics"
        response = m.world.web(actor).get(path)
        # The secret address is the key: the same answer whoever asks.
        if m.answer("alerts:calendar_feed", "GET the lawyer's feed", actor, x.OK, response) and (
            b"BEGIN:VCALENDAR" not in response.content
        ):
            m.mismatches.append(f"GET the lawyer's feed as {actor}: not a calendar")
        m.answer(
            "alerts:calendar_feed",
            "GET a made-up feed address",
            actor,
            x.NOT_FOUND,
            m.world.web(actor).get(f"/alerts/calendar/{'x' * 43}.ics"),
        )
    alert_services.calendar_feed_revoke(actor=lawyer)
    for actor in ACTORS:
        m.answer(
            "alerts:calendar_feed",
            "GET the lawyer's feed after it was turned off",
            actor,
            x.NOT_FOUND,
            m.world.web(actor).get(f"/alerts/calendar/{token}.ics"),
        )


# --- the JSON API --------------------------------------------------------------------------


def _json(client: Any, method: str, path: str, body: dict[str, Any]) -> HttpResponse:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def walk_api_schema(m: Matrix) -> None:
    # Public on purpose (tests/api/test_schema.py reads it signed out): it describes the
    # API and holds no case data.
    for actor in ACTORS:
        m.answer(
            "api:schema",
            "GET /api/v1/schema/",
            actor,
            x.OK,
            m.world.api(actor).get("/api/v1/schema/"),
        )


def walk_api_cases(m: Matrix) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        response = m.world.api(actor).get("/api/v1/cases/")
        m.answer(
            "api:cases", "GET /api/v1/cases/", actor, x.api(actor, x.EVERYONE_SIGNED_IN), response
        )
        m.lists("GET /api/v1/cases/", actor, response, listed, shown=actor in x.CASE_READERS)
        before = Case.objects.count()
        body = case_data(m.world.staff, **family())
        response = _json(m.world.api(actor), "post", "/api/v1/cases/", body)
        expected = x.api(actor, x.OPENS_TEAM_A_CASES, x.CREATED)
        if m.answer("api:cases", "POST /api/v1/cases/ for team A", actor, expected, response) and (
            expected.status != 201 and Case.objects.count() != before
        ):
            m.mismatches.append(f"POST /api/v1/cases/ as {actor}: refused, but a case was opened")


def walk_api_case(m: Matrix) -> None:
    case = m.world.case("pre_proceedings")
    for actor in ACTORS:
        path = f"/api/v1/cases/{case.pk}/"
        m.answer(
            "api:case",
            f"GET {path}",
            actor,
            x.on_case(actor, x.CASE_READERS, api=True),
            m.world.api(actor).get(path),
        )


def walk_api_history(m: Matrix) -> None:
    case = m.world.case("pre_proceedings")
    for actor in ACTORS:
        path = f"/api/v1/cases/{case.pk}/history/"
        m.answer(
            "api:case-history",
            f"GET {path}",
            actor,
            x.on_case(actor, x.CASE_READERS, api=True),
            m.world.api(actor).get(path),
        )


def walk_api_transition(m: Matrix) -> None:
    for name, allowed in x.TRANSITION_ACTORS.items():
        where = TRANSITION_FROM[name]
        for actor in ACTORS:
            case = m.world.fresh(where) if actor in allowed else m.world.case(where)
            path = f"/api/v1/cases/{case.pk}/transitions/{name}/"
            expected = x.on_case(actor, allowed, x.OK, api=True)
            body = m.world.transition_data(name, case)
            what = f"POST {path}"
            if m.answer(
                "api:case-transition",
                what,
                actor,
                expected,
                _json(m.world.api(actor), "post", path, body),
            ):
                _after_transition(m, what, actor, case, name)


def walk_api_events(m: Matrix) -> None:
    for kind in EventKind:
        allowed = x.event_actors(kind)
        for actor in ACTORS:
            case = m.world.case("events", kind)
            path = f"/api/v1/cases/{case.pk}/events/"
            expected = x.on_case(actor, allowed, x.CREATED, api=True)
            what = f"POST {path} ({kind})"
            if m.answer(
                "api:case-events",
                what,
                actor,
                expected,
                _json(m.world.api(actor), "post", path, m.world.event_data(kind)),
            ):
                _after_event(m, what, actor, case, kind)


def walk_api_event(m: Matrix) -> None:
    for kind in EventKind:
        allowed = x.event_actors(kind)
        event = m.world.event_of_kind(kind)
        path = f"/api/v1/events/{event.pk}/"
        for actor in ACTORS:
            case = Case.objects.get(pk=event.case_id)
            expected = x.on_case(actor, allowed, x.OK, api=True)
            what = f"PATCH {path} ({kind})"
            if m.answer(
                "api:event",
                what,
                actor,
                expected,
                _json(m.world.api(actor), "patch", path, m.world.correction_data(kind)),
            ):
                _after_correction(m, what, actor, case, kind)


def walk_api_board(m: Matrix) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        response = m.world.api(actor).get("/api/v1/board/")
        m.answer(
            "board_api:board", "GET /api/v1/board/", actor, x.api(actor, x.BOARD_USERS), response
        )
        m.lists("GET /api/v1/board/", actor, response, listed, shown=actor in x.CASE_READERS)


# --- the schedule of expectations and letters (API) ----------------------------------------


def walk_api_expectations(m: Matrix) -> None:
    route = "letters_api:case-expectations"
    allowed = x.EDITS_EXPECTATIONS
    for actor in ACTORS:
        case = m.world.letters_case()
        path = f"/api/v1/cases/{case.pk}/expectations/"
        m.answer(
            route,
            f"GET {path}",
            actor,
            x.on_case(actor, x.CASE_READERS, api=True),
            m.world.api(actor).get(path),
        )
        expected = x.on_case(actor, allowed, x.CREATED, api=True)
        what = f"POST {path}"
        body = m.world.expectation_data(case)
        if m.answer(route, what, actor, expected, _json(m.world.api(actor), "post", path, body)):
            _changed_or_not(m, what, actor, allowed, case)


def walk_api_expectations_review(m: Matrix) -> None:
    route = "letters_api:case-expectations-review"
    allowed = x.EDITS_EXPECTATIONS
    for actor in ACTORS:
        case = m.world.letters_case()
        path = f"/api/v1/cases/{case.pk}/expectations/review/"
        expected = x.on_case(actor, allowed, x.OK, api=True)
        what = f"POST {path}"
        body = m.world.review_data(case)
        if m.answer(route, what, actor, expected, _json(m.world.api(actor), "post", path, body)):
            _changed_or_not(m, what, actor, allowed, case)


def walk_api_expectation(m: Matrix) -> None:
    route = "letters_api:expectation"
    allowed = x.EDITS_EXPECTATIONS
    path = f"/api/v1/expectations/{m.world.expectation().pk}/"
    for actor in ACTORS:
        case = m.world.letters_case()
        expected = x.on_case(actor, allowed, x.OK, api=True)
        what = f"PATCH {path}"
        body = {"action": f"Take the children to school on time ({actor}, API)."}
        if m.answer(route, what, actor, expected, _json(m.world.api(actor), "patch", path, body)):
            _changed_or_not(m, what, actor, allowed, case)


def walk_api_letter_details(m: Matrix) -> None:
    route = "letters_api:case-letter-details"
    allowed = x.EDITS_LETTER_DETAILS
    for actor in ACTORS:
        case = m.world.letters_case()
        path = f"/api/v1/cases/{case.pk}/letter-details/"
        m.answer(
            route,
            f"GET {path}",
            actor,
            x.on_case(actor, x.CASE_READERS, api=True),
            m.world.api(actor).get(path),
        )
        expected = x.on_case(actor, allowed, x.OK, api=True)
        what = f"PATCH {path}"
        body = {"concerns": f"Concerns as written by {actor} (API)."}
        if m.answer(route, what, actor, expected, _json(m.world.api(actor), "patch", path, body)):
            _changed_or_not(m, what, actor, allowed, case)


def walk_api_case_letters(m: Matrix) -> None:
    route = "letters_api:case-letters"
    allowed = x.DRAFTS_LETTERS
    case = m.world.letters_case()
    adult = case.adults.order_by("pk").first()
    path = f"/api/v1/cases/{case.pk}/letters/"
    for actor in ACTORS:
        m.answer(
            route,
            f"GET {path}",
            actor,
            x.on_case(actor, x.CASE_READERS, api=True),
            m.world.api(actor).get(path),
        )
        before = _letters_by(m, actor)
        expected = x.on_case(actor, allowed, x.CREATED, api=True)
        what = f"POST {path}"
        body = {"kind": "letter_before_proceedings", "recipient": adult.pk}
        if m.answer(route, what, actor, expected, _json(m.world.api(actor), "post", path, body)):
            _letter_made(m, what, actor, allowed, before)


def walk_api_letter(m: Matrix) -> None:
    path = f"/api/v1/letters/{m.world.letter('draft').pk}/"
    for actor in ACTORS:
        m.answer(
            "letters_api:letter",
            f"GET {path}",
            actor,
            x.on_case(actor, x.CASE_READERS, api=True),
            m.world.api(actor).get(path),
        )


def walk_api_letter_approve(m: Matrix) -> None:
    route = "letters_api:letter-approve"
    allowed = x.APPROVES_LETTERS
    for actor in ACTORS:
        letter = m.world.letter("draft", shared=actor not in allowed)
        path = f"/api/v1/letters/{letter.pk}/approve/"
        expected = x.on_case(actor, allowed, x.OK, api=True)
        what = f"POST {path}"
        if m.answer(route, what, actor, expected, _json(m.world.api(actor), "post", path, {})):
            _letter_status(m, what, actor, allowed, letter, "approved")


def walk_api_letter_sent(m: Matrix) -> None:
    route = "letters_api:letter-sent"
    allowed = x.SENDS_LETTERS
    for actor in ACTORS:
        letter = m.world.letter("approved", shared=actor not in allowed)
        path = f"/api/v1/letters/{letter.pk}/sent/"
        expected = x.on_case(actor, allowed, x.OK, api=True)
        what = f"POST {path}"
        body = {"date": m.world.today.isoformat(), "method": "post"}
        if m.answer(route, what, actor, expected, _json(m.world.api(actor), "post", path, body)):
            _letter_status(m, what, actor, allowed, letter, "sent")


def walk_api_letter_download(m: Matrix) -> None:
    path = f"/api/v1/letters/{m.world.letter('approved').pk}/download/?format=docx"
    for actor in ACTORS:
        m.answer(
            "letters_api:letter-download",
            f"GET {path}",
            actor,
            x.on_case(actor, x.CASE_READERS, api=True),
            m.world.api(actor).get(path),
        )


# --- audit: restricted records, retention, subject access ---------------------------------


def walk_restrictions(m: Matrix) -> None:
    for actor in ACTORS:
        response = m.world.web(actor).get("/audit/restrictions/")
        m.answer(
            "audit:restrictions",
            "GET /audit/restrictions/",
            actor,
            x.page(actor, x.MANAGES_RESTRICTIONS),
            response,
        )


def walk_restriction_find(m: Matrix) -> None:
    case = m.world.case("concern")
    for actor in ACTORS:
        path = f"/audit/restrictions/find/?case={case.pk}"
        expected = x.page(
            actor, x.MANAGES_RESTRICTIONS, x.Answer(302, f"/audit/restrictions/{case.pk}/")
        )
        m.answer(
            "audit:restriction_find", f"GET {path}", actor, expected, m.world.web(actor).get(path)
        )


def _restricted(m: Matrix) -> tuple[Case, CaseRestriction]:
    """A team A case restricted to its team manager (and the head of service doing it)."""
    case = m.world.fresh("concern")
    restriction = audit_services.case_restrict(
        case_id=case.pk,
        actor=m.world.users[x.HOS],
        reason="A parent works in children's services.",
        named_user_ids=[m.world.users[x.TM].pk],
    )
    return case, restriction


def walk_restriction(m: Matrix) -> None:
    route = "audit:restriction"
    allowed = x.MANAGES_RESTRICTIONS
    for actor in ACTORS:
        case = m.world.fresh("concern")
        path = f"/audit/restrictions/{case.pk}/"
        m.answer(route, f"GET {path}", actor, x.page(actor, allowed), m.world.web(actor).get(path))
        data = {"reason": f"A parent works here ({actor}).", "people": [m.world.users[x.TM].pk]}
        expected = x.page(actor, allowed, x.Answer(302, path))
        what = f"POST {path}"
        response = m.world.web(actor).post(path, data)
        if m.answer(route, what, actor, expected, response):
            restricted = CaseRestriction.objects.filter(case=case).exists()
            if restricted != (actor in allowed):
                m.mismatches.append(f"{what} as {actor}: restricted is {restricted}")


def walk_restriction_name(m: Matrix) -> None:
    route = "audit:restriction_name"
    allowed = x.MANAGES_RESTRICTIONS
    for actor in ACTORS:
        case, restriction = _restricted(m)
        path = f"/audit/restrictions/{case.pk}/name/"
        m.answer(route, f"GET {path}", actor, x.post_only(actor), m.world.web(actor).get(path))
        named = m.world.users[x.LEGAL]
        expected = x.page(actor, allowed, x.Answer(302, f"/audit/restrictions/{case.pk}/"))
        what = f"POST {path}"
        response = m.world.web(actor).post(path, {"user": named.pk})
        if m.answer(route, what, actor, expected, response):
            done = restriction.access.filter(user=named).exists()
            if done != (actor in allowed):
                m.mismatches.append(f"{what} as {actor}: named is {done}")


def walk_restriction_remove(m: Matrix) -> None:
    route = "audit:restriction_remove"
    allowed = x.MANAGES_RESTRICTIONS
    for actor in ACTORS:
        case, restriction = _restricted(m)
        named = m.world.users[x.TM]
        path = f"/audit/restrictions/{case.pk}/remove/{named.pk}/"
        m.answer(route, f"GET {path}", actor, x.post_only(actor), m.world.web(actor).get(path))
        expected = x.page(actor, allowed, x.Answer(302, f"/audit/restrictions/{case.pk}/"))
        what = f"POST {path}"
        if m.answer(route, what, actor, expected, m.world.web(actor).post(path, {})):
            still = restriction.access.filter(user=named).exists()
            if still == (actor in allowed):
                m.mismatches.append(f"{what} as {actor}: still named is {still}")


def walk_restriction_lift(m: Matrix) -> None:
    route = "audit:restriction_lift"
    allowed = x.MANAGES_RESTRICTIONS
    for actor in ACTORS:
        case, _ = _restricted(m)
        path = f"/audit/restrictions/{case.pk}/lift/"
        m.answer(route, f"GET {path}", actor, x.post_only(actor), m.world.web(actor).get(path))
        expected = x.page(actor, allowed, x.Answer(302, f"/audit/restrictions/{case.pk}/"))
        what = f"POST {path}"
        response = m.world.web(actor).post(path, {"reason": "The parent has left."})
        if m.answer(route, what, actor, expected, response):
            lifted = not CaseRestriction.objects.filter(case=case).exists()
            if lifted != (actor in allowed):
                m.mismatches.append(f"{what} as {actor}: lifted is {lifted}")


def walk_retention(m: Matrix) -> None:
    for actor in ACTORS:
        response = m.world.web(actor).get("/audit/retention/")
        m.answer(
            "audit:retention",
            "GET /audit/retention/",
            actor,
            x.page(actor, x.REVIEWS_RETENTION),
            response,
        )


def walk_retention_decide(m: Matrix) -> None:
    route = "audit:retention_decide"
    allowed = x.REVIEWS_RETENTION
    # With a period of 0 years every closed case is due for review today.
    with override_settings(RETENTION_YEARS_AFTER_CLOSURE=0):
        for actor in ACTORS:
            case = case_at(Stage.CLOSED, m.world.staff)
            path = f"/audit/retention/{case.pk}/"
            expected = x.page(actor, allowed)
            m.answer(route, f"GET {path}", actor, expected, m.world.web(actor).get(path))
            data = {"decision": "destroy", "reasons": "Past the retention period."}
            expected = x.page(actor, allowed, x.Answer(302, "/audit/retention/"))
            what = f"POST {path}"
            if m.answer(route, what, actor, expected, m.world.web(actor).post(path, data)):
                decided = RetentionDecision.objects.filter(case=case).exists()
                if decided != (actor in allowed):
                    m.mismatches.append(f"{what} as {actor}: decided is {decided}")


def _search_form(case: Case) -> dict[str, str]:
    child = case.children.order_by("pk").first()
    return {"first_name": child.first_name, "last_name": child.last_name}


def walk_subject_access(m: Matrix) -> None:
    route = "audit:subject_access"
    allowed = x.HANDLES_SUBJECT_ACCESS
    case = m.world.case("concern")
    child = case.children.order_by("pk").first()
    for actor in ACTORS:
        path = "/audit/subject-access/"
        m.answer(route, f"GET {path}", actor, x.page(actor, allowed), m.world.web(actor).get(path))
        response = m.world.web(actor).post(path, _search_form(case))
        if m.answer(route, f"POST {path}", actor, x.page(actor, allowed), response) and (
            actor in allowed and f"child:{child.pk}" not in response.content.decode()
        ):
            m.mismatches.append(f"POST {path} as {actor}: the child was not found")


def walk_subject_access_export(m: Matrix) -> None:
    route = "audit:subject_access_export"
    allowed = x.HANDLES_SUBJECT_ACCESS
    case = m.world.case("concern")
    child = case.children.order_by("pk").first()
    path = "/audit/subject-access/export/"
    for actor in ACTORS:
        m.answer(route, f"GET {path}", actor, x.post_only(actor), m.world.web(actor).get(path))
        response = m.world.web(actor).post(path, {"people": [f"child:{child.pk}"]})
        if m.answer(route, f"POST {path}", actor, x.page(actor, allowed), response) and (
            actor in allowed and case.reference not in response.content.decode()
        ):
            m.mismatches.append(f"POST {path} as {actor}: the export misses the case")


# --- sign-in security and operations (docs/security.md) -------------------------------


def walk_healthz(m: Matrix) -> None:
    """The load balancer's check: open to all, no sign-in, GET only."""
    for actor in ACTORS:
        client = m.world.web(actor)
        m.answer("security:healthz", "GET /healthz", actor, x.OK, client.get("/healthz"))
        m.answer("security:healthz", "POST /healthz", actor, x.NOT_ALLOWED, client.post("/healthz"))


def walk_two_factor_setup(m: Matrix) -> None:
    """Anyone signed in may set up an authenticator app; a right code turns it on."""
    import pyotp

    from legaltracker.security.models import TotpDevice

    path = "/account/two-step-verification/"
    for actor in ACTORS:
        client = m.world.web(actor, new=True)
        signed_in = x.page(actor, frozenset(ACTORS))
        m.answer("security:two_factor_setup", f"GET {path}", actor, signed_in, client.get(path))
        user = m.world.users[actor]
        code = "000000"
        if user is not None:
            code = pyotp.TOTP(TotpDevice.objects.get(user=user).secret).now()
        expected = x.Answer(302, "/") if user is not None else x.TO_SIGN_IN
        m.answer(
            "security:two_factor_setup",
            f"POST {path} with the right code",
            actor,
            expected,
            client.post(path, {"code": code}),
        )
    TotpDevice.objects.all().delete()


def walk_two_factor_verify(m: Matrix) -> None:
    """The code page after the password; without an authenticator app it sends people to
    set one up."""
    from legaltracker.security.models import TotpDevice

    TotpDevice.objects.all().delete()
    path = "/sign-in/code/"
    for actor in ACTORS:
        client = m.world.web(actor, new=True)
        expected = (
            x.TO_SIGN_IN
            if m.world.users[actor] is None
            else x.Answer(302, "/account/two-step-verification/")
        )
        m.answer("security:two_factor_verify", f"GET {path}", actor, expected, client.get(path))


# Every URL pattern (by name) and the walk that covers it for every actor.
WALKS: dict[str, Callable[[Matrix], None]] = {
    "web:home": walk_home,
    "web:sign_in": walk_sign_in,
    "web:sign_out": walk_sign_out,
    "web:my_work": walk_my_work,
    "web:reports": walk_reports,
    "board:board": walk_board,
    "board:export_csv": walk_export_csv,
    "board:export_xlsx": walk_export_xlsx,
    "casework:case_create": walk_case_create,
    "casework:case_detail": walk_case_detail,
    "casework:transition": walk_transition,
    "casework:record_event": walk_record_event,
    "casework:correct_event": walk_correct_event,
    "api:schema": walk_api_schema,
    "api:cases": walk_api_cases,
    "api:case": walk_api_case,
    "api:case-history": walk_api_history,
    "api:case-transition": walk_api_transition,
    "api:case-events": walk_api_events,
    "api:event": walk_api_event,
    "board_api:board": walk_api_board,
    "letters:case_letters": walk_case_letters,
    "letters:expectation_create": walk_expectation_create,
    "letters:expectation_review": walk_expectation_review,
    "letters:expectation_edit": walk_expectation_edit,
    "letters:details_edit": walk_details_edit,
    "letters:letter_create": walk_letter_create,
    "letters:letter_detail": walk_letter_detail,
    "letters:letter_approve": walk_letter_approve,
    "letters:letter_sent": walk_letter_sent,
    "letters:letter_download": walk_letter_download,
    "letters_api:case-expectations": walk_api_expectations,
    "letters_api:case-expectations-review": walk_api_expectations_review,
    "letters_api:expectation": walk_api_expectation,
    "letters_api:case-letter-details": walk_api_letter_details,
    "letters_api:case-letters": walk_api_case_letters,
    "letters_api:letter": walk_api_letter,
    "letters_api:letter-approve": walk_api_letter_approve,
    "letters_api:letter-sent": walk_api_letter_sent,
    "letters_api:letter-download": walk_api_letter_download,
    "alerts:list": walk_alerts_list,
    "alerts:mark_read": walk_alerts_mark_read,
    "alerts:dismiss_delivery": walk_alerts_dismiss,
    "alerts:retry_delivery": walk_alerts_retry,
    "alerts:settings": walk_alerts_settings,
    "alerts:calendar": walk_alerts_calendar,
    "alerts:calendar_feed": walk_alerts_calendar_feed,
    "audit:restrictions": walk_restrictions,
    "audit:restriction_find": walk_restriction_find,
    "audit:restriction": walk_restriction,
    "audit:restriction_name": walk_restriction_name,
    "audit:restriction_remove": walk_restriction_remove,
    "audit:restriction_lift": walk_restriction_lift,
    "audit:retention": walk_retention,
    "audit:retention_decide": walk_retention_decide,
    "audit:subject_access": walk_subject_access,
    "audit:subject_access_export": walk_subject_access_export,
    "security:healthz": walk_healthz,
    "security:two_factor_setup": walk_two_factor_setup,
    "security:two_factor_verify": walk_two_factor_verify,
}


def matrix_routes() -> dict[str, str]:
    return {
        route.name: route.pattern
        for route in all_routes()
        if route.namespace not in EXCLUDED_NAMESPACES
    }


def api_operations() -> list[tuple[str, str]]:
    """(route name, method) of every operation in the OpenAPI schema."""
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        example = re.sub(r"\{[^}]+\}", "1", path)
        route = resolve(example).view_name
        operations += [(route, method.upper()) for method in methods]
    return sorted(operations)


def test_every_url_pattern_is_in_the_matrix():
    routes = matrix_routes()
    missing = sorted(set(routes) - set(WALKS))
    assert not missing, (
        "URL patterns with no entry in the access matrix (add a walk to WALKS in "
        f"tests/access/test_matrix.py and its expected answers): "
        f"{[(name, routes[name]) for name in missing]}"
    )
    gone = sorted(set(WALKS) - set(routes))
    assert not gone, f"the matrix walks URL patterns that no longer exist: {gone}"


@pytest.fixture
def world(staff, other_staff, today) -> World:
    return World.build(staff, other_staff)


def test_the_whole_role_page_action_matrix(world: World, caplog):
    caplog.set_level(logging.DEBUG)
    matrix = Matrix(world)
    # In WALKS order: the audit walks, last, open many cases of their own, which would
    # push the shared ones off the first page of the lists walked earlier.
    for name in WALKS:
        if name in matrix_routes():
            WALKS[name](matrix)
    for route, actors in matrix.actors_by_route.items():
        assert actors == set(ACTORS), f"{route} was not walked for {set(ACTORS) - actors}"
    assert set(matrix.actors_by_route) == set(matrix_routes())
    # Every operation of the API (path and method, as the OpenAPI schema lists them) was
    # walked by every actor, not only every URL pattern.
    operations = api_operations()
    unwalked = {
        op: sorted(set(ACTORS) - matrix.actors_by_operation.get(op, set()))
        for op in operations
        if matrix.actors_by_operation.get(op, set()) != set(ACTORS)
    }
    assert not unwalked, f"API operations not walked by every actor: {unwalked}"
    assert not matrix.mismatches, (
        f"{len(matrix.mismatches)} of {matrix.cells} cells differ from the expected answers:\n"
        + "\n".join(matrix.mismatches)
    )
    # No personal data in what the pages link to, nor in the logs.
    leaks = [leak for page in matrix.pages for leak in page.personal_data_in_links()]
    assert not leaks, "\n".join(leaks)
    missing_tokens = [f"{p.what} as {p.actor}" for p in matrix.pages if not p.post_forms_have_csrf]
    assert not missing_tokens, f"POST forms without a CSRF token: {missing_tokens}"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for word in PageLinks.words():
        assert word not in logged, f"'{word}' (personal data) appears in the logs"
    print(
        f"\naccess matrix: {len(matrix_routes())} URL patterns and {len(operations)} API "
        f"operations x {len(ACTORS)} actors, {matrix.cells} cells, 0 mismatches, "
        f"{len(matrix.pages)} HTML pages read"
    )
