"""Invented load data for measuring the tracker board at national scale.

THIS BYPASSES THE CASE SERVICES, on purpose and only here. The services (one locked
transaction per case, an audit row and a deadline recomputation per write) are the one
write path for real cases, but walking 200,000 cases through them would take hours. This
module builds each invented case's history in memory instead (stage changes, recorded
events, extensions, gateway decisions, audit rows, and for a case that reached
proceedings its court record: proceedings, hearings, directions), computes its deadlines
with the same pure rules the services use (`deadlines.rules.compute_deadlines` on the
built facts, the court record's read by `court.facts` as for a real case), and writes
the rows in batches: PostgreSQL's COPY on PostgreSQL (its foreign keys checked once
at the end), `bulk_create` on other databases. Use it for load and benchmark databases
only, never on a database that holds real cases, and not while the app is in use (it
sets primary keys itself so that it can link rows without reading them back, and on
PostgreSQL it holds its tables locked until it commits).

Every name is made up. Histories follow the lifecycle in docs/domain/stages.md with
realistic gaps (some late meetings, some overdue oversight, some extensions), so the
board shows a spread of RAG statuses. The rows are what the services would have written:
`deadlines_recompute` on a generated case changes nothing, and each audit row is made by
`cases.events.case_event_build`, the one place an audit row's fields are filled (tests in
tests/demo/test_generate_load.py check both). The court record's rows have no audit rows
of their own: the load data exercises the board, the diary and the alerts, not the trail.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import JSONField, Max

from legaltracker.accounts.models import Role, Team
from legaltracker.calendars.services import get_calendar
from legaltracker.cases.choices import (
    CLOSE_OUTCOMES,
    FINAL_ORDER_OUTCOMES,
    CaseEventKind,
    EventKind,
    ExtensionKind,
    HearingType,
    Outcome,
    Relationship,
    Stage,
    StepDownTo,
    ThresholdView,
    Transition,
)
from legaltracker.cases.day1 import SHIPPED as DAY1_CHECKLIST
from legaltracker.cases.events import case_event_build, case_event_chain
from legaltracker.cases.models import (
    Adult,
    Case,
    CaseEvent,
    Child,
    Extension,
    Family,
    GatewayDecision,
    RecordedEvent,
)
from legaltracker.cases.search import search_text_refresh
from legaltracker.core import clock, hashchain
from legaltracker.core.models import AuditChainHead
from legaltracker.court import facts as court_facts
from legaltracker.court.choices import (
    DirectionParty,
    DirectionStatus,
    DraftOrderBy,
    HearingKind,
    HearingStatus,
    OrderMade,
)
from legaltracker.court.models import CourtCentre, Direction, Hearing, Proceedings
from legaltracker.deadlines import rules
from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.services import timescales

TEAM_PREFIX = "load-"
CASES_PER_WORKER = 16  # docs/domain/README.md: social workers carry about 16-17 cases
CASES_PER_TEAM = 500
LONDON = ZoneInfo("Europe/London")

FIRST_NAMES = [
    "Alex",
    "Amara",
    "Ayaan",
    "Bea",
    "Bilal",
    "Cai",
    "Cerys",
    "Dara",
    "Deniz",
    "Eden",
    "Efe",
    "Elin",
    "Ezra",
    "Fern",
    "Finn",
    "Gethin",
    "Hana",
    "Idris",
    "Ines",
    "Iwan",
    "Jaya",
    "Jem",
    "Kai",
    "Keira",
    "Lena",
    "Lowen",
    "Mali",
    "Marek",
    "Mina",
    "Nell",
    "Noor",
    "Olu",
    "Osian",
    "Pia",
    "Quinn",
    "Rafi",
    "Rhea",
    "Rowan",
    "Sana",
    "Seren",
    "Tami",
    "Teo",
    "Uma",
    "Vida",
    "Wren",
    "Yara",
    "Yusuf",
    "Zac",
    "Zora",
    "Ffion",
]
LAST_NAMES = [
    "Ashdown",
    "Barrowby",
    "Bramwell",
    "Calderbank",
    "Carrow",
    "Dunmore",
    "Eskdale",
    "Fairholme",
    "Fenwick",
    "Glaisdale",
    "Greystoke",
    "Hallam",
    "Harrowgate",
    "Ingleby",
    "Kestrelton",
    "Kirkbride",
    "Langholm",
    "Larkrise",
    "Marwood",
    "Merriott",
    "Netherby",
    "Oakhurst",
    "Orrell",
    "Pennock",
    "Quarry",
    "Redmire",
    "Ribbleton",
    "Saltburn",
    "Sedgwick",
    "Thornaby",
    "Tilbrook",
    "Ulverby",
    "Wetherall",
    "Whinfell",
    "Yarrow",
]
PLACES = ["Ashbourne", "Brackley", "Calder", "Dunford", "Elmore", "Fairley", "Glenholt"]


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


# --- staff ----------------------------------------------------------------------------


@dataclass
class Staffing:
    teams: list[Team]
    workers: dict[int, list[Any]]  # team id -> social workers
    managers: dict[int, Any]  # team id -> team manager
    head_of_service: Any
    lawyers: list[Any]
    court_liaison_officer: Any


def ensure_staff(*, rng: random.Random, open_cases: int, teams: int | None = None) -> Staffing:
    """The invented teams and people the load cases belong to. Runs that follow reuse
    them, so that a run adding closed cases spreads them over the same teams."""
    existing = list(Team.objects.filter(code__startswith=TEAM_PREFIX).order_by("code"))
    wanted = teams or max(len(existing), 2, math.ceil(open_cases / CASES_PER_TEAM))
    new_teams = [
        Team(code=f"{TEAM_PREFIX}t{n:03d}", name=f"{rng.choice(PLACES)} Family Team {n} (load)")
        for n in range(len(existing) + 1, wanted + 1)
    ]
    Team.objects.bulk_create(new_teams)
    team_list = list(Team.objects.filter(code__startswith=TEAM_PREFIX).order_by("code"))
    User = get_user_model()
    per_team = max(3, math.ceil(open_cases / max(1, len(team_list)) / CASES_PER_WORKER))
    have = set(
        User.objects.filter(username__startswith=TEAM_PREFIX).values_list("username", flat=True)
    )
    password = make_password(None)  # unusable: load users cannot sign in
    to_create = []

    def person(username: str, role: str, team: Team | None) -> None:
        if username not in have:
            first, last = _name(rng)
            to_create.append(
                User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    role=role,
                    team=team,
                    password=password,
                )
            )

    for team in team_list:
        number = team.code.removeprefix(f"{TEAM_PREFIX}t")
        person(f"{TEAM_PREFIX}tm-{number}", Role.TEAM_MANAGER, team)
        for n in range(1, per_team + 1):
            person(f"{TEAM_PREFIX}sw-{number}-{n:03d}", Role.SOCIAL_WORKER, team)
    person(f"{TEAM_PREFIX}hos", Role.HEAD_OF_SERVICE, None)
    for n in range(1, 4):
        person(f"{TEAM_PREFIX}legal-{n}", Role.LEGAL, None)
    person(f"{TEAM_PREFIX}clo", Role.COURT_LIAISON_OFFICER, None)
    User.objects.bulk_create(to_create, batch_size=1000)

    users = list(User.objects.filter(username__startswith=TEAM_PREFIX).order_by("username"))
    workers: dict[int, list[Any]] = {team.pk: [] for team in team_list}
    managers: dict[int, Any] = {}
    lawyers = []
    head_of_service = clo = None
    for user in users:
        if user.role == Role.SOCIAL_WORKER and user.team_id in workers:
            workers[user.team_id].append(user)
        elif user.role == Role.TEAM_MANAGER and user.team_id in workers:
            managers[user.team_id] = user
        elif user.role == Role.LEGAL:
            lawyers.append(user)
        elif user.role == Role.HEAD_OF_SERVICE:
            head_of_service = user
        elif user.role == Role.COURT_LIAISON_OFFICER:
            clo = user
    return Staffing(team_list, workers, managers, head_of_service, lawyers, clo)


# --- one invented history -------------------------------------------------------------


@dataclass(frozen=True)
class CourtPlan:
    """When a case's first hearings fall (from its issue), and the day its story ends."""

    day1: dt.date
    cmh_listed_on: dt.date
    cmh_on: dt.date
    irh_on: dt.date
    until: dt.date


