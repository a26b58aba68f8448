"""The alert levels at each boundary, on the real England and Wales calendar, across
bank holidays (pure: no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legaltracker.alerts.choices import Level
from legaltracker.alerts.levels import Window, changed_since, levels_for, window_for
from legaltracker.calendars.workingdays import WorkingDayCalendar

D = dt.date
CALENDAR = WorkingDayCalendar("england")
SOON, ESCALATE = 5, 3  # the shipped policy


def window(day: dt.date, soon: int = SOON, escalate: int = ESCALATE) -> Window:
    return window_for(
        day, due_soon_working_days=soon, escalation_working_days=escalate, calendar=CALENDAR
    )


def levels(due: dt.date, day: dt.date) -> set[str]:
    return set(levels_for(due, window(day)))


# Easter 2026: Good Friday 3 April and Easter Monday 6 April are bank holidays.
EASTER_DUE = D(2026, 4, 7)  # the Tuesday after Easter Monday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # The due-soon window is 5 working days: Thursday 26 March reaches only to
        # Thursday 2 April; Friday 27 March reaches over Easter to Tuesday 7 April.
        (D(2026, 3, 26), set()),
        (D(2026, 3, 27), {Level.DUE_SOON}),
        (D(2026, 4, 2), {Level.DUE_SOON}),
        (D(2026, 4, 7), {Level.DUE_TODAY}),
        (D(2026, 4, 8), {Level.OVERDUE}),
        (D(2026, 4, 9), {Level.OVERDUE}),
        # Escalation after 3 working days overdue: 8, 9, 10 April.
        (D(2026, 4, 10), {Level.OVERDUE, Level.ESCALATED}),
    ],
)
def test_levels_around_easter(day: dt.date, expected: set[str]) -> None:
    assert levels(EASTER_DUE, day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Due on Maundy Thursday; the next working day is Tuesday 7 April, the first of
        # the three working days that count towards escalation.
        (D(2026, 4, 7), {Level.OVERDUE}),
        (D(2026, 4, 8), {Level.OVERDUE}),
        (D(2026, 4, 9), {Level.OVERDUE, Level.ESCALATED}),
    ],
)
def test_escalation_counts_working_days_over_a_bank_holiday(day, expected) -> None:
    assert levels(D(2026, 4, 2), day) == expected


@pytest.mark.parametrize(
    ("due", "day", "expected"),
    [
        # A due date on a Saturday is overdue on Monday and escalates with the Friday's.
        (D(2026, 3, 7), D(2026, 3, 9), {Level.OVERDUE}),
        (D(2026, 3, 7), D(2026, 3, 11), {Level.OVERDUE, Level.ESCALATED}),
        (D(2026, 3, 6), D(2026, 3, 11), {Level.OVERDUE, Level.ESCALATED}),
        (D(2026, 3, 9), D(2026, 3, 11), {Level.OVERDUE}),
        # Christmas 2026: Friday 25 and Monday 28 December (Boxing Day's substitute).
        (D(2026, 12, 24), D(2026, 12, 29), {Level.OVERDUE}),
        (D(2026, 12, 24), D(2026, 12, 31), {Level.OVERDUE, Level.ESCALATED}),
        # From Christmas Eve the five working days are 29, 30, 31 December, 4 and 5
        # January (New Year's Day is a Friday holiday).
        (D(2027, 1, 5), D(2026, 12, 24), {Level.DUE_SOON}),
        (D(2027, 1, 6), D(2026, 12, 24), set()),
    ],
)
def test_weekend_and_christmas_boundaries(due, day, expected) -> None:
    assert levels(due, day) == expected


def test_window_matches_the_board_due_soon_date() -> None:
    day = D(2026, 3, 27)
    assert window(day).due_soon_until == CALENDAR.add_working_days(day, SOON) == EASTER_DUE


def test_zero_escalation_days_escalates_every_overdue_item() -> None:
    w = window(D(2026, 3, 4), escalate=0)
    assert levels_for(D(2026, 3, 3), w) == (Level.OVERDUE, Level.ESCALATED)
    assert levels_for(D(2026, 3, 4), w) == (Level.DUE_TODAY,)


days = st.dates(min_value=D(2025, 1, 1), max_value=D(2028, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=days, offset=st.integers(-60, 60), escalate=st.integers(0, 15))
def test_escalation_date_is_the_definition(day, offset, escalate) -> None:
    """Escalated exactly when the due date is past and at least N working days lie in
    (due, today]: the cut-off date and the definition agree everywhere."""
    due = day + dt.timedelta(days=offset)
    w = window(day, escalate=escalate)
    by_definition = due < day and CALENDAR.working_days_between(due, day) >= escalate
    assert (Level.ESCALATED in levels_for(due, w)) == by_definition


@settings(max_examples=300, deadline=None)
@given(
    previous=days,
    gap=st.integers(0, 40),
    offset=st.integers(-80, 80),
    soon=st.integers(1, 10),
    escalate=st.integers(0, 10),
)
def test_changed_ranges_hold_every_due_date_whose_levels_moved(
    previous, gap, offset, soon, escalate
) -> None:
    """A later run may skip a deadline (unchanged since the previous run) only if its
    levels are the same on both days."""
    current = previous + dt.timedelta(days=gap)
    before, now = window(previous, soon, escalate), window(current, soon, escalate)
    due = current + dt.timedelta(days=offset)
    ranges = changed_since(before, now)
    inside = any(low <= due <= high for low, high in ranges)
    moved = set(levels_for(due, before)) != set(levels_for(due, now))
    if moved:
        assert inside, (due, ranges)
