"""Shapes a case read by `cases.selectors.case_detail` into what the case page shows.

Pure functions over the prefetched case: they never query (but for the step-down guard's
reading of the timescale policy and the reading of the Day 1 checklist, once each), so
each section of the page costs the same number of queries whatever the length of the
case's history. The History section is paged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from legaltracker.cases import day1, permissions, services
from legaltracker.cases.choices import (
    AttendeeRole,
    EventKind,
    ExtensionKind,
    ExtensionRequestStatus,
    HearingType,
    Outcome,
    Relationship,
    Stage,
    StepDownTo,
    ThresholdView,
    Transition,
)
from legaltracker.cases.models import Case, CaseEvent, ExtensionRequest, RecordedEvent
from legaltracker.deadlines.choices import Milestone


def long_date(day: dt.date | None) -> str:
    """'Tuesday 4 January 2028', as GOV.UK writes dates."""
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


def duration_words(start: dt.date, end: dt.date) -> str:
    days = max((end - start).days, 0)
    weeks, rest = divmod(days, 7)
    parts = []
    if weeks:
        parts.append(f"{weeks} week{'s' if weeks != 1 else ''}")
    if rest or not weeks:
        parts.append(f"{rest} day{'s' if rest != 1 else ''}")
    return " ".join(parts)


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value.replace("_", " ").capitalize() if value else ""


@dataclass
class Action:
    name: str
    label: str
    url: str


@dataclass
class EventRow:
    event: RecordedEvent
    label: str
    details: list[tuple[str, str]]
    correct_url: str | None


@dataclass
class EventGroup:
    slug: str
    title: str
    kinds: tuple[str, ...]
    rows: list[EventRow] = field(default_factory=list)
    record_actions: list[Action] = field(default_factory=list)


# Every event kind appears in exactly one group, so each can be recorded from the page.
EVENT_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("meetings", "Meetings", (EventKind.INITIAL_MEETING_HELD, EventKind.REVIEW_MEETING_HELD)),
    ("assessments", "Assessments", (EventKind.ASSESSMENT_COMPLETED,)),
    ("oversight", "Management oversight", (EventKind.MANAGEMENT_OVERSIGHT,)),
    ("changes", "Changes of circumstances", (EventKind.CHANGE_OF_CIRCUMSTANCES,)),
    (
        "fgdm",
        "Family group decision-making",
        (
            EventKind.FGDM_OFFERED,
            EventKind.FGDM_ACCEPTED,
            EventKind.FGDM_DECLINED,
            EventKind.FGDM_HELD,
        ),
    ),
    ("day1", "Day 1 documents", (EventKind.DOCUMENT_READY,)),
    (
        "court",
        "Court hearings and service",
        (EventKind.HEARING_LISTED, EventKind.HEARING_HELD, EventKind.PARTIES_SERVED),
    ),
    (
        "letters-sent",
        "Letters sent and notes",
        (EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, EventKind.LETTER_OF_ISSUE_SENT, EventKind.NOTE),
    ),
)

RECORD_LABELS: dict[str, str] = {
    EventKind.INITIAL_MEETING_HELD: "Record an initial pre-proceedings meeting",
    EventKind.REVIEW_MEETING_HELD: "Record a review meeting",
    EventKind.ASSESSMENT_COMPLETED: "Record a completed assessment",
    EventKind.MANAGEMENT_OVERSIGHT: "Record management oversight",
    EventKind.CHANGE_OF_CIRCUMSTANCES: "Record a change of circumstances",
    EventKind.FGDM_OFFERED: "Record the offer of a meeting",
    EventKind.FGDM_ACCEPTED: "Record that the family accepted",
    EventKind.FGDM_DECLINED: "Record that the family declined",
    EventKind.FGDM_HELD: "Record the meeting as held",
    EventKind.DOCUMENT_READY: "Record a document as ready",
    EventKind.HEARING_LISTED: "Record a hearing listed",
    EventKind.HEARING_HELD: "Record a hearing held",
    EventKind.PARTIES_SERVED: "Record service on the parties",
    EventKind.LETTER_BEFORE_PROCEEDINGS_SENT: "Record the letter before proceedings as sent",
    EventKind.LETTER_OF_ISSUE_SENT: "Record the letter of issue as sent",
    EventKind.NOTE: "Add a note",
}


def record_label(kind: str) -> str:
    return RECORD_LABELS.get(kind, f"Record: {_label(EventKind, kind)}")


def event_details(
    event: RecordedEvent,
    adults: Mapping[int, str] | None = None,
    documents: day1.Labels | None = None,
) -> list[tuple[str, str]]:
    """The lines under an event's name; `adults`: the case's adults' names by id, for an
    initial meeting's parents who had a solicitor; `documents`: the Day 1 checklist's
    names, read once for a page of events."""
    details = []
    if isinstance(event.details.get("effective"), bool):
        details.append(
            (
                "Went ahead as a pre-proceedings meeting",
                "Yes"
                if event.details["effective"]
                else "No: it does not start the pre-proceedings timetable",
            )
        )
    present = event.details.get("solicitor_present_for")
    if isinstance(present, list):
        names = [(adults or {}).get(i, "a parent no longer on the case") for i in present]
        details.append(("Parents with a solicitor there", ", ".join(names) or "None"))
    if event.details.get("document"):
        details.append(("Document", (documents or day1.label)(event.details["document"])))
    if event.details.get("hearing_type"):
        details.append(("Hearing", _label(HearingType, event.details["hearing_type"])))
    if event.details.get("hearing_date"):
        try:
            details.append(
                ("Hearing date", long_date(dt.date.fromisoformat(event.details["hearing_date"])))
            )
        except ValueError:
            details.append(("Hearing date", str(event.details["hearing_date"])))
    return details


def event_groups(case: Case, user: Any, events: list[RecordedEvent]) -> list[EventGroup]:
    groups = []
    adults = {a.pk: f"{a.first_name} {a.last_name}" for a in case.adults.all()}
    documents = day1.Labels()
    for slug, title, kinds in EVENT_GROUPS:
        group = EventGroup(slug=slug, title=title, kinds=kinds)
        for event in events:
            if event.kind in kinds:
                may_correct = permissions.may_record_event(event.kind, case, user)
                group.rows.append(
                    EventRow(
                        event=event,
                        label=_label(EventKind, event.kind),
                        details=event_details(event, adults, documents),
                        correct_url=(
                            reverse("casework:correct_event", args=[event.pk])
                            if may_correct
                            else None
                        ),
                    )
                )
        if case.is_open:
            group.record_actions = [
                Action(
                    kind, record_label(kind), reverse("casework:record_event", args=[case.pk, kind])
                )
                for kind in kinds
                if permissions.may_record_event(kind, case, user)
            ]
        groups.append(group)
    return groups


@dataclass
class Day1Item:
    document: str
    label: str
    ready_on: dt.date | None
    record_url: str | None


def day1_checklist(case: Case, user: Any, events: list[RecordedEvent]) -> list[Day1Item]:
    """The council's checklist (cases/day1.py) with the day each item was ready; an item
    switched off is listed only when it was recorded."""
    ready: dict[str, dt.date] = {}
    for event in events:
        if event.kind == EventKind.DOCUMENT_READY:
            document = event.details.get("document")
            if document and (document not in ready or event.date < ready[document]):
                ready[document] = event.date
    may_record = case.is_open and permissions.may_record_event(EventKind.DOCUMENT_READY, case, user)
    base = reverse("casework:record_event", args=[case.pk, EventKind.DOCUMENT_READY])
    return [
        Day1Item(
            document=entry.code,
            label=entry.label,
            ready_on=ready.get(entry.code),
            record_url=(
                f"{base}?document={entry.code}" if may_record and entry.code not in ready else None
            ),
        )
        for entry in day1.checklist()
        if entry.active or entry.code in ready
    ]


@dataclass
class DeadlineRow:
    label: str
    due: dt.date
    not_before: dt.date | None
    status: str
    met_on: dt.date | None


def deadline_rows(deadlines: Iterable[Any]) -> list[DeadlineRow]:
    rows = []
    counts: dict[str, int] = {}
    deadlines = list(deadlines)
    for d in deadlines:
        counts[d.milestone] = counts.get(d.milestone, 0) + 1
    for d in deadlines:
        label = _label(Milestone, d.milestone)
        if counts[d.milestone] > 1:
            label = f"{label} ({_ordinal(d.cycle)})"
        rows.append(DeadlineRow(label, d.due, d.not_before, d.status, d.met_on))
    return rows


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class HistoryRow:
    at: dt.datetime
    actor: str
    what: str
    stage_change: str
    effective_date: dt.date | None
    reasons: str
    details: list[tuple[str, str]]


def _stage(value: str) -> str:
    return _label(Stage, value) if value else ""


_DETAIL_LABELS: dict[str, tuple[str, Any]] = {
    "threshold_view": ("Threshold", ThresholdView),
    "step_down_to": ("Stepped down to", StepDownTo),
    "outcome": ("Outcome", Outcome),
    "court_reference": ("Court reference", None),
    "short_notice_reason": ("Why at short notice", None),
    "fgdm_exception_reason": ("Why no family group decision-making meeting", None),
    "approved_by": ("Approved by (username)", None),
    "requested_by": ("Extension requested by (username)", None),
    "extension_request": ("Extension request", None),
    "hearing_type": ("Hearing", HearingType),
}


def _history_details(
    details: dict[str, Any], documents: day1.Labels | None = None
) -> list[tuple[str, str]]:
    rows = []
    if details.get("document"):
        rows.append(("Document", (documents or day1.label)(str(details["document"]))))
    for key, (label, choices) in _DETAIL_LABELS.items():
        value = details.get(key)
        if value is None or value in ("", False):
            continue
        rows.append((label, _label(choices, value) if choices else str(value)))
    for key, label in (
        ("previous_end", "Previous end date"),
        ("new_end", "New end date"),
        ("hearing_date", "Hearing date"),
    ):
        if details.get(key):
            rows.append((label, _iso_words(details[key])))
    if details.get("urgent"):
        rows.append(("Urgent", "Yes"))
    if isinstance(details.get("effective"), bool):
        rows.append(
            ("Went ahead as a pre-proceedings meeting", "Yes" if details["effective"] else "No")
        )
    if isinstance(details.get("solicitor_present_for"), list):
        # A count, not names: the history outlives the people's details (docs/retention.md).
        rows.append(("Parents with a solicitor there", str(len(details["solicitor_present_for"]))))
    attendees = details.get("attendees")
    if isinstance(attendees, list) and attendees:
        rows.append(
            (
                "Attended",
                "; ".join(
                    f"{a.get('name', '')} ({_label(AttendeeRole, a.get('role', ''))})"
                    for a in attendees
                    if isinstance(a, dict)
                ),
            )
        )
    return rows


def _iso_words(value: Any) -> str:
    try:
        return long_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def history_what(row: CaseEvent) -> str:
    details = row.details or {}
    if row.action == "case_created":
        return "Case opened"
    if row.action == "transition":
        return history_what_transition(details.get("transition", ""))
    if row.action == "event_recorded":
        return f"Recorded: {_label(EventKind, details.get('kind', ''))}"
    if row.action in PEOPLE_ACTIONS:
        return people_history_what(row.action, details)
    if row.action in COURT_ACTIONS:
        return court_history_what(row.action, details)
    if row.action == "event_corrected":
        before = (details.get("before") or {}).get("date")
        after = (details.get("after") or {}).get("date")
        change = (
            f" (date {_iso_words(before)} changed to {_iso_words(after)})"
            if before != after
            else ""
        )
        return f"Corrected: {_label(EventKind, details.get('kind', ''))}{change}"
    return row.action.replace("_", " ").capitalize()


def history_rows(history: Iterable[CaseEvent]) -> list[HistoryRow]:
    rows = []
    documents = day1.Labels()
    for row in history:
        stage_change = ""
        if row.to_stage and row.from_stage and row.from_stage != row.to_stage:
            stage_change = f"{_stage(row.from_stage)} to {_stage(row.to_stage)}"
        elif row.to_stage and not row.from_stage:
            stage_change = f"Started at {_stage(row.to_stage)}"
        rows.append(
            HistoryRow(
                at=row.at,
                actor=row.actor.display_name if row.actor else "The system",
                what=history_what(row),
                stage_change=stage_change,
                effective_date=row.effective_date,
                reasons=row.reasons,
                details=_history_details(row.details or {}, documents),
            )
        )
    return rows


@dataclass
class Hearing:
    hearing: str
    status: str  # "Listed" or "Held"
    recorded_on: dt.date  # the day it was listed, or the day it was held
    hearing_date: dt.date | None


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def hearings(events: list[RecordedEvent]) -> list[Hearing]:
    """Court hearings listed and held, in the order they were recorded."""
    rows = []
    for event in events:
        if event.kind not in (EventKind.HEARING_LISTED, EventKind.HEARING_HELD):
            continue
        listed = event.kind == EventKind.HEARING_LISTED
        rows.append(
            Hearing(
                hearing=_label(HearingType, event.details.get("hearing_type", "")),
                status="Listed" if listed else "Held",
                recorded_on=event.date,
                hearing_date=_iso_date(event.details.get("hearing_date")) if listed else event.date,
            )
        )
    return rows


def history_what_transition(name: str) -> str:
    try:
        return services.transition_label(name)
    except AttributeError:
        return name.replace("_", " ").capitalize()


def transition_context(case: Case, name: str, user: Any) -> dict[str, Any]:
    """What a transition's form page shows beside the form, so the person can see
    before submitting what the guard will check."""
    events = list(case.recorded_events.all())
    if name in (Transition.EXTEND_PRE_PROCEEDINGS, Transition.EXTEND_TIMETABLE):
        milestone = (
            Milestone.PRE_PROCEEDINGS_DECISION
            if name == Transition.EXTEND_PRE_PROCEEDINGS
            else Milestone.FINAL_ORDER
        )
        current = [d for d in case.deadlines.all() if d.milestone == milestone and d.applies]
        latest = max(current, key=lambda d: d.cycle) if current else None
        waiting = (
            waiting_extension_request(case) if name == Transition.EXTEND_PRE_PROCEEDINGS else None
        )
        return {"current_end": latest.due if latest else None, "waiting": waiting}
    if name == Transition.ISSUE_PROCEEDINGS:
        return {"day1": day1_checklist(case, user, events)}
    if name == Transition.STEP_DOWN:
        assessments = [e.date for e in events if e.kind == EventKind.ASSESSMENT_COMPLETED]
        return {"latest_assessment": max(assessments) if assessments else None}
    return {}


# --- the case page's header, its "What's next" panel and its sections ---------------------

# The sections of the case page, each its own page under the case: (slug, title, URL name).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("overview", "Overview", "casework:case_detail"),
    ("people", "People", "casework:case_people"),
    ("deadlines", "Deadlines", "casework:case_deadlines"),
    ("events", "Meetings and events", "casework:case_events"),
    ("letters", "Letters", "casework:case_letters"),
    ("court", "Court", "casework:case_court"),
    ("history", "History", "casework:case_history"),
)

# The event groups shown on the Court page rather than on "Meetings and events".
COURT_GROUPS = frozenset({"court"})

# The events worth suggesting at each stage in "What's next" (what usually happens next
# there, docs/domain/stages.md and docs/domain/milestones.md). Only a suggestion of the
# page: who may record each is still `permissions.may_record_event`, and every kind stays
# recordable from its section.
NEXT_EVENTS: dict[str, tuple[str, ...]] = {
    Stage.CONCERN: (EventKind.CHANGE_OF_CIRCUMSTANCES, EventKind.NOTE),
    Stage.LEGAL_GATEWAY: (EventKind.CHANGE_OF_CIRCUMSTANCES, EventKind.NOTE),
    Stage.PRE_PROCEEDINGS: (
        EventKind.LETTER_BEFORE_PROCEEDINGS_SENT,
        EventKind.INITIAL_MEETING_HELD,
        EventKind.FGDM_OFFERED,
        EventKind.REVIEW_MEETING_HELD,
        EventKind.ASSESSMENT_COMPLETED,
        EventKind.MANAGEMENT_OVERSIGHT,
    ),
    Stage.ISSUE: (EventKind.DOCUMENT_READY, EventKind.LETTER_OF_ISSUE_SENT, EventKind.FGDM_HELD),
    Stage.PROCEEDINGS: (
        EventKind.PARTIES_SERVED,
        EventKind.HEARING_LISTED,
        EventKind.HEARING_HELD,
    ),
}

# Events that happen once a case: no longer suggested once recorded (they can still be
# recorded again, or corrected, from their section).
ONCE_A_CASE = frozenset(
    {
        EventKind.LETTER_BEFORE_PROCEEDINGS_SENT,
        EventKind.INITIAL_MEETING_HELD,
        EventKind.FGDM_OFFERED,
        EventKind.LETTER_OF_ISSUE_SENT,
        EventKind.PARTIES_SERVED,
    }
)

_OUTSTANDING = frozenset({"pending", "due_soon", "overdue"})


def family_names(case: Case) -> str:
    """The names of this case's children, as its header shows them. Only this case's own
    children: the earlier episodes listed on the page may belong to cases the person may
    not open, so nothing of theirs is named (docs/domain/roles.md)."""
    names = []
    for child in case.children.all():
        first = child.first_name or "Unborn baby"
        names.append(f"{first} {child.last_name}".strip())
    return ", ".join(names)


@dataclass
class NextDeadline:
    label: str
    due: dt.date
    status: str
    status_label: str


def next_deadline(rows: list[DeadlineRow]) -> NextDeadline | None:
    """The earliest deadline still to be met (the rows come ordered by due date)."""
    from legaltracker.deadlines.choices import DeadlineStatus

    for row in rows:
        if row.status in _OUTSTANDING:
            return NextDeadline(row.label, row.due, row.status, _label(DeadlineStatus, row.status))
    return None


def case_header(case: Case, deadlines: list[DeadlineRow]) -> dict[str, Any]:
    """What every section of the case page shows above its sub-navigation."""
    return {
        "case": case,
        "family_names": family_names(case),
        "stage_label": _stage(case.stage),
        "outcome_label": _label(Outcome, case.outcome) if case.outcome else "",
        "next_deadline": next_deadline(deadlines),
    }


@dataclass
class Blocked:
    label: str
    reason: str


@dataclass
class WaitingRequest:
    """An extension request still waiting, as What's next shows it."""

    request: ExtensionRequest
    url: str
    may_decide: bool
    may_withdraw: bool