@dataclass
class LoadHearing:
    """A hearing row to write, with the attributes court.facts reads."""

    id: int
    number: int
    kind: str
    starts_at: dt.datetime
    listed_on: dt.date
    status: str = HearingStatus.LISTED
    reason_code: str = ""
    reason_text: str = ""
    relisted_as_id: int | None = None
    orders_made: list[str] = field(default_factory=list)
    draft_order_by: str = ""
    draft_order_due: dt.date | None = None
    draft_order_sent_on: dt.date | None = None


@dataclass
class LoadDirection:
    """A direction row to write, with the attributes court.facts reads."""

    number: int
    hearing_id: int | None
    text: str
    party: str
    made_on: dt.date
    due_on: dt.date
    original_due_on: dt.date
    owner_id: int | None
    status: str = DirectionStatus.OUTSTANDING
    filed_on: dt.date | None = None


@dataclass
class History:
    """Everything that happened on one invented case, in the shape the rules read."""

    opened_on: dt.date
    stage: str = Stage.CONCERN
    stage_entered_on: dt.date | None = None
    referred_on: dt.date | None = None
    pre_proceedings_started_on: dt.date | None = None
    issue_decided_on: dt.date | None = None
    issued_on: dt.date | None = None
    closed_on: dt.date | None = None
    outcome: str = ""
    step_down_to: str = ""
    urgent: bool = False
    short_notice_reason: str = ""
    court_reference: str = ""
    changes: list[rules.StageChange] = field(default_factory=list)
    events: list[rules.Event] = field(default_factory=list)
    extensions: list[tuple[str, dt.date, dt.date, dt.date]] = field(default_factory=list)
    gateways: list[tuple[str, dt.date, str]] = field(default_factory=list)
    court: CourtPlan | None = None
    # The court record written for the plan (`_CourtRecord`), in the order the case's
    # own reads return it (hearings by time, directions by number).
    hearings: list[LoadHearing] = field(default_factory=list)
    directions: list[LoadDirection] = field(default_factory=list)

    def facts(self, fgdm_required: bool) -> rules.CaseFacts:
        # The court record reaches the rules as it does for a real case (court.facts).
        hearings = sorted(self.hearings, key=lambda h: (h.starts_at, h.id))
        return rules.CaseFacts(
            stage=self.stage,
            opened_on=self.opened_on,
            urgent=self.urgent,
            stage_changes=sorted(self.changes, key=lambda c: c.date),
            events=[*self.events, *court_facts.hearing_events(hearings)],
            extensions=[rules.ExtensionFact(k, d, new) for k, d, _, new in self.extensions],
            fgdm_required=fgdm_required,
            court_deadlines=court_facts.court_deadlines(
                hearings, self.directions, self.stage != Stage.CLOSED
            ),
        )


_TRANSITION: dict[tuple[str, str], str] = {
    (Stage.CONCERN, Stage.LEGAL_GATEWAY): Transition.REFER_TO_GATEWAY,
    (Stage.LEGAL_GATEWAY, Stage.PRE_PROCEEDINGS): Transition.GATEWAY_ENTER_PRE_PROCEEDINGS,
    (Stage.LEGAL_GATEWAY, Stage.ISSUE): Transition.GATEWAY_ISSUE,
    (Stage.LEGAL_GATEWAY, Stage.CLOSED): Transition.GATEWAY_CONTINUE_PLAN,
    (Stage.PRE_PROCEEDINGS, Stage.LEGAL_GATEWAY): Transition.ESCALATE_TO_GATEWAY,
    (Stage.PRE_PROCEEDINGS, Stage.CLOSED): Transition.STEP_DOWN,
    (Stage.ISSUE, Stage.PROCEEDINGS): Transition.ISSUE_PROCEEDINGS,
    (Stage.PROCEEDINGS, Stage.CLOSED): Transition.CONCLUDE_PROCEEDINGS,
}

