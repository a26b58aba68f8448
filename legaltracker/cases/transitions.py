"""Everything about each transition of the case state machine, one spec per transition.

`TRANSITIONS` maps each `Transition` to its `TransitionSpec`: a parser of the person's
values (returning the keyword arguments for the model's @transition method plus the
audit reasons), an optional writer of side records (gateway decision, extension), the
roles that may take it and, for an extension, who may approve it. The stages and guards
live on the `Case` @transition method of the same name, which the spec reads. The rules
are in docs/domain/stages.md and docs/domain/roles.md; `permissions.may_transition` and
the README table (`manage.py state_diagram`) are derived from these specs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from legaltracker.accounts.models import Role
from legaltracker.calendars.workingdays import add_weeks
from legaltracker.deadlines.choices import Milestone

from .choices import (
    CLOSE_OUTCOMES,
    FINAL_ORDER_OUTCOMES,
    AttendeeRole,
    ExtensionKind,
    StepDownTo,
    ThresholdView,
    Transition,
)
from .inputs import MAX_ATTENDEES, Fields
from .models import Case, Extension, GatewayDecision


@dataclass
class Parsed:
    date: dt.date
    reasons: str
    method_kwargs: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)  # values for the side record
    audit: dict[str, Any] = field(default_factory=dict)  # extra details for the audit row


@dataclass(frozen=True)
class TransitionSpec:
    name: Transition
    parse: Callable[[Fields, Case], Parsed]
    write: Callable[[Case, Parsed, Any, str], None] | None = None
    # Sets fields the guards read (before they run); the @transition method runs after.
    prepare: Callable[[Case, Parsed], None] | None = None
    # Roles that may take it on their own team's cases, and on any case.
    team_roles: frozenset[str] = frozenset()
    any_roles: frozenset[str] = frozenset()
    # Roles that may approve an extension; the approver named on it is the recorder.
    approvers: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return self.name.label

    @property
    def sources(self) -> list[str]:
        """The stages it can start from, as django-fsm knows them from the model."""
        return [str(s) for s in getattr(Case, self.name)._django_fsm.transitions]


MANAGER_OR_CHAIR = {AttendeeRole.TEAM_MANAGER, AttendeeRole.HEAD_OF_SERVICE, AttendeeRole.CHAIR}


def _date(fields: Fields, case: Case) -> dt.date | None:
    return fields.date(
        "date", not_before=case.stage_entered_on, not_before_label="the case entered this stage"
    )


def _attendees(fields: Fields) -> list[dict[str, str]]:
    raw = fields.data.get("attendees")
    if not isinstance(raw, list) or not raw:
        fields.error(
            "attendees",
            "List who attended the gateway meeting, each with a name and a role.",
        )
        return []
    if fields.too_many("attendees", raw, MAX_ATTENDEES, "attendees"):
        return []
    cleaned: list[dict[str, str]] = []
    for index, item in enumerate(raw):
        sub = Fields(item if isinstance(item, dict) else {})
        name = sub.text("name", max_length=200)
        role = sub.choice("role", AttendeeRole)
        for key, messages in sub.errors.items():
            for message in messages:
                fields.error("attendees", f"Attendee {index + 1}, {key}: {message}")
        if name and role:
            cleaned.append({"name": name, "role": role})
    roles = {a["role"] for a in cleaned}
    if len(cleaned) == len(raw):
        missing = []
        if AttendeeRole.SOCIAL_WORKER not in roles:
            missing.append("a social worker")
        if not roles & MANAGER_OR_CHAIR:
            missing.append("a manager or chair")
        if AttendeeRole.LEGAL not in roles:
            missing.append("a lawyer")
        if missing:
            fields.error(
                "attendees",
                "A gateway decision needs at least a social worker, a manager or chair and a "
                "lawyer at the meeting. Missing: " + ", ".join(missing) + ".",
            )
    return cleaned


def _parse_reasons_only(fields: Fields, case: Case) -> Parsed:
    day = _date(fields, case)
    reasons = fields.text("reasons")
    fields.check()
    assert day is not None
    return Parsed(date=day, reasons=reasons, method_kwargs={"date": day})


def _parse_gateway(fields: Fields, case: Case) -> Parsed:
    day = _date(fields, case)
    attendees = _attendees(fields)
    threshold = fields.choice("threshold_view", ThresholdView)
    reasons = fields.text("reasons")
    fields.check()
    assert day is not None
    return Parsed(
        date=day,
        reasons=reasons,
        method_kwargs={"date": day},
        record={"attendees": attendees, "threshold_view": threshold},
        audit={"attendees": attendees, "threshold_view": threshold},
    )


def _parse_gateway_issue(fields: Fields, case: Case) -> Parsed:
    urgent = fields.boolean("urgent")
    reason = fields.text("short_notice_reason", required=urgent)
    parsed = _parse_gateway(fields, case)
    parsed.method_kwargs.update(urgent=urgent, reason=reason)
    parsed.audit.update(urgent=urgent, short_notice_reason=reason)
    return parsed


def _write_gateway(case: Case, parsed: Parsed, actor: Any, name: str) -> None:
    GatewayDecision.objects.create(
        case=case,
        transition=name,
        meeting_date=parsed.date,
        reasons=parsed.reasons,
        recorded_by=actor,
        **parsed.record,
    )


def current_end(case: Case, kind: str) -> dt.date | None:
    """The date an extension would move: the decision point or the 26-week date."""
    milestone = (
        Milestone.PRE_PROCEEDINGS_DECISION
        if kind == ExtensionKind.PRE_PROCEEDINGS
        else Milestone.FINAL_ORDER
    )
    # Only an outstanding decision point can move: after an escalation and a fresh gateway,
    # the earlier (met) one stays as it was.
    row = (
        case.deadlines.filter(milestone=milestone, applies=True, met_on__isnull=True)
        .order_by("-cycle")
        .first()
    )
    return row.due if row else None


# s32(5) Children Act 1989: the court extends its timetable by at most 8 weeks at a time.
TIMETABLE_EXTENSION_LAW_MAX_WEEKS = 8


def _approval_is_the_recorders(fields: Fields, approver: Any) -> None:
    """The approval named on an extension is the recorder's own (docs/domain/roles.md):
    nobody records an approval on someone else's behalf, so a typed name proves nothing."""
    actor = fields.actor
    if approver is None or (actor is not None and approver.pk == actor.pk):
        return
    yourself = f" ({actor.username})" if actor is not None else ""
    fields.error(
        "approved_by",
        f"You can record only your own approval: name yourself{yourself}. "
        f"If {approver.display_name} approved this extension, they record it themselves.",
    )


