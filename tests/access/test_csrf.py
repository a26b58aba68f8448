"""CSRF on every form: each POST form carries a token, and a POST without one is refused
on every URL of the project, before the view does anything.

The clients here check CSRF as a browser's requests are checked
(`Client(enforce_csrf_checks=True)`); the API's session authentication checks it too.
Requests to the API with a token in the Authorization header need none (a cross-site
page cannot send that header).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from letters.models import Letter
from tests.factories import case_data

from .html import PageLinks
from .routes import all_routes
from .world import SW, World, as_form, family

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def world(staff, other_staff, today) -> World:
    return World.build(staff, other_staff)


def _sample_kwargs(world: World, params: tuple[tuple[str, str], ...]) -> dict[str, object]:
    """A value for each URL parameter, so that every route can be called."""
    case = world.case("concern")
    event = world.event_of_kind("note")
    values = {
        "case_id": case.pk,
        "event_id": event.pk,
        "expectation_id": world.expectation().pk,
        "letter_id": world.letter("approved").pk,
        "file_format": "docx",
        # Refused before any view runs, so these need no row behind them.
        "delivery_id": 1,
        "export_id": 1,
        "token_id": 1,
        "hearing_id": 1,
        "direction_id": 1,
        "expert_id": 1,
        "token": "a-calendar-feed-secret",
        "uidb64": "MQ",
        "user_id": world.users[SW].pk,
        "name": "refer_to_gateway",
        "transition": "refer_to_gateway",
        "kind": "note",
        "member": "child",
        "member_id": case.children.first().pk,
        "request_id": world.extension_request().pk,
        "year": "2026",
    }
    unknown = [name for name, _ in params if name not in values]
    assert not unknown, f"no sample value for URL parameter(s) {unknown}: add one here"
    return {name: values[name] for name, _ in params}


def _state() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        sum(Case.objects.values_list("version", flat=True)),
        RecordedEvent.objects.count(),
        CaseEvent.objects.count(),
        Letter.objects.count(),
        Letter.objects.exclude(status="draft").count(),
    )


@pytest.mark.slow
def test_a_post_without_a_csrf_token_is_refused_on_every_url(world: World):
    """The social worker of team A, signed in with a session, posts valid data to every
    URL of the project without the token: refused (403), nothing changes, and they are
    still signed in."""
    client = world.web(SW, csrf=True)
    _sample_kwargs(world, (("case_id", "int"), ("event_id", "int")))
    before = _state()
    refused = []
    for route in all_routes():
        if route.namespace == "admin":
            continue  # Django's admin has its own forms, protected by the same middleware
        url = reverse(route.name, kwargs=_sample_kwargs(world, route.params))
        for method in ("post", "patch"):
            response = getattr(client, method)(
                url, {"date": "4/3/2026", "reasons": "No token sent."}
            )
            if response.status_code != 403:
                refused.append(f"{method.upper()} {url}: {response.status_code}")
    assert not refused, f"accepted without a CSRF token: {refused}"
    assert _state() == before
    assert client.get("/my-work/").status_code == 200  # the sign-out was refused too


def test_the_sign_in_form_needs_its_token():
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/sign-in/")
    token = TOKEN.search(page.content.decode())
    assert token, "the sign-in form has no CSRF token"
    refused = browser.post("/sign-in/", {"username": "nobody", "password": "x"})
    assert refused.status_code == 403
    answered = browser.post(
        "/sign-in/", {"username": "nobody", "password": "x", "csrfmiddlewaretoken": token[1]}
    )
    assert answered.status_code == 200  # the form again, saying the details are wrong


def _form_pages(world: World) -> list[tuple[str, dict[str, str]]]:
    """Each page with a form that changes something, and valid values for it."""
    concern = world.case("concern")
    event = world.event_of_kind("note")
    transition = world.transition_data("refer_to_gateway", concern)
    return [
        ("/cases/new/", as_form(case_data(world.staff, **family()))),
        (f"/cases/{concern.pk}/actions/refer_to_gateway/", as_form(transition)),
        (f"/cases/{concern.pk}/record/note/", as_form(world.event_data("note"))),
        (f"/cases/events/{event.pk}/correct/", as_form(world.correction_data("note"))),
    ]


def test_each_form_carries_a_token_and_goes_through_with_it(world: World):
    """The refusal above is about the token alone: the same POSTs, sent as the browser
    sends them from the form (with the token from the page), succeed."""
    client = world.web(SW, csrf=True)
    for path, data in _form_pages(world):
        page = client.get(path)
        assert page.status_code == 200, path
        forms = PageLinks.parse(path, SW, page.content.decode()).post_forms
        # The form itself and the header's Sign out button.
        assert len(forms) >= 2 and all(form.has_csrf for form in forms), path
        case = Case.objects.filter(pk=_case_id(path)).first()
        if case is not None:
            data["version"] = str(case.version)
        without = client.post(path, data)
        assert without.status_code == 403, path
        token = TOKEN.search(page.content.decode())[1]
        with_token = client.post(path, {**data, "csrfmiddlewaretoken": token})
        assert with_token.status_code == 302, (path, with_token.content.decode()[:2000])


def _case_id(path: str) -> int | None:
    match = re.match(r"^/cases/(\d+)/", path)
    if match:
        return int(match[1])
    match = re.match(r"^/cases/events/(\d+)/", path)
    if match:
        return RecordedEvent.objects.get(pk=int(match[1])).case_id
    return None


def test_signing_out_needs_the_token(world: World):
    client = world.web(SW, csrf=True)
    page = client.get("/my-work/")
    token = TOKEN.search(page.content.decode())[1]
    assert client.post("/sign-out/").status_code == 403
    assert client.get("/my-work/").status_code == 200
    assert client.post("/sign-out/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get("/my-work/").status_code == 302
