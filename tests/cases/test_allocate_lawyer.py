"""Allocating a case to a lawyer: who may, the choices, one audit row naming both, the
Overview's line, and a lawyer's My cases on the board (docs/decisions.md, 155 and 156)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.cases import services
from legaltracker.cases.models import Case, CaseEvent
from legaltracker.core.errors import GuardRefused, InvalidInput, NotPermitted
from tests.factories import UserFactory, case_at, move

pytestmark = pytest.mark.django_db


def _url(case):
    return reverse("casework:case_allocate_lawyer", args=[case.pk])


@pytest.fixture
def second_lawyer(staff):
    return UserFactory(username="lawyer2", first_name="Lee", last_name="Second", role=Role.LEGAL)


def test_a_lawyer_takes_the_case_then_hands_it_on(staff, second_lawyer, client):
    case = case_at("pre_proceedings", staff)
    client.force_login(staff.legal)
    page = client.get(_url(case)).content.decode()
    assert f'name="allocated_lawyer" value="{staff.legal.pk}"' in page
    assert f'name="allocated_lawyer" value="{second_lawyer.pk}"' in page
    assert 'value="none"' not in page  # nothing to take away yet

    taken = client.post(_url(case), {"version": case.version, "allocated_lawyer": staff.legal.pk})
    assert taken.status_code == 302
    case.refresh_from_db()
    assert case.allocated_lawyer == staff.legal

    page = client.get(_url(case)).content.decode()
    assert f'name="allocated_lawyer" value="{staff.legal.pk}"' not in page  # the current one
    assert f'name="allocated_lawyer" value="{second_lawyer.pk}"' in page
    handed = client.post(
        _url(case),
        {"version": case.version, "allocated_lawyer": second_lawyer.pk, "reason": "Leave."},
    )
    assert handed.status_code == 302
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.allocated_lawyer == second_lawyer
    row = CaseEvent.objects.filter(case=case).latest("id")
    assert row.action == "lawyer_allocated"
    assert (row.details["from"], row.details["to"]) == ("lawyer", "lawyer2")
    assert row.reasons == "Leave."
    history = html.unescape(
        client.get(reverse("casework:case_history", args=[case.pk])).content.decode()
    )
    assert f"Lawyer changed from {staff.legal.display_name} to {second_lawyer.display_name}" in (
        history
    )
    overview = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert second_lawyer.display_name in overview
    assert f'href="{_url(case)}"' in overview


@pytest.mark.parametrize(
    "role_name, status",
    [
        ("social_worker", 403),
        ("court_liaison_officer", 403),
        ("administrator", 404),
        ("team_manager", 200),
        ("head_of_service", 200),
        ("legal", 200),
    ],
)
def test_who_may_open_the_page(staff, client, role_name, status):
    case = case_at("legal_gateway", staff)
    client.force_login(staff.by_role(role_name))
    assert client.get(_url(case)).status_code == status


def test_another_teams_manager_may_not(staff, other_staff):
    case = case_at("legal_gateway", staff)
    with pytest.raises(Exception) as refused:
        services.case_allocate_lawyer(
            case_id=case.pk, actor=other_staff.team_manager, data={"allocated_lawyer": 1}
        )
    assert type(refused.value).__name__ in ("NotFound", "NotPermitted")


def test_the_service_refuses_what_is_not_an_allocation(staff):
    case = case_at("legal_gateway", staff)
    for value, words in (
        (staff.social_worker.pk, "is not a lawyer"),
        (999_999, "no active user"),
        ("abc", "whole number"),
        (None, "no lawyer allocated already"),
    ):
        with pytest.raises(InvalidInput) as refused:
            services.case_allocate_lawyer(
                case_id=case.pk, actor=staff.head_of_service, data={"allocated_lawyer": value}
            )
        assert words in refused.value.field_errors["allocated_lawyer"][0], value
    inactive = UserFactory(username="gone", role=Role.LEGAL, is_active=False)
    with pytest.raises(InvalidInput):
        services.case_allocate_lawyer(
            case_id=case.pk, actor=staff.head_of_service, data={"allocated_lawyer": inactive.pk}
        )
    with pytest.raises(NotPermitted):
        services.case_allocate_lawyer(
            case_id=case.pk, actor=staff.social_worker, data={"allocated_lawyer": staff.legal.pk}
        )
    assert Case.objects.get(pk=case.pk).allocated_lawyer is None
    assert not CaseEvent.objects.filter(case=case, action="lawyer_allocated").exists()


def test_the_allocation_can_be_taken_away_but_not_on_a_closed_case(staff):
    case = case_at("legal_gateway", staff)
    services.case_allocate_lawyer(
        case_id=case.pk, actor=staff.legal, data={"allocated_lawyer": staff.legal.pk}
    )
    services.case_allocate_lawyer(
        case_id=case.pk, actor=staff.team_manager, data={"allocated_lawyer": None}
    )
    assert Case.objects.get(pk=case.pk).allocated_lawyer is None
    services.case_allocate_lawyer(
        case_id=case.pk, actor=staff.legal, data={"allocated_lawyer": staff.legal.pk}
    )
    move(
        case,
        "close",
        staff.head_of_service,
        date=case.stage_entered_on.isoformat(),
        outcome="withdrawn",
        reasons="No longer needed.",
    )
    with pytest.raises(GuardRefused):
        services.case_allocate_lawyer(
            case_id=case.pk, actor=staff.legal, data={"allocated_lawyer": None}
        )
    assert Case.objects.get(pk=case.pk).allocated_lawyer == staff.legal


def test_a_stale_version_is_a_conflict(staff, client):
    case = case_at("legal_gateway", staff)
    client.force_login(staff.legal)
    response = client.post(
        _url(case), {"version": case.version - 1, "allocated_lawyer": staff.legal.pk}
    )
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).allocated_lawyer is None


def test_my_cases_on_the_board_are_the_lawyers_own(staff, second_lawyer, client):
    mine = case_at("pre_proceedings", staff)
    theirs = case_at("pre_proceedings", staff)
    services.case_allocate_lawyer(
        case_id=mine.pk, actor=staff.legal, data={"allocated_lawyer": staff.legal.pk}
    )
    services.case_allocate_lawyer(
        case_id=theirs.pk, actor=staff.legal, data={"allocated_lawyer": second_lawyer.pk}
    )
    client.force_login(staff.legal)
    board = client.get("/board/").content.decode()
    assert 'name="mine"' in board
    assert mine.reference in board and theirs.reference in board
    filtered = client.get("/board/?mine=1").content.decode()
    assert mine.reference in filtered
    assert theirs.reference not in filtered
    # Not offered to other roles, and ignored when sent.
    client.force_login(staff.head_of_service)
    other = client.get("/board/?mine=1").content.decode()
    assert 'name="mine"' not in other
    assert mine.reference in other and theirs.reference in other
