"""The working-day court digest (docs/alerts.md, "The court digest"): what falls after a
working day up to and including the next one (hearings listed, draft orders the council
sends, council directions), and who hears of it: every court liaison officer, about every
case they may see, and each allocated lawyer, about their own cases.

The daily run decides who gets a digest (`people_with_news`) and writes one delivery per
person per day; what the email lists is read again when it is sent (`content_for`), so a
hearing vacated since, or a case restricted since, is left out.

Like every alert email, it names cases by reference and hearings by type, court and time:
never a child's or an adult's name, and not a direction's own words (free text that can
name them); the case's page has the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from legaltracker.accounts.models import Role
from legaltracker.audit.models import CaseRestriction, CaseRestrictionAccess
from legaltracker.cases.choices import OPEN_STAGES
from legaltracker.cases.models import Case
from legaltracker.court.choices import (
    LONDON,
    OPEN_DIRECTION_STATUSES,
    DirectionParty,
    DraftOrderBy,
    HearingStatus,
)
from legaltracker.court.models import Direction, Hearing

from .choices import DeliveryKind
from .levels import Calendar
from .models import Delivery

# Who gets a court digest: every one of these, about every case they may see; and every
# allocated lawyer (Case.allocated_lawyer), about their own cases.
EVERY_CASE_ROLES = frozenset({Role.COURT_LIAISON_OFFICER})


@dataclass(frozen=True)
class Span:
    """The days a digest made on `day` covers: after it, up to and including the next
    working day (a Friday's covers the weekend and the Monday)."""

    day: dt.date
    first: dt.date
    last: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The span as London times: from the first day's midnight to the day after the
        last (hearing times are London wall-clock times)."""
        start = dt.datetime.combine(self.first, dt.time(), tzinfo=LONDON)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
        return start, end


def span_for(day: dt.date, calendar: Calendar) -> Span:
    return Span(day=day, first=day + dt.timedelta(days=1), last=calendar.add_working_days(day, 1))


def _hearings(span: Span) -> QuerySet[Hearing]:
    start, end = span.bounds()
    return Hearing.objects.filter(
        status=HearingStatus.LISTED,
        starts_at__gte=start,
        starts_at__lt=end,
        case__stage__in=OPEN_STAGES,
    )


def _draft_orders(span: Span) -> QuerySet[Hearing]:
    # The draft order deadline's own terms (court.facts.court_deadlines): a held hearing
    # whose draft order the council sends and has not sent yet.
    return Hearing.objects.filter(
        status=HearingStatus.HELD,
        draft_order_by=DraftOrderBy.COUNCIL,
        draft_order_sent_on__isnull=True,
        draft_order_due__gte=span.first,
        draft_order_due__lte=span.last,
        case__stage__in=OPEN_STAGES,
    )


def _directions(span: Span) -> QuerySet[Direction]:
    return Direction.objects.filter(
        party=DirectionParty.COUNCIL,
        status__in=OPEN_DIRECTION_STATUSES,
        due_on__gte=span.first,
        due_on__lte=span.last,
        case__stage__in=OPEN_STAGES,
    )


def people_with_news(span: Span) -> list[int]:
    """The active people who have something in the span: each court liaison officer with
    at least one item on a case they may see, and each allocated lawyer with at least one
    on their own cases. A restricted case (legaltracker.audit) counts only for the people
    named on it. A handful of queries whatever the number of cases."""
    case_ids: set[int] = set()
    for rows in (_hearings(span), _draft_orders(span), _directions(span)):
        case_ids.update(rows.values_list("case_id", flat=True))
    if not case_ids:
        return []
    lawyers = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "allocated_lawyer_id"))
    restricted = set(
        CaseRestriction.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True)
    )
    named: dict[int, set[int]] = {}
    for case_id, user_id in CaseRestrictionAccess.objects.filter(
        restriction__case_id__in=restricted
    ).values_list("restriction__case_id", "user_id"):
        named.setdefault(case_id, set()).add(user_id)

    def may_hear(user_id: int, case_id: int) -> bool:
        return case_id not in restricted or user_id in named.get(case_id, set())

    active = get_user_model().objects.filter(is_active=True)
    people: set[int] = set()
    for user_id in active.filter(role__in=EVERY_CASE_ROLES).values_list("pk", flat=True):
        if any(may_hear(user_id, case_id) for case_id in case_ids):
            people.add(user_id)
    lawyer_ids = {lawyer for lawyer in lawyers.values() if lawyer is not None}
    for user_id in active.filter(pk__in=lawyer_ids, role=Role.LEGAL).values_list("pk", flat=True):
        if any(lawyers[c] == user_id and may_hear(user_id, c) for c in case_ids):
            people.add(user_id)
    return sorted(people)


@dataclass(frozen=True)
class HearingLine:
    case_id: int
    reference: str
    starts_at: dt.datetime  # London time
    kind: str
    court: str
    courtroom: str
    mode: str
    minutes: int

    @property
    def where(self) -> str:
        """Court, courtroom, mode and length, as known: "Swansea, courtroom 4; hybrid;
        about 90 minutes"."""
        place = ", ".join(
            part
            for part in (self.court, f"courtroom {self.courtroom}" if self.courtroom else "")
            if part
        )
        rest = f"{self.mode.lower()}; about {self.minutes} minutes"
        return f"{place}; {rest}" if place else rest


@dataclass(frozen=True)
class DueLine:
    case_id: int
    reference: str
    due: dt.date
    what: str


@dataclass
class Content:
    span: Span
    hearings: list[HearingLine] = field(default_factory=list)
    due: list[DueLine] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.hearings or self.due)

    @property
    def case_ids(self) -> list[int]:
        ids = {line.case_id for line in self.hearings} | {line.case_id for line in self.due}
        return sorted(ids)


