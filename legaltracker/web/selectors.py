"""Reads for "My work" and the reports page.

Each function runs a fixed number of queries whatever the number of cases, deadlines or
events: lists come with their joins chosen (`select_related`, `prefetch_related`,
subquery annotations) and figures are aggregated by the database.

Scope always starts from `Case.objects.visible_to(user)` (cases.permissions), so a page
never shows a case its reader may not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from legaltracker.accounts.models import Role, Team, User
from legaltracker.cases import selectors as case_selectors
from legaltracker.cases.choices import (
    FINAL_ORDER_OUTCOMES,
    OPEN_STAGES,
    CaseEventKind,
    EventKind,
    Outcome,
    Stage,
)
from legaltracker.cases.models import Case, CaseEvent, Child, RecordedEvent
from legaltracker.cases.permissions import reads_every_team
from legaltracker.cases.transitions import TRANSITIONS
from legaltracker.deadlines.choices import DeadlineStatus, Milestone
from legaltracker.deadlines.models import Deadline, TimescalePolicy
from legaltracker.deadlines.selectors import Today, rag_expression, with_deadline_status
from letters import conf as letters_conf
from letters import gate as letter_gate
from letters import selectors as letter_selectors
from letters.choices import LetterStatus
from letters.models import Letter

from .next_steps import next_step

# "Social workers carry about 16-17 cases each" (docs/domain/README.md); the Ofsted visit
# found high caseloads. A worker above this is flagged on the team manager's page.
CASELOAD_LIMIT = 17
# The team's "due this week" list is for reading, not for working through: past this
# the board is the place.
TEAM_DUE_LIMIT = 50
# The weeks-in-pre-proceedings chart draws at most this many bars (the longest); its
# table lists every case.
CHART_BAR_LIMIT = 60
REPORT_MONTHS = 12

DUE_STATUSES = (DeadlineStatus.OVERDUE, DeadlineStatus.DUE_SOON)


# --- shared pieces ---------------------------------------------------------------------


def _outstanding_deadlines() -> QuerySet[Deadline]:
    return Deadline.objects.filter(case=OuterRef("pk"), applies=True, met_on__isnull=True)


def _with_next_deadline(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The next outstanding deadline of each case (milestone and due date), in the same
    query as the case."""
    nearest = _outstanding_deadlines().order_by("due", "id")
    return cases.annotate(
        next_deadline_milestone=Subquery(nearest.values("milestone")[:1]),
        next_deadline_due=Subquery(nearest.values("due")[:1]),
    )


def _children() -> Prefetch:
    return Prefetch(
        "children",
        queryset=Child.objects.only("id", "case_id", "first_name", "last_name").order_by("id"),
    )


def _due_deadlines(cases: QuerySet[Case], today: Today) -> QuerySet[Deadline]:
    """Outstanding deadlines of `cases` that are overdue or due soon, soonest first."""
    return (
        with_deadline_status(
            Deadline.objects.outstanding().filter(case__in=cases.values("pk")), today
        )
        .filter(status__in=DUE_STATUSES)
        .select_related("case", "case__social_worker")
        .order_by("due", "case_id", "id")
    )


def weeks_between(start: dt.date | None, end: dt.date) -> float | None:
    if start is None:
        return None
    return round((end - start).days / 7, 1)


# --- My work: a social worker ----------------------------------------------------------


@dataclass(frozen=True)
class SocialWorkerWork:
    cases: list[Case]
    due: list[Deadline]


def _next_step_facts() -> tuple[Prefetch, Prefetch]:
    """What My work's "Next step" reads (web.next_steps), one query each for every case."""
    return (
        Prefetch(
            "letters",
            queryset=Letter.objects.filter(status=LetterStatus.APPROVED)
            .only("id", "case_id", "kind", "status")
            .order_by("id"),
            to_attr="approved_letters",
        ),
        Prefetch(
            "recorded_events",
            queryset=RecordedEvent.objects.only("id", "case_id", "kind"),
            to_attr="event_kinds",
        ),
    )


def social_worker_work(*, user: User, today: Today) -> SocialWorkerWork:
    """The person's open cases, each with its next step (web.next_steps), and what is due
    on them this week (five queries)."""
    mine = Case.objects.visible_to(user).open().filter(social_worker=user)
    cases: list[Case] = list(
        _with_next_deadline(mine.select_related("team"))
        .annotate(rag=rag_expression(today))
        .prefetch_related(_children(), *_next_step_facts())
        .order_by(F("next_deadline_due").asc(nulls_last=True), "id")
    )
    for case in cases:
        case.weeks_in_stage = weeks_between(case.stage_entered_on, today.today)
        case.next_step = next_step(case, user)
    return SocialWorkerWork(cases=cases, due=list(_due_deadlines(mine, today)))