@dataclass
class WhatsNext:
    transitions: list[Action]
    events: list[Action]
    blocked: list[Blocked]
    waiting: WaitingRequest | None = None

    @property
    def empty(self) -> bool:
        return not (self.transitions or self.events or self.blocked or self.waiting)


def waiting_extension_request(case: Case) -> ExtensionRequest | None:
    """The case's request waiting for a decision, if any (from the prefetched rows)."""
    return next(
        (r for r in case.extension_requests.all() if r.status == ExtensionRequestStatus.PENDING),
        None,
    )


def extension_request_done(request: ExtensionRequest) -> str:
    """What the person is told after deciding or withdrawing a request."""
    if request.status == ExtensionRequestStatus.APPROVED:
        return (
            f"Done: pre-proceedings extended to {request.new_end:%d %B %Y}, with you as the "
            f"approver. {request.requested_by.display_name} is told."
        )
    if request.status == ExtensionRequestStatus.DECLINED:
        return f"Done: the extension was declined. {request.requested_by.display_name} is told."
    return "Done: the request was withdrawn."


def whats_next(case: Case, user: Any, today: dt.date) -> WhatsNext:
    """The actions this person can take on the case today, and the ones their role may
    take from this stage that a guard refuses, each with the guard's own sentence. The
    stage and role come from `services.available_transitions`, the guards from the
    transition's django-fsm conditions, judged as the service judges them (on a date:
    today here), so the page repeats no rule of its own."""
    transitions: list[Action] = []
    blocked: list[Blocked] = []
    for name in services.available_transitions(case, user):
        label = services.transition_label(name)
        meta = getattr(Case, name)._django_fsm
        reasons = [
            message
            for guard in meta.get_transition(case.stage).conditions
            if (message := guard.explain(case, on=today))
        ]
        if reasons:
            blocked.append(Blocked(label, " ".join(reasons)))
        else:
            transitions.append(
                Action(name, label, reverse("casework:transition", args=[case.pk, name]))
            )
    events = []
    if case.is_open:
        # A meeting that did not go ahead as one leaves the initial meeting to be held.
        done = {
            event.kind
            for event in case.recorded_events.all()
            if not (
                event.kind == EventKind.INITIAL_MEETING_HELD
                and event.details.get("effective") is False
            )
        } & ONCE_A_CASE
        events = [
            _next_event_action(case, kind)
            for kind in NEXT_EVENTS.get(case.stage, ())
            if kind not in done and permissions.may_record_event(kind, case, user)
        ]
    waiting = None
    pending = waiting_extension_request(case)
    if pending is not None:
        waiting = WaitingRequest(
            request=pending,
            url=reverse("casework:extension_request", args=[pending.pk]),
            may_decide=permissions.may_decide_extension_request(case, user),
            may_withdraw=permissions.may_withdraw_extension_request(case, user),
        )
    elif case.stage == Stage.PRE_PROCEEDINGS and permissions.may_request_extension(case, user):
        transitions.append(
            Action(
                "extension_request",
                "Ask for an extension of pre-proceedings",
                reverse("casework:extension_request_create", args=[case.pk]),
            )
        )
    return WhatsNext(transitions=transitions, events=events, blocked=blocked, waiting=waiting)