def _reference(case: Any) -> str:
    return case.reference or f"Case {case.pk}"


def _cases_of(user: Any) -> QuerySet[Case]:
    """The cases a person's court digest covers, as they may see them now: every case
    for a court liaison officer; a lawyer's own cases."""
    cases = Case.objects.visible_to(user)
    if user.role not in EVERY_CASE_ROLES:
        cases = cases.filter(allocated_lawyer=user)
    return cases


def content_for(user: Any, span: Span) -> Content:
    """What one person's digest lists, read now: three queries, whatever the span holds."""
    cases = _cases_of(user).values("pk")
    content = Content(span=span)
    hearings = (
        _hearings(span)
        .filter(case_id__in=cases)
        .select_related("case", "court_centre")
        .order_by("starts_at", "case_id", "id")
    )
    for hearing in hearings:
        content.hearings.append(
            HearingLine(
                case_id=hearing.case_id,
                reference=_reference(hearing.case),
                starts_at=hearing.starts_at.astimezone(LONDON),
                kind=hearing.get_kind_display(),
                court=hearing.court_centre.name if hearing.court_centre else "",
                courtroom=hearing.courtroom,
                mode=hearing.get_mode_display(),
                minutes=hearing.time_estimate_minutes,
            )
        )
    due: list[DueLine] = []
    for hearing in _draft_orders(span).filter(case_id__in=cases).select_related("case"):
        assert hearing.draft_order_due is not None  # the filter says so
        held = hearing.starts_at.astimezone(LONDON).date()
        due.append(
            DueLine(
                case_id=hearing.case_id,
                reference=_reference(hearing.case),
                due=hearing.draft_order_due,
                what=(
                    f"Draft order after the {hearing.get_kind_display().lower()} "
                    f"of {held.day} {held:%B}"
                ),
            )
        )
    for direction in _directions(span).filter(case_id__in=cases).select_related("case", "owner"):
        owner = direction.owner.display_name if direction.owner else "no one at the council yet"
        due.append(
            DueLine(
                case_id=direction.case_id,
                reference=_reference(direction.case),
                due=direction.due_on,
                what=f"Direction {direction.number} to be filed (owner: {owner})",
            )
        )
    content.due = sorted(due, key=lambda line: (line.due, line.reference, line.what))
    return content


def existing_digests(day: dt.date, people: Iterable[int]) -> set[int]:
    """The people who already have a court digest for `day`."""
    return set(
        Delivery.objects.filter(
            kind=DeliveryKind.COURT_DIGEST, day=day, recipient_id__in=list(people)
        ).values_list("recipient_id", flat=True)
    )
