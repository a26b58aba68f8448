"""The extension request's pages: asked for from the case's What's next, decided from the
head of service's Approvals (decisions 114 to 117)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.calendars.workingdays import add_weeks
from legaltracker.cases.choices import ExtensionRequestStatus, Stage
from legaltracker.cases.models import Case, Extension, ExtensionRequest
from legaltracker.cases.transitions import current_end
from tests.factories import UserFactory, case_at, record

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=today - dt.timedelta(days=40))
    entered = case.stage_entered_on
    record(case, staff.social_worker, "letter_before_proceedings_sent", entered)
    record(case, staff.social_worker, "initial_meeting_held", entered + dt.timedelta(days=7))
    return Case.objects.get(pk=case.pk)


def _new_end(case: Case, weeks: int = 4) -> dt.date:
    end = current_end(case, "pre_proceedings")
    assert end is not None
    return add_weeks(end, weeks)


def _ask(case: Case, staff) -> ExtensionRequest:
    manager = browser(staff.team_manager)
    overview = manager.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    create = reverse("casework:extension_request_create", args=[case.pk])
    assert create in overview
    assert manager.get(create).status_code == 200
    answer = manager.post(
        create,
        {
            "version": Case.objects.get(pk=case.pk).version,
            "new_end_date": _new_end(case).strftime("%d/%m/%Y"),
            "reason": "The parenting assessment finishes late.",
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    return ExtensionRequest.objects.get(case=case)


def _url(request: ExtensionRequest) -> str:
    return reverse("casework:extension_request", args=[request.pk])


def test_ask_then_the_case_says_who_must_decide_and_the_head_of_service_approves(case, staff):
    ask = _ask(case, staff)
    overview = browser(staff.social_worker).get(reverse("casework:case_detail", args=[case.pk]))
    assert "Waiting for a head of service to decide" in overview.content.decode()

    boss = browser(staff.head_of_service)
    queue = boss.get(reverse("web:approvals")).content.decode()
    assert "Approvals (1)" in queue
    assert _url(ask) in queue and case.reference in queue

    page = boss.get(_url(ask))
    assert page.status_code == 200 and "Record your decision" in page.content.decode()
    version = Case.objects.get(pk=case.pk).version
    answer = boss.post(_url(ask), {"version": version, "decision": "approve", "reason": ""})
    assert answer.status_code == 302
    extension = Extension.objects.get(case=case)
    assert extension.approved_by == staff.head_of_service
    deadlines = boss.get(reverse("casework:case_deadlines", args=[case.pk])).content.decode()
    assert staff.head_of_service.display_name in deadlines
    assert "Approved by" in deadlines
    assert "Approvals (1)" not in boss.get(reverse("web:approvals")).content.decode()


def test_declining_needs_a_reason_on_the_form(case, staff):
    ask = _ask(case, staff)
    boss = browser(staff.head_of_service)
    version = Case.objects.get(pk=case.pk).version
    answer = boss.post(_url(ask), {"version": version, "decision": "decline", "reason": ""})
    assert answer.status_code == 400
    assert "Say why the extension is declined" in answer.content.decode()
    ask.refresh_from_db()
    assert ask.status == ExtensionRequestStatus.PENDING
    answer = boss.post(_url(ask), {"version": version, "decision": "decline", "reason": "No."})
    assert answer.status_code == 302
    ask.refresh_from_db()
    assert ask.status == ExtensionRequestStatus.DECLINED


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "legal", "court_liaison_officer"]
)
def test_only_a_head_of_service_may_decide(case, staff, role):
    ask = _ask(case, staff)
    version = Case.objects.get(pk=case.pk).version
    answer = browser(staff.by_role(role)).post(
        _url(ask), {"version": version, "decision": "approve"}
    )
    assert answer.status_code == 403
    ask.refresh_from_db()
    assert ask.is_pending


@pytest.mark.parametrize("role", ["social_worker", "head_of_service", "legal"])
def test_only_the_team_manager_may_ask(case, staff, role):
    create = reverse("casework:extension_request_create", args=[case.pk])
    assert browser(staff.by_role(role)).get(create).status_code == 403


def test_another_teams_manager_finds_neither_page(case, staff, other_staff):
    ask = _ask(case, staff)
    stranger = browser(other_staff.team_manager)
    assert stranger.get(_url(ask)).status_code == 404
    create = reverse("casework:extension_request_create", args=[case.pk])
    assert stranger.get(create).status_code == 404


def test_two_heads_of_service_at_once_the_second_is_told_someone_else_changed_it(case, staff):
    ask = _ask(case, staff)
    second = UserFactory(username="hos2", role=Role.HEAD_OF_SERVICE)
    version = Case.objects.get(pk=case.pk).version
    first = browser(staff.head_of_service).post(
        _url(ask), {"version": version, "decision": "approve"}
    )
    assert first.status_code == 302
    late = browser(second).post(
        _url(ask), {"version": version, "decision": "decline", "reason": "No."}
    )
    assert late.status_code == 409
    assert "Someone else changed this case" in late.content.decode()
    ask.refresh_from_db()
    assert ask.status == ExtensionRequestStatus.APPROVED
    assert ask.decided_by == staff.head_of_service


def test_the_team_manager_withdraws_from_the_request_page(case, staff):
    ask = _ask(case, staff)
    manager = browser(staff.team_manager)
    assert "Withdraw the request" in manager.get(_url(ask)).content.decode()
    version = Case.objects.get(pk=case.pk).version
    answer = manager.post(_url(ask), {"version": version, "decision": "withdraw", "reason": ""})
    assert answer.status_code == 302
    ask.refresh_from_db()
    assert ask.status == ExtensionRequestStatus.WITHDRAWN


def test_asking_outside_pre_proceedings_is_explained(staff):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    create = reverse("casework:extension_request_create", args=[case.pk])
    answer = browser(staff.team_manager).get(create)
    assert answer.status_code == 400
    assert "only during pre-proceedings" in answer.content.decode()


def test_the_direct_extension_form_points_the_head_of_service_to_a_waiting_request(case, staff):
    ask = _ask(case, staff)
    form = browser(staff.head_of_service).get(
        reverse("casework:transition", args=[case.pk, "extend_pre_proceedings"])
    )
    assert form.status_code == 200
    assert _url(ask) in form.content.decode()
