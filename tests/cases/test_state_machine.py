"""The stage x transition matrix, generated from the model (docs/domain/stages.md).

Every (stage, transition) pair is tried on a real case through `services.case_transition`:
the moves the model declares succeed with valid values and a permitted actor and leave
an audit row; every other move is refused with a readable message and changes nothing.
Also: the stage cannot be written directly, and the audit trail cannot be changed.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from legaltracker.cases import services
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case, CaseEvent, Extension, GatewayDecision
from legaltracker.cases.transitions import TRANSITIONS
from legaltracker.core.errors import TransitionNotAvailable
from tests.factories import case_at

from .builders import (
    CLOSING_OUTCOME,
    DOMAIN_EDGES,
    STAGES,
    TRANSITION_EDGES,
    TRANSITION_NAMES,
    generic_data,
    permitted_actor,
    prepare_valid,
    snapshot,
)

PAIRS = [(stage, name) for stage in STAGES for name in TRANSITION_NAMES]
ALLOWED = [pair for pair in PAIRS if pair in TRANSITION_EDGES]
REFUSED = [pair for pair in PAIRS if pair not in TRANSITION_EDGES]
WRITES_GATEWAY_DECISION = {
    "gateway_continue_plan",
    "gateway_enter_pre_proceedings",
    "gateway_issue",
}
WRITES_EXTENSION = {"extend_pre_proceedings", "extend_timetable"}


def test_the_model_declares_the_transitions_of_domain_md() -> None:
    assert TRANSITION_EDGES == DOMAIN_EDGES


def test_the_service_registry_covers_exactly_the_model_transitions() -> None:
    assert set(TRANSITIONS) == set(TRANSITION_NAMES)


def test_the_matrix_is_complete() -> None:
    assert len(PAIRS) == len(Stage) * len(TRANSITION_NAMES) == 66
    assert len(ALLOWED) == 15
    assert not [stage for stage, _ in ALLOWED if stage == Stage.CLOSED]


@pytest.mark.django_db
@pytest.mark.parametrize(("stage", "name"), ALLOWED, ids=[f"{s}-{n}" for s, n in ALLOWED])
def test_allowed_move_lands_in_the_target_stage_with_an_audit_row(staff, today, stage, name):
    case = case_at(stage, staff)
    data = prepare_valid(name, case, staff, today)
    actor = permitted_actor(name, case, staff)
    before = snapshot(case.pk)

    result = services.case_transition(case_id=case.pk, transition=name, actor=actor, data=data)

    case = Case.objects.get(pk=case.pk)
    target = TRANSITION_EDGES[(stage, name)]
    assert result.stage == case.stage == target
    assert case.version == before["case"]["version"] + 1
    if target != stage:
        assert case.stage_entered_on == today
    if name in CLOSING_OUTCOME:
        assert case.outcome == CLOSING_OUTCOME[name]
        assert case.closed_on == today
    new_audit = CaseEvent.objects.filter(case=case).exclude(pk__in=before["audit"])
    assert new_audit.count() == 1
    event = new_audit.get()
    assert event.action == "transition"
    assert (event.from_stage, event.to_stage) == (stage, target)
    assert event.actor == actor
    assert event.effective_date == today
    assert event.reasons == data["reasons"]
    assert event.details["transition"] == name
    gateway = GatewayDecision.objects.filter(case=case).count() - before["gateway_decisions"]
    extensions = Extension.objects.filter(case=case).count() - before["extensions"]
    assert gateway == (1 if name in WRITES_GATEWAY_DECISION else 0)
    assert extensions == (1 if name in WRITES_EXTENSION else 0)


@pytest.mark.django_db
@pytest.mark.parametrize(("stage", "name"), REFUSED, ids=[f"{s}-{n}" for s, n in REFUSED])
def test_every_other_move_is_refused_and_changes_nothing(staff, today, stage, name):
    case = case_at(stage, staff)
    actor = permitted_actor(name, case, staff)
    before = snapshot(case.pk)

    with pytest.raises(TransitionNotAvailable) as refused:
        services.case_transition(
            case_id=case.pk, transition=name, actor=actor, data=generic_data(name, today, staff)
        )

    message = refused.value.message
    assert refused.value.status == 400
    assert f"at the {Stage(stage).label.lower()} stage" in message
    assert services.transition_label(name) in message
    assert "can only be done at" in message
    assert snapshot(case.pk) == before


@pytest.mark.django_db
def test_available_transitions_follow_the_matrix(staff, today):
    hos = staff.head_of_service
    for stage in STAGES:
        case = case_at(stage, staff)
        offered = (
            set(services.available_transitions(case, staff.legal))
            | set(services.available_transitions(case, hos))
            | set(services.available_transitions(case, staff.team_manager))
        )
        assert offered == {name for (source, name) in TRANSITION_EDGES if source == stage}


@pytest.mark.django_db
def test_the_stage_cannot_be_written_directly(staff, today):
    case = case_at(Stage.CONCERN, staff)
    with pytest.raises(AttributeError, match="modification is not allowed"):
        case.stage = Stage.CLOSED
    case.refresh_from_db()
    assert case.stage == Stage.CONCERN


@pytest.mark.django_db
def test_a_transition_method_alone_saves_nothing(staff, today):
    # The @transition methods only change memory; the service is the one that saves.
    case = case_at(Stage.CONCERN, staff)
    case.refer_to_gateway(date=today)
    assert case.stage == Stage.LEGAL_GATEWAY
    assert Case.objects.get(pk=case.pk).stage == Stage.CONCERN


@pytest.mark.django_db
class TestAuditTrailIsAppendOnly:
    @pytest.fixture
    def event(self, staff, today):
        case = case_at(Stage.LEGAL_GATEWAY, staff)
        return CaseEvent.objects.filter(case=case, action="transition").get()

    def test_an_existing_row_cannot_be_saved(self, event):
        event.reasons = "rewritten"
        with pytest.raises(PermissionError):
            event.save()
        assert CaseEvent.objects.get(pk=event.pk).reasons != "rewritten"

    def test_a_row_cannot_be_deleted(self, event):
        with pytest.raises(PermissionError):
            event.delete()
        assert CaseEvent.objects.filter(pk=event.pk).exists()

    def test_querysets_cannot_update_or_delete(self, event):
        with pytest.raises(PermissionError):
            CaseEvent.objects.filter(pk=event.pk).update(reasons="rewritten")
        with pytest.raises(PermissionError):
            CaseEvent.objects.filter(pk=event.pk).delete()
        with pytest.raises(PermissionError):
            CaseEvent.objects.all().delete()
        with pytest.raises(PermissionError):
            event.case.audit_events.update(reasons="rewritten")
        # bulk_update opens a transaction without a savepoint: give it one, so that the
        # refusal does not break the test's own transaction.
        with pytest.raises(PermissionError), transaction.atomic():
            CaseEvent.objects.bulk_update([event], ["reasons"])
        assert CaseEvent.objects.get(pk=event.pk).reasons == event.reasons

    def test_deleting_the_case_is_refused_while_it_has_an_audit_trail(self, event):
        with pytest.raises(ProtectedError):
            Case.objects.filter(pk=event.case_id).delete()
        assert CaseEvent.objects.filter(pk=event.pk).exists()
