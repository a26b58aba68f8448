"""Which alert levels a deadline has on a given day, and who is told at each level: the
one statement of both rules, as two tables that the Python functions here and the scan's
SQL (services._INSERT_ALERTS) are both built from.

- due soon: due after today and no later than `due_soon_until` (today plus the policy's
  window in working days: the same date the board uses for "due soon");
- due today: due today;
- overdue: due before today (it has not been met, or it would not be read);
- escalated: overdue, and at least `escalation_working_days` working days have passed
  since the due date (counted like every other deadline: working days in (due, today]).

`level_ranges` gives each level its range of due dates on a day; `RECIPIENTS` says who
hears about which levels and milestones, and why. `levels_for` and `recipients_for` read
the tables for one deadline; `services` turns the same tables into the SQL that decides
every deadline at once, and tests/alerts/test_scan.py checks that the two agree.

Each level is alerted once per deadline and person, so a level is news on the first run
that finds it; a deadline found late (after downtime) is alerted at the level it has
now, never at the levels it passed through unseen. docs/alerts.md has the reasons.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Protocol

from legaltracker.accounts.models import Role

from .choices import COURT_MILESTONES, LEGAL_MILESTONES, Level, Reason

ONE_DAY = dt.timedelta(days=1)


class Calendar(Protocol):
    def add_working_days(self, day: dt.date, n: int) -> dt.date: ...

    def working_days_between(self, start: dt.date, end: dt.date) -> int: ...

    def is_working_day(self, day: dt.date) -> bool: ...


@dataclass(frozen=True)
class Window:
    """The three dates a run judges every deadline by."""

    today: dt.date
    due_soon_until: dt.date
    escalate_on_or_before: dt.date


def window_for(
    today: dt.date, *, due_soon_working_days: int, escalation_working_days: int, calendar: Calendar
) -> Window:
    # The latest due date that has been overdue for the escalation period, found from the
    # definition itself so that weekends and bank holidays after the due date count the
    # same way as everywhere else (a Saturday due date escalates with the Friday before).
    escalate = today - ONE_DAY
    while calendar.working_days_between(escalate, today) < escalation_working_days:
        escalate -= ONE_DAY
    return Window(
        today=today,
        due_soon_until=calendar.add_working_days(today, due_soon_working_days),
        escalate_on_or_before=escalate,
    )


# A deadline has at most one of these levels; `ESCALATED` comes on top of `OVERDUE`.
EXCLUSIVE_LEVELS = (Level.DUE_SOON, Level.DUE_TODAY, Level.OVERDUE)
ADDED_LEVELS = (Level.ESCALATED,)


@dataclass(frozen=True)
class DueRange:
    """The due dates (inclusive; None: unbounded) that give an outstanding deadline a
    level on a window's day."""

    level: Level
    earliest: dt.date | None
    latest: dt.date

    def holds(self, due: dt.date) -> bool:
        return (self.earliest is None or due >= self.earliest) and due <= self.latest


def level_ranges(window: Window) -> tuple[DueRange, ...]:
    """Every level's due dates on `window.today`, exclusive levels first."""
    return (
        DueRange(Level.DUE_SOON, window.today + ONE_DAY, window.due_soon_until),
        DueRange(Level.DUE_TODAY, window.today, window.today),
        DueRange(Level.OVERDUE, None, window.today - ONE_DAY),
        DueRange(Level.ESCALATED, None, window.escalate_on_or_before),
    )


def levels_for(due: dt.date, window: Window) -> tuple[Level, ...]:
    """The levels an outstanding deadline due on `due` has on `window.today`."""
    return tuple(r.level for r in level_ranges(window) if r.holds(due))


def changed_since(previous: Window, current: Window) -> tuple[tuple[dt.date, dt.date], ...]:
    """The due-date ranges (inclusive) whose levels on `current.today` can differ from
    their levels on `previous.today`, merged and sorted.

    A deadline's level depends on where its due date falls against three boundaries:
    the end of the due-soon window, today, and the escalation date. Its level can only
    have moved if one of them swept over its due date between the two runs. A deadline
    outside these ranges that has not changed since the previous run already has every
    alert it will get today.
    """
    ranges = [
        # today: due today, or crossing between due soon, due today and overdue
        (min(previous.today, current.today), max(previous.today, current.today)),
        # the end of the due-soon window
        (
            min(previous.due_soon_until, current.due_soon_until) + ONE_DAY,
            max(previous.due_soon_until, current.due_soon_until),
        ),
        # the escalation date
        (
            min(previous.escalate_on_or_before, current.escalate_on_or_before) + ONE_DAY,
            max(previous.escalate_on_or_before, current.escalate_on_or_before),
        ),
    ]
    ranges = sorted((low, high) for low, high in ranges if low <= high)
    merged: list[tuple[dt.date, dt.date]] = []
    for low, high in ranges:
        if merged and low <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


