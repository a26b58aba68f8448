"""Guards on transitions that depend on what has been recorded on the case.

Each guard is a django-fsm-2 condition (called with the case, returns a bool) that can
also explain itself: `explain(case, on=date)` returns the message a person needs to act
on, or None when the guard passes. The transition service evaluates `explain` first, on
the date of the decision being recorded, so that a refusal is always a sentence, never a
bare "transition not allowed". django-fsm itself knows no decision date: called as a
condition, a guard judges the case as of today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings

from legaltracker.calendars.workingdays import add_months
from legaltracker.core import clock

from . import day1
from .choices import EventKind

if TYPE_CHECKING:
    from .models import Case, RecordedEvent


def _events(case: Case, *kinds: str) -> list[RecordedEvent]:
    # Uses the prefetched events when the service loaded them, so a guard costs no query.
    return [event for event in case.recorded_events.all() if event.kind in kinds]


def _long(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


class Guard:
    def __init__(self, name: str, check: Callable[[Case, dt.date], str | None]):
        self.__name__ = name
        self._check = check

    def explain(self, case: Case, *, on: dt.date) -> str | None:
        """Why the case cannot take the transition on that date, or None when it can."""
        return self._check(case, on)

    def __call__(self, case: Case) -> bool:
        return self.explain(case, on=clock.today()) is None


def _assessment_current(case: Case, when: dt.date) -> str | None:
    from legaltracker.deadlines.models import TimescalePolicy

    started = case.pre_proceedings_started_on
    assessments = [
        e
        for e in _events(case, EventKind.ASSESSMENT_COMPLETED)
        if e.date <= when and (started is None or e.date >= started)
    ]
    if not assessments:
        since = f" on {_long(started)}" if started else ""
        return (
            f"A step down needs an assessment completed since pre-proceedings began{since}. "
            "Record the updated assessment first."
        )
    latest = max(e.date for e in assessments)
    changes = [
        e.date for e in _events(case, EventKind.CHANGE_OF_CIRCUMSTANCES) if latest < e.date <= when
    ]
    if changes:
        return (
            f"The latest assessment ({_long(latest)}) is older than the change of "
            f"circumstances recorded on {_long(max(changes))}. Update the assessment "
            "before stepping down."
        )
    months = TimescalePolicy.current().assessment_currency_months
    if add_months(latest, months) < when:
        return (
            f"The latest assessment ({_long(latest)}) is more than {months} months old. "
            "Update the assessment before stepping down."
        )
    return None


def _on_or_before(events: list[RecordedEvent], day: dt.date) -> list[RecordedEvent]:
    return [event for event in events if event.date <= day]


def _day1_checklist_complete(case: Case, when: dt.date) -> str | None:
    # Only documents ready by the issue date were filed on Day 1 (a later "ready" does
    # not make a past application complete), as the assessment guard counts only
    # assessments up to the decision date.
    ready = {
        e.details.get("document")
        for e in _on_or_before(_events(case, EventKind.DOCUMENT_READY), when)
    }
    # What the council's checklist requires now (an item switched off is not asked for).
    missing = [entry.label for entry in day1.required() if entry.code not in ready]
    if missing:
        return "The Day 1 documents are not all ready. Still missing: " + ", ".join(missing) + "."
    return None


def _fgdm_duty_satisfied(case: Case, when: dt.date) -> str | None:
    if settings.LEGALTRACKER_NATION != "england":
        return None
    if case.fgdm_exception_reason.strip():
        return None
    # s31ZA asks for the meeting before the application: what is dated after the issue
    # date cannot satisfy the duty on that date.
    accepted = _on_or_before(_events(case, EventKind.FGDM_ACCEPTED), when)
    if accepted:
        if _on_or_before(_events(case, EventKind.FGDM_HELD), when):
            return None
        first = min(e.date for e in accepted)
        return (
            f"The family accepted the offer of a family group decision-making meeting on "
            f"{_long(first)}, but no meeting is recorded as held. Record the meeting, or "
            "record why holding it before issue is not in the child's best interests."
        )
    if _on_or_before(_events(case, EventKind.FGDM_OFFERED, EventKind.FGDM_DECLINED), when):
        return None
    return (
        "No offer of a family group decision-making meeting is recorded (s31ZA Children "
        "Act 1989). Record the offer and the family's answer, or record why a meeting "
        "before issue is not in the child's best interests."
    )


assessment_current = Guard("assessment_current", _assessment_current)
day1_checklist_complete = Guard("day1_checklist_complete", _day1_checklist_complete)
fgdm_duty_satisfied = Guard("fgdm_duty_satisfied", _fgdm_duty_satisfied)
