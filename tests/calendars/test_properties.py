"""Property-based tests of the counting rules (hypothesis). Pure: no database."""

from __future__ import annotations

import calendar
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from legaltracker.calendars.workingdays import (
    WorkingDayCalendar,
    add_months,
    add_weeks,
    bank_holidays,
)

CAL = WorkingDayCalendar()

dates = st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2080, 12, 31))
positive = st.integers(min_value=1, max_value=800)
any_n = st.integers(min_value=-800, max_value=800)
extras = st.lists(dates, max_size=20)

# Building a year's cache the first time is slower than the rest, so no per-example
# deadline. Applied per test, not as a global profile, to leave other suites alone.
relaxed = settings(deadline=None)


def reference_add(calendar_: WorkingDayCalendar, d: dt.date, n: int) -> dt.date:
    """Day-by-day reference implementation of the rule, for comparison."""
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        if calendar_.is_working_day(d):
            remaining -= 1
    return d


@relaxed
@given(d=dates, n=st.integers(min_value=-60, max_value=60), extra=extras)
def test_matches_day_by_day_reference(d: dt.date, n: int, extra: list[dt.date]) -> None:
    calendar_ = WorkingDayCalendar("england", extra)
    assert calendar_.add_working_days(d, n) == reference_add(calendar_, d, n)


@relaxed
@given(d=dates, n=positive)
def test_result_is_a_working_day_strictly_after(d: dt.date, n: int) -> None:
    result = CAL.add_working_days(d, n)
    assert result > d
    assert CAL.is_working_day(result)
    assert result.weekday() < 5
    assert result not in bank_holidays(result.year)


@relaxed
@given(d=dates, n=positive)
def test_negative_result_is_a_working_day_strictly_before(d: dt.date, n: int) -> None:
    result = CAL.add_working_days(d, -n)
    assert result < d
    assert CAL.is_working_day(result)


@relaxed
@given(d=dates, n=any_n)
def test_strictly_increasing_in_n(d: dt.date, n: int) -> None:
    # Also across zero: the 1st working day before d < d itself < the 1st after.
    assert CAL.add_working_days(d, n) < CAL.add_working_days(d, n + 1)


@relaxed
@given(d=dates, n=st.integers(min_value=0, max_value=800))
def test_between_inverts_add(d: dt.date, n: int) -> None:
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@relaxed
@given(d=dates, n=positive)
def test_between_inverts_subtract_from_a_working_day(d: dt.date, n: int) -> None:
    start = CAL.next_working_day(d)
    assert CAL.working_days_between(start, CAL.add_working_days(start, -n)) == -n


@relaxed
@given(a=dates, b=dates)
def test_between_is_antisymmetric_and_counts_each_day(a: dt.date, b: dt.date) -> None:
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)
    if abs((b - a).days) <= 400:
        low, high = min(a, b), max(a, b)
        counted = sum(
            CAL.is_working_day(low + dt.timedelta(days=k)) for k in range(1, (high - low).days + 1)
        )
        assert abs(CAL.working_days_between(a, b)) == counted


@relaxed
@given(d=dates, k=positive, m=positive)
def test_additions_compose(d: dt.date, k: int, m: int) -> None:
    assert CAL.add_working_days(CAL.add_working_days(d, k), m) == CAL.add_working_days(d, k + m)


@relaxed
@given(d=dates, n=positive)
def test_add_then_subtract_gives_last_working_day_on_or_before(d: dt.date, n: int) -> None:
    there = CAL.add_working_days(d, n)
    assert CAL.add_working_days(there, -n) == CAL.previous_working_day(d)


@relaxed
@given(d=dates, n=positive)
def test_subtract_then_add_gives_first_working_day_on_or_after(d: dt.date, n: int) -> None:
    back = CAL.add_working_days(d, -n)
    assert CAL.add_working_days(back, n) == CAL.next_working_day(d)


@relaxed
@given(d=dates)
def test_next_and_previous_working_day(d: dt.date) -> None:
    nxt, prev = CAL.next_working_day(d), CAL.previous_working_day(d)
    assert CAL.is_working_day(nxt) and CAL.is_working_day(prev)
    assert prev <= d <= nxt
    # Nothing in between is a working day except d itself.
    assert CAL.working_days_between(d, nxt) == (0 if nxt == d else 1)
    assert CAL.working_days_between(prev, d) == 0
    assert (nxt == d) == CAL.is_working_day(d) == (prev == d)


@relaxed
@given(d=dates, n=any_n, extra=extras)
def test_extra_holidays_are_never_results(d: dt.date, n: int, extra: list[dt.date]) -> None:
    calendar_ = WorkingDayCalendar("wales", extra)
    result = calendar_.add_working_days(d, n)
    if n != 0:
        assert result not in extra
        assert calendar_.is_working_day(result)
    # Extra holidays can only push a date later (or earlier, counting back).
    plain = CAL.add_working_days(d, n)
    assert result >= plain if n >= 0 else result <= plain


@relaxed
@given(d=dates, n=st.integers(min_value=-520, max_value=520))
def test_add_weeks_is_exactly_seven_n_days(d: dt.date, n: int) -> None:
    result = add_weeks(d, n)
    assert (result - d).days == 7 * n
    assert result.weekday() == d.weekday()


@relaxed
@given(d=dates, n=st.integers(min_value=-240, max_value=240))
def test_add_months_clamps_to_month_end(d: dt.date, n: int) -> None:
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(d.day, last_day)
    if d.day <= 28:
        assert result.day == d.day
    # Going back the same number of months returns d unless d was clamped.
    if result.day == d.day:
        assert add_months(result, -n) == d