CG, GW, PP, IS, PR = (
    Stage.CONCERN,
    Stage.LEGAL_GATEWAY,
    Stage.PRE_PROCEEDINGS,
    Stage.ISSUE,
    Stage.PROCEEDINGS,
)
# Open cases: (weight, stages walked, the last being the current one).
OPEN_PATHS = [
    (5, [CG]),
    (9, [CG, GW]),
    (1, [CG, GW, PP, GW]),
    (45, [CG, GW, PP]),
    (4, [CG, GW, IS]),
    (1, [CG, GW, PP, GW, IS]),
    (27, [CG, GW, IS, PR]),
    (8, [CG, GW, PP, GW, IS, PR]),
]
# Closed cases: (weight, stages walked before closing, how it closed).
CLOSED_PATHS = [
    (30, [CG, GW], Transition.GATEWAY_CONTINUE_PLAN),
    (35, [CG, GW, PP], Transition.STEP_DOWN),
    (20, [CG, GW, IS, PR], Transition.CONCLUDE_PROCEEDINGS),
    (10, [CG, GW, PP, GW, IS, PR], Transition.CONCLUDE_PROCEEDINGS),
    (5, [CG, GW, PP], Transition.CLOSE),
]


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


def _weeks(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(days=round(rng.uniform(low, high) * 7))


def _completed_duration(
    rng: random.Random, stage: str, next_stage: str, urgent: bool
) -> dt.timedelta:
    if stage == CG:
        return _days(rng, 3, 60)
    if stage == GW:
        return _days(rng, 2, 21)
    if stage == PP:
        return _weeks(rng, 10, 30) if next_stage == Stage.CLOSED else _weeks(rng, 6, 24)
    if stage == IS:
        return _days(rng, 0, 1) if urgent else _days(rng, 1, 9)
    return _weeks(rng, 16, 45)  # proceedings to a final order


def _current_duration(rng: random.Random, stage: str) -> dt.timedelta:
    if stage == CG:
        return _days(rng, 0, 30)
    if stage == GW:
        return _days(rng, 0, 25)
    if stage == PP:
        # Most families are early in pre-proceedings; a tail has drifted past 16 weeks.
        return dt.timedelta(days=round(rng.triangular(0, 34, 6) * 7))
    if stage == IS:
        return _days(rng, 0, 8)
    return dt.timedelta(days=round(rng.triangular(0, 56, 14) * 7))


def build_history(rng: random.Random, today: dt.date, *, closed: bool) -> History:
    """An invented, self-consistent history that ends today (open) or on its closing."""
    if closed:
        _, stages, closing = rng.choices(CLOSED_PATHS, weights=[p[0] for p in CLOSED_PATHS])[0]
    else:
        _, stages = rng.choices(OPEN_PATHS, weights=[p[0] for p in OPEN_PATHS])[0]
        closing = None
    urgent = IS in stages and rng.random() < 0.08
    durations = []
    for index, stage in enumerate(stages):
        if index + 1 < len(stages):
            durations.append(_completed_duration(rng, stage, stages[index + 1], urgent))
        elif closed:
            durations.append(_completed_duration(rng, stage, Stage.CLOSED, urgent))
        else:
            durations.append(_current_duration(rng, stage))
    end = today - _days(rng, 0, 3650) if closed else today
    history = History(opened_on=end - sum(durations, dt.timedelta()))
    history.urgent = urgent
    start = history.opened_on
    for index, stage in enumerate(stages):
        stage_end = start + durations[index]
        last = index + 1 == len(stages)
        period_end = stage_end if (closed or not last) else None
        _stage_events(rng, history, stage, start, period_end or today, end)
        if not last:
            _move(rng, history, stage, stages[index + 1], stage_end)
        start = stage_end
    if closed:
        _close(rng, history, stages[-1], closing, start)
    _life_events(rng, history, history.closed_on or today)
    history.stage_entered_on = (
        max((c.date for c in history.changes if c.from_stage != c.to_stage), default=None)
        or history.opened_on
    )
    return history


def _move(rng: random.Random, history: History, source: str, target: str, day: dt.date) -> None:
    name = _TRANSITION[(source, target)]
    history.changes.append(rules.StageChange(name, source, target, day))
    history.stage = target
    if name in (Transition.REFER_TO_GATEWAY, Transition.ESCALATE_TO_GATEWAY):
        history.referred_on = day
    if source == GW:
        view = ThresholdView.MET if target != Stage.CLOSED else ThresholdView.NOT_MET
        history.gateways.append((name, day, view))
    if target == PP:
        history.pre_proceedings_started_on = day
    if name == Transition.GATEWAY_ISSUE:
        history.issue_decided_on = day
        if history.urgent:
            history.short_notice_reason = "Invented: a baby at immediate risk of harm."
    if name == Transition.ISSUE_PROCEEDINGS:
        history.issued_on = day
        history.court_reference = f"ZW{day:%y}C{rng.randint(1, 99999):05d}"


def _close(
    rng: random.Random, history: History, stage: str, name: str | None, day: dt.date
) -> None:
    assert name is not None
    history.changes.append(rules.StageChange(name, stage, Stage.CLOSED, day))
    history.stage = Stage.CLOSED
    history.closed_on = day
    if name == Transition.GATEWAY_CONTINUE_PLAN:
        history.outcome = Outcome.CONTINUE_PLAN
        history.gateways.append((name, day, ThresholdView.NOT_MET))
    elif name == Transition.STEP_DOWN:
        history.outcome = Outcome.STEPPED_DOWN
        history.step_down_to = rng.choice(StepDownTo.values)
    elif name == Transition.CONCLUDE_PROCEEDINGS:
        history.outcome = rng.choice(FINAL_ORDER_OUTCOMES).value
    else:
        history.outcome = rng.choice(CLOSE_OUTCOMES).value


def _add(history: History, kind: str, day: dt.date, until: dt.date, **details: Any) -> bool:
    if history.opened_on <= day <= until:
        history.events.append(rules.Event(kind, day, details))
        return True
    return False


def _stage_events(
    rng: random.Random,
    history: History,
    stage: str,
    start: dt.date,
    until: dt.date,
    case_end: dt.date,
) -> None:
    if stage == PP:
        _pre_proceedings_events(rng, history, start, until)
    elif stage == IS:
        # The letter of issue can follow Day 1 (short-notice issue): it belongs to the
        # court episode, not to the issue stage.
        _add(history, EventKind.LETTER_OF_ISSUE_SENT, start + _days(rng, 0, 3), case_end)
        # The checklist as shipped: generated histories are built without the database.
        for code, _label in DAY1_CHECKLIST:
            _add(
                history,
                EventKind.DOCUMENT_READY,
                min(until, start + _days(rng, 0, 4)),
                until,
                document=code,
            )
        if not any(e.kind == EventKind.FGDM_OFFERED for e in history.events):
            _add(history, EventKind.FGDM_OFFERED, start, until)
            _add(history, EventKind.FGDM_DECLINED, start, until)
    elif stage == PR:
        _proceedings_events(rng, history, start, until)


def _pre_proceedings_events(
    rng: random.Random, history: History, start: dt.date, until: dt.date
) -> None:
    letter = start + _days(rng, 1, 9)
    if not _add(history, EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, letter, until):
        return
    _add(history, EventKind.FGDM_OFFERED, letter, until)
    reply = letter + _days(rng, 2, 10)
    if rng.random() < 0.4:
        if _add(history, EventKind.FGDM_ACCEPTED, reply, until):
            _add(history, EventKind.FGDM_HELD, reply + _days(rng, 10, 30), until)
    else:
        _add(history, EventKind.FGDM_DECLINED, reply, until)
    initial = letter + _days(rng, 6, 18)
    # A few first meetings do not go ahead as pre-proceedings meetings (a parent does not
    # come, no solicitor): the census counts the rearranged, effective one.
    if rng.random() < 0.05 and _add(
        history, EventKind.INITIAL_MEETING_HELD, initial, until, **_effective(initial, False)
    ):
        initial += _days(rng, 7, 14)
    if not _add(
        history, EventKind.INITIAL_MEETING_HELD, initial, until, **_effective(initial, True)
    ):
        return
    _add(history, EventKind.ASSESSMENT_COMPLETED, initial + _days(rng, 21, 70), until)
    review = initial + _days(rng, 35, 56)
    while _add(history, EventKind.REVIEW_MEETING_HELD, review, until):
        review += _days(rng, 35, 56)
    decision_point = initial + dt.timedelta(weeks=16)
    decided = decision_point - _days(rng, 0, 7)
    if until > decision_point and decided <= until and rng.random() < 0.6:
        new_end = decision_point + _weeks(rng, 4, 8)
        history.extensions.append((ExtensionKind.PRE_PROCEEDINGS, decided, decision_point, new_end))
        history.changes.append(
            rules.StageChange(Transition.EXTEND_PRE_PROCEEDINGS, PP, PP, decided)
        )


# Initial meetings recorded before the app asked whether the meeting was effective carry
# no answer (read as effective); the load data's older meetings are like that.
EFFECTIVE_ASKED_FROM = dt.date(2025, 4, 1)


def _effective(day: dt.date, effective: bool) -> dict[str, Any]:
    return {"effective": effective} if day >= EFFECTIVE_ASKED_FROM else {}


def _proceedings_events(
    rng: random.Random, history: History, day1: dt.date, until: dt.date
) -> None:
    _add(history, EventKind.PARTIES_SERVED, day1 + _days(rng, 1, 2), until)
    hearing = day1 + _days(rng, 14, 26)
    _add(
        history,
        EventKind.HEARING_HELD,
        hearing - _days(rng, 2, 3),
        until,
        hearing_type=HearingType.ADVOCATES_MEETING.value,
    )
    # The hearings themselves are hearing records (legaltracker.court), written by
    # `_CourtRecord` from this plan: they reach the rules as court.facts makes them.
    history.court = CourtPlan(
        day1=day1,
        cmh_listed_on=day1 + _days(rng, 1, 3),
        cmh_on=hearing,
        irh_on=day1 + _weeks(rng, 18, 24),
        until=until,
    )
    final_due = day1 + dt.timedelta(days=182)
    decided = final_due - _days(rng, 7, 28)
    if until > final_due and decided <= until and rng.random() < 0.7:
        # The court extends in whole weeks (docs/domain/stages.md).
        new_end = final_due + dt.timedelta(weeks=round(rng.uniform(4, 8)))
        history.extensions.append((ExtensionKind.TIMETABLE, decided, final_due, new_end))
        history.changes.append(rules.StageChange(Transition.EXTEND_TIMETABLE, PR, PR, decided))


def _life_events(rng: random.Random, history: History, until: dt.date) -> None:
    """Oversight notes and assessments over the whole life of the case."""
    # Some teams let oversight lapse: the board's "days since oversight" shows it.
    every = (10, 27) if rng.random() < 0.85 else (25, 50)
    day = history.opened_on + _days(rng, 5, 25)
    while _add(history, EventKind.MANAGEMENT_OVERSIGHT, day, until):
        day += _days(rng, *every)
    assess_every = (90, 175) if rng.random() < 0.85 else (150, 280)
    day = history.opened_on + _days(rng, 10, 40)
    while _add(history, EventKind.ASSESSMENT_COMPLETED, day, until):
        day += _days(rng, *assess_every)
    if rng.random() < 0.12:
        _add(
            history,
            EventKind.CHANGE_OF_CIRCUMSTANCES,
            history.opened_on + _days(rng, 20, 200),
            until,
        )
    history.events.sort(key=lambda e: e.date)


# --- writing --------------------------------------------------------------------------


class _Ids:
    """Primary keys handed out here so that child rows can point at parents before
    anything is written; the sequences are moved past them at the end."""

    def __init__(self, model: Any) -> None:
        self.next = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


class _Table:
    """Rows for one model as plain tuples (building a model instance per row would cost
    more than computing the whole history). `given` names the values each row carries;
    every other column gets its field's default, or `now` for timestamps."""

    def __init__(self, model: Any, given: tuple[str, ...], now: dt.datetime) -> None:
        self.model = model
        self.given = given
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = [f for name, f in fields.items() if name not in given and not f.primary_key]
        self.columns = (*given, *(f.attname for f in rest))
        self.fill = tuple(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
            for f in rest
        )
        self.json = [
            i for i, name in enumerate(self.columns) if isinstance(fields[name], JSONField)
        ]
        self.db_columns = [fields[name].column for name in self.columns]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(values)

    def add_built(self, instance: Any) -> None:
        """A row from an unsaved instance that another module built (the audit rows)."""
        self.rows.append(tuple(getattr(instance, name) for name in self.given))

    def write(self, batch_size: int) -> int:
        if not self.rows:
            return 0
        if connection.vendor == "postgresql":
            self._copy()
        else:
            objects = [
                self.model(**dict(zip(self.columns, (*row, *self.fill), strict=True)))
                for row in self.rows
            ]
            self.model.objects.bulk_create(objects, batch_size=batch_size)
        count = len(self.rows)
        self.rows = []
        return count

    def _copy(self) -> None:
        """PostgreSQL's COPY, fed pre-formatted text: far faster than INSERT here."""
        quote = connection.ops.quote_name
        sql = (
            f"COPY {quote(self.model._meta.db_table)} "
            f"({', '.join(quote(c) for c in self.db_columns)}) FROM STDIN"
        )
        json_columns = set(self.json)
        width = len(self.columns) - len(self.fill)
        fill = [_copy_text(v, width + i in json_columns) for i, v in enumerate(self.fill)]
        lines = []
        for row in self.rows:
            cells = [_copy_text(v, i in json_columns) for i, v in enumerate(row)]
            lines.append("\t".join(cells + fill))
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write("\n".join(lines) + "\n")


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any, is_json: bool = False) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if is_json:
        return json.dumps(value).translate(_COPY_ESCAPES)
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)  # int, date, aware datetime: forms PostgreSQL reads


