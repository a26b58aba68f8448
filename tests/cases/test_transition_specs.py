"""One `Transition`, one spec, one model method: the vocabulary, the specs in
`cases/transitions.py` and the `Case` @transition methods name the same transitions, and
the facts on a spec (label, stages, roles) are the ones the rest of the code reads.
Also: guards judge the date they are given, and today when django-fsm asks them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.cases import guards, services
from legaltracker.cases.choices import GATEWAY_DECISIONS, Stage, Transition
from legaltracker.cases.models import Case
from legaltracker.cases.transitions import TRANSITIONS, TransitionSpec
from tests.factories import case_at, record

FSM_NAMES = [t.name for t in Case._meta.get_field("stage").get_all_transitions(Case)]


def test_every_transition_has_exactly_one_spec() -> None:
    assert list(TRANSITIONS) == Transition.values
    for name, spec in TRANSITIONS.items():
        assert isinstance(spec, TransitionSpec)
        assert spec.name == name
        assert isinstance(spec.name, Transition)


@pytest.mark.parametrize("name", Transition.values)
def test_every_transition_is_one_method_on_the_case_with_its_label(name: str) -> None:
    meta = getattr(Case, name)._django_fsm
    labels = {t.custom["label"] for t in meta.transitions.values()}
    assert labels == {Transition(name).label}
    assert TRANSITIONS[name].label == Transition(name).label
    assert {t.name for t in meta.transitions.values()} == {name}


def test_the_model_has_no_transition_the_vocabulary_lacks() -> None:
    assert set(FSM_NAMES) == set(Transition.values)


@pytest.mark.parametrize("name", Transition.values)
def test_the_helpers_read_the_spec(name: str) -> None:
    spec = TRANSITIONS[name]
    assert services.transition_label(name) == spec.label
    assert services.transition_sources(name) == spec.sources
    assert spec.sources == [str(s) for s in getattr(Case, name)._django_fsm.transitions]


def test_an_unknown_name_has_no_label() -> None:
    with pytest.raises(AttributeError):
        services.transition_label("no_such_transition")


def test_only_the_extensions_name_approvers() -> None:
    with_approvers = {name for name, spec in TRANSITIONS.items() if spec.approvers}
    assert with_approvers == {Transition.EXTEND_PRE_PROCEEDINGS, Transition.EXTEND_TIMETABLE}
    expected = {name: TRANSITIONS[name].approvers for name in with_approvers}
    assert expected == {
        Transition.EXTEND_PRE_PROCEEDINGS: {"head_of_service"},
        Transition.EXTEND_TIMETABLE: {"head_of_service", "legal"},
    }


def test_the_gateway_decisions_are_the_transitions_from_the_gateway_but_referral_back() -> None:
    from_gateway = {
        name
        for name, spec in TRANSITIONS.items()
        if Stage.LEGAL_GATEWAY in spec.sources and name != Transition.CLOSE
    }
    assert from_gateway == GATEWAY_DECISIONS


@pytest.mark.django_db
def test_a_guard_judges_the_date_it_is_given_and_today_as_a_condition(staff, today) -> None:
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    record(case, staff.social_worker, "assessment_completed", today, summary="Done today")
    case = Case.objects.get(pk=case.pk)
    yesterday = today - dt.timedelta(days=1)

    assert guards.assessment_current.explain(case, on=today) is None
    assert "needs an assessment" in guards.assessment_current.explain(case, on=yesterday)
    assert guards.assessment_current(case) is True  # django-fsm's condition: as of today
    assert not hasattr(case, "_acting_date")


@pytest.mark.django_db
def test_a_step_down_decided_while_the_assessment_was_current_is_recorded_later(
    staff, today
) -> None:
    """Current on the decision date, stale today: the service judges the decision date,
    and django-fsm's own look at the guards (as of today) does not refuse it."""
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=today - dt.timedelta(days=250))
    assessed, decided = today - dt.timedelta(days=200), today - dt.timedelta(days=30)
    record(case, staff.social_worker, "assessment_completed", assessed, summary="Assessed")
    case = Case.objects.get(pk=case.pk)
    assert not guards.assessment_current(case)  # stale as of today

    services.case_transition(
        case_id=case.pk,
        transition=Transition.STEP_DOWN,
        actor=staff.team_manager,
        data={
            "date": decided.isoformat(),
            "reasons": "Risk reduced; the plan can continue without pre-proceedings.",
            "step_down_to": "child_protection_plan",
        },
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.closed_on, case.stage_entered_on) == (
        Stage.CLOSED,
        decided,
        decided,
    )