def _extension_limit(fields: Fields, kind: str, previous: dt.date, new_end: dt.date) -> None:
    from legaltracker.deadlines.services import timescales

    policy = timescales()
    if kind == ExtensionKind.TIMETABLE:
        weeks = min(policy.timetable_extension_max_weeks, TIMETABLE_EXTENSION_LAW_MAX_WEEKS)
        limit = add_weeks(previous, weeks)
        if new_end > limit:
            fields.error(
                "new_end_date",
                f"An extension of the court timetable can be at most {weeks} weeks: the "
                f"latest date is {limit:%d %B %Y} (s32(5) Children Act 1989).",
            )
        elif (new_end - previous).days % 7:
            before = previous + dt.timedelta(weeks=(new_end - previous).days // 7)
            after = before + dt.timedelta(weeks=1)
            choices = f"{after:%d %B %Y}"
            if before > previous:
                choices = f"{before:%d %B %Y} or {choices}"
            fields.error(
                "new_end_date",
                f"The court extends its timetable in whole weeks from the current end date "
                f"({previous:%d %B %Y}): enter {choices}.",
            )
        return
    weeks = policy.pre_proceedings_extension_max_weeks
    limit = add_weeks(previous, weeks)
    if new_end > limit:
        fields.error(
            "new_end_date",
            f"A pre-proceedings extension can be at most {weeks} weeks past the current "
            f"decision date: the latest date is {limit:%d %B %Y}. For longer, record a "
            f"further extension when this one runs out, or escalate to the gateway.",
        )


def extension_end(fields: Fields, case: Case, kind: str) -> tuple[dt.date | None, dt.date | None]:
    """(the current end date, the new one) of an extension, with the rules on the new one
    (after the current end, within the limits) as errors on `fields`. Used by the
    extension transitions and by a request for one, so both apply the same limits."""
    previous = current_end(case, kind)
    if previous is None:
        fields.error(
            "new_end_date",
            "There is no decision date to extend yet: record the initial pre-proceedings "
            "meeting first."
            if kind == ExtensionKind.PRE_PROCEEDINGS
            else "There is no 26-week date to extend.",
        )
    new_end = fields.date("new_end_date", not_future=False)
    if new_end and previous and new_end <= previous:
        fields.error(
            "new_end_date",
            f"The new end date must be after the current one ({previous:%d %B %Y}).",
        )
    elif new_end and previous:
        _extension_limit(fields, kind, previous, new_end)
    return previous, new_end


def _parse_extension(kind: str, approvers: frozenset[str]) -> Callable[[Fields, Case], Parsed]:
    role_words = " or ".join(r.replace("_", " ") for r in sorted(approvers))

    def parse(fields: Fields, case: Case) -> Parsed:
        day = _date(fields, case)
        reasons = fields.text("reasons")
        approver = fields.user("approved_by", roles=approvers, role_words=role_words)
        _approval_is_the_recorders(fields, approver)
        previous, new_end = extension_end(fields, case, kind)
        fields.check()
        assert day is not None and new_end is not None and previous is not None
        return Parsed(
            date=day,
            reasons=reasons,
            method_kwargs={"date": day},
            record={
                "kind": kind,
                "previous_end": previous,
                "new_end": new_end,
                "approved_by": approver,
            },
            audit={
                "previous_end": previous.isoformat(),
                "new_end": new_end.isoformat(),
                "approved_by": approver.username,
            },
        )

    return parse


def _write_extension(case: Case, parsed: Parsed, actor: Any, name: str) -> None:
    Extension.objects.create(
        case=case, decided_on=parsed.date, reason=parsed.reasons, recorded_by=actor, **parsed.record
    )


def _parse_step_down(fields: Fields, case: Case) -> Parsed:
    to = fields.choice("step_down_to", StepDownTo)
    parsed = _parse_reasons_only(fields, case)
    parsed.method_kwargs["step_down_to"] = to
    parsed.audit["step_down_to"] = to
    return parsed


def _parse_issue(fields: Fields, case: Case) -> Parsed:
    day = _date(fields, case)
    reference = fields.text("court_reference", max_length=64)
    exception = fields.text("fgdm_exception_reason", required=False)
    reasons = fields.text("reasons", required=False)
    fields.check()
    assert day is not None
    audit = {"court_reference": reference}
    if exception:
        audit["fgdm_exception_reason"] = exception
    return Parsed(
        date=day,
        reasons=reasons,
        method_kwargs={"date": day, "court_reference": reference},
        record={"fgdm_exception_reason": exception},
        audit=audit,
    )


def _prepare_issue(case: Case, parsed: Parsed) -> None:
    if parsed.record["fgdm_exception_reason"]:
        case.fgdm_exception_reason = parsed.record["fgdm_exception_reason"]


def _parse_outcome(outcomes: list[Any], reasons_required: bool) -> Callable[[Fields, Case], Parsed]:
    def parse(fields: Fields, case: Case) -> Parsed:
        day = _date(fields, case)
        outcome = fields.choice("outcome", [str(o) for o in outcomes])
        reasons = fields.text("reasons", required=reasons_required)
        fields.check()
        assert day is not None
        return Parsed(
            date=day,
            reasons=reasons,
            method_kwargs={"date": day, "outcome": outcome},
            audit={"outcome": outcome},
        )

    return parse


SW, TM, HOS = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE
LEGAL = Role.LEGAL
_PRE_PROCEEDINGS_APPROVERS = frozenset({HOS})
_TIMETABLE_APPROVERS = frozenset({HOS, LEGAL})


def _specs(*specs: TransitionSpec) -> dict[str, TransitionSpec]:
    return {spec.name.value: spec for spec in specs}


# In the order of docs/domain/stages.md (the README table follows it).
TRANSITIONS: dict[str, TransitionSpec] = _specs(
    TransitionSpec(
        Transition.REFER_TO_GATEWAY,
        _parse_reasons_only,
        team_roles=frozenset({SW, TM}),
        any_roles=frozenset({HOS}),
    ),
    TransitionSpec(
        Transition.GATEWAY_CONTINUE_PLAN,
        _parse_gateway,
        _write_gateway,
        any_roles=frozenset({HOS, LEGAL}),
    ),
    TransitionSpec(
        Transition.GATEWAY_ENTER_PRE_PROCEEDINGS,
        _parse_gateway,
        _write_gateway,
        any_roles=frozenset({HOS, LEGAL}),
    ),
    TransitionSpec(
        Transition.GATEWAY_ISSUE,
        _parse_gateway_issue,
        _write_gateway,
        any_roles=frozenset({HOS, LEGAL}),
    ),
    TransitionSpec(
        Transition.EXTEND_PRE_PROCEEDINGS,
        _parse_extension(ExtensionKind.PRE_PROCEEDINGS, _PRE_PROCEEDINGS_APPROVERS),
        _write_extension,
        # The approval is the recorder's own, so only an approver records it.
        any_roles=_PRE_PROCEEDINGS_APPROVERS,
        approvers=_PRE_PROCEEDINGS_APPROVERS,
    ),
    TransitionSpec(
        Transition.STEP_DOWN,
        _parse_step_down,
        team_roles=frozenset({TM}),
        any_roles=frozenset({HOS}),
    ),
    TransitionSpec(
        Transition.ESCALATE_TO_GATEWAY,
        _parse_reasons_only,
        team_roles=frozenset({SW, TM}),
        any_roles=frozenset({HOS, LEGAL}),
    ),
    TransitionSpec(
        Transition.ISSUE_PROCEEDINGS,
        _parse_issue,
        prepare=_prepare_issue,
        any_roles=frozenset({LEGAL}),
    ),
    TransitionSpec(
        Transition.EXTEND_TIMETABLE,
        _parse_extension(ExtensionKind.TIMETABLE, _TIMETABLE_APPROVERS),
        _write_extension,
        any_roles=frozenset({LEGAL}),
        approvers=_TIMETABLE_APPROVERS,
    ),
    TransitionSpec(
        Transition.CONCLUDE_PROCEEDINGS,
        _parse_outcome(FINAL_ORDER_OUTCOMES, False),
        any_roles=frozenset({LEGAL}),
    ),
    TransitionSpec(
        Transition.CLOSE,
        _parse_outcome(CLOSE_OUTCOMES, True),
        any_roles=frozenset({HOS}),
    ),
)