def _episodes(case: Case) -> list[Case]:
    return sorted(
        (c for c in getattr(case.family, "episodes", []) if c.pk != case.pk),
        key=lambda c: (c.opened_on, c.pk),
    )


def case_section(*, section: str, case: Case, user: Any, today: dt.date) -> dict[str, Any]:
    """The context of one section of the case page (not History, see `history_page`):
    the header every section shows, and what the section itself holds."""
    deadlines = deadline_rows(case.deadlines.all())
    context: dict[str, Any] = {
        **case_header(case, deadlines),
        "section": section,
        "sections": [
            {"slug": slug, "title": title, "url": reverse(url_name, args=[case.pk])}
            for slug, title, url_name in SECTIONS
        ],
    }
    events = sorted(case.recorded_events.all(), key=lambda e: (e.date, e.pk))
    if section == "overview":
        flags = []
        if case.urgent:
            flags.append("Urgent (short-notice issue)")
        if case.unborn_baby:
            flags.append("Unborn baby")
        outstanding = [row for row in deadlines if row.status in _OUTSTANDING]
        context.update(
            whats_next=whats_next(case, user, today),
            time_in_stage=duration_words(case.stage_entered_on, today),
            flags=flags,
            upcoming=outstanding[:3],
            more_deadlines=max(len(outstanding) - 3, 0),
            episodes=_episodes(case),
            may_open_episode=permissions.can_create_case(user, case.team_id),
            reassign_url=(
                reverse("casework:case_reassign", args=[case.pk])
                if case.is_open and permissions.may_reassign(user, case)
                else None
            ),
            lawyer_url=(
                reverse("casework:case_allocate_lawyer", args=[case.pk])
                if case.is_open and permissions.may_allocate_lawyer(user, case)
                else None
            ),
        )
    elif section == "people":
        context.update(
            **people_actions(case, user),
            children=list(case.children.all()),
            adults=list(case.adults.all()),
            episodes=_episodes(case),
            may_open_episode=permissions.can_create_case(user, case.team_id),
        )
    elif section == "deadlines":
        context.update(
            deadlines=deadlines,
            extensions=[
                {
                    "kind": _label(ExtensionKind, x.kind),
                    "decided_on": x.decided_on,
                    "previous_end": x.previous_end,
                    "new_end": x.new_end,
                    "approved_by": x.approved_by.display_name,
                    "reason": x.reason,
                }
                for x in case.extensions.all()
            ],
            extension_requests=[
                {
                    "url": reverse("casework:extension_request", args=[r.pk]),
                    "requested_by": r.requested_by.display_name,
                    "requested_at": r.requested_at,
                    "previous_end": r.previous_end,
                    "new_end": r.new_end,
                    "status": r.status,
                    "status_label": _label(ExtensionRequestStatus, r.status),
                    "decided_by": r.decided_by.display_name if r.decided_by else "",
                    "decided_at": r.decided_at,
                }
                for r in case.extension_requests.all()
            ],
        )
    elif section == "events":
        context.update(
            event_groups=[
                g for g in event_groups(case, user, events) if g.slug not in COURT_GROUPS
            ],
            gateway_decisions=_gateway_decisions(case),
        )
    elif section == "court":
        checklist = day1_checklist(case, user, events)
        context.update(
            event_groups=[g for g in event_groups(case, user, events) if g.slug in COURT_GROUPS],
            day1=checklist,
            hearings=hearings(events),
            day1_url=_day1_url(case, user, checklist),
            issue_action=_issue_action(case, user, today, checklist),
        )
    return context