# --- My work: a team manager -----------------------------------------------------------


@dataclass(frozen=True)
class TeamManagerWork:
    team: Team | None
    workers: Sequence[User]  # annotated open_cases, red_cases; .over_limit set
    attention: list[Case]  # annotated past_decision_point, oversight_overdue, ...
    due: list[Deadline]
    due_more: bool  # more than TEAM_DUE_LIMIT are due
    caseload_limit: int = CASELOAD_LIMIT


def team_manager_work(*, user: User, today: Today) -> TeamManagerWork:
    """The manager's team: caseload per worker, the cases that need the manager's
    decision or oversight, and what is due this week (four queries)."""
    team = user.team
    if team is None:
        return TeamManagerWork(team=None, workers=[], attention=[], due=[], due_more=False)
    team_cases = Case.objects.visible_to(user).filter(team=team)
    open_cases = team_cases.open()

    def count(cases: QuerySet[Case]) -> Coalesce:
        counted = (
            cases.filter(social_worker=OuterRef("pk"))
            .order_by()
            .values("social_worker")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    red = open_cases.annotate(rag=rag_expression(today)).filter(rag="red")
    workers = list(
        User.objects.filter(
            team=team, is_active=True, role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER]
        )
        .annotate(open_cases=count(open_cases), red_cases=count(red))
        .order_by("-open_cases", "last_name", "first_name", "username")
    )
    for worker in workers:
        worker.over_limit = worker.open_cases > CASELOAD_LIMIT

    overdue = _outstanding_deadlines().filter(due__lt=today.today)
    decision = Deadline.objects.filter(
        case=OuterRef("pk"),
        milestone=Milestone.PRE_PROCEEDINGS_DECISION,
        applies=True,
        met_on__isnull=True,
    ).order_by("-cycle")
    last_oversight = RecordedEvent.objects.filter(
        case=OuterRef("pk"), kind=EventKind.MANAGEMENT_OVERSIGHT
    ).order_by("-date")
    attention = list(
        open_cases.annotate(
            past_decision_point=Exists(
                overdue.filter(milestone=Milestone.PRE_PROCEEDINGS_DECISION)
            ),
            oversight_overdue=Exists(overdue.filter(milestone=Milestone.MANAGEMENT_OVERSIGHT)),
            decision_due=Subquery(decision.values("due")[:1]),
            last_oversight=Subquery(last_oversight.values("date")[:1]),
        )
        .filter(
            Q(stage=Stage.PRE_PROCEEDINGS, past_decision_point=True) | Q(oversight_overdue=True)
        )
        .select_related("social_worker")
        .prefetch_related(_children())
        .order_by("-past_decision_point", "decision_due", "last_oversight", "id")
    )
    due = list(_due_deadlines(open_cases, today)[: TEAM_DUE_LIMIT + 1])
    return TeamManagerWork(
        team=team,
        workers=workers,
        attention=attention,
        due=due[:TEAM_DUE_LIMIT],
        due_more=len(due) > TEAM_DUE_LIMIT,
    )


# --- Reports ---------------------------------------------------------------------------


def report_teams(user: User) -> list[Team]:
    """Teams whose figures this user may choose between (none for a team manager, who
    sees their own team's)."""
    if reads_every_team(user):
        return list(Team.objects.order_by("name"))
    return []


@dataclass(frozen=True)
class PreProceedingsCase:
    case_id: int
    reference: str
    team_name: str
    started_on: dt.date
    weeks: float
    decision_due: dt.date | None
    decision_weeks: float | None  # the decision point, in weeks from the start
    past_decision_point: bool


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


@dataclass(frozen=True)
class MonthOutcomes:
    month: dt.date  # the first day of the month
    stepped_down: int
    issued: int

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y")


@dataclass(frozen=True)
class ConcludedWithin:
    concluded: int
    within: int
    weeks: float

    @property
    def over(self) -> int:
        return self.concluded - self.within

    @property
    def percent(self) -> int | None:
        if not self.concluded:
            return None
        return round(100 * self.within / self.concluded)


@dataclass(frozen=True)
class AverageDays:
    label: str
    short_label: str  # fits beside a bar
    days: float | None
    cases: int


