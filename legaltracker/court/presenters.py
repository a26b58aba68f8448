"""What the court record page shows (docs/court.md): the proceedings, the parties, the
hearings with their statuses, the directions, the experts and each child's 26 weeks,
shaped for the templates, with only the buttons the person may use.

The page reads a fixed number of queries whatever the number of hearings, directions or
experts: each list is one read with its joins (`court.selectors`), and everything else
here is shaping in memory. The few reads the forms need (an object's case, the people
who may own a direction, the court centres) are here too, so that the views stay thin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.cases.models import Case
from legaltracker.cases.presenters import long_date

from . import permissions, reasons, selectors
from .choices import (
    LONDON,
    MILESTONE_HEARINGS,
    OPEN_DIRECTION_STATUSES,
    AdvocateKind,
    DirectionParty,
    DirectionStatus,
    DraftOrderBy,
    ExpertType,
    GuardianService,
    HearingKind,
    HearingMode,
    HearingStatus,
    InternationalElement,
    JudgeLevel,
    OrderMade,
    OrderSought,
)
from .models import (
    CourtCentre,
    Direction,
    ExpertAssessment,
    Hearing,
    Proceedings,
    Representation,
    StandardDirection,
)

# The deadline each milestone hearing answers (docs/court.md, "Milestones").
MILESTONE_OF_HEARING = {
    HearingKind.CASE_MANAGEMENT: "case_management_hearing",
    HearingKind.ISSUES_RESOLUTION: "issues_resolution_hearing",
    HearingKind.FINAL: "final_order",
}
LIVE = (HearingStatus.LISTED, HearingStatus.HELD)


def label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value.replace("_", " ").capitalize() if value else ""


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def minutes_words(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(plural(hours, "hour"))
    if rest or not hours:
        parts.append(plural(rest, "minute"))
    return " ".join(parts)


# --- reads for the pages ---------------------------------------------------------------------


def case_id_of(model: type[Hearing | Direction | ExpertAssessment], pk: int) -> int | None:
    """The case of a hearing, direction or expert assessment (its visibility is checked
    by the view through the case's own selector)."""
    found: int | None = model.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    return found


def hearing_of(case: Any, hearing_id: int) -> Hearing:
    return Hearing.objects.select_related("court_centre").get(pk=hearing_id, case=case)


def direction_of(case: Any, direction_id: int) -> Direction:
    return Direction.objects.select_related("owner").get(pk=direction_id, case=case)


def expert_of(case: Any, expert_id: int) -> ExpertAssessment:
    return ExpertAssessment.objects.get(pk=expert_id, case=case)


def proceedings_of(case: Any) -> Proceedings | None:
    found: Proceedings | None = (
        Proceedings.objects.select_related("court_centre").filter(case=case).first()
    )
    return found


def court_centres(current: CourtCentre | None = None) -> list[CourtCentre]:
    """The active court centres, and the one already chosen even if no longer active."""
    wanted = Q(active=True)
    if current is not None:
        wanted |= Q(pk=current.pk)
    return list(CourtCentre.objects.filter(wanted).order_by("name"))


def direction_owners(case: Any) -> list[Any]:
    """Who may own a council direction: the case's social worker, its team's managers and
    the lawyers, each only if they can see the case (a restricted case narrows it)."""
    candidates = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(pk=case.social_worker_id)
            | Q(role=Role.TEAM_MANAGER, team_id=case.team_id)
            | Q(role=Role.LEGAL)
        )
        .order_by("last_name", "first_name", "username")
    )
    return [user for user in candidates if permissions.may_own_direction(user, case)]


def hearings_of_case(case: Any) -> list[Hearing]:
    return list(selectors.case_hearings(case))


def representation_of(adult: Any) -> Representation | None:
    found: Representation | None = Representation.objects.filter(adult=adult).first()
    return found


def standard_directions() -> list[StandardDirection]:
    return list(StandardDirection.objects.filter(active=True))


def case_version(case_id: int) -> int | None:
    """The case's version now (after a conflict, the one the form is offered against)."""
    found: int | None = Case.objects.filter(pk=case_id).values_list("version", flat=True).first()
    return found


# --- the page ----------------------------------------------------------------------------------


@dataclass
class Fact:
    key: str
    value: str


@dataclass
class PartyRow:
    adult: Any
    name: str
    relationship: str
    represented: str
    firm: str
    solicitor: str
    phone: str
    email: str
    edit_url: str | None


