"""The figures of the performance reports over a period (docs/reports.md).

`performance_report` works out every figure for the cases in scope with a fixed number
of queries, whatever the number of cases: counts are grouped by the database, and the
figures that need a working-day calendar or a median are one pass over narrow rows
(dates and ids, never names).

Scope: a team manager counts their own team's cases; the other report roles (heads of
service, the legal team, performance officers) count every team's. Restricted cases are
counted too: the reports show figures, never a case (docs/decisions.md, 158).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth

from legaltracker.accounts.models import Role
from legaltracker.calendars.services import get_calendar
from legaltracker.calendars.workingdays import WorkingDayCalendar, add_months
from legaltracker.cases.choices import (
    FINAL_ORDER_OUTCOMES,
    CaseEventKind,
    EventKind,
    ExtensionKind,
    Outcome,
    Relationship,
    Stage,
)
from legaltracker.cases.models import Adult, Case, CaseEvent, Child, Extension, RecordedEvent
from legaltracker.cases.permissions import reads_every_team
from legaltracker.court.choices import LONDON, HearingStatus
from legaltracker.court.models import Hearing
from legaltracker.court.reasons import reason as hearing_reason
from legaltracker.deadlines.models import TimescalePolicy

# "Returning" looks back this many months from the new episode (docs/reports.md).
RETURN_MONTHS = 12
PARENT_RELATIONSHIPS = (Relationship.MOTHER, Relationship.FATHER)


# --- shapes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """Durations in weeks (one decimal place): the median and where the rest lie."""

    count: int
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float


def spread(values: Iterable[float]) -> Spread | None:
    ordered = sorted(values)
    if not ordered:
        return None
    if len(ordered) == 1:
        lower = upper = ordered[0]
    else:
        # "inclusive": quartiles from the values themselves, as a spreadsheet's QUARTILE.
        lower, _, upper = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(
        count=len(ordered),
        minimum=round(ordered[0], 1),
        lower_quartile=round(lower, 1),
        median=round(statistics.median(ordered), 1),
        upper_quartile=round(upper, 1),
        maximum=round(ordered[-1], 1),
    )


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def weeks(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 7


@dataclass(frozen=True)
class MonthCount:
    month: dt.date  # the first day of the month
    count: int


@dataclass(frozen=True)
class PreProceedingsFigures:
    entered_by_month: list[MonthCount]
    ended: int
    weeks: Spread | None
    stepped_down: int
    issued: int
    other: int
    diverted: int

    @property
    def entered(self) -> int:
        return sum(m.count for m in self.entered_by_month)

    @property
    def diverted_percent(self) -> float | None:
        return percent(self.diverted, self.ended)


@dataclass(frozen=True)
class LetterFigures:
    entered: int  # cases that entered pre-proceedings in the period
    within: int
    late: int
    not_sent: int
    working_days: int

    @property
    def within_percent(self) -> float | None:
        return percent(self.within, self.entered)


@dataclass(frozen=True)
class MeetingFigures:
    letters: int  # of those cases, how many had a letter before proceedings
    within: int
    early: int  # held before the parents' notice to find a solicitor had run
    late: int
    not_held: int
    working_days: int
    notice_working_days: int

    @property
    def within_percent(self) -> float | None:
        return percent(self.within, self.letters)


@dataclass(frozen=True)
class FamilyGroupFigures:
    entered: int
    offered: int
    accepted: int
    declined: int
    held: int


@dataclass(frozen=True)
class SolicitorFigures:
    meetings: int  # initial meetings held for the cases that entered in the period
    parents: int  # parents on those cases
    with_solicitor: int
    without_solicitor: int
    not_recorded: int  # parents at a meeting where the question was not answered

    @property
    def with_percent(self) -> float | None:
        return percent(self.with_solicitor, self.with_solicitor + self.without_solicitor)


@dataclass(frozen=True)
class ProceedingsFigures:
    concluded: int
    weeks: Spread | None
    within: int  # concluded within the final order timescale (26 weeks)
    limit_weeks: int
    extended_cases: int  # of those concluded, how many had the timetable extended
    extensions: int  # and how many extensions in all
    pre_proceedings_extensions: int  # decided in the period, any case in scope
    timetable_extensions: int

    @property
    def within_percent(self) -> float | None:
        return percent(self.within, self.concluded)


@dataclass(frozen=True)
class ReasonCount:
    code: str
    label: str
    adjourned: int
    vacated: int


@dataclass(frozen=True)
class HearingFigures:
    """Hearings whose date fell in the period, and those adjourned or vacated, by
    HMCTS's reason code (docs/court.md, "Hearing statuses")."""

    hearings: int
    adjourned: int
    vacated: int
    by_reason: list[ReasonCount]


