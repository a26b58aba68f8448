"""Warnings (never refusals) for dates in letters that fall on a weekend or a bank
holiday: an expectation's "by when", the meeting, the assessments, the timetable.

A date like that may be right (a family may choose a Saturday meeting), so it is saved;
the person is told, on the form and on the letter's page, and can change it. The bank
holidays are the LA's nation's, from the project's working-day calendar (with the extra
holidays recorded in the admin).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .builders import long_date


def _calendar(calendar: Any = None) -> Any:
    if calendar is not None:
        return calendar
    from legaltracker.calendars.services import get_calendar

    return get_calendar()


def day_warning(day: dt.date | None, what: str, *, calendar: Any = None) -> str | None:
    """A sentence when `day` is a Saturday, a Sunday or a bank holiday, else None."""
    if day is None:
        return None
    if day.weekday() >= 5:
        return (
            f"{what} is on a {day:%A} ({long_date(day)}). Families and services may not be "
            "free at weekends: check the date is right."
        )
    holiday = _calendar(calendar).holidays(day.year).get(day)
    if holiday:
        return (
            f"{what} is on a bank holiday ({long_date(day)}, {holiday}). Offices and "
            "services may be closed: check the date is right."
        )
    return None


def dated_warnings(
    dates: Iterable[tuple[str, dt.date | None]], *, calendar: Any = None
) -> list[str]:
    cal = None
    found = []
    for what, day in dates:
        if day is None:
            continue
        if cal is None:
            cal = _calendar(calendar)
        warning = day_warning(day, what, calendar=cal)
        if warning:
            found.append(warning)
    return found


def _iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def details_warnings(details: Any, *, calendar: Any = None) -> list[str]:
    """The letter details' meeting and assessment dates."""
    if details is None:
        return []
    dates: list[tuple[str, dt.date | None]] = [("The meeting", details.meeting_date)]
    for number, item in enumerate(details.assessments or [], start=1):
        dates.append((f"Check {number} ({item.get('what', '')})", _iso(item.get("when"))))
    return dated_warnings(dates, calendar=calendar)


def letter_date_warnings(context: Mapping[str, Any], *, calendar: Any = None) -> list[str]:
    """The dates a letter's stored context shows, checked: the expectations' "by when",
    the meeting, the assessments and the timetable."""
    dates: list[tuple[str, dt.date | None]] = []
    for row in context.get("expectations") or []:
        dates.append((f"Item {row.get('number', '')}'s date", _iso(row.get("due_iso"))))
    meeting = context.get("meeting") or {}
    if meeting.get("has"):
        dates.append(("The meeting", _iso(meeting.get("date_iso"))))
    for step in context.get("timetable") or []:
        dates.append((str(step.get("what", "A date")), _iso(step.get("date_iso"))))
    return dated_warnings(dates, calendar=calendar)