@dataclass
class MilestoneWindow:
    deadline_label: str
    latest: dt.date
    earliest: dt.date | None
    inside: bool
    words: str


@dataclass
class HearingRow:
    hearing: Hearing
    anchor: str
    kind: str
    when: dt.datetime
    estimate: str
    court: str
    courtroom: str
    mode: str
    judge: str
    status: str
    status_label: str
    reason: str
    reason_text: str
    relisted_as: Hearing | None
    relisted_from: Hearing | None
    orders: list[str]
    draft_order: str
    window: MilestoneWindow | None
    actions: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DirectionRow:
    direction: Direction
    party: str
    owner: str
    status: str
    status_label: str
    timing: str
    overdue: bool
    update_url: str | None


@dataclass
class ExpertRow:
    expert: ExpertAssessment
    kind: str
    dates: list[Fact]
    repeat: str
    edit_url: str | None


@dataclass
class ChildRow:
    name: str
    issued_on: dt.date
    extension_weeks: int
    ends_on: dt.date
    joined_later: bool
    joined_url: str | None


def _person(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def orders_sought_words(proceedings: Proceedings) -> str:
    """The orders sought, in the list's order, as words ("" if none is recorded)."""
    chosen = set(proceedings.orders_sought or [])
    return ", ".join(str(o.label) for o in OrderSought if o.value in chosen)


def international_words(proceedings: Proceedings) -> str:
    """Whether there is an international element, with its details ("" if not recorded)."""
    if proceedings.international_element == InternationalElement.YES:
        return f"Yes: {proceedings.international_details}"
    if proceedings.international_element == InternationalElement.NO:
        return "No"
    return ""


def _proceedings_facts(case: Any, proceedings: Proceedings | None) -> list[Fact]:
    p = proceedings or Proceedings(case=case)
    solicitor = ", ".join(
        part
        for part in (
            p.children_solicitor_name,
            p.children_solicitor_firm,
            p.children_solicitor_phone,
            p.children_solicitor_email,
        )
        if part
    )
    judge = " ".join(
        part for part in (label(JudgeLevel, p.judge_level), p.judge_name and f"({p.judge_name})")
    ).strip()
    guardian = ", ".join(
        part for part in (p.guardian_name, label(GuardianService, p.guardian_service)) if part
    )
    advocate = ", ".join(
        part for part in (p.advocate_name, label(AdvocateKind, p.advocate_kind)) if part
    )
    lawyer = case.allocated_lawyer
    not_yet = "Not recorded yet"
    return [
        Fact("Court centre", p.court_centre.name if p.court_centre else not_yet),
        Fact("Court case number", case.court_reference or not_yet),
        Fact("Judge", judge or not_yet),
        Fact("Children's guardian", guardian or not_yet),
        Fact("Children's solicitor", solicitor or not_yet),
        Fact("Council's advocate", advocate or not_yet),
        Fact("Orders sought", orders_sought_words(p) or not_yet),
        Fact("International element", international_words(p) or not_yet),
        Fact("Allocated lawyer", lawyer.display_name if lawyer else "No lawyer allocated"),
    ]


def _party_rows(case: Any, adults: list[Any], may_keep: bool) -> list[PartyRow]:
    representations = selectors.case_representations(case)
    rows = []
    for adult in adults:
        rep = representations.get(adult.pk)
        if rep is None:
            represented = "Not recorded"
        else:
            represented = "Represented" if rep.represented else "Not represented"
        rows.append(
            PartyRow(
                adult=adult,
                name=_person(adult.first_name, adult.last_name),
                relationship=adult.get_relationship_display(),
                represented=represented,
                firm=rep.firm if rep else "",
                solicitor=rep.solicitor_name if rep else "",
                phone=rep.phone if rep else "",
                email=rep.email if rep else "",
                edit_url=reverse("court:party_edit", args=[case.pk, adult.pk])
                if may_keep
                else None,
            )
        )
    return rows


def _windows(case: Any, hearings: list[Hearing]) -> dict[int, MilestoneWindow]:
    """For the live milestone hearing of each kind (the earliest listed or held), whether
    its date lies inside the window of the deadline it answers."""
    current: dict[str, Any] = {}
    for deadline in case.deadlines.all():
        if not deadline.applies:
            continue
        kept = current.get(deadline.milestone)
        if kept is None or deadline.cycle > kept.cycle:
            current[deadline.milestone] = deadline
    windows = {}
    for kind in MILESTONE_HEARINGS:
        live = [h for h in hearings if h.kind == kind and h.status in LIVE]
        deadline = current.get(MILESTONE_OF_HEARING[kind])
        if not live or deadline is None:
            continue
        hearing = min(live, key=lambda h: (h.starts_at, h.pk))
        day = selectors.hearing_day(hearing)
        early = deadline.not_before is not None and day < deadline.not_before
        late = day > deadline.due
        if late:
            words = (
                f"Outside the statutory window: {plural((day - deadline.due).days, 'day')} "
                f"after the latest date, {long_date(deadline.due)}."
            )
        elif early:
            words = (
                "Outside the statutory window: before the earliest date, "
                f"{long_date(deadline.not_before)}."
            )
        else:
            words = f"Inside the statutory window (by {long_date(deadline.due)})."
        windows[hearing.pk] = MilestoneWindow(
            deadline_label=label(HearingKind, kind),
            latest=deadline.due,
            earliest=deadline.not_before,
            inside=not (early or late),
            words=words,
        )
    return windows


def _reason(hearing: Hearing) -> str:
    if not hearing.reason_code:
        return ""
    found = reasons.reason(hearing.status, hearing.reason_code)
    return f"{hearing.reason_code}: {found.label}" if found else hearing.reason_code


def _draft_order(hearing: Hearing) -> str:
    if hearing.status != HearingStatus.HELD or not hearing.draft_order_by:
        return ""
    by = label(DraftOrderBy, hearing.draft_order_by)
    if hearing.draft_order_sent_on:
        return f"{by}: sent {long_date(hearing.draft_order_sent_on)}"
    if hearing.draft_order_due:
        return f"{by}: due {long_date(hearing.draft_order_due)}, not sent yet"
    return by


def _hearing_rows(
    case: Any, hearings: list[Hearing], may_record: bool, today: dt.date
) -> list[HearingRow]:
    by_id = {h.pk: h for h in hearings}
    relisted_from = {h.relisted_as_id: h for h in hearings if h.relisted_as_id}
    windows = _windows(case, hearings)
    rows = []
    for hearing in hearings:
        actions: list[tuple[str, str]] = []
        if may_record and hearing.status == HearingStatus.LISTED:
            if selectors.hearing_day(hearing) <= today:
                actions.append(
                    ("Record the outcome", reverse("court:hearing_hold", args=[hearing.pk]))
                )
            actions.append(("Adjourn", reverse("court:hearing_adjourn", args=[hearing.pk])))
            actions.append(("Vacate", reverse("court:hearing_vacate", args=[hearing.pk])))
        if (
            may_record
            and hearing.status == HearingStatus.HELD
            and hearing.draft_order_by
            and not hearing.draft_order_sent_on
        ):
            actions.append(
                ("Draft order sent", reverse("court:draft_order_sent", args=[hearing.pk]))
            )
        rows.append(
            HearingRow(
                hearing=hearing,
                anchor=f"hearing-{hearing.pk}",
                kind=label(HearingKind, hearing.kind),
                when=hearing.starts_at.astimezone(LONDON),
                estimate=minutes_words(hearing.time_estimate_minutes),
                court=hearing.court_centre.name if hearing.court_centre else "Not recorded",
                courtroom=hearing.courtroom,
                mode=label(HearingMode, hearing.mode),
                judge=hearing.judge_name,
                status=hearing.status,
                status_label=label(HearingStatus, hearing.status),
                reason=_reason(hearing),
                reason_text=hearing.reason_text,
                relisted_as=by_id.get(hearing.relisted_as_id) if hearing.relisted_as_id else None,
                relisted_from=relisted_from.get(hearing.pk),
                orders=[label(OrderMade, o) for o in hearing.orders_made or []],
                draft_order=_draft_order(hearing),
                window=windows.get(hearing.pk),
                actions=actions,
            )
        )
    return rows


def direction_timing(direction: Direction, today: dt.date) -> tuple[str, bool]:
    """Where the direction stands against its date, in words, and whether it is overdue."""
    if direction.status in (DirectionStatus.FILED, DirectionStatus.FILED_LATE):
        late = direction.status == DirectionStatus.FILED_LATE
        when = long_date(direction.filed_on) if direction.filed_on else "on a date not recorded"
        return (f"Filed {when}" + (" (late)" if late else ""), False)
    if direction.status == DirectionStatus.NOT_NEEDED:
        return ("No longer needed", False)
    days = (direction.due_on - today).days
    if days < 0:
        return (f"Overdue by {plural(-days, 'day')}", True)
    if days == 0:
        return ("Due today", False)
    return (f"Due in {plural(days, 'day')}", False)


def _direction_rows(
    case: Any, directions: list[Direction], user: Any, may_keep: bool, today: dt.date
) -> list[DirectionRow]:
    rows = []
    for direction in directions:
        timing, overdue = direction_timing(direction, today)
        party = label(DirectionParty, direction.party)
        if direction.party_name:
            party = f"{party} ({direction.party_name})"
        # The owner of a direction may update it (permissions.may_update_direction) and
        # can see the case, or the page would not be shown to them.
        may_update = may_keep or (direction.owner_id is not None and direction.owner_id == user.pk)
        rows.append(
            DirectionRow(
                direction=direction,
                party=party,
                owner=direction.owner.display_name if direction.owner else "",
                status=direction.status,
                status_label=label(DirectionStatus, direction.status),
                timing=timing,
                overdue=overdue and direction.status in OPEN_DIRECTION_STATUSES,
                update_url=reverse("court:direction_update", args=[direction.pk])
                if may_update
                else None,
            )
        )
    return rows


_EXPERT_DATES = (
    ("applied_on", "Applied for"),
    ("granted_on", "Permission granted"),
    ("instructed_on", "Instructed"),
    ("report_due_on", "Report due"),
    ("report_received_on", "Report received"),
)
REPEAT_WORDS = (
    "A repeat: an assessment of this type was done in pre-proceedings. Repeat assessments "
    "are a known cause of delay."
)


def _expert_rows(experts: list[ExpertAssessment], may_keep: bool) -> list[ExpertRow]:
    return [
        ExpertRow(
            expert=expert,
            kind=label(ExpertType, expert.assessment_type),
            dates=[
                Fact(words, long_date(getattr(expert, name)))
                for name, words in _EXPERT_DATES
                if getattr(expert, name)
            ],
            repeat=REPEAT_WORDS if expert.done_in_pre_proceedings else "",
            edit_url=reverse("court:expert_edit", args=[expert.pk]) if may_keep else None,
        )
        for expert in experts
    ]


def _child_rows(case: Any, children: list[Any], may_keep: bool) -> list[ChildRow]:
    return [
        ChildRow(
            name=_person(row.child.first_name, row.child.last_name) or "Unborn baby",
            issued_on=row.issued_on,
            extension_weeks=row.extension_weeks,
            ends_on=row.ends_on,
            joined_later=row.issued_on != case.issued_on,
            joined_url=reverse("court:child_joined", args=[case.pk, row.child.pk])
            if may_keep
            else None,
        )
        for row in selectors.child_timetables(case, children)
    ]


def court_record(*, case: Any, user: Any, today: dt.date) -> dict[str, Any]:
    """The court record page's context (the case page's header is added by the view)."""
    if not permissions.has_court_record(case):
        return {"has_record": False}
    may_keep = permissions.may_keep_court_record(user, case)
    may_record = permissions.may_record_hearings(user, case)
    hearings = hearings_of_case(case)
    directions = list(selectors.case_directions(case))
    children = list(case.children.all())

    def url(name: str) -> str | None:
        return reverse(f"court:{name}", args=[case.pk]) if may_keep else None

    return {
        "has_record": True,
        "proceedings": _proceedings_facts(case, proceedings_of(case)),
        "parties": _party_rows(case, list(case.adults.all()), may_keep),
        "hearings": _hearing_rows(case, hearings, may_record, today),
        "directions": _direction_rows(case, directions, user, may_keep, today),
        "overdue_directions": sum(1 for d in directions if direction_timing(d, today)[1]),
        "experts": _expert_rows(list(selectors.case_experts(case)), may_keep),
        "children_weeks": _child_rows(case, children, may_keep),
        "at_risk": selectors.at_risk(case, hearings, today),
        "issued": case.issued_on is not None,
        "proceedings_url": url("proceedings_edit"),
        "hearing_list_url": reverse("court:hearing_list", args=[case.pk]) if may_record else None,
        "direction_add_url": url("direction_add"),
        "standard_directions_url": url("standard_directions_add"),
        "expert_add_url": url("expert_add"),
        "extension_url": url("timetable_extend") if children else None,
    }