@dataclass(frozen=True)
class ReturningFigures:
    children: int  # children whose case entered pre-proceedings or proceedings
    returning: int  # of them, back within 12 months of an earlier episode's end

    @property
    def returning_percent(self) -> float | None:
        return percent(self.returning, self.children)


@dataclass(frozen=True)
class PerformanceReport:
    start: dt.date
    end: dt.date
    team: str | None  # team code
    lawyer: int | None  # user id
    pre_proceedings: PreProceedingsFigures
    letters: LetterFigures
    meetings: MeetingFigures
    family_group: FamilyGroupFigures
    solicitors: SolicitorFigures
    proceedings: ProceedingsFigures
    hearings: HearingFigures
    returning: ReturningFigures

    def as_json(self) -> dict[str, Any]:
        """The figures as the API returns them (documented in `api.py`)."""

        def with_percent(figures: Any, **extra: Any) -> dict[str, Any]:
            return {**asdict(figures), **extra}

        pre = self.pre_proceedings
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "team": self.team,
            "lawyer": self.lawyer,
            "pre_proceedings": {
                "entered": pre.entered,
                "entered_by_month": [
                    {"month": m.month.strftime("%Y-%m"), "count": m.count}
                    for m in pre.entered_by_month
                ],
                "ended": pre.ended,
                "weeks": asdict(pre.weeks) if pre.weeks else None,
                "outcomes": {
                    "stepped_down": pre.stepped_down,
                    "issued": pre.issued,
                    "other": pre.other,
                },
                "diverted": pre.diverted,
                "diverted_percent": pre.diverted_percent,
            },
            "letters_before_proceedings": with_percent(
                self.letters, within_percent=self.letters.within_percent
            ),
            "initial_meetings": with_percent(
                self.meetings, within_percent=self.meetings.within_percent
            ),
            "family_group_decision_making": asdict(self.family_group),
            "solicitors_at_initial_meeting": with_percent(
                self.solicitors, with_percent=self.solicitors.with_percent
            ),
            "proceedings": {
                **{k: v for k, v in asdict(self.proceedings).items() if k != "weeks"},
                "weeks": asdict(self.proceedings.weeks) if self.proceedings.weeks else None,
                "within_percent": self.proceedings.within_percent,
            },
            "hearings": {
                "recorded": True,
                "hearings": self.hearings.hearings,
                "adjournments": self.hearings.adjourned,
                "vacated": self.hearings.vacated,
                "by_reason": [
                    {
                        "code": r.code,
                        "reason": r.label,
                        "adjourned": r.adjourned,
                        "vacated": r.vacated,
                    }
                    for r in self.hearings.by_reason
                ],
            },
            "returning_children": with_percent(
                self.returning, returning_percent=self.returning.returning_percent
            ),
        }


# --- scope ------------------------------------------------------------------------------


def reads_every_team_figures(user: Any) -> bool:
    return reads_every_team(user) or getattr(user, "role", None) == Role.PERFORMANCE_OFFICER


def scoped_cases(user: Any, filters: dict[str, Any]) -> QuerySet[Case]:
    """The cases whose figures this user may see, narrowed by the filters."""
    cases: QuerySet[Case] = Case.objects.all()
    if not reads_every_team_figures(user):
        cases = cases.filter(team_id=user.team_id) if user.team_id else cases.none()
    if filters.get("team"):
        cases = cases.filter(team__code=filters["team"])
    if filters.get("lawyer"):
        cases = cases.filter(allocated_lawyer_id=filters["lawyer"])
    return cases


