"""Shared builders for the state machine, guard and permission suites.

`TRANSITION_EDGES` is read from the model (django-fsm-2), so the matrices follow the
code; `DOMAIN_EDGES` is docs/domain/stages.md written out by hand, and a test keeps the two
equal. `prepare_valid` records what a transition needs on a case (through the services)
and returns the values a person would send.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from legaltracker.accounts.models import Role
from legaltracker.calendars.workingdays import add_weeks
from legaltracker.cases import permissions
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case, CaseEvent, Extension, GatewayDecision
from legaltracker.deadlines.models import Deadline
from tests.factories import Staff, gateway_data, ready_for_issue, record

STAGE_FIELD = Case._meta.get_field("stage")

# (source stage, transition name) -> target stage, as the model declares them.
TRANSITION_EDGES: dict[tuple[str, str], str] = {
    (str(t.source), t.name): str(t.target) for t in STAGE_FIELD.get_all_transitions(Case)
}
TRANSITION_NAMES: list[str] = sorted({name for _, name in TRANSITION_EDGES})
STAGES: list[str] = [str(s) for s in Stage]

OPEN = ["concern", "legal_gateway", "pre_proceedings", "issue", "proceedings"]
DOMAIN_EDGES: dict[tuple[str, str], str] = {
    ("concern", "refer_to_gateway"): "legal_gateway",
    ("legal_gateway", "gateway_continue_plan"): "closed",
    ("legal_gateway", "gateway_enter_pre_proceedings"): "pre_proceedings",
    ("legal_gateway", "gateway_issue"): "issue",
    ("pre_proceedings", "extend_pre_proceedings"): "pre_proceedings",
    ("pre_proceedings", "step_down"): "closed",
    ("pre_proceedings", "escalate_to_gateway"): "legal_gateway",
    ("issue", "issue_proceedings"): "proceedings",
    ("proceedings", "extend_timetable"): "proceedings",
    ("proceedings", "conclude_proceedings"): "closed",
    **{(stage, "close"): "closed" for stage in OPEN},
}

# The outcome each closing transition leaves on the case (docs/domain/stages.md).
CLOSING_OUTCOME = {
    "gateway_continue_plan": "continue_plan",
    "step_down": "stepped_down",
    "conclude_proceedings": "care_order",
    "close": "withdrawn",
}

REASONS = "Recorded for the test: the reasons a person would give."


def first_source(name: str) -> str:
    """A stage the transition starts from (the first open stage for `close`)."""
    return next(stage for stage in STAGES if (stage, name) in TRANSITION_EDGES)


def permitted_actor(name: str, case: Case, staff: Staff) -> Any:
    for role in Role:
        user = staff.by_role(role)
        if permissions.may_transition(name, case, user):
            return user
    raise AssertionError(f"nobody may do {name}")


def generic_data(name: str, day: dt.date, staff: Staff) -> dict[str, Any]:
    """Values that are well formed for `name` without anything recorded on the case."""
    data: dict[str, Any] = gateway_data(day)
    data.update(
        reasons=REASONS,
        step_down_to="child_protection_plan",
        court_reference="ZW26C00099",
        new_end_date=(day + dt.timedelta(days=400)).isoformat(),
        approved_by=staff.head_of_service.username,
        outcome="care_order" if name == "conclude_proceedings" else "withdrawn",
    )
    return data


def prepare_valid(name: str, case: Case, staff: Staff, day: dt.date) -> dict[str, Any]:
    """Record what `name` needs on `case` (at its source stage) and return valid values.

    `day` is the date of the decision; prerequisites are dated between the day the case
    entered its stage and `day`.
    """
    entered = case.stage_entered_on
    iso = day.isoformat()
    if name in {"refer_to_gateway", "escalate_to_gateway"}:
        return {"date": iso, "reasons": REASONS}
    if name in {"gateway_continue_plan", "gateway_enter_pre_proceedings"}:
        return gateway_data(day)
    if name == "gateway_issue":
        return gateway_data(day, urgent=True, short_notice_reason="Baby due next week.")
    if name == "extend_pre_proceedings":
        record(case, staff.social_worker, "letter_before_proceedings_sent", entered)
        initial = entered + dt.timedelta(days=7)
        record(case, staff.social_worker, "initial_meeting_held", initial)
        decision_point = add_weeks(initial, 16)
        return {
            "date": iso,
            "reasons": REASONS,
            "approved_by": staff.head_of_service.username,
            "new_end_date": (decision_point + dt.timedelta(days=28)).isoformat(),
        }
    if name == "step_down":
        record(case, staff.social_worker, "assessment_completed", day, summary="Updated assessment")
        return {"date": iso, "reasons": REASONS, "step_down_to": "child_in_need_plan"}
    if name == "issue_proceedings":
        ready_for_issue(case, staff, day)
        return {"date": iso, "court_reference": "ZW26C00042", "reasons": REASONS}
    if name == "extend_timetable":
        final_order = case.issued_on + dt.timedelta(days=182)
        return {
            "date": iso,
            "reasons": REASONS,
            "approved_by": staff.legal.username,
            "new_end_date": (final_order + dt.timedelta(weeks=8)).isoformat(),
        }
    if name == "conclude_proceedings":
        return {"date": iso, "outcome": "care_order", "reasons": REASONS}
    if name == "close":
        return {"date": iso, "outcome": "withdrawn", "reasons": REASONS}
    raise AssertionError(f"no valid data for {name}: add it here")


def snapshot(case_id: int) -> dict[str, Any]:
    """Everything a refused transition must leave as it was."""
    case = Case.objects.filter(pk=case_id).values().get()
    case.pop("updated_at")
    return {
        "case": case,
        "audit": list(CaseEvent.objects.filter(case_id=case_id).values_list("id", flat=True)),
        "gateway_decisions": GatewayDecision.objects.filter(case_id=case_id).count(),
        "extensions": Extension.objects.filter(case_id=case_id).count(),
        "deadlines": list(
            Deadline.objects.filter(case_id=case_id)
            .order_by("id")
            .values_list("id", "milestone", "cycle", "due", "not_before", "met_on", "applies")
        ),
    }