class _Batch:
    def __init__(self, now: dt.datetime) -> None:
        self.families = _Table(Family, ("id",), now)
        self.cases = _Table(
            Case,
            (
                "id",
                "reference",
                "family_id",
                "team_id",
                "social_worker_id",
                "stage",
                "outcome",
                "urgent",
                "unborn_baby",
                "opened_on",
                "stage_entered_on",
                "referred_on",
                "pre_proceedings_started_on",
                "issue_decided_on",
                "issued_on",
                "closed_on",
                "court_reference",
                "short_notice_reason",
                "step_down_to",
                "version",
                "created_by_id",
            ),
            now,
        )
        self.children = _Table(
            Child,
            (
                "case_id",
                "first_name",
                "last_name",
                "date_of_birth",
                "expected_date_of_birth",
                "la_child_id",
                "cin_referral_date",
                "cin_episode_id",
            ),
            now,
        )
        self.adults = _Table(
            Adult,
            (
                "case_id",
                "first_name",
                "last_name",
                "relationship",
                "parental_responsibility",
                "has_solicitor",
            ),
            now,
        )
        self.events = _Table(
            RecordedEvent,
            (
                "id",
                "case_id",
                "kind",
                "date",
                "summary",
                "details",
                "recorded_by_id",
            ),
            now,
        )
        self.gateways = _Table(
            GatewayDecision,
            (
                "case_id",
                "transition",
                "meeting_date",
                "attendees",
                "threshold_view",
                "reasons",
                "recorded_by_id",
            ),
            now,
        )
        self.extensions = _Table(
            Extension,
            (
                "case_id",
                "kind",
                "decided_on",
                "previous_end",
                "new_end",
                "reason",
                "approved_by_id",
                "recorded_by_id",
            ),
            now,
        )
        self.audit = _Table(
            CaseEvent,
            (
                "case_id",
                "actor_id",
                "at",
                "action",
                "from_stage",
                "to_stage",
                "effective_date",
                "reasons",
                "details",
                "chain_hash",
            ),
            now,
        )
        self.chain_heads = _Table(
            AuditChainHead, ("chain", "key", "length", "last_hash", "seal"), now
        )
        self.deadlines = _Table(
            Deadline,
            (
                "case_id",
                "milestone",
                "cycle",
                "starts_from",
                "due",
                "not_before",
                "met_on",
                "applies",
                "owner_id",
            ),
            now,
        )
        self.proceedings = _Table(
            Proceedings,
            (
                "case_id",
                "court_centre_id",
                "judge_level",
                "judge_name",
                "guardian_service",
                "guardian_name",
                "children_solicitor_firm",
                "advocate_kind",
                "advocate_name",
            ),
            now,
        )
        self.hearings = _Table(
            Hearing,
            (
                "id",
                "case_id",
                "number",
                "kind",
                "starts_at",
                "court_centre_id",
                "listed_on",
                "status",
                "reason_code",
                "reason_text",
                "relisted_as_id",
                "orders_made",
                "draft_order_by",
                "draft_order_due",
                "draft_order_sent_on",
                "recorded_by_id",
            ),
            now,
        )
        self.directions = _Table(
            Direction,
            (
                "case_id",
                "number",
                "hearing_id",
                "text",
                "party",
                "made_on",
                "due_on",
                "original_due_on",
                "owner_id",
                "status",
                "filed_on",
            ),
            now,
        )

    def write(self, batch_size: int) -> dict[str, int]:
        # Parents first: foreign keys are checked at commit, but the order keeps the
        # fallback path (bulk_create) valid on databases that check at once.
        names = (
            "families",
            "cases",
            "children",
            "adults",
            "events",
            "gateways",
            "extensions",
            "audit",
            "chain_heads",
            "proceedings",
            "hearings",
            "directions",
            "deadlines",
        )
        case_ids = [row[0] for row in self.cases.rows]
        with transaction.atomic():
            written = {name: getattr(self, name).write(batch_size) for name in names}
            search_text_refresh(case_ids=case_ids)
            return written