class Audience(enum.Enum):
    """Where the people of a `Recipients` row come from."""

    CASE_SOCIAL_WORKER = "the case's social worker"
    CASE_TEAM = "people with the role in the case's team"
    EVERYONE = "everyone with the role"
    # The person the deadline names (Deadline.owner: a council direction's owner).
    DEADLINE_OWNER = "the deadline's owner"
    # The case's allocated lawyer (Case.allocated_lawyer).
    CASE_LAWYER = "the case's allocated lawyer"
    # Everyone with the role, on a case that has no allocated lawyer (or whose lawyer is
    # no longer active).
    EVERYONE_IF_NO_LAWYER = "everyone with the role, while the case has no lawyer"


@dataclass(frozen=True)
class Recipients:
    """One group of people told about a deadline: at these levels, about these
    milestones (None: every milestone), for this reason. Only active people are told."""

    reason: Reason
    audience: Audience
    role: Role | None
    levels: frozenset[Level]
    milestones: frozenset[str] | None = None


_NOT_ESCALATED = frozenset(EXCLUSIVE_LEVELS)

# Who is told, in order: a person in several groups is told once, for the first reason.
# An escalated item goes to every head of service only; everything else to the person
# who owns the deadline (a council direction's owner), the case's social worker, the
# case's allocated lawyer (legal and court milestones), the managers of the case's team,
# and every lawyer: for a legal milestone (choices.LEGAL_MILESTONES) always, for a court
# milestone (choices.COURT_MILESTONES: draft orders, council directions) only while the
# case has no allocated lawyer. docs/alerts.md has the reasons.
RECIPIENTS: tuple[Recipients, ...] = (
    Recipients(Reason.DEADLINE_OWNER, Audience.DEADLINE_OWNER, None, _NOT_ESCALATED),
    Recipients(Reason.SOCIAL_WORKER, Audience.CASE_SOCIAL_WORKER, None, _NOT_ESCALATED),
    Recipients(
        Reason.CASE_LAWYER,
        Audience.CASE_LAWYER,
        None,
        _NOT_ESCALATED,
        LEGAL_MILESTONES | COURT_MILESTONES,
    ),
    Recipients(Reason.TEAM_MANAGER, Audience.CASE_TEAM, Role.TEAM_MANAGER, _NOT_ESCALATED),
    Recipients(Reason.LEGAL, Audience.EVERYONE, Role.LEGAL, _NOT_ESCALATED, LEGAL_MILESTONES),
    Recipients(
        Reason.NO_CASE_LAWYER,
        Audience.EVERYONE_IF_NO_LAWYER,
        Role.LEGAL,
        _NOT_ESCALATED,
        COURT_MILESTONES,
    ),
    Recipients(
        Reason.HEAD_OF_SERVICE,
        Audience.EVERYONE,
        Role.HEAD_OF_SERVICE,
        frozenset({Level.ESCALATED}),
    ),
)


def recipients_for(
    *,
    milestone: str,
    level: str,
    social_worker: int | None,
    team_managers: tuple[int, ...],
    legal: tuple[int, ...],
    heads_of_service: tuple[int, ...],
    named: tuple[int, ...] | None = None,
    owner: int | None = None,
    case_lawyer: int | None = None,
) -> list[tuple[int, str]]:
    """Who is told about one deadline at one level, and why (`RECIPIENTS` read for it):
    (user id, reason), each person once, the first reason kept. `social_worker`, `owner`
    and `case_lawyer` are None when there is no such person or they are not active (a
    case whose lawyer has left is as one with none: the legal team hears of its court
    deadlines until it is reallocated); every tuple holds active people only. `named` is
    None for a case that is not restricted; for a restricted case (legaltracker.audit),
    the people named on it: no one else hears about it, not even that it exists."""
    groups = {
        (Audience.DEADLINE_OWNER, None): () if owner is None else (owner,),
        (Audience.CASE_SOCIAL_WORKER, None): () if social_worker is None else (social_worker,),
        (Audience.CASE_LAWYER, None): () if case_lawyer is None else (case_lawyer,),
        (Audience.CASE_TEAM, Role.TEAM_MANAGER): team_managers,
        (Audience.EVERYONE, Role.LEGAL): legal,
        (Audience.EVERYONE_IF_NO_LAWYER, Role.LEGAL): () if case_lawyer is not None else legal,
        (Audience.EVERYONE, Role.HEAD_OF_SERVICE): heads_of_service,
    }
    people = [
        (user, rule.reason)
        for rule in RECIPIENTS
        if level in rule.levels and (rule.milestones is None or milestone in rule.milestones)
        for user in groups[(rule.audience, rule.role)]
    ]
    seen: set[int] = set()
    unique: list[tuple[int, str]] = []
    for user, reason in people:
        if named is not None and user not in named:
            continue
        if user not in seen:
            seen.add(user)
            unique.append((user, reason))
    return unique
