"""The team case list (`/cases/team/`): the team's cases that are not closed, closed ones
on request, "only mine", the sorts, pagination, and who may open it."""

from __future__ import annotations

import re

import pytest

from legaltracker.accounts.models import Role
from tests.factories import UserFactory, case_at

from .conftest import Cases

pytestmark = pytest.mark.django_db

URL = "/cases/team/"


def _listed(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return re.findall(
        r'<a class="govuk-link" href="/cases/\d+/">([^<]+)</a>', response.content.decode()
    )


def test_the_teams_open_cases_by_reference(cases: Cases, staff, client):
    client.force_login(staff.team_manager)
    expected = sorted(
        c.reference for c in cases.all() if c.team_id == staff.team.pk and c.stage != "closed"
    )
    assert _listed(client) == expected
    assert cases.other_team.reference not in expected


def test_closed_cases_on_request(cases: Cases, staff, client):
    client.force_login(staff.social_worker)
    assert cases.closed.reference not in _listed(client)
    assert cases.closed.reference in _listed(client, closed="on")


def test_only_mine(cases: Cases, staff, client, today):
    colleague = UserFactory(username="sw-north-2", role=Role.SOCIAL_WORKER, team=staff.team)
    theirs = case_at("concern", staff, social_worker=colleague.username)
    client.force_login(staff.social_worker)
    assert theirs.reference in _listed(client)
    mine = _listed(client, mine="on")
    assert theirs.reference not in mine
    assert cases.pre_proceedings.reference in mine


def test_sorted_by_next_deadline(cases: Cases, staff, client):
    client.force_login(staff.team_manager)
    html = client.get(URL, {"sort": "next_deadline"}).content.decode()
    listed = re.findall(r'href="/cases/(\d+)/"', html)
    from legaltracker.cases.models import Case
    from legaltracker.deadlines.selectors import earliest_outstanding_due

    dues = dict(
        Case.objects.filter(pk__in=listed)
        .annotate(due=earliest_outstanding_due())
        .values_list("pk", "due")
    )
    order = [dues[int(pk)] for pk in listed]
    known = [d for d in order if d is not None]
    assert known == sorted(known)
    assert order[: len(known)] == known  # cases with no deadline last
    assert "Next deadline" in html


def test_a_bad_sort_is_a_message_and_the_list_still_shows(cases: Cases, staff, client):
    client.force_login(staff.team_manager)
    response = client.get(URL, {"sort": "sideways"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose how to sort from the list." in html
    assert cases.pre_proceedings.reference in html


def test_paginated(staff, client, today):
    for _ in range(52):
        case_at("concern", staff)
    client.force_login(staff.team_manager)
    first = client.get(URL).content.decode()
    assert "Showing <strong>1</strong> to <strong>50</strong> of <strong>52</strong>" in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert "Showing <strong>51</strong> to <strong>52</strong>" in second
    for page in ("x", "0", "999"):
        html = client.get(URL, {"page": page}).content.decode()
        assert "There is a problem" not in html and "of <strong>52</strong>" in html


@pytest.mark.parametrize(
    "role", ["head_of_service", "legal", "court_liaison_officer", "administrator"]
)
def test_only_social_workers_and_team_managers(client, staff, role):
    client.force_login(staff.by_role(role))
    assert client.get(URL).status_code == 403


def test_a_team_manager_without_a_team_sees_none(client, db, today, staff):
    case_at("concern", staff)
    loner = UserFactory(username="tm-none", role=Role.TEAM_MANAGER, team=None)
    client.force_login(loner)
    html = client.get(URL).content.decode()
    assert "You are not in a team" in html
    assert "No cases to show" in html


def test_linked_from_the_navigation_and_my_work(client, staff, db):
    for user in (staff.social_worker, staff.team_manager):
        client.force_login(user)
        html = client.get("/my-work/").content.decode()
        assert 'class="moj-primary-navigation__link" href="/cases/team/"' in html
        assert re.search(r'id="my-work-lists"><a class="govuk-link" href="/cases/team/"', html)
