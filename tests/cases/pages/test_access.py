"""Who sees what on the case pages (docs/domain/roles.md).

The whole role x page x action matrix: a case a user may not see is a 404 (another
team's social worker or manager, the administrator, the performance officer), a page the
role may see but an action it may not take is a 403, and nothing changes on a refused
POST. Every page needs sign-in, and every form needs its CSRF token.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.cases import permissions
from legaltracker.cases.choices import EventKind
from legaltracker.cases.models import Case, CaseEvent
from tests.cases.builders import TRANSITION_NAMES, first_source, prepare_valid, snapshot
from tests.factories import case_at, record

from .helpers import case_url, event_url, form_post, section_urls, transition_url

pytestmark = pytest.mark.django_db

SW, TM, HOS = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE
LEGAL, CLO, ADMIN = Role.LEGAL, Role.COURT_LIAISON_OFFICER, Role.ADMINISTRATOR
PERFORMANCE = Role.PERFORMANCE_OFFICER
OTHER_TEAM = ["other:social_worker", "other:team_manager"]
ACTORS = [str(role) for role in Role] + OTHER_TEAM
# The performance officer reads figures, never a case (docs/domain/roles.md).
CANNOT_SEE = {str(ADMIN), str(PERFORMANCE), *OTHER_TEAM}


def user_for(actor, staff, other_staff):
    if actor.startswith("other:"):
        return other_staff.by_role(actor.split(":")[1])
    return staff.by_role(actor)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_case_page_by_role(staff, other_staff, today):
    case = case_at("pre_proceedings", staff)
    expected = {
        SW: 200,
        TM: 200,
        HOS: 200,
        LEGAL: 200,
        CLO: 200,
        ADMIN: 404,
        PERFORMANCE: 404,
        "other:social_worker": 404,
        "other:team_manager": 404,
    }
    seen = {
        actor: as_user(user_for(actor, staff, other_staff)).get(case_url(case)).status_code
        for actor in ACTORS
    }
    assert seen == expected


def test_missing_case_is_404(staff):
    assert (
        as_user(staff.head_of_service)
        .get(reverse("casework:case_detail", args=[999999]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_transition_forms_by_role(name, staff, other_staff, today):
    case = case_at(first_source(name), staff)
    data = prepare_valid(name, case, staff, today)
    case.refresh_from_db()
    before = snapshot(case.pk)
    for actor in ACTORS:
        user = user_for(actor, staff, other_staff)
        client = as_user(user)
        get = client.get(transition_url(case, name)).status_code
        if actor in CANNOT_SEE:
            expected = 404
        elif permissions.may_transition(name, case, user):
            expected = 200
        else:
            expected = 403
        assert get == expected, (name, actor)
        if expected != 200:
            posted = client.post(transition_url(case, name), form_post(data, case.version))
            assert posted.status_code == expected, (name, actor)
    assert snapshot(case.pk) == before


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_court_liaison_officer_gets_403_on_every_transition_form(name, staff, today):
    case = case_at(first_source(name), staff)
    response = as_user(staff.court_liaison_officer).get(transition_url(case, name))
    assert response.status_code == 403


def test_case_page_links_only_to_actions_the_user_may_take(staff, today):
    case = case_at("pre_proceedings", staff)
    record(case, staff.social_worker, "assessment_completed", today, summary="Updated.")
    # Every section of the case page, read together.
    pages = {
        role: "".join(
            as_user(staff.by_role(role)).get(url).content.decode() for url in section_urls(case)
        )
        for role in (SW, TM, HOS, LEGAL, CLO)
    }
    assert transition_url(case, "step_down") in pages[TM]
    assert transition_url(case, "step_down") not in pages[SW]
    assert transition_url(case, "close") in pages[HOS]
    assert "/actions/" not in pages[CLO]
    assert event_url(case, "management_oversight") in pages[TM]
    assert event_url(case, "management_oversight") not in pages[SW]
    assert event_url(case, "hearing_listed") in pages[CLO]
    assert event_url(case, "initial_meeting_held") not in pages[CLO]


# docs/domain/roles.md, written out: who records which events (beyond the code's table).
DOMAIN_EVENT_CELLS = [
    (SW, "initial_meeting_held", 200),  # record meetings and assessments
    (SW, "assessment_completed", 200),
    (SW, "management_oversight", 403),  # oversight is the manager's
    (TM, "management_oversight", 200),
    (CLO, "hearing_listed", 200),  # record court dates and events
    (CLO, "management_oversight", 403),
    (CLO, "initial_meeting_held", 403),
    (LEGAL, "hearing_held", 200),  # record issue and court events
    (LEGAL, "assessment_completed", 403),
    (ADMIN, "note", 404),  # configuration only: sees no case
    (PERFORMANCE, "note", 404),  # figures only: sees no case
    ("other:social_worker", "note", 404),
]


@pytest.mark.parametrize(("actor", "kind", "expected"), DOMAIN_EVENT_CELLS)
def test_event_forms_follow_domain(actor, kind, expected, staff, other_staff, today):
    case = case_at("pre_proceedings", staff)
    response = as_user(user_for(actor, staff, other_staff)).get(event_url(case, kind))
    assert response.status_code == expected


@pytest.mark.parametrize("kind", sorted(EventKind.values))
def test_event_and_correction_forms_by_role(kind, staff, other_staff, today):
    case = case_at("proceedings", staff)
    event = record(case, staff.team_manager, "note", today, summary="x")
    # a recorded event of this kind to correct (stored as-is: its form is what is tested)
    event.kind = kind
    event.save(update_fields=["kind"])
    case.refresh_from_db()
    count = case.recorded_events.count()
    for actor in ACTORS:
        user = user_for(actor, staff, other_staff)
        client = as_user(user)
        if actor in CANNOT_SEE:
            expected = 404
        elif permissions.may_record_event(kind, case, user):
            expected = 200
        else:
            expected = 403
        assert client.get(event_url(case, kind)).status_code == expected, (kind, actor)
        correct = reverse("casework:correct_event", args=[event.pk])
        assert client.get(correct).status_code == expected, (kind, actor)
        if expected != 200:
            posted = client.post(
                event_url(case, kind), {"version": case.version, "date": "4/3/2026", "summary": "x"}
            )
            assert posted.status_code == expected
    assert case.recorded_events.count() == count


def test_unknown_event_kind_is_404(staff, today):
    case = case_at("concern", staff)
    assert as_user(staff.team_manager).get(event_url(case, "party")).status_code == 404


def test_case_creation_by_role(staff, other_staff):
    url = reverse("casework:case_create")
    seen = {
        actor: as_user(user_for(actor, staff, other_staff)).get(url).status_code for actor in ACTORS
    }
    assert seen == {
        SW: 200,
        TM: 200,
        HOS: 200,
        LEGAL: 403,
        CLO: 403,
        ADMIN: 403,
        PERFORMANCE: 403,
        "other:social_worker": 200,
        "other:team_manager": 200,
    }


def test_every_page_needs_sign_in(staff, today):
    case = case_at("concern", staff)
    note = record(case, staff.social_worker, "note", today, summary="x")
    urls = [
        case_url(case),
        transition_url(case, "refer_to_gateway"),
        event_url(case, "note"),
        reverse("casework:correct_event", args=[note.pk]),
        reverse("casework:case_create"),
    ]
    client = Client()
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("web:sign_in")), url
            assert "next=" in response["Location"]
    assert CaseEvent.objects.filter(case=case).count() == 2


def test_every_form_needs_its_csrf_token(staff, today):
    case = case_at("concern", staff)
    note = record(case, staff.social_worker, "note", today, summary="x")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.team_manager)
    posts = {
        transition_url(case, "refer_to_gateway"): {"date": "4/3/2026", "reasons": "x"},
        event_url(case, "note"): {"date": "4/3/2026", "summary": "x"},
        reverse("casework:correct_event", args=[note.pk]): {
            "date": "3/3/2026",
            "reason_for_change": "x",
        },
        reverse("casework:case_create"): {"team": staff.team.code},
    }
    for url, body in posts.items():
        page = client.get(url)
        assert 'name="csrfmiddlewaretoken"' in page.content.decode(), url
        response = client.post(url, {**body, "version": case.version})
        assert response.status_code == 403, url
    case.refresh_from_db()
    assert case.stage == "concern" and Case.objects.count() == 1


def test_urls_carry_only_ids(staff, today):
    case = case_at("pre_proceedings", staff)
    page = as_user(staff.team_manager).get(case_url(case)).content.decode()
    child = case.children.get()
    for href in re.findall(r'href="([^"]+)"', page):
        assert child.last_name not in href
        assert staff.social_worker.username not in href