def _at(day: dt.date, order: int) -> dt.datetime:
    """A time on `day` that keeps the audit rows of a case in the order they happened
    (the deadline rules read stage changes in that order, and two can share a day)."""
    start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=LONDON)
    return start + dt.timedelta(minutes=order)


_ACTOR_ROLE: dict[str, str] = {
    EventKind.MANAGEMENT_OVERSIGHT: "manager",
    EventKind.LETTER_BEFORE_PROCEEDINGS_SENT: "lawyer",
    EventKind.LETTER_OF_ISSUE_SENT: "lawyer",
    EventKind.DOCUMENT_READY: "lawyer",
    EventKind.PARTIES_SERVED: "lawyer",
    EventKind.HEARING_LISTED: "clo",
    EventKind.HEARING_HELD: "clo",
}
_TRANSITION_ROLE: dict[str, str] = {
    Transition.REFER_TO_GATEWAY: "worker",
    Transition.GATEWAY_CONTINUE_PLAN: "hos",
    Transition.GATEWAY_ENTER_PRE_PROCEEDINGS: "hos",
    Transition.GATEWAY_ISSUE: "lawyer",
    Transition.EXTEND_PRE_PROCEEDINGS: "hos",
    Transition.STEP_DOWN: "manager",
    Transition.ESCALATE_TO_GATEWAY: "manager",
    Transition.ISSUE_PROCEEDINGS: "lawyer",
    Transition.EXTEND_TIMETABLE: "lawyer",
    Transition.CONCLUDE_PROCEEDINGS: "lawyer",
    Transition.CLOSE: "hos",
}
_EVENT_SUMMARY = {kind.value: f"Invented: {kind.label.lower()}." for kind in EventKind}