def case_scope(user: Any, filters: dict[str, Any]) -> Q:
    """`scoped_cases` as a condition on a row's `case` (a join, which the database plans
    better than a subquery of case ids); none at all when the user counts every case."""
    scope = Q()
    if not reads_every_team_figures(user):
        scope &= Q(case__team_id=user.team_id) if user.team_id else Q(pk__in=[])
    if filters.get("team"):
        scope &= Q(case__team__code=filters["team"])
    if filters.get("lawyer"):
        scope &= Q(case__allocated_lawyer_id=filters["lawyer"])
    return scope


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from `start`'s to `end`'s, oldest first."""
    month = start.replace(day=1)
    firsts = []
    while month <= end:
        firsts.append(month)
        month = add_months(month, 1)
    return firsts


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- the figures ------------------------------------------------------------------------


def _pre_proceedings(scope: Q, start: dt.date, end: dt.date) -> PreProceedingsFigures:
    transitions = CaseEvent.objects.filter(
        scope,
        action=CaseEventKind.TRANSITION,
        effective_date__gte=start,
        effective_date__lte=end,
    )
    # Entering: the gateway's decision to enter pre-proceedings (an extension stays in).
    entered = dict(
        transitions.filter(from_stage=Stage.LEGAL_GATEWAY, to_stage=Stage.PRE_PROCEEDINGS)
        .annotate(month=TruncMonth("effective_date"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month = {_as_date(month): n for month, n in entered.items()}
    entered_by_month = [MonthCount(m, by_month.get(m, 0)) for m in months_between(start, end)]

    # Ending: any transition out of pre-proceedings, measured from the latest decision to
    # enter on or before it (a case can go round twice).
    began = CaseEvent.objects.filter(
        case=OuterRef("case"),
        action=CaseEventKind.TRANSITION,
        from_stage=Stage.LEGAL_GATEWAY,
        to_stage=Stage.PRE_PROCEEDINGS,
        effective_date__lte=OuterRef("effective_date"),
    ).order_by("-effective_date", "-pk")
    ended_rows = (
        transitions.filter(from_stage=Stage.PRE_PROCEEDINGS)
        .exclude(to_stage=Stage.PRE_PROCEEDINGS)
        .annotate(began=Subquery(began.values("effective_date")[:1]))
        .values("effective_date", "to_stage", "began", "case__outcome", "case__issued_on")
    )
    durations = []
    stepped_down = issued = other = diverted = 0
    total = 0
    for row in ended_rows:
        total += 1
        ended_on = row["effective_date"]
        if row["began"] is not None:
            durations.append(weeks(row["began"], ended_on))
        outcome = row["case__outcome"]
        if row["to_stage"] == Stage.CLOSED and outcome == Outcome.STEPPED_DOWN:
            stepped_down += 1
            diverted += 1
        elif (
            row["to_stage"] == Stage.LEGAL_GATEWAY
            and row["case__issued_on"] is not None
            and row["case__issued_on"] >= ended_on
        ):
            issued += 1
        else:
            other += 1
            # Back at the gateway, which then kept the family on its plan: also kept
            # out of court.
            if row["to_stage"] == Stage.LEGAL_GATEWAY and outcome == Outcome.CONTINUE_PLAN:
                diverted += 1
    return PreProceedingsFigures(
        entered_by_month=entered_by_month,
        ended=total,
        weeks=spread(durations),
        stepped_down=stepped_down,
        issued=issued,
        other=other,
        diverted=diverted,
    )


@dataclass(frozen=True)
class _Cohort:
    letters: LetterFigures
    meetings: MeetingFigures
    family_group: FamilyGroupFigures
    solicitors: SolicitorFigures


def _first_letter() -> Subquery:
    letters = RecordedEvent.objects.filter(
        case=OuterRef("pk"),
        kind=EventKind.LETTER_BEFORE_PROCEEDINGS_SENT,
        date__gte=OuterRef("pre_proceedings_started_on"),
    )
    return Subquery(letters.order_by("date", "pk").values("date")[:1])


def _cohort(
    cases: QuerySet[Case],
    start: dt.date,
    end: dt.date,
    policy: TimescalePolicy,
    calendar: WorkingDayCalendar,
) -> _Cohort:
    """The figures about the first steps of pre-proceedings, for the cases whose (latest)
    decision to enter pre-proceedings falls in the period; events count up to today."""
    cohort = cases.filter(
        pre_proceedings_started_on__gte=start, pre_proceedings_started_on__lte=end
    )
    rows = list(
        cohort.annotate(letter=_first_letter()).values_list(
            "pk", "pre_proceedings_started_on", "letter"
        )
    )
    started = {pk: began for pk, began, _ in rows if began is not None}
    letter_on: dict[int, dt.date] = {pk: letter for pk, _, letter in rows if letter is not None}
    cohort_ids = cohort.values("pk")

    within = late = 0
    for pk, letter in letter_on.items():
        due = calendar.add_working_days(started[pk], policy.letter_before_proceedings_working_days)
        if letter <= due:
            within += 1
        else:
            late += 1
    letters = LetterFigures(
        entered=len(rows),
        within=within,
        late=late,
        not_sent=len(rows) - len(letter_on),
        working_days=policy.letter_before_proceedings_working_days,
    )

    # The first initial meeting on or after the letter that went ahead as a
    # pre-proceedings meeting (no answer to that question: it did).
    meeting_rows = (
        RecordedEvent.objects.filter(case__in=cohort_ids, kind=EventKind.INITIAL_MEETING_HELD)
        .order_by("case_id", "date", "pk")
        .values_list("case_id", "date", "details")
    )
    first_meeting: dict[int, tuple[dt.date, dict[str, Any]]] = {}
    for case_id, held, details in meeting_rows:
        details = details if isinstance(details, dict) else {}
        sent = letter_on.get(case_id)
        if case_id in first_meeting or sent is None or held < sent:
            continue
        if details.get("effective") is False:
            continue
        first_meeting[case_id] = (held, details)
    m_within = m_early = m_late = 0
    for case_id, (held, _) in first_meeting.items():
        letter = letter_on[case_id]
        not_before = calendar.add_working_days(letter, policy.initial_meeting_notice_working_days)
        due = calendar.add_working_days(letter, policy.initial_meeting_working_days)
        if held < not_before:
            m_early += 1
        elif held <= due:
            m_within += 1
        else:
            m_late += 1
    meetings = MeetingFigures(
        letters=len(letter_on),
        within=m_within,
        early=m_early,
        late=m_late,
        not_held=len(letter_on) - len(first_meeting),
        working_days=policy.initial_meeting_working_days,
        notice_working_days=policy.initial_meeting_notice_working_days,
    )

    # Family group decision-making: cases with each event on or after the decision.
    fgdm_kinds = (
        EventKind.FGDM_OFFERED,
        EventKind.FGDM_ACCEPTED,
        EventKind.FGDM_DECLINED,
        EventKind.FGDM_HELD,
    )
    fgdm = dict(
        RecordedEvent.objects.filter(
            case__in=cohort_ids,
            kind__in=fgdm_kinds,
            date__gte=F("case__pre_proceedings_started_on"),
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("kind", "n")
    )
    family_group = FamilyGroupFigures(
        entered=len(rows),
        offered=fgdm.get(EventKind.FGDM_OFFERED, 0),
        accepted=fgdm.get(EventKind.FGDM_ACCEPTED, 0),
        declined=fgdm.get(EventKind.FGDM_DECLINED, 0),
        held=fgdm.get(EventKind.FGDM_HELD, 0),
    )

    # Parents at the initial meeting: the mothers and fathers on the case and anyone else
    # with parental responsibility (the people a letter before proceedings goes to).
    parents_by_case: dict[int, set[int]] = defaultdict(set)
    parent_rows = (
        Adult.objects.filter(case__in=cohort_ids)
        .filter(Q(relationship__in=PARENT_RELATIONSHIPS) | Q(parental_responsibility=True))
        .values_list("case_id", "pk")
    )
    for case_id, adult_id in parent_rows:
        parents_by_case[case_id].add(adult_id)
    parents = with_solicitor = without = not_recorded = 0
    for case_id, (_, details) in first_meeting.items():
        people = parents_by_case.get(case_id, set())
        parents += len(people)
        present_for = details.get("solicitor_present_for")
        if not isinstance(present_for, list):
            not_recorded += len(people)
            continue
        represented = {int(i) for i in present_for if str(i).isdigit()} & people
        with_solicitor += len(represented)
        without += len(people) - len(represented)
    solicitors = SolicitorFigures(
        meetings=len(first_meeting),
        parents=parents,
        with_solicitor=with_solicitor,
        without_solicitor=without,
        not_recorded=not_recorded,
    )
    return _Cohort(letters, meetings, family_group, solicitors)


def _proceedings(
    scope: Q, start: dt.date, end: dt.date, policy: TimescalePolicy
) -> ProceedingsFigures:
    timetable_extensions = (
        Extension.objects.filter(case=OuterRef("case"), kind=ExtensionKind.TIMETABLE)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    concluded_rows = (
        CaseEvent.objects.filter(
            scope,
            action=CaseEventKind.TRANSITION,
            from_stage=Stage.PROCEEDINGS,
            to_stage=Stage.CLOSED,
            effective_date__gte=start,
            effective_date__lte=end,
            case__outcome__in=FINAL_ORDER_OUTCOMES,
            case__issued_on__isnull=False,
        )
        .annotate(extensions=Coalesce(Subquery(timetable_extensions[:1]), 0))
        .values_list("effective_date", "case__issued_on", "extensions")
    )
    durations = []
    within = extended = extension_count = 0
    for concluded_on, issued_on, extensions in concluded_rows:
        if concluded_on is None or issued_on is None:  # excluded by the query
            continue
        durations.append(weeks(issued_on, concluded_on))
        if (concluded_on - issued_on).days <= policy.final_order_days:
            within += 1
        if extensions:
            extended += 1
            extension_count += extensions
    decided = dict(
        Extension.objects.filter(scope, decided_on__gte=start, decided_on__lte=end)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return ProceedingsFigures(
        concluded=len(durations),
        weeks=spread(durations),
        within=within,
        limit_weeks=policy.final_order_days // 7,
        extended_cases=extended,
        extensions=extension_count,
        pre_proceedings_extensions=decided.get(ExtensionKind.PRE_PROCEEDINGS, 0),
        timetable_extensions=decided.get(ExtensionKind.TIMETABLE, 0),
    )


def _hearings(scope: Q, start: dt.date, end: dt.date) -> HearingFigures:
    """One grouped read: the hearings dated in the period (London days) by status and
    reason code."""
    first = dt.datetime.combine(start, dt.time(), tzinfo=LONDON)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    rows = (
        Hearing.objects.filter(scope, starts_at__gte=first, starts_at__lt=after)
        .order_by()
        .values_list("status", "reason_code")
        .annotate(n=Count("pk"))
    )
    totals: dict[str, int] = {}
    by_code: dict[str, dict[str, int]] = {}
    for status, code, n in rows:
        totals[status] = totals.get(status, 0) + n
        if status in (HearingStatus.ADJOURNED, HearingStatus.VACATED):
            by_code.setdefault(code, {}).setdefault(status, 0)
            by_code[code][status] += n
    reasons = []
    for code, counts in sorted(by_code.items()):
        known = hearing_reason(HearingStatus.ADJOURNED, code) if code else None
        reasons.append(
            ReasonCount(
                code=code or "none",
                label=known.label if known else "No reason code",
                adjourned=counts.get(HearingStatus.ADJOURNED, 0),
                vacated=counts.get(HearingStatus.VACATED, 0),
            )
        )
    return HearingFigures(
        hearings=sum(totals.values()),
        adjourned=totals.get(HearingStatus.ADJOURNED, 0),
        vacated=totals.get(HearingStatus.VACATED, 0),
        by_reason=reasons,
    )


def _name(value: str) -> str:
    return " ".join(value.split()).casefold()


def _returning(scope: Q, start: dt.date, end: dt.date) -> ReturningFigures:
    """Children whose case began an episode (entered pre-proceedings, or was issued
    without pre-proceedings) in the period, and how many of them had an earlier case of
    pre-proceedings or proceedings that ended in the 12 months before it began.

    The same child on two cases: the same LA child id when both have one; otherwise the
    same family, first and last names (ignoring case and spacing) and date of birth
    (docs/decisions.md, 160)."""
    began = Coalesce("case__pre_proceedings_started_on", "case__issued_on")
    new = Child.objects.filter(scope).annotate(began=began).filter(began__gte=start, began__lte=end)
    earlier = Child.objects.filter(
        Q(case__pre_proceedings_started_on__isnull=False) | Q(case__issued_on__isnull=False),
        case__closed_on__gte=add_months(start, -RETURN_MONTHS),
        case__closed_on__lte=end,
    )
    children = new.count()
    # Only a child with an earlier child's LA id or family can be returning: the others
    # are counted above and not read (most children are on a family's first case).
    candidates = new.filter(
        Q(la_child_id__in=earlier.exclude(la_child_id="").values("la_child_id"))
        | Q(case__family_id__in=earlier.values("case__family_id"))
    ).values_list(
        "pk",
        "case_id",
        "began",
        "la_child_id",
        "case__family_id",
        "first_name",
        "last_name",
        "date_of_birth",
    )
    earlier_rows = earlier.values_list(
        "case_id",
        "case__closed_on",
        "la_child_id",
        "case__family_id",
        "first_name",
        "last_name",
        "date_of_birth",
    )
    by_id: dict[str, list[tuple[int, dt.date]]] = defaultdict(list)
    by_person: dict[tuple[Any, ...], list[tuple[int, dt.date, str]]] = defaultdict(list)
    for case_id, closed_on, la_id, family_id, first, last, born in earlier_rows:
        if closed_on is None:  # excluded by the query
            continue
        if la_id:
            by_id[la_id].append((case_id, closed_on))
        if born is not None:
            by_person[(family_id, _name(first), _name(last), born)].append(
                (case_id, closed_on, la_id)
            )
    returning = 0
    for _, case_id, began_on, la_id, family_id, first, last, born in candidates:
        since = add_months(began_on, -RETURN_MONTHS)
        matches = [(c, closed) for c, closed in by_id.get(la_id, [])] if la_id else []
        if born is not None:
            matches += [
                (c, closed)
                for c, closed, other_id in by_person.get(
                    (family_id, _name(first), _name(last), born), []
                )
                # Two different LA ids are two different children, whatever the names.
                if not (la_id and other_id)
            ]
        if any(c != case_id and since <= closed <= began_on for c, closed in matches):
            returning += 1
    return ReturningFigures(children=children, returning=returning)


def performance_report(*, user: Any, filters: dict[str, Any]) -> PerformanceReport:
    """Every figure for the period and filters (`PerformanceFilterForm.filters()`)."""
    start = dt.date.fromisoformat(filters["from"])
    end = dt.date.fromisoformat(filters["to"])
    policy = TimescalePolicy.current()
    calendar = get_calendar()
    cases = scoped_cases(user, filters)
    scope = case_scope(user, filters)
    cohort = _cohort(cases, start, end, policy, calendar)
    return PerformanceReport(
        start=start,
        end=end,
        team=filters.get("team"),
        lawyer=filters.get("lawyer"),
        pre_proceedings=_pre_proceedings(scope, start, end),
        letters=cohort.letters,
        meetings=cohort.meetings,
        family_group=cohort.family_group,
        solicitors=cohort.solicitors,
        proceedings=_proceedings(scope, start, end, policy),
        hearings=_hearings(scope, start, end),
        returning=_returning(scope, start, end),
    )
