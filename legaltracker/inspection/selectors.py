"""The inspection list's rows: one per child of each case that was in pre-proceedings or
proceedings at any time in the period (docs/inspection.md).

A case's PLO episode runs from the day it entered pre-proceedings (the gateway's decision),
or, for a case issued without pre-proceedings, the day proceedings were issued, to the day
it closed (an open case: still running). It is in the list when that episode overlaps the
period: it began on or before the period's end, and it had not closed before the period's
start. The time between (back at the gateway after an escalation, waiting to issue) counts:
the child is still in the PLO.

Every date is an annotation (a correlated subquery on the recorded events, gateway
decisions and deadlines, each read through an index on the case), so the rows come from
ONE query whatever their number, and are streamed from it (`iter_rows`): nothing holds
every child in memory.

Restricted cases: whoever produces the list sees the cases they could see on the board's
exports, less each restricted case they are not named on (`hidden_case_ids`); a
performance officer, who opens no case, is still subject to the restrictions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Least, TruncDate

from legaltracker.cases.choices import EventKind, HearingType, Outcome, Stage, StepDownTo
from legaltracker.cases.models import Child, GatewayDecision, RecordedEvent
from legaltracker.cases.permissions import hidden_case_ids
from legaltracker.court.choices import LONDON, HearingStatus
from legaltracker.court.models import Hearing
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline

from .access import may_produce

# The order an inspection team reads the list in (docs/decisions.md): by team, then the
# day the child's case entered the PLO, then the case, then the children in the order
# they were added.
ORDER = ("case__team__name", "entered_on", "case__reference", "case_id", "id")
CHUNK_SIZE = 500


def _first_hearing() -> Coalesce:
    """The first hearing held: from the court record's hearings (their London day), or
    from a "hearing held" event recorded before the court record existed or imported;
    the earlier when both."""
    recorded = _first_event(EventKind.HEARING_HELD, hearings_only=True)
    held = Subquery(
        Hearing.objects.filter(case_id=OuterRef("case_id"), status=HearingStatus.HELD)
        .order_by("starts_at", "id")
        .annotate(day=TruncDate("starts_at", tzinfo=LONDON))
        .values("day")[:1],
        output_field=DateField(),
    )
    # LEAST is NULL on SQLite when either side is: each side falls back on the other.
    return Coalesce(Least(Coalesce(recorded, held), Coalesce(held, recorded)), recorded)


def _first_event(
    kind: str, *, effective_only: bool = False, hearings_only: bool = False
) -> Subquery:
    events = RecordedEvent.objects.filter(case_id=OuterRef("case_id"), kind=kind)
    if hearings_only:
        # The advocates' meeting is recorded with the hearings but is not one.
        typed = Q(details__has_key="hearing_type")
        events = events.filter(
            ~typed | (typed & ~Q(details__hearing_type=HearingType.ADVOCATES_MEETING))
        )
    if effective_only:
        # An initial meeting recorded as not going ahead as a pre-proceedings meeting is
        # not the initial meeting; one recorded before that question existed counts.
        events = events.filter(Q(details__effective=True) | ~Q(details__has_key="effective"))
    return Subquery(events.order_by("date", "id").values("date")[:1], output_field=DateField())


def _last_event(kind: str) -> Subquery:
    events = RecordedEvent.objects.filter(case_id=OuterRef("case_id"), kind=kind)
    return Subquery(events.order_by("-date", "-id").values("date")[:1], output_field=DateField())


def _event_count(kind: str) -> Coalesce:
    counted = (
        RecordedEvent.objects.filter(case_id=OuterRef("case_id"), kind=kind)
        .order_by()
        .values("case_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _first_gateway_decision() -> Subquery:
    decisions = GatewayDecision.objects.filter(case_id=OuterRef("case_id")).order_by(
        "meeting_date", "id"
    )
    return Subquery(decisions.values("meeting_date")[:1], output_field=DateField())


def _decision_point() -> Subquery:
    # The latest cycle: after an extension or a fresh gateway, the date that stands.
    rows = Deadline.objects.filter(
        case_id=OuterRef("case_id"), milestone=Milestone.PRE_PROCEEDINGS_DECISION
    ).order_by("-cycle")
    return Subquery(rows.values("due")[:1], output_field=DateField())


def _in_period(user: Any, *, start: dt.date, end: dt.date) -> QuerySet[Child]:
    """The children in the list, with only what choosing them needs."""
    children = (
        Child.objects.annotate(
            entered_on=Coalesce(
                F("case__pre_proceedings_started_on"),
                F("case__issued_on"),
                output_field=DateField(),
            )
        )
        .filter(entered_on__isnull=False, entered_on__lte=end)
        .filter(Q(case__closed_on__isnull=True) | Q(case__closed_on__gte=start))
        .filter(~Q(case_id__in=hidden_case_ids(user)))
    )
    return children if may_produce(user) else children.none()


def inspection_children(user: Any, *, start: dt.date, end: dt.date) -> QuerySet[Child]:
    """The list's rows as a queryset of children with every date annotated, in order."""
    return (
        _in_period(user, start=start, end=end)
        .annotate(
            gateway_decision_on=_first_gateway_decision(),
            letter_before_proceedings_on=_first_event(EventKind.LETTER_BEFORE_PROCEEDINGS_SENT),
            initial_meeting_on=_first_event(EventKind.INITIAL_MEETING_HELD, effective_only=True),
            review_meetings=_event_count(EventKind.REVIEW_MEETING_HELD),
            last_review_meeting_on=_last_event(EventKind.REVIEW_MEETING_HELD),
            decision_point_on=_decision_point(),
            first_hearing_on=_first_hearing(),
        )
        .order_by(*ORDER)
    )