# --- the court record -----------------------------------------------------------------

_DIRECTIONS = (
    # (text, party, owner: "worker" or "lawyer" for the council's, weeks after the CMH)
    ("File an updated chronology", DirectionParty.COUNCIL, "lawyer", 1),
    ("File the social work evidence and care plan", DirectionParty.COUNCIL, "worker", 3),
    ("Disclose the police records", DirectionParty.COUNCIL, "lawyer", 2),
    ("File the parents' responses to the threshold", DirectionParty.PARENT, None, 2),
    ("Instruct the psychologist", DirectionParty.COUNCIL, "lawyer", 2),
    ("File the parenting assessment", DirectionParty.EXPERT, None, 8),
    ("File the viability assessments of the family", DirectionParty.COUNCIL, "worker", 6),
    ("File the parents' final evidence", DirectionParty.PARENT, None, 14),
    ("File the final evidence and care plan", DirectionParty.COUNCIL, "worker", 16),
    ("File the guardian's final analysis", DirectionParty.GUARDIAN, None, 18),
)
_JUDGES = ("District Judge Invented", "Her Honour Judge Madeup", "His Honour Judge Sample")
_ADJOURN_CODES = ("EX1", "LA5", "LW1", "HM1", "JU2")
_VACATE_CODES = ("JU3", "HM1", "OT1", "LW4")


class _CourtRecord:
    """A case's court record, as the court services would have kept it: about five
    hearings (an interim hearing, the case management hearing, a fact-finding hearing
    adjourned and re-listed, a directions hearing vacated, the issues resolution
    hearing), ten directions (some overdue) and its proceedings row. Only what had
    happened by the case's last day is written; the case's deadlines are computed from
    these rows by court.facts, as for a real case."""

    def __init__(
        self, rng: random.Random, calendar: Any, ts: rules.Timescales, today: dt.date
    ) -> None:
        self.rng, self.calendar, self.ts, self.today = rng, calendar, ts, today
        self.ids = _Ids(Hearing)
        self.centres: list[int | None] = [*CourtCentre.objects.values_list("pk", flat=True)] or [
            None
        ]

    def _working(self, day: dt.date) -> dt.date:
        return day if self.calendar.is_working_day(day) else self.calendar.add_working_days(day, 1)

    def _at(self, day: dt.date) -> dt.datetime:
        hour = self.rng.choice((10, 10, 11, 14))
        return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON)

    def add(self, batch: _Batch, case_id: int, history: History, actors: dict[str, int]) -> None:
        plan = history.court
        assert plan is not None
        rng, until = self.rng, plan.until
        centre = rng.choice(self.centres)
        batch.proceedings.add(
            case_id,
            centre,
            rng.choice(("district_judge", "circuit_judge")),
            rng.choice(_JUDGES),
            "cafcass",
            "Invented Guardian",
            "Invented Solicitors LLP",
            "in_house",
            "Invented Lawyer",
        )
        hearings: list[LoadHearing] = []

        def listed(kind: str, day: dt.date, on: dt.date) -> LoadHearing | None:
            day = self._working(day)
            if on > until:
                return None
            hearing = LoadHearing(
                self.ids.take(), len(hearings) + 1, kind, self._at(day), min(on, day)
            )
            hearings.append(hearing)
            return hearing

        def hold(hearing: LoadHearing | None, orders: list[str]) -> None:
            day = hearing.starts_at.date() if hearing else None
            if hearing is None or day is None or day > until:
                return
            due = self.calendar.add_working_days(day, self.ts.draft_order_working_days)
            hearing.status, hearing.orders_made = HearingStatus.HELD, orders
            hearing.draft_order_by, hearing.draft_order_due = DraftOrderBy.COUNCIL, due
            # Most draft orders go on time; some late, a few not yet (overdue).
            late = rng.random()
            sent = due if late < 0.8 else due + _days(rng, 1, 5) if late < 0.95 else None
            hearing.draft_order_sent_on = sent if sent is not None and sent <= until else None

        def cancel(hearing: LoadHearing | None, status: str, codes: tuple[str, ...]) -> None:
            if hearing is None or hearing.starts_at.date() > until:
                return
            hearing.status, hearing.reason_code = status, rng.choice(codes)
            hearing.reason_text = "Invented load data."

        day1 = plan.day1
        if rng.random() < 0.6:
            hold(
                listed(HearingKind.INTERIM_CARE_ORDER, day1 + _days(rng, 1, 3), day1),
                [OrderMade.INTERIM_CARE_ORDER],
            )
        cmh = listed(HearingKind.CASE_MANAGEMENT, plan.cmh_on, plan.cmh_listed_on)
        hold(cmh, [OrderMade.INTERIM_CARE_ORDER])
        fact_finding = plan.cmh_on + _weeks(rng, 6, 9)
        first = listed(HearingKind.FACT_FINDING, fact_finding, plan.cmh_on)
        if first is not None and first.starts_at.date() <= until:
            cancel(first, HearingStatus.ADJOURNED, _ADJOURN_CODES)
            again = listed(
                HearingKind.FACT_FINDING, fact_finding + _weeks(rng, 2, 4), first.starts_at.date()
            )
            if again is not None:
                first.relisted_as_id = again.id
                hold(again, [OrderMade.DIRECTIONS_ONLY])
        vacated = listed(HearingKind.DIRECTIONS, plan.cmh_on + _weeks(rng, 10, 12), plan.cmh_on)
        if rng.random() < 0.7:
            cancel(vacated, HearingStatus.VACATED, _VACATE_CODES)
        else:
            hold(vacated, [OrderMade.DIRECTIONS_ONLY])
        hold(
            listed(HearingKind.ISSUES_RESOLUTION, plan.irh_on, plan.irh_on - _weeks(rng, 4, 8)),
            [OrderMade.DIRECTIONS_ONLY],
        )
        if until < self.today:
            # A closed case: hearings still to come when it ended were taken out of the
            # list (the proceedings ended first); they are not kept.
            hearings = [h for h in hearings if h.starts_at.date() <= until]
            kept = {h.id for h in hearings}
            for hearing in hearings:
                if hearing.relisted_as_id not in kept:
                    hearing.relisted_as_id = None
        for hearing in hearings:
            batch.hearings.add(
                hearing.id,
                case_id,
                hearing.number,
                str(hearing.kind),
                hearing.starts_at,
                centre,
                hearing.listed_on,
                str(hearing.status),
                hearing.reason_code,
                hearing.reason_text,
                hearing.relisted_as_id,
                [str(order) for order in hearing.orders_made],
                str(hearing.draft_order_by),
                hearing.draft_order_due,
                hearing.draft_order_sent_on,
                actors["clo"],
            )
        history.hearings = hearings
        history.directions = self._directions(batch, case_id, cmh, plan, actors)

    def _directions(
        self,
        batch: _Batch,
        case_id: int,
        cmh: LoadHearing | None,
        plan: CourtPlan,
        actors: dict[str, int],
    ) -> list[LoadDirection]:
        """The case management order's ten directions, made at the case management
        hearing once it is held: most filed on time, some late, some extended, some
        still outstanding after their date (overdue)."""
        if cmh is None or cmh.status != HearingStatus.HELD:
            return []
        rng, until = self.rng, plan.until
        made = cmh.starts_at.date()
        directions = []
        for number, (text, party, owner, weeks) in enumerate(_DIRECTIONS, start=1):
            due = self._working(made + dt.timedelta(weeks=weeks))
            direction = LoadDirection(
                number, cmh.id, text, str(party), made, due, due, actors[owner] if owner else None
            )
            roll = rng.random()
            if roll < 0.1:
                direction.status = DirectionStatus.EXTENDED
                direction.due_on = due + dt.timedelta(weeks=2)
            if direction.due_on <= until:
                if roll < 0.75:
                    direction.status, direction.filed_on = DirectionStatus.FILED, direction.due_on
                elif roll < 0.85:
                    late = direction.due_on + _days(rng, 1, 10)
                    if late <= until:
                        direction.status, direction.filed_on = DirectionStatus.FILED_LATE, late
                # the rest stay outstanding (or extended): overdue
            directions.append(direction)
            batch.directions.add(
                case_id,
                number,
                cmh.id,
                text,
                str(party),
                made,
                direction.due_on,
                direction.original_due_on,
                direction.owner_id,
                str(direction.status),
                direction.filed_on,
            )
        return directions


