"""Which alert levels a deadline has on a given day: pure functions of its due date, the
day, the policy's two numbers and the working-day calendar.

- due soon: due after today and no later than `due_soon_until` (today plus the policy's
  window in working days: the same date the board uses for "due soon");
- due today: due today;
- overdue: due before today (it has not been met, or it would not be read);
- escalated: overdue, and at least `escalation_working_days` working days have passed
  since the due date (counted like every other deadline: working days in (due, today]).

Each level is alerted once per deadline and person, so a level is news on the first run
that finds it; a deadline found late (after downtime) is alerted at the level it has
now, never at the levels it passed through unseen.

`levels_for` and `recipients_for` are the rules as Python, for people and tests to read;
the scan applies the same rules in one SQL statement (services._INSERT_ALERTS), and
tests/alerts/test_scan.py keeps the two equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from .choices import LEGAL_MILESTONES, Level, Reason

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


def levels_for(due: dt.date, window: Window) -> tuple[Level, ...]:
    """The levels an outstanding deadline due on `due` has on `window.today`."""
    if due > window.due_soon_until:
        return ()
    if due > window.today:
        return (Level.DUE_SOON,)
    if due == window.today:
        return (Level.DUE_TODAY,)
    if due <= window.escalate_on_or_before:
        return (Level.OVERDUE, Level.ESCALATED)
    return (Level.OVERDUE,)


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


def recipients_for(
    *,
    milestone: str,
    level: str,
    social_worker: int | None,
    team_managers: tuple[int, ...],
    legal: tuple[int, ...],
    heads_of_service: tuple[int, ...],
    named: tuple[int, ...] | None = None,
) -> list[tuple[int, str]]:
    """Who is told about one deadline at one level, and why: (user id, reason), each
    person once, the first reason kept. `social_worker` is None when the case's social
    worker is not active; every tuple holds active people only. `named` is None for a
    case that is not restricted; for a restricted case (legaltracker.audit), the people
    named on it: no one else hears about it, not even that it exists.

    - overdue long enough to escalate: every head of service;
    - otherwise: the case's social worker, the managers of the case's team, and for a
      legal milestone (choices.LEGAL_MILESTONES) every lawyer.
    """
    if level == Level.ESCALATED:
        people = [(user, Reason.HEAD_OF_SERVICE) for user in heads_of_service]
    else:
        people = [(social_worker, Reason.SOCIAL_WORKER)] if social_worker is not None else []
        people += [(user, Reason.TEAM_MANAGER) for user in team_managers]
        if milestone in LEGAL_MILESTONES:
            people += [(user, Reason.LEGAL) for user in legal]
    seen: set[int] = set()
    unique = []
    for user, reason in people:
        if named is not None and user not in named:
            continue
        if user not in seen:
            seen.add(user)
            unique.append((user, reason))
    return unique
