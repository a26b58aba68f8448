"""`rules.deadline_status` at every boundary, and its SQL twin `selectors.status_expression`
giving the same answer for a grid of deadlines and days."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from legaltracker.deadlines.choices import DeadlineStatus, Milestone
from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.rules import deadline_status
from legaltracker.deadlines.selectors import Today, with_deadline_status
from tests.factories import case_at

from .helpers import CAL, D

WEDNESDAY = D(2026, 3, 4)


def status_on(today, *, due, met_on=None, applies=True, window=5, not_before=None):
    return deadline_status(
        due=due,
        met_on=met_on,
        applies=applies,
        today=today,
        due_soon_until=CAL.add_working_days(today, window),
        not_before=not_before,
    )


def test_on_the_due_day_it_is_due_soon():
    assert status_on(WEDNESDAY, due=WEDNESDAY) == DeadlineStatus.DUE_SOON
    assert status_on(WEDNESDAY, due=WEDNESDAY, window=0) == DeadlineStatus.DUE_SOON


def test_the_day_after_the_due_day_it_is_overdue():
    assert status_on(WEDNESDAY + dt.timedelta(days=1), due=WEDNESDAY) == DeadlineStatus.OVERDUE


def test_the_due_soon_window_is_counted_in_working_days():
    # Wednesday 4 March 2026 + 5 working days is Wednesday 11 March.
    assert status_on(WEDNESDAY, due=D(2026, 3, 11)) == DeadlineStatus.DUE_SOON
    assert status_on(WEDNESDAY, due=D(2026, 3, 12)) == DeadlineStatus.PENDING
    assert status_on(WEDNESDAY, due=D(2026, 3, 12), window=6) == DeadlineStatus.DUE_SOON
    assert status_on(WEDNESDAY, due=D(2026, 3, 5), window=0) == DeadlineStatus.PENDING
    # Across Easter 2026 the window stretches: Thursday 2 April + 5 working days is 13 April.
    assert status_on(D(2026, 4, 2), due=D(2026, 4, 13)) == DeadlineStatus.DUE_SOON
    assert status_on(D(2026, 4, 2), due=D(2026, 4, 14)) == DeadlineStatus.PENDING


def test_met_on_the_due_day_is_met_and_the_day_after_is_met_late():
    for today in (WEDNESDAY, WEDNESDAY + dt.timedelta(days=30)):
        assert status_on(today, due=WEDNESDAY, met_on=WEDNESDAY) == DeadlineStatus.MET
        assert (
            status_on(today, due=WEDNESDAY, met_on=WEDNESDAY - dt.timedelta(days=9))
            == DeadlineStatus.MET
        )
        late = WEDNESDAY + dt.timedelta(days=1)
        assert status_on(today, due=WEDNESDAY, met_on=late) == DeadlineStatus.MET_LATE


def test_held_before_its_not_before_date_is_held_too_early_not_met():
    # The initial meeting may not be held before the family's notice runs out.
    not_before = D(2026, 3, 11)
    early = status_on(WEDNESDAY, due=D(2026, 3, 18), met_on=D(2026, 3, 10), not_before=not_before)
    assert early == DeadlineStatus.MET_EARLY
    assert (
        status_on(WEDNESDAY, due=D(2026, 3, 18), met_on=not_before, not_before=not_before)
        == DeadlineStatus.MET
    )


def test_a_deadline_that_no_longer_applies():
    assert status_on(WEDNESDAY, due=D(2026, 1, 1), applies=False) == DeadlineStatus.NOT_APPLICABLE
    assert status_on(WEDNESDAY, due=WEDNESDAY, applies=False) == DeadlineStatus.NOT_APPLICABLE
    # What was done stays done when the case moves on.
    assert (
        status_on(WEDNESDAY, due=D(2026, 1, 1), met_on=D(2026, 1, 2), applies=False) == "met_late"
    )


# --- the SQL twin ------------------------------------------------------------------------

DUE = D(2026, 4, 2)  # the Thursday before Good Friday
DUE_OFFSETS = [-8, -1, 0, 1, 4, 11]
MET_OFFSETS = [None, -30, -3, 0, 1]  # -30: before the not-before date
TODAYS = [
    DUE - dt.timedelta(days=14),
    DUE - dt.timedelta(days=7),
    DUE - dt.timedelta(days=1),
    DUE,
    DUE + dt.timedelta(days=1),  # Good Friday
    DUE + dt.timedelta(days=4),  # Easter Monday
    DUE + dt.timedelta(days=5),
    DUE + dt.timedelta(days=40),
]
GRID = list(itertools.product(DUE_OFFSETS, MET_OFFSETS, [True, False]))


@pytest.mark.django_db
def test_the_sql_status_matches_the_rule(staff, today):
    case = case_at("concern", staff)
    rows = []
    for cycle, (due_offset, met_offset, applies) in enumerate(GRID, start=100):
        due = DUE + dt.timedelta(days=due_offset)
        met_on = None if met_offset is None else due + dt.timedelta(days=met_offset)
        rows.append(
            Deadline(
                case=case,
                milestone=Milestone.REVIEW_MEETING,
                cycle=cycle,
                starts_from=due - dt.timedelta(days=42),
                not_before=due - dt.timedelta(days=20),
                due=due,
                met_on=met_on,
                applies=applies,
            )
        )
    Deadline.objects.bulk_create(rows)
    seen = set()
    for day in TODAYS:
        when = Today.now(day)
        queryset = with_deadline_status(Deadline.objects.filter(case=case, cycle__gte=100), when)
        for row in queryset:
            expected = deadline_status(
                due=row.due,
                not_before=row.not_before,
                met_on=row.met_on,
                applies=row.applies,
                today=when.today,
                due_soon_until=when.due_soon_until,
            )
            assert row.status == expected, (day, row.due, row.met_on, row.applies)
            seen.add(expected)
    assert seen == set(DeadlineStatus.values)