class _Writer:
    def __init__(self, rng: random.Random, staff: Staffing, today: dt.date) -> None:
        self.rng = rng
        self.staff = staff
        self.today = today
        self.calendar = get_calendar()
        self.timescales = timescales()
        self.fgdm_required = settings.LEGALTRACKER_NATION == "england"
        self.family_ids = _Ids(Family)
        self.case_ids = _Ids(Case)
        self.event_ids = _Ids(RecordedEvent)
        self.court = _CourtRecord(rng, self.calendar, self.timescales, today)
        self.recent_families: list[tuple[int, str]] = []
        self.names = {
            user.pk: user.get_full_name() or user.username
            for team_workers in staff.workers.values()
            for user in team_workers
        } | {user.pk: user.get_full_name() for user in staff.lawyers}
        # Audit rows are built with the actor itself, as the services build them.
        self.users = {
            user.pk: user
            for user in (
                *(user for team_workers in staff.workers.values() for user in team_workers),
                *staff.managers.values(),
                *staff.lawyers,
                staff.head_of_service,
                staff.court_liaison_officer,
            )
        }

    def add(self, batch: _Batch, *, closed: bool) -> None:
        rng, staff = self.rng, self.staff
        history = build_history(rng, self.today, closed=closed)
        team = rng.choice(staff.teams)
        worker = rng.choice(staff.workers[team.pk])
        actors: dict[str, int] = {
            "worker": worker.pk,
            "manager": staff.managers[team.pk].pk if team.pk in staff.managers else worker.pk,
            "hos": staff.head_of_service.pk,
            "lawyer": rng.choice(staff.lawyers).pk,
            "clo": staff.court_liaison_officer.pk,
        }
        # About one case in ten is a later episode for a family already known.
        if self.recent_families and rng.random() < 0.1:
            family_id, surname = rng.choice(self.recent_families)
        else:
            family_id, surname = self.family_ids.take(), rng.choice(LAST_NAMES)
            batch.families.add(family_id)
            self.recent_families.append((family_id, surname))
            if len(self.recent_families) > 5000:
                self.recent_families.pop(0)
        case_id = self.case_ids.take()
        unborn = rng.random() < 0.06
        batch.cases.add(
            case_id,
            f"LT-{history.opened_on.year}-{case_id:06d}",
            family_id,
            team.pk,
            worker.pk,
            str(history.stage),
            str(history.outcome),
            history.urgent,
            unborn,
            history.opened_on,
            history.stage_entered_on,
            history.referred_on,
            history.pre_proceedings_started_on,
            history.issue_decided_on,
            history.issued_on,
            history.closed_on,
            history.court_reference,
            history.short_notice_reason,
            str(history.step_down_to),
            1 + len(history.changes) + len(history.events),
            worker.pk,
        )
        children, adults = self._people(batch, case_id, surname, history.opened_on, unborn)
        audit: list[tuple[dt.date, int, CaseEventKind, str, str, str, dict[str, Any]]] = [
            (
                history.opened_on,
                worker.pk,
                CaseEventKind.CASE_CREATED,
                "",
                Stage.CONCERN.value,
                "",
                {"children": children, "adults": adults, "previous_case": None},
            )
        ]
        for change in history.changes:
            audit.append(
                (
                    change.date,
                    actors[_TRANSITION_ROLE[change.transition]],
                    CaseEventKind.TRANSITION,
                    str(change.from_stage),
                    str(change.to_stage),
                    "Invented load data.",
                    {"transition": change.transition},
                )
            )
        for event in history.events:
            event_id = self.event_ids.take()
            actor = actors[_ACTOR_ROLE.get(event.kind, "worker")]
            kind = str(event.kind)
            batch.events.add(
                event_id,
                case_id,
                kind,
                event.date,
                _EVENT_SUMMARY[kind],
                dict(event.details),
                actor,
            )
            audit.append(
                (
                    event.date,
                    actor,
                    CaseEventKind.EVENT_RECORDED,
                    "",
                    "",
                    "",
                    {"event_id": event_id, "kind": kind, **event.details},
                )
            )
        for name, day, view in history.gateways:
            batch.gateways.add(
                case_id,
                name,
                day,
                [
                    {"name": self.names.get(worker.pk, "Invented Worker"), "role": "social_worker"},
                    {"name": "Invented Chair", "role": "chair"},
                    {"name": self.names.get(actors["lawyer"], "Invented Lawyer"), "role": "legal"},
                ],
                str(view),
                "Invented load data.",
                actors["hos"],
            )
        for kind, decided, previous, new_end in history.extensions:
            approver = actors["hos"] if kind == ExtensionKind.PRE_PROCEEDINGS else actors["lawyer"]
            batch.extensions.add(
                case_id,
                str(kind),
                decided,
                previous,
                new_end,
                "Invented: an assessment to finish.",
                approver,
                approver,  # the approval recorded is the recorder's own
            )
        audit.sort(key=lambda item: item[0])  # stable: same-day rows keep their order
        case = Case(pk=case_id)
        # Each case's audit trail is its own hash chain (legaltracker/core/hashchain.py):
        # linked here in order, its head written with the rows.
        last_hash = ""
        for order, (day, actor, kind, from_stage, to_stage, reasons, details) in enumerate(audit):
            row = case_event_build(
                case=case,
                actor=self.users[actor],
                kind=kind,
                at=_at(day, order),
                from_stage=from_stage,
                to_stage=to_stage,
                effective_date=day,
                reasons=reasons,
                details=details,
            )
            last_hash = case_event_chain(row, last_hash)
            batch.audit.add_built(row)
        if audit:
            seal = hashchain.head_seal(hashchain.CASE, case_id, len(audit), last_hash)
            batch.chain_heads.add(hashchain.CASE, case_id, len(audit), last_hash, seal)
        if history.court is not None:
            self.court.add(batch, case_id, history, actors)
        for spec in rules.compute_deadlines(
            history.facts(self.fgdm_required), self.timescales, self.calendar
        ):
            batch.deadlines.add(
                case_id,
                str(spec.milestone),
                spec.cycle,
                spec.starts_from,
                spec.due,
                spec.not_before,
                spec.met_on,
                spec.applies,
                spec.owner_id,
            )

    def _census_identifiers(
        self, case_id: int, number: int, opened: dt.date
    ) -> tuple[str, dt.date | None, str]:
        """The child's LAchildID, CIN referral date and CIN episode id (docs/census.md):
        the main case system's, invented. A few children lack the referral date (the
        census return then reports them), and about half have an episode id."""
        rng = self.rng
        la_child_id = f"L{case_id:07d}{number}"[-10:]
        referred = opened - _days(rng, 0, 120) if rng.random() < 0.97 else None
        episode = f"E{case_id}-{number}" if rng.random() < 0.5 else ""
        return la_child_id, referred, episode

    def _people(
        self, batch: _Batch, case_id: int, surname: str, opened: dt.date, unborn: bool
    ) -> tuple[int, int]:
        """The case's children and adults; returns how many of each."""
        rng = self.rng
        children = rng.choices((1, 2, 3), weights=(50, 30, 20))[0]
        for number in range(1, children + 1):
            born = opened - _days(rng, 60, 16 * 365)
            batch.children.add(
                case_id,
                rng.choice(FIRST_NAMES),
                surname,
                born,
                None,
                *self._census_identifiers(case_id, number, opened),
            )
        if unborn:
            children += 1
            batch.children.add(
                case_id,
                "",
                surname,
                None,
                opened + _days(rng, 30, 150),
                *self._census_identifiers(case_id, children, opened),
            )
        batch.adults.add(
            case_id,
            rng.choice(FIRST_NAMES),
            surname,
            Relationship.MOTHER.value,
            True,
            rng.random() < 0.7,
        )
        adults = 1
        if rng.random() < 0.7:
            adults += 1
            batch.adults.add(
                case_id,
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                Relationship.FATHER.value,
                rng.random() < 0.6,
                None,
            )
        if rng.random() < 0.1:
            adults += 1
            batch.adults.add(
                case_id,
                rng.choice(FIRST_NAMES),
                surname,
                Relationship.GRANDPARENT.value,
                False,
                None,
            )
        return children, adults