def _gateway_decisions(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "decision": history_what_transition(g.transition),
            "meeting_date": g.meeting_date,
            "threshold": _label(ThresholdView, g.threshold_view),
            "attendees": [
                f"{a.get('name', '')} ({_label(AttendeeRole, a.get('role', ''))})"
                for a in (g.attendees or [])
                if isinstance(a, dict)
            ],
            "reasons": g.reasons,
        }
        for g in case.gateway_decisions.all()
    ]


def section_of_event(kind: str) -> tuple[str, str]:
    """(section URL name, anchor) of the group an event kind is listed in, where a
    person lands after recording or correcting one."""
    for slug, _title, kinds in EVENT_GROUPS:
        if kind in kinds:
            url_name = "casework:case_court" if slug in COURT_GROUPS else "casework:case_events"
            return url_name, f"events-{slug}"
    return "casework:case_events", ""


# --- less typing: Day 1 documents together, people, reassigning ----------------------------
# (docs/decisions.md, "Fit for a working day")


def _day1_url(case: Case, user: Any, checklist: list[Day1Item]) -> str | None:
    """The Day 1 documents page, while a document is still to record and the person may."""
    if not (case.is_open and permissions.may_record_event(EventKind.DOCUMENT_READY, case, user)):
        return None
    if all(item.ready_on for item in checklist):
        return None
    return reverse("casework:day1_documents", args=[case.pk])


