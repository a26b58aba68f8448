"""Giving a case to another social worker of its team: the team's manager or a head of
service; one audit row naming both; the new worker sees it in My work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.cases.models import Case, CaseEvent
from tests.factories import UserFactory, case_at

pytestmark = pytest.mark.django_db


def _url(case):
    return reverse("casework:case_reassign", args=[case.pk])


@pytest.fixture
def colleague(staff):
    return UserFactory(
        username="sw2",
        first_name="Robin",
        last_name="Second",
        role=Role.SOCIAL_WORKER,
        team=staff.team,
    )


def test_the_team_manager_gives_the_case_to_a_colleague(staff, colleague, client, today):
    case = case_at("pre_proceedings", staff)
    old_name = staff.social_worker.display_name
    client.force_login(staff.team_manager)
    page = client.get(_url(case)).content.decode()
    assert 'value="sw2"' in page
    assert f'value="{staff.social_worker.username}"' not in page  # the current one

    response = client.post(
        _url(case), {"version": case.version, "social_worker": "sw2", "reason": "Caseloads."}
    )

    assert response.status_code == 302
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.social_worker == colleague
    assert fresh.version == case.version + 1
    row = CaseEvent.objects.filter(case=case).latest("id")
    assert row.action == "case_reassigned"
    assert row.actor == staff.team_manager
    assert row.details["from"] == staff.social_worker.username
    assert row.details["to"] == "sw2"
    history = client.get(reverse("casework:case_history", args=[case.pk])).content.decode()
    assert f"Social worker changed from {old_name} to {colleague.display_name}" in history
    # The new social worker finds it in My work; the old one no longer does.
    client.force_login(colleague)
    assert case.reference in client.get("/my-work/").content.decode()
    client.force_login(staff.social_worker)
    assert case.reference not in client.get("/my-work/").content.decode()


def test_the_overview_offers_it_only_to_those_who_may(staff, client):
    case = case_at("concern", staff)
    overview = reverse("casework:case_detail", args=[case.pk])
    for user, offered in (
        (staff.team_manager, True),
        (staff.head_of_service, True),
        (staff.social_worker, False),
        (staff.legal, False),
    ):
        client.force_login(user)
        assert (f'href="{_url(case)}"' in client.get(overview).content.decode()) == offered


@pytest.mark.parametrize(
    "role_name, status",
    [
        ("social_worker", 403),
        ("legal", 403),
        ("court_liaison_officer", 403),
        ("head_of_service", 200),
    ],
)
def test_who_may_reassign(staff, colleague, client, role_name, status):
    case = case_at("concern", staff)
    client.force_login(staff.by_role(role_name))
    assert client.get(_url(case)).status_code == status
    response = client.post(_url(case), {"version": case.version, "social_worker": "sw2"})
    assert response.status_code == (302 if status == 200 else status)
    assert (Case.objects.get(pk=case.pk).social_worker == colleague) == (status == 200)


def test_another_teams_manager_sees_no_such_case(staff, other_staff, client):
    case = case_at("concern", staff)
    client.force_login(other_staff.team_manager)
    assert client.get(_url(case)).status_code == 404


@pytest.mark.parametrize("chosen", ["", "nobody", "sw-OTHER", "lawyer", "tm-team"])
def test_only_an_active_worker_of_the_team(staff, other_staff, colleague, client, chosen):
    case = case_at("concern", staff)
    client.force_login(staff.team_manager)
    chosen = {"sw-OTHER": other_staff.social_worker.username, "tm-team": ""}.get(chosen, chosen)
    response = client.post(_url(case), {"version": case.version, "social_worker": chosen})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert Case.objects.get(pk=case.pk).social_worker == staff.social_worker


def test_a_left_worker_is_not_offered_nor_accepted(staff, colleague, client):
    case = case_at("concern", staff)
    colleague.is_active = False
    colleague.save()
    client.force_login(staff.team_manager)
    assert 'value="sw2"' not in client.get(_url(case)).content.decode()
    response = client.post(_url(case), {"version": case.version, "social_worker": "sw2"})
    assert response.status_code == 400


def test_stale_version_is_a_conflict(staff, colleague, client):
    case = case_at("concern", staff)
    client.force_login(staff.team_manager)
    response = client.post(_url(case), {"version": case.version + 5, "social_worker": "sw2"})
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).social_worker == staff.social_worker


def test_closed_case_is_not_reassigned(staff, colleague, client):
    case = case_at("closed", staff)
    client.force_login(staff.team_manager)
    assert client.get(_url(case)).status_code == 400
    response = client.post(_url(case), {"version": case.version, "social_worker": "sw2"})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).social_worker == staff.social_worker


def test_a_team_of_one_says_nobody_can_take_it(staff, client):
    case = case_at("concern", staff)
    staff.team_manager.is_active = False
    staff.team_manager.save()
    client.force_login(staff.head_of_service)
    response = client.get(_url(case))
    assert response.status_code == 200
    assert "Nobody else in" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1]