_LOADED_MODELS = (
    Family,
    Case,
    Child,
    Adult,
    RecordedEvent,
    GatewayDecision,
    Extension,
    CaseEvent,
    Proceedings,
    Hearing,
    Direction,
    Deadline,
)


@contextmanager
def _foreign_keys_checked_once() -> Iterator[None]:
    """On PostgreSQL, check the loaded tables' foreign keys once at the end instead of
    row by row: a per-row check locks the parent row and cost more than the COPY itself.

    The constraints are dropped and added back (validated against every row) inside the
    caller's transaction, so a failure leaves the schema as it was.
    """
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in _LOADED_MODELS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        constraints = cursor.fetchall()
        # Checks still pending from earlier in the transaction would block ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's constraints' default


@dataclass
class LoadResult:
    open_cases: int
    closed_cases: int
    teams: int
    rows: dict[str, int]
    seconds: float


def generate_load(
    *,
    open_cases: int,
    closed_cases: int,
    seed: int = 1,
    teams: int | None = None,
    cases_per_batch: int = 2000,
    batch_size: int = 2000,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Write `open_cases` open and `closed_cases` closed invented cases (see the module
    docstring: this bypasses the services, for load data only)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or clock.today()
    staff = ensure_staff(rng=rng, open_cases=open_cases, teams=teams)
    writer = _Writer(rng, staff, today)
    kinds = [False] * open_cases + [True] * closed_cases
    rng.shuffle(kinds)
    totals: dict[str, int] = {}
    now = clock.now()
    # PostgreSQL loads in one transaction (its foreign keys are checked once, at the
    # end); other databases commit batch by batch.
    whole = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with whole, _foreign_keys_checked_once():
        for first in range(0, len(kinds), cases_per_batch):
            batch = _Batch(now)
            for closed in kinds[first : first + cases_per_batch]:
                writer.add(batch, closed=closed)
            for name, count in batch.write(batch_size).items():
                totals[name] = totals.get(name, 0) + count
            if progress:
                done = min(first + cases_per_batch, len(kinds))
                seconds = time.perf_counter() - started
                progress(f"{done} of {len(kinds)} cases written ({seconds:.0f} s)")
        if progress and connection.vendor == "postgresql":
            progress("Checking the foreign keys of every row written")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [Family, Case, RecordedEvent, Hearing]
        ):
            cursor.execute(sql)
    return LoadResult(
        open_cases=open_cases,
        closed_cases=closed_cases,
        teams=len(staff.teams),
        rows=totals,
        seconds=time.perf_counter() - started,
    )