def _issue_action(
    case: Case, user: Any, today: dt.date, checklist: list[Day1Item]
) -> Action | None:
    """Once every Day 1 document is ready, the Court section offers recording the issue
    where the person stands, if What's next would offer it to them (decision 132)."""
    if case.stage != Stage.ISSUE or not case.is_open:
        return None
    if not all(item.ready_on for item in checklist):
        return None
    return next(
        (
            action
            for action in whats_next(case, user, today).transitions
            if action.name == Transition.ISSUE_PROCEEDINGS
        ),
        None,
    )


def _next_event_action(case: Case, kind: str) -> Action:
    """What's next's link for an event kind: the Day 1 documents go to their one page."""
    if kind == EventKind.DOCUMENT_READY:
        return Action(
            kind,
            "Record Day 1 documents as ready",
            reverse("casework:day1_documents", args=[case.pk]),
        )
    return Action(kind, record_label(kind), reverse("casework:record_event", args=[case.pk, kind]))


def people_actions(case: Case, user: Any) -> dict[str, Any]:
    """Whether the People page offers adding and changing people (and their links)."""
    may_edit = case.is_open and permissions.may_edit_people(user, case)
    return {
        "may_edit_people": may_edit,
        "add_child_url": reverse("casework:person_add", args=[case.pk, "child"])
        if may_edit
        else None,
        "add_adult_url": reverse("casework:person_add", args=[case.pk, "adult"])
        if may_edit
        else None,
    }


