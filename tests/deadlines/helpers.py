"""Builders of hand-made `CaseFacts` for the pure deadline rules (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from legaltracker.calendars.workingdays import WorkingDayCalendar
from legaltracker.deadlines import rules

D = dt.date
CAL = WorkingDayCalendar()
TS = rules.Timescales()


def change(transition: str, from_stage: str, to_stage: str, day: dt.date) -> rules.StageChange:
    return rules.StageChange(transition, from_stage, to_stage, day)


def event(kind: str, day: dt.date, **details: Any) -> rules.Event:
    return rules.Event(kind, day, details)


def facts(
    stage: str,
    opened_on: dt.date,
    changes: list[rules.StageChange] = (),
    events: list[rules.Event] = (),
    **extra: Any,
) -> rules.CaseFacts:
    return rules.CaseFacts(
        stage=stage, opened_on=opened_on, stage_changes=list(changes), events=list(events), **extra
    )


def compute(case_facts: rules.CaseFacts, ts: rules.Timescales = TS) -> list[rules.DeadlineSpec]:
    return rules.compute_deadlines(case_facts, ts, CAL)


def cycles(specs: list[rules.DeadlineSpec], milestone: str) -> list[rules.DeadlineSpec]:
    return sorted((s for s in specs if s.milestone == milestone), key=lambda s: s.cycle)


def only(specs: list[rules.DeadlineSpec], milestone: str) -> rules.DeadlineSpec:
    found = cycles(specs, milestone)
    assert len(found) == 1, found
    return found[0]


def status(spec: rules.DeadlineSpec, today: dt.date, window: int = 5) -> str:
    return rules.deadline_status(
        due=spec.due,
        not_before=spec.not_before,
        met_on=spec.met_on,
        applies=spec.applies,
        today=today,
        due_soon_until=CAL.add_working_days(today, window),
    )
