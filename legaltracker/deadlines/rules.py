"""Deadline rules: pure functions of a case's recorded facts, the policy and the calendar.

Nothing here reads the clock or the database. `compute_deadlines` turns what happened on
a case into the list of deadlines it has (due dates do not depend on today);
`deadline_status` says where one stands on a given day. docs/domain/milestones.md is
the source of every rule; the numbers come from the `Timescales` passed in, whose
defaults are the shipped policy (the `TimescalePolicy` model takes its defaults from
them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from legaltracker.calendars.workingdays import add_months, add_weeks
from legaltracker.cases.choices import (
    GATEWAY_DECISIONS,
    EventKind,
    HearingType,
    Stage,
    Transition,
)
from legaltracker.deadlines.choices import DeadlineStatus, Milestone

Date = dt.date


class Calendar(Protocol):
    def add_working_days(self, day: Date, n: int) -> Date: ...


# `Calendar.add_working_days`, passed on to the per-stage rules.
_AddWorkingDays = Callable[[Date, int], Date]


def _on_a_working_day(day: Date, wd: _AddWorkingDays) -> Date:
    """`day` if it is a working day, otherwise the working day before it: for something
    counted in weeks that people do on a working day (a meeting, a decision), never for
    a date the law sets (docs/domain/milestones.md, "Weeks"). The next working day after
    `day`, then one back, is the last working day on or before it."""
    return wd(wd(day, 1), -1)


@dataclass(frozen=True)
class Timescales:
    gateway_meeting_working_days: int = 10
    letter_before_proceedings_working_days: int = 5
    initial_meeting_working_days: int = 10
    initial_meeting_notice_working_days: int = 5
    review_meeting_weeks: int = 6
    pre_proceedings_decision_weeks: int = 16
    pre_proceedings_amber_weeks: int = 12
    pre_proceedings_extension_max_weeks: int = 8
    letter_of_issue_working_days: int = 2
    application_issued_working_days: int = 5
    application_issued_urgent_working_days: int = 1
    service_on_parties_working_days: int = 1
    advocates_meeting_working_days_before: int = 2
    case_management_hearing_working_days: int = 17
    case_management_hearing_earliest_working_days: int = 11
    issues_resolution_hearing_weeks: int = 20
    final_order_days: int = 182
    timetable_extension_max_weeks: int = 8
    # Who sends the draft order after a hearing sends it within this many working days
    # (docs/court.md, "Draft orders").
    draft_order_working_days: int = 2
    management_oversight_working_days: int = 20
    assessment_currency_months: int = 6
    due_soon_working_days: int = 5
    escalation_working_days: int = 3

    @classmethod
    def from_policy(cls, policy: Any) -> Timescales:
        return cls(**{name: getattr(policy, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class StageChange:
    transition: str
    from_stage: str
    to_stage: str
    date: Date


@dataclass(frozen=True)
class Event:
    kind: str
    date: Date
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtensionFact:
    kind: str  # "pre_proceedings" or "timetable"
    decided_on: Date
    new_end: Date


@dataclass(frozen=True)
class DeadlineSpec:
    milestone: str
    cycle: int
    starts_from: Date
    due: Date
    not_before: Date | None = None
    met_on: Date | None = None
    applies: bool = True
    # Who at the council does it (a user id), when the rules know: a council direction's
    # owner. The alerts tell them.
    owner_id: int | None = None


@dataclass(frozen=True)
class CaseFacts:
    stage: str
    opened_on: Date
    urgent: bool = False
    stage_changes: Sequence[StageChange] = ()
    events: Sequence[Event] = ()
    extensions: Sequence[ExtensionFact] = ()
    fgdm_required: bool = True  # England: s31ZA
    # The court record's own deadlines, already dated (draft orders, council directions:
    # legaltracker/court/facts.py).
    court_deadlines: Sequence[DeadlineSpec] = ()


@dataclass(frozen=True)
class _Period:
    stage: str
    start: Date
    end: Date | None  # None while the case is still in the stage
    ended_by: str | None  # the transition that left the stage


def _periods(facts: CaseFacts) -> list[_Period]:
    """Time spent in each stage, in order; self-transitions (extensions) do not split."""
    periods: list[_Period] = []
    stage, start = Stage.CONCERN.value, facts.opened_on
    for change in facts.stage_changes:
        if change.to_stage == change.from_stage:
            continue
        periods.append(_Period(stage, start, change.date, change.transition))
        stage, start = change.to_stage, change.date
    periods.append(_Period(stage, start, None, None))
    return periods


def _dates(
    events: Iterable[Event], kind: str, since: Date, until: Date | None = None
) -> list[Date]:
    return sorted(
        e.date
        for e in events
        if e.kind == kind and e.date >= since and (until is None or e.date <= until)
    )


def _went_ahead(events: Iterable[Event]) -> list[Event]:
    """The events without the initial meetings that did not go ahead as pre-proceedings
    meetings (`details["effective"]` False): such a meeting starts no timetable, so the
    initial meeting stays due and the reviews and the decision point wait for one that
    did (docs/decisions.md, 154). A meeting recorded before the question was asked has
    no answer and counts as held."""
    return [
        e
        for e in events
        if not (e.kind == EventKind.INITIAL_MEETING_HELD and e.details.get("effective") is False)
    ]


def _hearing_dates(events: Iterable[Event], kind: str, hearing: str, since: Date) -> list[Date]:
    return _dates((e for e in events if e.details.get("hearing_type") == hearing), kind, since)


def _first(dates: Sequence[Date]) -> Date | None:
    return dates[0] if dates else None


def _single(
    milestone: str,
    starts_from: Date,
    due: Date,
    met_on: Date | None,
    still_open: bool,
    not_before: Date | None = None,
) -> DeadlineSpec:
    return DeadlineSpec(
        milestone=milestone,
        cycle=1,
        starts_from=starts_from,
        due=due,
        not_before=not_before,
        met_on=met_on,
        applies=met_on is not None or still_open,
    )


def _cycles(
    milestone: str,
    first_start: Date,
    met_dates: Sequence[Date],
    due_after: Callable[[Date], Date],
    still_open: bool,
) -> list[DeadlineSpec]:
    """A recurring milestone: cycle n starts when cycle n-1 was met; one pending cycle
    follows the last met one while the milestone still applies."""
    specs, start = [], first_start
    for number, met in enumerate(met_dates, start=1):
        specs.append(DeadlineSpec(milestone, number, start, due_after(start), met_on=met))
        start = met
    specs.append(
        DeadlineSpec(milestone, len(met_dates) + 1, start, due_after(start), applies=still_open)
    )
    return specs


def compute_deadlines(facts: CaseFacts, ts: Timescales, calendar: Calendar) -> list[DeadlineSpec]:
    wd = calendar.add_working_days
    events = facts.events
    specs: list[DeadlineSpec] = []
    for period in _periods(facts):
        open_ = period.end is None
        if period.stage == Stage.LEGAL_GATEWAY:
            decided = period.ended_by in GATEWAY_DECISIONS
            specs.append(
                _single(
                    Milestone.GATEWAY_MEETING,
                    period.start,
                    wd(period.start, ts.gateway_meeting_working_days),
                    period.end if decided else None,
                    open_,
                )
            )
        elif period.stage == Stage.PRE_PROCEEDINGS:
            specs.extend(_pre_proceedings(period, facts, ts, wd))
        elif period.stage == Stage.ISSUE:
            specs.extend(_issue(period, facts, ts, wd))
        elif period.stage == Stage.PROCEEDINGS:
            specs.extend(_proceedings(period, facts, ts, wd))
    case_open = facts.stage != Stage.CLOSED
    specs.extend(
        _cycles(
            Milestone.MANAGEMENT_OVERSIGHT,
            facts.opened_on,
            _dates(events, EventKind.MANAGEMENT_OVERSIGHT, facts.opened_on),
            lambda start: wd(start, ts.management_oversight_working_days),
            case_open,
        )
    )
    specs.extend(_assessment_currency(facts, ts, case_open))
    specs.extend(facts.court_deadlines)
    return _renumber(specs)


def _renumber(specs: list[DeadlineSpec]) -> list[DeadlineSpec]:
    """A milestone that occurs in several stage periods (an escalated case goes back
    through a fresh gateway) or recurs gets consecutive cycle numbers."""
    seen: dict[str, int] = {}
    result = []
    for spec in specs:
        number = seen.get(spec.milestone, 0) + 1
        seen[spec.milestone] = number
        result.append(
            spec if spec.cycle == number else DeadlineSpec(**{**spec.__dict__, "cycle": number})
        )
    return result


def _pre_proceedings(
    period: _Period, facts: CaseFacts, ts: Timescales, wd: _AddWorkingDays
) -> list[DeadlineSpec]:
    events, start, open_ = facts.events, period.start, period.end is None
    specs: list[DeadlineSpec] = []
    lbp_due = wd(start, ts.letter_before_proceedings_working_days)
    letter_sent = _first(
        _dates(events, EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, start, period.end)
    )
    specs.append(_single(Milestone.LETTER_BEFORE_PROCEEDINGS, start, lbp_due, letter_sent, open_))
    if facts.fgdm_required:
        offered = _first(_dates(events, EventKind.FGDM_OFFERED, start, period.end))
        specs.append(_single(Milestone.FGDM_OFFER, start, letter_sent or lbp_due, offered, open_))
    if letter_sent is None:
        return specs
    initial = _first(
        _dates(_went_ahead(events), EventKind.INITIAL_MEETING_HELD, letter_sent, period.end)
    )
    specs.append(
        _single(
            Milestone.INITIAL_MEETING,
            letter_sent,
            wd(letter_sent, ts.initial_meeting_working_days),
            initial,
            open_,
            not_before=wd(letter_sent, ts.initial_meeting_notice_working_days),
        )
    )
    if initial is None:
        return specs
    reviews = [
        d for d in _dates(events, EventKind.REVIEW_MEETING_HELD, initial, period.end) if d > initial
    ]
    specs.extend(
        _cycles(
            Milestone.REVIEW_MEETING,
            initial,
            reviews,
            lambda s: _on_a_working_day(add_weeks(s, ts.review_meeting_weeks), wd),
            open_,
        )
    )
    decision_due = _on_a_working_day(add_weeks(initial, ts.pre_proceedings_decision_weeks), wd)
    extended = [
        x
        for x in facts.extensions
        if x.kind == "pre_proceedings"
        and x.decided_on >= start
        and (period.end is None or x.decided_on <= period.end)
    ]
    if extended:
        decision_due = max(extended, key=lambda x: (x.decided_on, x.new_end)).new_end
    decided = period.ended_by in {Transition.STEP_DOWN, Transition.ESCALATE_TO_GATEWAY}
    specs.append(
        _single(
            Milestone.PRE_PROCEEDINGS_DECISION,
            initial,
            decision_due,
            period.end if decided else None,
            open_,
        )
    )
    return specs


def _court_end(facts: CaseFacts, period: _Period) -> Date | None:
    """Issue and proceedings are one court episode for the letter of issue."""
    later = [
        c for c in facts.stage_changes if c.date >= period.start and c.to_stage == Stage.CLOSED
    ]
    return later[0].date if later else None


def _issue(
    period: _Period, facts: CaseFacts, ts: Timescales, wd: _AddWorkingDays
) -> list[DeadlineSpec]:
    events, start = facts.events, period.start
    court_end = _court_end(facts, period)
    court_open = facts.stage in (Stage.ISSUE, Stage.PROCEEDINGS) and court_end is None
    letter = _first(_dates(events, EventKind.LETTER_OF_ISSUE_SENT, start, court_end))
    days = (
        ts.application_issued_urgent_working_days
        if facts.urgent
        else ts.application_issued_working_days
    )
    issued = period.end if period.ended_by == Transition.ISSUE_PROCEEDINGS else None
    return [
        _single(
            Milestone.LETTER_OF_ISSUE,
            start,
            wd(start, ts.letter_of_issue_working_days),
            letter,
            court_open,
        ),
        _single(Milestone.APPLICATION_ISSUED, start, wd(start, days), issued, period.end is None),
    ]


def _proceedings(
    period: _Period, facts: CaseFacts, ts: Timescales, wd: _AddWorkingDays
) -> list[DeadlineSpec]:
    events, day1, open_ = facts.events, period.start, period.end is None
    served = _first(_dates(events, EventKind.PARTIES_SERVED, day1, period.end))
    cmh_due = wd(day1, ts.case_management_hearing_working_days)
    cmh_held = _first(
        _hearing_dates(events, EventKind.HEARING_HELD, HearingType.CASE_MANAGEMENT_HEARING, day1)
    )
    listed = [
        e
        for e in events
        if e.kind == EventKind.HEARING_LISTED
        and e.date >= day1
        and e.details.get("hearing_type") == HearingType.CASE_MANAGEMENT_HEARING
        and e.details.get("hearing_date")
    ]
    cmh_date = (
        dt.date.fromisoformat(str(max(listed, key=lambda e: e.date).details["hearing_date"]))
        if listed
        else cmh_due
    )
    advocates = _first(
        _hearing_dates(events, EventKind.HEARING_HELD, HearingType.ADVOCATES_MEETING, day1)
    )
    irh = _first(
        _hearing_dates(events, EventKind.HEARING_HELD, HearingType.ISSUES_RESOLUTION_HEARING, day1)
    )
    final_due = day1 + dt.timedelta(days=ts.final_order_days)
    extended = [x for x in facts.extensions if x.kind == "timetable" and x.decided_on >= day1]
    if extended:
        final_due = max(extended, key=lambda x: (x.decided_on, x.new_end)).new_end
    concluded = period.end if period.ended_by == Transition.CONCLUDE_PROCEEDINGS else None
    return [
        _single(
            Milestone.SERVICE_ON_PARTIES,
            day1,
            wd(day1, ts.service_on_parties_working_days),
            served,
            open_,
        ),
        _single(
            Milestone.ADVOCATES_MEETING,
            day1,
            wd(cmh_date, -ts.advocates_meeting_working_days_before),
            advocates,
            open_,
        ),
        _single(
            Milestone.CASE_MANAGEMENT_HEARING,
            day1,
            cmh_due,
            cmh_held,
            open_,
            not_before=wd(day1, ts.case_management_hearing_earliest_working_days),
        ),
        _single(
            Milestone.ISSUES_RESOLUTION_HEARING,
            day1,
            add_weeks(day1, ts.issues_resolution_hearing_weeks),
            irh,
            open_,
        ),
        _single(Milestone.FINAL_ORDER, day1, final_due, concluded, open_),
    ]


def _assessment_currency(facts: CaseFacts, ts: Timescales, case_open: bool) -> list[DeadlineSpec]:
    """Each assessment stays current for N months, or until a later change of
    circumstances; the next assessment meets it."""
    assessments = _dates(facts.events, EventKind.ASSESSMENT_COMPLETED, facts.opened_on)
    changes = _dates(facts.events, EventKind.CHANGE_OF_CIRCUMSTANCES, facts.opened_on)
    specs = []
    for number, done in enumerate(assessments, start=1):
        following = assessments[number] if number < len(assessments) else None
        due = add_months(done, ts.assessment_currency_months)
        later_change = [c for c in changes if c > done and (following is None or c <= following)]
        if later_change:
            due = min(due, later_change[0])
        specs.append(
            DeadlineSpec(
                Milestone.ASSESSMENT_CURRENCY,
                number,
                done,
                due,
                met_on=following,
                applies=following is not None or case_open,
            )
        )
    return specs


def deadline_status(
    *,
    due: Date,
    met_on: Date | None,
    applies: bool,
    today: Date,
    due_soon_until: Date,
    not_before: Date | None = None,
) -> str:
    """Where a deadline stands on `today` (docs/domain/milestones.md).

    `due_soon_until` is the last date counted as due soon: today plus the window in
    working days. The SQL twin is `deadlines.selectors.status_expression`; a test
    keeps them equal.
    """
    if met_on is not None:
        if not_before is not None and met_on < not_before:
            # Held before the notice the family must have (the initial meeting) or the
            # court's earliest day: done, but not as it should have been.
            return DeadlineStatus.MET_EARLY
        return DeadlineStatus.MET if met_on <= due else DeadlineStatus.MET_LATE
    if not applies:
        return DeadlineStatus.NOT_APPLICABLE
    if today > due:
        return DeadlineStatus.OVERDUE
    if due <= due_soon_until:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.PENDING