PEOPLE_ACTIONS = frozenset(
    {"case_reassigned", "person_added", "person_changed", "child_born", "lawyer_allocated"}
)

_PERSON_FIELD_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "date_of_birth": "date of birth",
    "expected_date_of_birth": "expected date of birth",
    "la_child_id": "LA child identifier",
    "upn": "UPN",
    "cin_referral_date": "CIN referral date",
    "cin_episode_id": "CIN episode id",
    "relationship": "relationship",
    "parental_responsibility": "parental responsibility",
    "address": "address",
    "email": "email address",
    "phone": "phone number",
    "preferred_language": "preferred language",
    "interpreter_needed": "interpreter",
    "advocate_needed": "advocate",
    "has_solicitor": "solicitor",
}


def _person_value(name: str, value: Any) -> str:
    if value is None:
        return "not known"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "relationship":
        return _label(Relationship, str(value)).lower()
    return str(value)


def people_history_what(action: str, details: dict[str, Any]) -> str:
    """History's line for a change of social worker or of the people on the case: the
    staff names, and for people the fields changed (with old and new values only where
    the service kept them, services.PERSON_VALUES_SHOWN)."""
    if action == "case_reassigned":
        return (
            f"Social worker changed from {details.get('from_name', details.get('from', ''))} "
            f"to {details.get('to_name', details.get('to', ''))}"
        )
    if action == "lawyer_allocated":
        before = details.get("from_name") or details.get("from")
        after = details.get("to_name") or details.get("to")
        if before and after:
            return f"Lawyer changed from {before} to {after}"
        return f"Lawyer allocated: {after}" if after else f"Lawyer {before} no longer allocated"
    who = "a child" if details.get("person") == "child" else "an adult"
    if action == "person_added":
        return f"Added {who}"
    changed = details.get("changed") or {}
    # In the form's order (PostgreSQL's jsonb keeps a dict's keys in an order of its own).
    order = list(_PERSON_FIELD_LABELS)
    names = sorted(changed, key=lambda n: (order.index(n) if n in order else len(order), n))
    parts = []
    for name in names:
        values = changed[name]
        label = _PERSON_FIELD_LABELS.get(name, name.replace("_", " "))
        if isinstance(values, list) and len(values) == 2:
            old, new = values
            parts.append(f"{label} from {_person_value(name, old)} to {_person_value(name, new)}")
        else:
            parts.append(label)
    if action == "child_born":
        cleared = "; no baby is expected any more" if details.get("unborn_flag_cleared") else ""
        return f"Birth recorded ({', '.join(parts)}){cleared}"
    return f"Changed {who}'s details: {', '.join(parts)}"