# The columns read for a row: plain values, not model instances (a child, its case, the
# team and two users per row cost more to build than the query costs to run).
VALUES = (
    "la_child_id",
    "upn",
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
    "case__reference",
    "case__team__name",
    "case__social_worker__first_name",
    "case__social_worker__last_name",
    "case__social_worker__username",
    "case__allocated_lawyer__first_name",
    "case__allocated_lawyer__last_name",
    "case__allocated_lawyer__username",
    "case__stage",
    "entered_on",
    "gateway_decision_on",
    "case__pre_proceedings_started_on",
    "letter_before_proceedings_on",
    "initial_meeting_on",
    "review_meetings",
    "last_review_meeting_on",
    "decision_point_on",
    "case__step_down_to",
    "case__issue_decided_on",
    "case__issued_on",
    "case__court_reference",
    "first_hearing_on",
    "case__closed_on",
    "case__outcome",
)


def inspection_values(user: Any, *, start: dt.date, end: dt.date) -> QuerySet[Any]:
    """The rows as dictionaries of `VALUES`, for `row_of`."""
    return inspection_children(user, start=start, end=end).values(*VALUES)


@dataclass(frozen=True)
class InspectionRow:
    la_child_id: str
    upn: str
    case_reference: str
    child_name: str
    date_of_birth: dt.date | None
    expected_date_of_birth: dt.date | None
    team: str
    social_worker: str
    allocated_lawyer: str
    stage: str
    stage_label: str
    entered_on: dt.date
    gateway_decision_on: dt.date | None
    pre_proceedings_started_on: dt.date | None
    letter_before_proceedings_on: dt.date | None
    initial_meeting_on: dt.date | None
    review_meetings: int
    last_review_meeting_on: dt.date | None
    decision_point_on: dt.date | None
    stepped_down_on: dt.date | None
    step_down_to: str
    issue_decided_on: dt.date | None
    issued_on: dt.date | None
    court_reference: str
    first_hearing_on: dt.date | None
    closed_on: dt.date | None
    outcome: str
    outcome_label: str

    def as_json(self) -> dict[str, Any]:
        return {
            name: value.isoformat() if isinstance(value, dt.date) else value
            for name, value in self.__dict__.items()
        }


def _name(first: str | None, last: str | None, username: str | None) -> str:
    """As `User.get_full_name()`, falling back to the username; "" for nobody."""
    return f"{first or ''} {last or ''}".strip() or (username or "")


def row_of(values: dict[str, Any]) -> InspectionRow:
    v = values
    outcome = v["case__outcome"]
    step_down_to = v["case__step_down_to"]
    return InspectionRow(
        la_child_id=v["la_child_id"],
        upn=v["upn"],
        case_reference=v["case__reference"] or "",
        child_name=f"{v['first_name']} {v['last_name']}".strip(),
        date_of_birth=v["date_of_birth"],
        expected_date_of_birth=v["expected_date_of_birth"],
        team=v["case__team__name"],
        social_worker=_name(
            v["case__social_worker__first_name"],
            v["case__social_worker__last_name"],
            v["case__social_worker__username"],
        ),
        allocated_lawyer=_name(
            v["case__allocated_lawyer__first_name"],
            v["case__allocated_lawyer__last_name"],
            v["case__allocated_lawyer__username"],
        ),
        stage=v["case__stage"],
        stage_label=Stage(v["case__stage"]).label,
        entered_on=v["entered_on"],
        gateway_decision_on=v["gateway_decision_on"],
        pre_proceedings_started_on=v["case__pre_proceedings_started_on"],
        letter_before_proceedings_on=v["letter_before_proceedings_on"],
        initial_meeting_on=v["initial_meeting_on"],
        review_meetings=v["review_meetings"],
        last_review_meeting_on=v["last_review_meeting_on"],
        decision_point_on=v["decision_point_on"],
        stepped_down_on=v["case__closed_on"] if outcome == Outcome.STEPPED_DOWN else None,
        step_down_to=StepDownTo(step_down_to).label if step_down_to else "",
        issue_decided_on=v["case__issue_decided_on"],
        issued_on=v["case__issued_on"],
        court_reference=v["case__court_reference"],
        first_hearing_on=v["first_hearing_on"],
        closed_on=v["case__closed_on"],
        outcome=outcome,
        outcome_label=Outcome(outcome).label if outcome else "",
    )


def iter_rows(user: Any, *, start: dt.date, end: dt.date) -> Iterator[InspectionRow]:
    """The rows streamed from one query (a server-side cursor on PostgreSQL)."""
    rows = inspection_values(user, start=start, end=end)
    for values in rows.iterator(chunk_size=CHUNK_SIZE):
        yield row_of(values)


def count(user: Any, *, start: dt.date, end: dt.date) -> int:
    return _in_period(user, start=start, end=end).count()