@dataclass(frozen=True)
class Reports:
    today: dt.date
    since: dt.date  # the first day of the twelve-month window
    team: Team | None
    pre_proceedings: list[PreProceedingsCase]
    decision_weeks: int
    stages: list[StageCount]
    months: list[MonthOutcomes]
    concluded: ConcludedWithin
    averages: list[AverageDays] = field(default_factory=list)

    @property
    def past_decision_point(self) -> int:
        return sum(1 for row in self.pre_proceedings if row.past_decision_point)


def _months(today: dt.date, n: int) -> list[dt.date]:
    """The first days of the last `n` months, oldest first, ending with this month."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(n):
        firsts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return firsts[::-1]


def _days(value: Any) -> float | None:
    """An average duration from the database, in days (one decimal place)."""
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value) / 86400 / 1_000_000, 1)  # microseconds (SQLite)


def reports(*, user: User, today: Today, team: Team | None = None) -> Reports:
    """Every figure on the reports page, for the cases this user may see (a team
    manager: their team; a cross-team role: every team, or `team`). Seven queries."""
    policy = TimescalePolicy.current()
    cases = Case.objects.visible_to(user)
    if team is not None:
        cases = cases.filter(team=team)
    in_scope = cases.values("pk")
    day = today.today
    months = _months(day, REPORT_MONTHS)
    since = months[0]

    # Weeks in pre-proceedings against each case's decision point (which counts from the
    # initial meeting and moves with an extension: the deadline row has the date).
    decision_due = Deadline.objects.filter(
        case=OuterRef("pk"), milestone=Milestone.PRE_PROCEEDINGS_DECISION, applies=True
    ).order_by("-cycle")
    rows = (
        cases.filter(stage=Stage.PRE_PROCEEDINGS)
        .annotate(decision_due=Subquery(decision_due.values("due")[:1]))
        .values("pk", "reference", "team__name", "pre_proceedings_started_on", "decision_due")
        .order_by("pre_proceedings_started_on", "pk")
    )
    pre_proceedings = []
    for row in rows:
        started = row["pre_proceedings_started_on"]
        due = row["decision_due"]
        pre_proceedings.append(
            PreProceedingsCase(
                case_id=row["pk"],
                reference=row["reference"] or f"Case {row['pk']}",
                team_name=row["team__name"],
                started_on=started,
                weeks=weeks_between(started, day) or 0.0,
                decision_due=due,
                decision_weeks=weeks_between(started, due) if due else None,
                past_decision_point=due is not None and due < day,
            )
        )

    counts = dict(
        cases.open().order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    stages = [StageCount(s.value, s.label, counts.get(s.value, 0)) for s in OPEN_STAGES]

    # Outcomes by month from the audit trail, dated by the decision (effective) date. A
    # transition is known by its stages: issue -> proceedings is only `issue_proceedings`;
    # pre-proceedings -> closed is a step down when the outcome says so (a closed case
    # never changes again, so the case's outcome is the transition's).
    transitions = CaseEvent.objects.filter(
        action=CaseEventKind.TRANSITION, effective_date__gte=since, effective_date__lte=day
    )
    if team is not None or not reads_every_team(user):
        transitions = transitions.filter(case__in=in_scope)
    issued_q = Q(from_stage=Stage.ISSUE, to_stage=Stage.PROCEEDINGS)
    stepped_down_q = Q(
        from_stage=Stage.PRE_PROCEEDINGS, to_stage=Stage.CLOSED, case__outcome=Outcome.STEPPED_DOWN
    )
    outcome_rows = (
        transitions.filter(issued_q | stepped_down_q)
        .annotate(month=TruncMonth("effective_date"))
        .order_by()
        .values("month")
        .annotate(
            issued=Count("pk", filter=issued_q), stepped_down=Count("pk", filter=stepped_down_q)
        )
    )
    by_month: dict[dt.date, tuple[int, int]] = {}
    for row in outcome_rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        by_month[month] = (row["stepped_down"], row["issued"])
    month_outcomes = [MonthOutcomes(m, *by_month.get(m, (0, 0))) for m in months]

    # Proceedings concluded in the window (proceedings -> closed with a final order): how
    # many ended within 26 weeks of issue.
    limit = dt.timedelta(days=policy.final_order_days)
    concluded = (
        transitions.filter(
            from_stage=Stage.PROCEEDINGS,
            to_stage=Stage.CLOSED,
            case__outcome__in=FINAL_ORDER_OUTCOMES,
            case__issued_on__isnull=False,
        )
        .annotate(
            took=ExpressionWrapper(
                F("effective_date") - F("case__issued_on"), output_field=DurationField()
            )
        )
        .aggregate(total=Count("pk"), within=Count("pk", filter=Q(took__lte=limit)))
    )

    # Average days from the gateway decision to the letter before proceedings, and from
    # the letter to the first pre-proceedings meeting, for cases that entered
    # pre-proceedings in the window (the first of each event on or after the decision).
    def first(kind: str, not_before: str) -> Subquery:
        events = RecordedEvent.objects.filter(
            case=OuterRef("pk"), kind=kind, date__gte=OuterRef(not_before)
        )
        if kind == EventKind.INITIAL_MEETING_HELD:
            # A meeting that did not go ahead as one is not the first meeting
            # (docs/decisions.md, 154).
            events = events & RecordedEvent.objects.initial_meetings_held()
        return Subquery(events.order_by("date").values("date")[:1])

    started = (
        cases.filter(pre_proceedings_started_on__gte=since)
        .annotate(
            letter=first(EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, "pre_proceedings_started_on"),
        )
        .annotate(meeting=first(EventKind.INITIAL_MEETING_HELD, "letter"))
    )
    averages = started.aggregate(
        to_letter=Avg(
            ExpressionWrapper(
                F("letter") - F("pre_proceedings_started_on"), output_field=DurationField()
            )
        ),
        letters=Count("pk", filter=Q(letter__isnull=False)),
        to_meeting=Avg(ExpressionWrapper(F("meeting") - F("letter"), output_field=DurationField())),
        meetings=Count("pk", filter=Q(meeting__isnull=False)),
    )

    return Reports(
        today=day,
        since=since,
        team=team,
        pre_proceedings=pre_proceedings,
        decision_weeks=policy.pre_proceedings_decision_weeks,
        stages=stages,
        months=month_outcomes,
        concluded=ConcludedWithin(
            concluded=concluded["total"],
            within=concluded["within"],
            weeks=round(policy.final_order_days / 7, 1),
        ),
        averages=[
            AverageDays(
                "Gateway decision to letter before proceedings",
                "Decision to letter",
                _days(averages["to_letter"]),
                averages["letters"],
            ),
            AverageDays(
                "Letter before proceedings to first meeting",
                "Letter to first meeting",
                _days(averages["to_meeting"]),
                averages["meetings"],
            ),
        ],
    )


# --- approvals --------------------------------------------------------------------------


@dataclass
class LetterToApprove:
    letter: Any
    days_waiting: int
    failed_checks: list[str]  # the approval checks it fails, in words (letters/gate.py)


@dataclass
class RequestToDecide:
    request: Any
    days_waiting: int


@dataclass
class Approvals:
    letters: list[LetterToApprove]
    requests: list[RequestToDecide]
    gate: float
    approves_letters: bool
    decides_extensions: bool

    @property
    def count(self) -> int:
        return len(self.letters) + len(self.requests)


def _days_since(since: Any, today: dt.date) -> int:
    return max((today - timezone.localtime(since).date()).days, 0)


def approvals(*, user: Any, today: dt.date) -> Approvals:
    """What waits for this person's approval: draft letters they may approve and
    extension requests they may decide, each oldest first."""
    gate = letters_conf.approval_min_reading_ease()
    inputs = letter_gate.Inputs.load()
    letters = [
        LetterToApprove(
            letter,
            _days_since(letter.generated_at, today),
            [check.failure for check in letter_gate.failed_checks(letter, inputs=inputs)],
        )
        for letter in letter_selectors.letters_to_approve(user)
    ]
    requests = [
        RequestToDecide(request, _days_since(request.requested_at, today))
        for request in case_selectors.extension_requests_to_decide(user=user)
    ]
    return Approvals(
        letters=letters,
        requests=requests,
        gate=gate,
        approves_letters=approves_letters(user),
        decides_extensions=decides_extensions(user),
    )


def approves_letters(user: Any) -> bool:
    return getattr(user, "role", None) in (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.LEGAL)


def decides_extensions(user: Any) -> bool:
    spec = TRANSITIONS["extend_pre_proceedings"]
    return getattr(user, "role", None) in spec.approvers & spec.any_roles


def approvals_count(user: Any) -> int:
    """The number in the navigation's "Approvals (n)": two counts, no rows read."""
    count = 0
    if approves_letters(user):
        count += letter_selectors.letters_to_approve_count(user)
    if decides_extensions(user):
        count += case_selectors.extension_requests_to_decide_count(user=user)
    return count