# --- the court record's changes in the history (docs/court.md) ------------------------------

COURT_ACTIONS = frozenset(
    {
        "court_record_changed",
        "hearing_changed",
        "direction_changed",
        "expert_changed",
        "timetable_changed",
    }
)


def _court_moment(value: Any) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{long_date(moment.date())} at {moment:%H:%M}"


def _court_fields(details: dict[str, Any]) -> str:
    names = details.get("fields")
    if not isinstance(names, list) or not names:
        return "nothing changed"
    return ", ".join(str(n).replace("_", " ") for n in names)


def court_history_what(action: str, details: dict[str, Any]) -> str:
    """History's line for a change to the court record: the hearing, direction, expert or
    timetable it was about, in words (ids and codes stay in the row's details)."""
    from legaltracker.court import choices as court

    change = details.get("change", "")
    if action == "court_record_changed":
        if change == "representation":
            who = "represented" if details.get("represented") else "not represented"
            return f"Court record: an adult's representation changed ({who})"
        return f"Court record: the proceedings changed ({_court_fields(details)})"
    if action == "hearing_changed":
        hearing = (
            f"{_label(court.HearingKind, details.get('hearing_kind', ''))} on "
            f"{_court_moment(details.get('starts_at', ''))}"
        )
        if change == "held":
            orders = ", ".join(
                _label(court.OrderMade, str(o)) for o in details.get("orders_made") or []
            )
            return f"Hearing held: {hearing}" + (f"; orders: {orders}" if orders else "")
        if change in ("adjourned", "vacated"):
            code = details.get("reason_code")
            relisted = "; re-listed" if details.get("relisted_as") else ""
            return f"Hearing {change}: {hearing}" + (f" (reason {code})" if code else "") + relisted
        if change == "draft_order_sent":
            return f"Draft order sent: {hearing}, on {_iso_words(details.get('sent_on', ''))}"
        return f"Hearing listed: {hearing}"
    if action == "direction_changed":
        number = details.get("number")
        if change == "standard_added":
            count = len(details.get("directions") or [])
            return f"Standard directions added ({count})"
        if change == "status":
            before = _label(court.DirectionStatus, details.get("from_status", "")).lower()
            after = _label(court.DirectionStatus, details.get("to_status", "")).lower()
            return f"Direction {number}: {before} to {after}"
        return f"Direction {number} added, due {_iso_words(details.get('due_on', ''))}"
    if action == "expert_changed":
        if change == "added":
            kind = _label(court.ExpertType, details.get("assessment_type", ""))
            repeat = " (a repeat of pre-proceedings)" if details.get("repeat") else ""
            return f"Expert assessment added: {kind}{repeat}"
        return f"Expert assessment changed ({_court_fields(details)})"
    if change == "child_joined":
        return f"A child joined the application on {_iso_words(details.get('issued_on', ''))}"
    weeks = details.get("weeks")
    children = len(details.get("children") or [])
    return (
        f"The 26 weeks extended by {weeks} week{'' if weeks == 1 else 's'} for "
        f"{children} child{'' if children == 1 else 'ren'}"
    )
