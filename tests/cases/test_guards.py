"""Every guard of docs/domain/stages.md, each passed once and refused with a message that
says what to do. Refusals leave the case exactly as it was.

Driven through `services.case_transition` on real cases; only the clock is pinned.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from legaltracker.calendars.workingdays import add_months, add_weeks
from legaltracker.cases import day1, services
from legaltracker.cases.choices import (
    CLOSE_OUTCOMES,
    FINAL_ORDER_OUTCOMES,
    Day1Document,
    Outcome,
    Stage,
)
from legaltracker.cases.models import Case, CaseEvent, Extension, GatewayDecision
from legaltracker.core.errors import DomainError, GuardRefused, InvalidInput
from legaltracker.deadlines.models import Deadline
from tests.factories import case_at, gateway_data, move, record

from .builders import (
    REASONS,
    TRANSITION_NAMES,
    first_source,
    permitted_actor,
    prepare_valid,
    snapshot,
)

pytestmark = pytest.mark.django_db


def refuse(
    case: Case,
    name: str,
    actor: Any,
    data: dict[str, Any],
    error: type[DomainError],
    *words: str,
    field: str | None = None,
) -> DomainError:
    """Try the transition, expect `error` whose message holds `words`, nothing changed."""
    before = snapshot(case.pk)
    with pytest.raises(error) as refused:
        services.case_transition(case_id=case.pk, transition=name, actor=actor, data=data)
    exc = refused.value
    text = exc.message + " " + " ".join(m for ms in exc.field_errors.values() for m in ms)
    for word in words:
        assert word.lower() in text.lower(), f"{word!r} not in {text!r}"
    if field is not None:
        assert field in exc.field_errors, exc.field_errors
    assert exc.status == 400
    assert snapshot(case.pk) == before
    return exc


def last_audit(case: Case) -> CaseEvent:
    return CaseEvent.objects.filter(case=case, action="transition").latest("id")


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


# --- dates: every transition ------------------------------------------------------------


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_a_decision_date_in_the_future_is_refused(staff, today, name):
    case = case_at(first_source(name), staff)
    data = prepare_valid(name, case, staff, today)
    data["date"] = (today + dt.timedelta(days=1)).isoformat()
    refuse(
        case, name, permitted_actor(name, case, staff), data, InvalidInput, "future", field="date"
    )


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_a_decision_date_before_the_stage_was_entered_is_refused(staff, today, name):
    case = case_at(first_source(name), staff)
    data = prepare_valid(name, case, staff, today)
    data["date"] = (case.stage_entered_on - dt.timedelta(days=1)).isoformat()
    refuse(
        case,
        name,
        permitted_actor(name, case, staff),
        data,
        InvalidInput,
        "cannot be before the case entered this stage",
        field="date",
    )


# Every transition gets a missing and an impossible date; the other malformed shapes
# go through the same parser, so `refer_to_gateway` stands for all of them.
@pytest.mark.parametrize("name", TRANSITION_NAMES)
@pytest.mark.parametrize("bad", [None, "2026-02-30"])
def test_a_missing_or_malformed_date_is_refused(staff, today, name, bad):
    case = case_at(first_source(name), staff)
    data = prepare_valid(name, case, staff, today)
    data["date"] = bad
    refuse(
        case,
        name,
        permitted_actor(name, case, staff),
        data,
        InvalidInput,
        "YYYY-MM-DD",
        field="date",
    )


@pytest.mark.parametrize("bad", ["", "   ", "04/03/2026", "2026-3-4x", 20260304, ["2026-03-04"]])
def test_other_malformed_dates_are_refused(staff, today, bad):
    case = case_at(Stage.CONCERN, staff)
    data = {"date": bad, "reasons": REASONS}
    refuse(
        case,
        "refer_to_gateway",
        staff.social_worker,
        data,
        InvalidInput,
        "YYYY-MM-DD",
        field="date",
    )


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_the_day_the_stage_was_entered_is_a_valid_decision_date(staff, today, name):
    case = case_at(first_source(name), staff)
    data = prepare_valid(name, case, staff, case.stage_entered_on)
    actor = permitted_actor(name, case, staff)
    services.case_transition(case_id=case.pk, transition=name, actor=actor, data=data)
    assert last_audit(case).effective_date == case.stage_entered_on


# --- gateway decisions ---------------------------------------------------------------

GATEWAY = ["gateway_continue_plan", "gateway_enter_pre_proceedings", "gateway_issue"]


@pytest.mark.parametrize("name", GATEWAY)
def test_a_gateway_decision_is_recorded_with_its_meeting(staff, today, name):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    move(case, name, staff.legal, **gateway_data(today, threshold_view="finely_balanced"))
    decision = GatewayDecision.objects.get(case=case)
    assert decision.transition == name
    assert decision.meeting_date == today
    assert decision.threshold_view == "finely_balanced"
    assert decision.reasons.startswith("Neglect continues")
    assert {a["role"] for a in decision.attendees} == {"social_worker", "chair", "legal"}
    audit = last_audit(case)
    assert audit.details["threshold_view"] == "finely_balanced"
    assert audit.details["attendees"] == decision.attendees


@pytest.mark.parametrize("name", GATEWAY)
@pytest.mark.parametrize(
    ("roles", "missing"),
    [
        (["chair", "legal"], ["a social worker"]),
        (["social_worker", "legal", "other"], ["a manager or chair"]),
        (["social_worker", "team_manager"], ["a lawyer"]),
        (["other"], ["a social worker", "a manager or chair", "a lawyer"]),
    ],
)
def test_a_gateway_meeting_needs_a_social_worker_a_manager_or_chair_and_a_lawyer(
    staff, today, name, roles, missing
):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    attendees = [{"name": f"Person {i}", "role": role} for i, role in enumerate(roles)]
    exc = refuse(
        case,
        name,
        staff.legal,
        gateway_data(today, attendees=attendees),
        InvalidInput,
        "social worker, a manager or chair and a lawyer",
        *missing,
        field="attendees",
    )
    message = exc.field_errors["attendees"][0]
    present = {"a social worker", "a manager or chair", "a lawyer"} - set(missing)
    for word in present:
        assert word not in message.split("Missing:")[1]


@pytest.mark.parametrize("manager", ["team_manager", "head_of_service", "chair"])
def test_a_team_manager_head_of_service_or_chair_counts_as_the_manager(staff, today, manager):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    attendees = [
        {"name": "Sam", "role": "social_worker"},
        {"name": "Chris", "role": manager},
        {"name": "Jo", "role": "legal"},
    ]
    move(
        case,
        "gateway_enter_pre_proceedings",
        staff.legal,
        **gateway_data(today, attendees=attendees),
    )
    assert Case.objects.get(pk=case.pk).stage == Stage.PRE_PROCEEDINGS


@pytest.mark.parametrize(
    ("attendees", "words"),
    [
        (None, ["List who attended"]),
        ([], ["List who attended"]),
        ("Sam, Chris and Jo", ["List who attended"]),
        ([{"name": "Sam"}], ["Attendee 1", "role"]),
        ([{"role": "legal"}], ["Attendee 1", "name", "cannot be blank"]),
        ([{"name": "Sam", "role": "bishop"}], ["Attendee 1", "'bishop' is not one of"]),
    ],
)
def test_attendees_must_be_a_list_of_names_and_roles(staff, today, attendees, words):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    refuse(
        case,
        "gateway_enter_pre_proceedings",
        staff.legal,
        gateway_data(today, attendees=attendees),
        InvalidInput,
        *words,
        field="attendees",
    )


@pytest.mark.parametrize("view", [None, "", "probably"])
def test_a_gateway_decision_needs_a_view_on_threshold(staff, today, view):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    refuse(
        case,
        "gateway_issue",
        staff.legal,
        gateway_data(today, threshold_view=view),
        InvalidInput,
        "met",
        "not_met",
        "finely_balanced",
        field="threshold_view",
    )


@pytest.mark.parametrize("name", GATEWAY)
@pytest.mark.parametrize("reasons", [None, "", "   ", "\x00\x01"])
def test_a_gateway_decision_needs_reasons(staff, today, name, reasons):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    refuse(
        case,
        name,
        staff.legal,
        gateway_data(today, reasons=reasons),
        InvalidInput,
        "cannot be blank",
        field="reasons",
    )


def test_an_urgent_issue_needs_the_short_notice_reason(staff, today):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    refuse(
        case,
        "gateway_issue",
        staff.legal,
        gateway_data(today, urgent=True),
        InvalidInput,
        "cannot be blank",
        field="short_notice_reason",
    )
    move(
        case,
        "gateway_issue",
        staff.legal,
        **gateway_data(today, urgent=True, short_notice_reason="Baby due"),
    )
    case = Case.objects.get(pk=case.pk)
    assert case.urgent is True
    assert case.short_notice_reason == "Baby due"
    assert last_audit(case).details["urgent"] is True


def test_a_non_urgent_issue_needs_no_short_notice_reason(staff, today):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    move(case, "gateway_issue", staff.legal, **gateway_data(today))
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.urgent, case.short_notice_reason) == (Stage.ISSUE, False, "")


# --- step down ------------------------------------------------------------------------


def step_down_data(day: dt.date, **extra: Any) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "reasons": REASONS,
        "step_down_to": "child_protection_plan",
        **extra,
    }


@pytest.fixture
def pre_proceedings(staff, today):
    """A case that entered pre-proceedings eight months ago (so staleness can be shown)."""
    return case_at(Stage.PRE_PROCEEDINGS, staff, start=today - dt.timedelta(days=250))


def test_step_down_with_a_current_assessment(staff, today, pre_proceedings):
    case = pre_proceedings
    record(
        case,
        staff.social_worker,
        "assessment_completed",
        today - dt.timedelta(days=10),
        summary="PAMS",
    )
    move(case, "step_down", staff.team_manager, **step_down_data(today))
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.outcome, case.step_down_to) == (
        Stage.CLOSED,
        Outcome.STEPPED_DOWN,
        "child_protection_plan",
    )
    audit = last_audit(case)
    assert audit.reasons == REASONS
    assert audit.details["step_down_to"] == "child_protection_plan"


def test_step_down_without_an_assessment_is_refused(staff, today, pre_proceedings):
    case = pre_proceedings
    started = case.pre_proceedings_started_on
    refuse(
        case,
        "step_down",
        staff.team_manager,
        step_down_data(today),
        GuardRefused,
        "needs an assessment completed since pre-proceedings began",
        long_date(started),
        "Record the updated assessment",
    )


def test_an_assessment_from_before_pre_proceedings_does_not_count(staff, today, pre_proceedings):
    case = pre_proceedings
    started = case.pre_proceedings_started_on
    record(
        case,
        staff.social_worker,
        "assessment_completed",
        started - dt.timedelta(days=1),
        summary="Old",
    )
    refuse(
        case,
        "step_down",
        staff.team_manager,
        step_down_data(today),
        GuardRefused,
        "since pre-proceedings began",
    )


def test_an_assessment_on_the_day_pre_proceedings_began_counts(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    record(
        case,
        staff.social_worker,
        "assessment_completed",
        case.pre_proceedings_started_on,
        summary="Same day",
    )
    move(case, "step_down", staff.team_manager, **step_down_data(today))
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_an_assessment_dated_after_the_decision_does_not_count(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    record(case, staff.social_worker, "assessment_completed", today, summary="After the decision")
    refuse(
        case,
        "step_down",
        staff.team_manager,
        step_down_data(today - dt.timedelta(days=1)),
        GuardRefused,
        "needs an assessment",
    )


def test_an_assessment_six_months_old_is_still_current(staff, today, pre_proceedings):
    case = pre_proceedings
    record(
        case,
        staff.social_worker,
        "assessment_completed",
        add_months(today, -6),
        summary="Six months",
    )
    move(case, "step_down", staff.team_manager, **step_down_data(today))
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_an_assessment_older_than_six_months_is_stale(staff, today, pre_proceedings):
    case = pre_proceedings
    stale = add_months(today, -6) - dt.timedelta(days=1)
    record(case, staff.social_worker, "assessment_completed", stale, summary="Too old")
    refuse(
        case,
        "step_down",
        staff.team_manager,
        step_down_data(today),
        GuardRefused,
        long_date(stale),
        "more than 6 months old",
        "Update the assessment",
    )


def test_the_latest_assessment_is_the_one_that_counts(staff, today, pre_proceedings):
    case = pre_proceedings
    record(case, staff.social_worker, "assessment_completed", add_months(today, -7), summary="Old")
    record(
        case,
        staff.social_worker,
        "assessment_completed",
        today - dt.timedelta(days=3),
        summary="New",
    )
    move(case, "step_down", staff.team_manager, **step_down_data(today))
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_a_change_of_circumstances_after_the_assessment_makes_it_stale(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    assessed, changed = today - dt.timedelta(days=10), today - dt.timedelta(days=4)
    record(case, staff.social_worker, "assessment_completed", assessed, summary="PAMS")
    record(case, staff.social_worker, "change_of_circumstances", changed, summary="New partner")
    refuse(
        case,
        "step_down",
        staff.team_manager,
        step_down_data(today),
        GuardRefused,
        "older than the change of circumstances",
        long_date(changed),
        long_date(assessed),
    )
    record(case, staff.social_worker, "assessment_completed", today, summary="Updated")
    move(case, "step_down", staff.team_manager, **step_down_data(today))
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_a_change_of_circumstances_before_the_assessment_does_not_block(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    record(
        case,
        staff.social_worker,
        "change_of_circumstances",
        today - dt.timedelta(days=10),
        summary="Moved",
    )
    record(
        case,
        staff.social_worker,
        "assessment_completed",
        today - dt.timedelta(days=5),
        summary="PAMS",
    )
    move(case, "step_down", staff.team_manager, **step_down_data(today))
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"reasons": ""}, "reasons", ["cannot be blank"]),
        ({"step_down_to": None}, "step_down_to", ["child_protection_plan", "child_in_need_plan"]),
        ({"step_down_to": "home"}, "step_down_to", ["'home' is not one of"]),
    ],
)
def test_step_down_needs_reasons_and_where_to(staff, today, extra, field, words):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    record(case, staff.social_worker, "assessment_completed", today, summary="PAMS")
    refuse(
        case,
        "step_down",
        staff.team_manager,
        step_down_data(today, **extra),
        InvalidInput,
        *words,
        field=field,
    )


# --- issue proceedings ------------------------------------------------------------------


def issue_data(day: dt.date, **extra: Any) -> dict[str, Any]:
    return {"date": day.isoformat(), "court_reference": "ZW26C00042", **extra}


def record_documents(case: Case, staff: Any, day: dt.date, skip: str | None = None) -> None:
    for code in day1.required_codes():
        if code != skip:
            record(case, staff.legal, "document_ready", day, document=code)


@pytest.fixture
def at_issue(staff, today):
    return case_at(Stage.ISSUE, staff)


def test_issue_with_documents_and_fgdm_offered(staff, today, at_issue):
    record_documents(at_issue, staff, today)
    record(at_issue, staff.social_worker, "fgdm_offered", today)
    move(at_issue, "issue_proceedings", staff.legal, **issue_data(today))
    case = Case.objects.get(pk=at_issue.pk)
    assert (case.stage, case.issued_on, case.court_reference) == (
        Stage.PROCEEDINGS,
        today,
        "ZW26C00042",
    )
    assert last_audit(case).details["court_reference"] == "ZW26C00042"


@pytest.mark.parametrize(
    ("missing", "field"), [("date", "date"), ("court_reference", "court_reference")]
)
def test_issue_needs_the_date_and_the_court_reference(staff, today, at_issue, missing, field):
    record_documents(at_issue, staff, today)
    record(at_issue, staff.social_worker, "fgdm_offered", today)
    refuse(
        at_issue,
        "issue_proceedings",
        staff.legal,
        issue_data(today, **{missing: ""}),
        InvalidInput,
        field=field,
    )


# The checklist as seeded (migration 0014): the PD12A documents and the threshold document.
@pytest.mark.parametrize("document", day1.SHIPPED, ids=[code for code, _ in day1.SHIPPED])
def test_issue_needs_every_day1_document(staff, today, at_issue, document):
    code, label = document
    record_documents(at_issue, staff, today, skip=code)
    record(at_issue, staff.social_worker, "fgdm_offered", today)
    exc = refuse(
        at_issue,
        "issue_proceedings",
        staff.legal,
        issue_data(today),
        GuardRefused,
        "Day 1 documents are not all ready",
        "Still missing",
        label,
    )
    others = [other for _, other in day1.SHIPPED if other != label]
    assert not any(label in exc.message for label in others)


def test_issue_with_no_documents_lists_them_all(staff, today, at_issue):
    record(at_issue, staff.social_worker, "fgdm_offered", today)
    refuse(
        at_issue,
        "issue_proceedings",
        staff.legal,
        issue_data(today),
        GuardRefused,
        *[label for _, label in day1.SHIPPED],
    )


@pytest.mark.parametrize(
    ("events", "allowed"),
    [
        ([], False),
        (["fgdm_offered"], True),
        (["fgdm_offered", "fgdm_declined"], True),
        (["fgdm_declined"], True),
        (["fgdm_offered", "fgdm_accepted"], False),
        (["fgdm_offered", "fgdm_accepted", "fgdm_held"], True),
    ],
)
def test_the_fgdm_duty(staff, today, at_issue, events, allowed):
    record_documents(at_issue, staff, today)
    for kind in events:
        record(at_issue, staff.social_worker, kind, today - dt.timedelta(days=2))
    if allowed:
        move(at_issue, "issue_proceedings", staff.legal, **issue_data(today))
        assert Case.objects.get(pk=at_issue.pk).stage == Stage.PROCEEDINGS
    elif "fgdm_accepted" in events:
        refuse(
            at_issue,
            "issue_proceedings",
            staff.legal,
            issue_data(today),
            GuardRefused,
            "accepted the offer",
            "no meeting is recorded as held",
            "best interests",
        )
    else:
        refuse(
            at_issue,
            "issue_proceedings",
            staff.legal,
            issue_data(today),
            GuardRefused,
            "No offer of a family group decision-making meeting",
            "s31ZA",
            "best interests",
        )


@pytest.mark.parametrize("events", [[], ["fgdm_offered", "fgdm_accepted"]])
def test_the_best_interests_exception_satisfies_the_fgdm_duty(staff, today, at_issue, events):
    record_documents(at_issue, staff, today)
    for kind in events:
        record(at_issue, staff.social_worker, kind, today)
    reason = "Risk of the family fleeing with the baby."
    move(
        at_issue,
        "issue_proceedings",
        staff.legal,
        **issue_data(today, fgdm_exception_reason=reason),
    )
    case = Case.objects.get(pk=at_issue.pk)
    assert case.stage == Stage.PROCEEDINGS
    assert case.fgdm_exception_reason == reason
    assert last_audit(case).details["fgdm_exception_reason"] == reason


def test_a_blank_exception_reason_does_not_satisfy_the_fgdm_duty(staff, today, at_issue):
    record_documents(at_issue, staff, today)
    refuse(
        at_issue,
        "issue_proceedings",
        staff.legal,
        issue_data(today, fgdm_exception_reason="  \x00 "),
        GuardRefused,
        "No offer",
    )


def test_in_wales_there_is_no_fgdm_duty(staff, today, at_issue, settings):
    settings.LEGALTRACKER_NATION = "wales"
    record_documents(at_issue, staff, today)
    move(at_issue, "issue_proceedings", staff.legal, **issue_data(today))
    assert Case.objects.get(pk=at_issue.pk).stage == Stage.PROCEEDINGS


def test_a_fgdm_meeting_held_after_the_issue_date_does_not_satisfy_the_duty(staff, today, at_issue):
    # s31ZA: an accepted meeting is held *before* applying to court.
    issued = today - dt.timedelta(days=5)
    record_documents(at_issue, staff, issued)
    record(at_issue, staff.social_worker, "fgdm_accepted", issued - dt.timedelta(days=3))
    record(at_issue, staff.social_worker, "fgdm_held", today)
    refuse(
        at_issue,
        "issue_proceedings",
        staff.legal,
        issue_data(issued),
        GuardRefused,
        "no meeting is recorded as held",
    )


def test_a_document_ready_after_the_issue_date_was_not_filed_on_day1(staff, today, at_issue):
    issued = today - dt.timedelta(days=5)
    record_documents(at_issue, staff, issued, skip=Day1Document.CARE_PLAN)
    record(at_issue, staff.legal, "document_ready", today, document=Day1Document.CARE_PLAN)
    record(at_issue, staff.social_worker, "fgdm_offered", issued)
    refuse(
        at_issue,
        "issue_proceedings",
        staff.legal,
        issue_data(issued),
        GuardRefused,
        "Still missing",
        Day1Document.CARE_PLAN.label,
    )


# --- extensions -------------------------------------------------------------------------


@pytest.fixture
def with_initial_meeting(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    record(case, staff.social_worker, "letter_before_proceedings_sent", case.stage_entered_on)
    initial = case.stage_entered_on + dt.timedelta(days=7)
    record(case, staff.social_worker, "initial_meeting_held", initial)
    case.decision_point = add_weeks(initial, 16)
    return case


def extension_data(day: dt.date, new_end: dt.date, approver: Any, **extra: Any) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "reasons": "Parenting assessment due in four weeks.",
        "new_end_date": new_end.isoformat(),
        "approved_by": approver.username,
        **extra,
    }


def due_of(case: Case, milestone: str) -> dt.date:
    return Deadline.objects.filter(case=case, milestone=milestone, applies=True).latest("cycle").due


def test_extend_pre_proceedings_moves_the_decision_point_and_keeps_history(
    staff, today, with_initial_meeting
):
    case = with_initial_meeting
    first_end = case.decision_point + dt.timedelta(weeks=4)
    second_end = first_end + dt.timedelta(weeks=6)
    move(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        **extension_data(today - dt.timedelta(days=1), first_end, staff.head_of_service),
    )
    assert due_of(case, "pre_proceedings_decision") == first_end
    move(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        **extension_data(today, second_end, staff.head_of_service),
    )
    assert due_of(case, "pre_proceedings_decision") == second_end

    extensions = list(Extension.objects.filter(case=case).order_by("decided_on"))
    assert [(x.kind, x.previous_end, x.new_end) for x in extensions] == [
        ("pre_proceedings", case.decision_point, first_end),
        ("pre_proceedings", first_end, second_end),
    ]
    assert {x.approved_by for x in extensions} == {staff.head_of_service}
    assert [x.recorded_by for x in extensions] == [staff.head_of_service] * 2
    audits = CaseEvent.objects.filter(
        case=case, details__transition="extend_pre_proceedings"
    ).order_by("id")
    assert [(a.from_stage, a.to_stage) for a in audits] == [
        ("pre_proceedings", "pre_proceedings")
    ] * 2
    assert [a.details["new_end"] for a in audits] == [first_end.isoformat(), second_end.isoformat()]
    assert audits[0].details["approved_by"] == staff.head_of_service.username
    assert Case.objects.get(pk=case.pk).stage_entered_on == case.stage_entered_on


def test_extend_pre_proceedings_before_the_initial_meeting_is_refused(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    refuse(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        extension_data(today, today + dt.timedelta(weeks=20), staff.head_of_service),
        InvalidInput,
        "no decision date to extend yet",
        "initial pre-proceedings meeting",
        field="new_end_date",
    )


@pytest.mark.parametrize("offset", [0, -1])
def test_the_new_end_must_be_after_the_current_decision_point(
    staff, today, with_initial_meeting, offset
):
    case = with_initial_meeting
    new_end = case.decision_point + dt.timedelta(days=offset)
    refuse(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        extension_data(today, new_end, staff.head_of_service),
        InvalidInput,
        "must be after the current one",
        f"{case.decision_point:%d %B %Y}",
        field="new_end_date",
    )


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"reasons": ""}, "reasons", ["cannot be blank"]),
        ({"new_end_date": ""}, "new_end_date", ["YYYY-MM-DD"]),
        ({"approved_by": ""}, "approved_by", ["Name the head of service"]),
        ({"approved_by": "nobody-here"}, "approved_by", ["no active user 'nobody-here'"]),
        ({"approved_by": "tm-north"}, "approved_by", ["is not a head of service"]),
        ({"approved_by": "lawyer"}, "approved_by", ["is not a head of service"]),
    ],
)
def test_extend_pre_proceedings_needs_reason_date_and_a_head_of_service(
    staff, today, with_initial_meeting, change, field, words
):
    case = with_initial_meeting
    data = extension_data(
        today, case.decision_point + dt.timedelta(weeks=2), staff.head_of_service, **change
    )
    refuse(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        data,
        InvalidInput,
        *words,
        field=field,
    )


@pytest.fixture
def in_proceedings(staff, today):
    case = case_at(Stage.PROCEEDINGS, staff)
    case.final_order = case.issued_on + dt.timedelta(days=182)
    return case


def test_extend_timetable_by_up_to_eight_weeks(staff, today, in_proceedings):
    case = in_proceedings
    new_end = add_weeks(case.final_order, 8)
    approver = "legal"
    move(
        case,
        "extend_timetable",
        staff.legal,
        **extension_data(today, new_end, staff.by_role(approver)),
    )
    assert due_of(case, "final_order") == new_end
    extension = Extension.objects.get(case=case)
    assert (extension.kind, extension.previous_end, extension.new_end) == (
        "timetable",
        case.final_order,
        new_end,
    )
    assert extension.approved_by == staff.by_role(approver)
    # A further extension counts its eight weeks from the extended date.
    further = add_weeks(new_end, 8)
    move(case, "extend_timetable", staff.legal, **extension_data(today, further, staff.legal))
    assert due_of(case, "final_order") == further
    assert Extension.objects.filter(case=case).count() == 2


def test_extend_timetable_by_more_than_eight_weeks_is_refused(staff, today, in_proceedings):
    case = in_proceedings
    limit = add_weeks(case.final_order, 8)
    refuse(
        case,
        "extend_timetable",
        staff.legal,
        extension_data(today, limit + dt.timedelta(days=1), staff.legal),
        InvalidInput,
        "at most 8 weeks",
        f"{limit:%d %B %Y}",
        "s32(5)",
        field="new_end_date",
    )


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"reasons": None}, "reasons", ["cannot be blank"]),
        ({"new_end_date": "2026-13-01"}, "new_end_date", ["real date"]),
        ({"approved_by": None}, "approved_by", ["head of service or legal"]),
        ({"approved_by": "tm-north"}, "approved_by", ["is not a head of service or legal"]),
        ({"approved_by": "clo"}, "approved_by", ["is not a head of service or legal"]),
    ],
)
def test_extend_timetable_needs_reason_date_and_an_approver(
    staff, today, in_proceedings, change, field, words
):
    case = in_proceedings
    data = extension_data(today, case.final_order + dt.timedelta(weeks=2), staff.legal, **change)
    refuse(case, "extend_timetable", staff.legal, data, InvalidInput, *words, field=field)


def test_extend_timetable_must_move_the_date_later(staff, today, in_proceedings):
    case = in_proceedings
    refuse(
        case,
        "extend_timetable",
        staff.legal,
        extension_data(today, case.final_order, staff.legal),
        InvalidInput,
        "must be after the current one",
        field="new_end_date",
    )


# --- closing ------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", CLOSE_OUTCOMES)
def test_close_with_a_closing_outcome_and_reasons(staff, today, outcome):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    move(
        case,
        "close",
        staff.head_of_service,
        date=today.isoformat(),
        outcome=outcome,
        reasons=REASONS,
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.outcome, case.closed_on) == (Stage.CLOSED, outcome, today)
    assert last_audit(case).details["outcome"] == outcome


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (
            {"outcome": "care_order", "reasons": REASONS},
            "outcome",
            ["'care_order' is not one of", "withdrawn"],
        ),
        (
            {"outcome": "stepped_down", "reasons": REASONS},
            "outcome",
            ["'stepped_down' is not one of"],
        ),
        ({"reasons": REASONS}, "outcome", ["withdrawn, transferred_out, other"]),
        ({"outcome": "withdrawn"}, "reasons", ["cannot be blank"]),
    ],
)
def test_close_needs_a_closing_outcome_and_reasons(staff, today, data, field, words):
    case = case_at(Stage.ISSUE, staff)
    refuse(
        case,
        "close",
        staff.head_of_service,
        {"date": today.isoformat(), **data},
        InvalidInput,
        *words,
        field=field,
    )


@pytest.mark.parametrize("outcome", FINAL_ORDER_OUTCOMES)
def test_conclude_proceedings_with_an_order(staff, today, outcome):
    case = case_at(Stage.PROCEEDINGS, staff)
    move(case, "conclude_proceedings", staff.legal, date=today.isoformat(), outcome=outcome)
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.outcome, case.closed_on) == (Stage.CLOSED, outcome, today)


@pytest.mark.parametrize("outcome", [None, "withdrawn", "stepped_down", "adoption"])
def test_conclude_proceedings_needs_an_order_outcome(staff, today, outcome):
    case = case_at(Stage.PROCEEDINGS, staff)
    refuse(
        case,
        "conclude_proceedings",
        staff.legal,
        {"date": today.isoformat(), "outcome": outcome},
        InvalidInput,
        "care_order",
        "supervision_order",
        "no_order",
        field="outcome",
    )


def test_every_field_error_is_reported_at_once(staff, today):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    exc = refuse(
        case, "gateway_issue", staff.legal, {}, InvalidInput, "Some of the values are missing"
    )
    assert set(exc.field_errors) >= {"date", "attendees", "threshold_view", "reasons"}


@pytest.mark.parametrize("body", [["not", "a", "mapping"], "text"])
def test_a_body_that_is_not_an_object_is_refused(staff, today, body):
    case = case_at(Stage.CONCERN, staff)
    refuse(case, "refer_to_gateway", staff.social_worker, body, InvalidInput, "JSON object")


def test_a_second_pre_proceedings_has_no_decision_point_before_its_initial_meeting(
    staff, today, with_initial_meeting
):
    case = with_initial_meeting
    move(
        case,
        "escalate_to_gateway",
        staff.social_worker,
        date=(today - dt.timedelta(days=3)).isoformat(),
        reasons="Escalating",
    )
    move(
        case,
        "gateway_enter_pre_proceedings",
        staff.legal,
        **gateway_data(today - dt.timedelta(days=2)),
    )
    refuse(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        extension_data(today, today + dt.timedelta(weeks=30), staff.head_of_service),
        InvalidInput,
        "no decision date to extend yet",
        field="new_end_date",
    )
