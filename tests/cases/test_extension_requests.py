"""A team manager asks for a pre-proceedings extension; a head of service decides
(docs/domain/roles.md, "Extension requests"; decisions 114 to 118)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from rest_framework.test import APIClient

from legaltracker.accounts.models import Role
from legaltracker.api.tokens import token_issue
from legaltracker.calendars.workingdays import add_weeks
from legaltracker.cases import services
from legaltracker.cases.choices import CaseEventKind, ExtensionRequestStatus, Stage
from legaltracker.cases.models import Case, CaseEvent, Extension, ExtensionRequest
from legaltracker.cases.transitions import current_end
from legaltracker.core.errors import Conflict, GuardRefused, InvalidInput, NotFound, NotPermitted
from tests.factories import UserFactory, case_at, move, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=today - dt.timedelta(days=40))
    entered = case.stage_entered_on
    record(case, staff.social_worker, "letter_before_proceedings_sent", entered)
    record(case, staff.social_worker, "initial_meeting_held", entered + dt.timedelta(days=7))
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def emails(staff):
    for person in (staff.team_manager, staff.head_of_service):
        person.email = f"{person.username}@example.org"
        person.save(update_fields=["email"])


def _end(case: Case) -> dt.date:
    end = current_end(case, "pre_proceedings")
    assert end is not None
    return end


def _ask(case: Case, actor, weeks: int = 4, **extra) -> ExtensionRequest:
    data = {"new_end_date": add_weeks(_end(case), weeks).isoformat(), "reason": "Assessment late."}
    return services.extension_request_create(case_id=case.pk, actor=actor, data={**data, **extra})


def _decide(request: ExtensionRequest, actor, decision: str, reason: str = "", **kw):
    return services.extension_request_decide(
        request_id=request.pk, actor=actor, data={"decision": decision, "reason": reason}, **kw
    )


def _trail(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("action", flat=True))


def test_request_then_approve_applies_the_extension_with_the_head_of_service_as_approver(
    case, staff, emails, django_capture_on_commit_callbacks
):
    end = _end(case)
    request = _ask(case, staff.team_manager)
    assert request.status == ExtensionRequestStatus.PENDING
    assert request.previous_end == end
    assert not Extension.objects.filter(case=case).exists()

    with django_capture_on_commit_callbacks(execute=True):
        decided = _decide(request, staff.head_of_service, "approve", "Agreed at supervision.")
    decided.refresh_from_db()
    assert decided.status == ExtensionRequestStatus.APPROVED
    assert decided.decided_by == staff.head_of_service
    extension = decided.extension
    assert extension is not None
    assert extension.approved_by == staff.head_of_service
    assert extension.recorded_by == staff.head_of_service
    assert extension.new_end == add_weeks(end, 4)
    assert extension.reason == "Assessment late."
    assert _end(Case.objects.get(pk=case.pk)) == add_weeks(end, 4)
    trail = _trail(case)
    assert trail[-3:] == [
        CaseEventKind.EXTENSION_REQUESTED,
        CaseEventKind.TRANSITION,
        CaseEventKind.EXTENSION_REQUEST_APPROVED,
    ]
    transition = CaseEvent.objects.filter(case=case, action="transition").latest("id")
    assert transition.actor == staff.head_of_service
    assert transition.details["approved_by"] == staff.head_of_service.username
    assert transition.details["extension_request"] == request.pk
    assert transition.details["requested_by"] == staff.team_manager.username
    # The requester is told the outcome.
    assert [m.to for m in mail.outbox] == [[staff.team_manager.email]]
    assert "approved" in mail.outbox[0].subject.lower()


def test_the_heads_of_service_are_emailed_when_a_request_arrives(
    case, staff, emails, django_capture_on_commit_callbacks
):
    second = UserFactory(username="hos2", role=Role.HEAD_OF_SERVICE, email="hos2@example.org")
    UserFactory(
        username="hos3", role=Role.HEAD_OF_SERVICE, email="hos3@example.org", is_active=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        _ask(case, staff.team_manager)
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted([staff.head_of_service.email, second.email])
    body = mail.outbox[0].body
    assert case.reference in body
    assert "/approvals/" in body
    # Emails carry references, never the family's names.
    assert case.children.first().last_name not in body


def test_decline_needs_a_reason_and_changes_nothing_without_one(case, staff):
    request = _ask(case, staff.team_manager)
    before = Case.objects.get(pk=case.pk).version
    with pytest.raises(InvalidInput) as err:
        _decide(request, staff.head_of_service, "decline", "")
    assert "reason" in err.value.field_errors
    request.refresh_from_db()
    assert request.status == ExtensionRequestStatus.PENDING
    assert Case.objects.get(pk=case.pk).version == before

    _decide(request, staff.head_of_service, "decline", "Escalate to the gateway instead.")
    request.refresh_from_db()
    assert request.status == ExtensionRequestStatus.DECLINED
    assert request.decision_reason == "Escalate to the gateway instead."
    assert request.extension is None
    assert not Extension.objects.filter(case=case).exists()
    row = CaseEvent.objects.filter(case=case).latest("id")
    assert row.action == CaseEventKind.EXTENSION_REQUEST_DECLINED
    assert row.actor == staff.head_of_service
    assert row.reasons == "Escalate to the gateway instead."


@pytest.mark.parametrize(
    "role", ["social_worker", "legal", "court_liaison_officer", "administrator"]
)
def test_only_a_team_manager_of_the_team_may_ask(case, staff, role):
    with pytest.raises((NotPermitted, NotFound)):
        _ask(case, staff.by_role(role))
    assert not ExtensionRequest.objects.exists()


def test_a_team_manager_of_another_team_may_not_ask(case, other_staff):
    with pytest.raises(NotFound):
        _ask(case, other_staff.team_manager)


def test_a_head_of_service_records_their_own_and_does_not_ask(case, staff):
    with pytest.raises(NotPermitted):
        _ask(case, staff.head_of_service)


@pytest.mark.parametrize("role", ["team_manager", "social_worker", "legal"])
def test_only_a_head_of_service_decides(case, staff, role):
    request = _ask(case, staff.team_manager)
    for decision in ("approve", "decline"):
        with pytest.raises(NotPermitted):
            _decide(request, staff.by_role(role), decision, "No.")
    request.refresh_from_db()
    assert request.status == ExtensionRequestStatus.PENDING


def test_the_request_obeys_the_extension_limit(case, staff):
    with pytest.raises(InvalidInput) as err:
        _ask(case, staff.team_manager, weeks=9)
    assert "at most 8 weeks" in err.value.field_errors["new_end_date"][0]
    with pytest.raises(InvalidInput):
        services.extension_request_create(
            case_id=case.pk,
            actor=staff.team_manager,
            data={"new_end_date": _end(case).isoformat(), "reason": "x"},
        )
    assert not ExtensionRequest.objects.exists()


def test_one_request_waits_at_a_time(case, staff):
    _ask(case, staff.team_manager)
    with pytest.raises(GuardRefused, match="already asked"):
        _ask(case, staff.team_manager, weeks=2)


def test_approval_applies_todays_rules_and_a_refusal_leaves_the_request_waiting(case, staff):
    request = _ask(case, staff.team_manager, weeks=4)
    # Meanwhile the head of service records an extension of their own, the old path.
    move(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        date=dt.date(2026, 3, 4).isoformat(),
        reasons="Court asked.",
        approved_by=staff.head_of_service.username,
        new_end_date=add_weeks(_end(case), 6).isoformat(),
    )
    with pytest.raises(GuardRefused, match="cannot be approved as asked"):
        _decide(request, staff.head_of_service, "approve")
    request.refresh_from_db()
    assert request.status == ExtensionRequestStatus.PENDING
    assert Extension.objects.filter(case=case).count() == 1


def test_two_heads_of_service_deciding_at_once_one_wins(case, staff):
    second = UserFactory(username="hos2", role=Role.HEAD_OF_SERVICE)
    request = _ask(case, staff.team_manager)
    version = Case.objects.get(pk=case.pk).version
    _decide(request, staff.head_of_service, "approve", expected_version=version)
    with pytest.raises(Conflict) as err:
        _decide(request, second, "decline", "No.", expected_version=version)
    assert "Someone else changed" in err.value.message
    # Without the version read (the API), the request itself says it was decided.
    with pytest.raises(Conflict, match="approved it"):
        _decide(request, second, "decline", "No.")
    request.refresh_from_db()
    assert request.status == ExtensionRequestStatus.APPROVED
    assert request.decided_by == staff.head_of_service
    assert Extension.objects.filter(case=case).count() == 1


def test_the_team_manager_may_withdraw_a_waiting_request(case, staff):
    request = _ask(case, staff.team_manager)
    with pytest.raises(NotPermitted):
        _decide(request, staff.social_worker, "withdraw")
    with pytest.raises(NotPermitted):
        _decide(request, staff.head_of_service, "withdraw")
    _decide(request, staff.team_manager, "withdraw")
    request.refresh_from_db()
    assert request.status == ExtensionRequestStatus.WITHDRAWN
    assert _trail(case)[-1] == CaseEventKind.EXTENSION_REQUEST_WITHDRAWN
    # A new one may be asked for now.
    assert _ask(case, staff.team_manager, weeks=2).is_pending


def test_a_request_of_a_case_you_cannot_see_is_not_found(case, staff, other_staff):
    request = _ask(case, staff.team_manager)
    with pytest.raises(NotFound):
        _decide(request, other_staff.team_manager, "withdraw")
    with pytest.raises(NotFound):
        services.extension_request_decide(request_id=0, actor=staff.head_of_service, data={})


def test_only_in_pre_proceedings(staff):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    with pytest.raises(Exception, match="pre-proceedings"):
        services.extension_request_create(
            case_id=case.pk,
            actor=staff.team_manager,
            data={"new_end_date": "2026-06-01", "reason": "x"},
        )


def test_the_case_api_shows_each_request_and_its_decision(case, staff):
    request = _ask(case, staff.team_manager)
    _decide(request, staff.head_of_service, "decline", "Escalate instead.")
    _, key = token_issue(user=staff.legal, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = client.get(f"/api/v1/cases/{case.pk}/").json()
    [shown] = body["extension_requests"]
    assert shown["id"] == request.pk
    assert shown["status"] == "declined"
    assert shown["requested_by"] == staff.team_manager.username
    assert shown["decided_by"] == staff.head_of_service.username
    assert shown["decision_reason"] == "Escalate instead."
    assert shown["extension"] is None
