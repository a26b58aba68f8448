"""Working-day counting at the boundaries (docs/domain/milestones.md, "Counting rules").

Pure tests: no database, no network. They also run with `-p no:django`.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from legaltracker.calendars.workingdays import WorkingDayCalendar, add_months, add_weeks

D = dt.date
CAL = WorkingDayCalendar()


# -- is_working_day -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 6, 3), True),  # Monday
        (D(2024, 6, 7), True),  # Friday
        (D(2024, 6, 8), False),  # Saturday
        (D(2024, 6, 9), False),  # Sunday
        (D(2021, 12, 24), True),  # Christmas Eve is not a bank holiday
        (D(2021, 12, 27), False),  # substitute for Christmas Day
        (D(2021, 12, 28), False),  # substitute for Boxing Day
        (D(2021, 12, 31), True),  # New Year's Eve is not a bank holiday
        (D(2022, 1, 3), False),  # substitute for New Year's Day
        (D(2022, 6, 2), False),  # moved spring bank holiday
        (D(2022, 5, 30), True),  # the usual last Monday of May, a working day in 2022
        (D(2022, 6, 3), False),  # platinum jubilee
        (D(2022, 9, 19), False),  # state funeral
        (D(2023, 5, 8), False),  # coronation
        (D(2020, 5, 8), False),  # VE Day 75
        (D(2020, 5, 4), True),  # the usual first Monday of May, a working day in 2020
        (D(1999, 12, 31), False),
        (D(2002, 6, 3), False),
        (D(2011, 4, 29), False),
        (D(2012, 6, 5), False),
        (D(2024, 3, 29), False),  # Good Friday
        (D(2024, 4, 1), False),  # Easter Monday
        (D(2024, 3, 28), True),  # Maundy Thursday
    ],
)
def test_is_working_day(day: dt.date, expected: bool) -> None:
    assert CAL.is_working_day(day) is expected


def test_datetimes_are_refused() -> None:
    moment = dt.datetime(2022, 6, 3, 12, 0, tzinfo=dt.UTC)
    with pytest.raises(TypeError):
        CAL.is_working_day(moment)
    with pytest.raises(TypeError):
        CAL.add_working_days(moment, 1)
    with pytest.raises(TypeError):
        add_weeks(moment, 1)


def test_unknown_nation_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown nation"):
        WorkingDayCalendar("northern_ireland")


# -- add_working_days ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Counted by hand: Thu 23 Dec 2021 -> Fri 24 (1); Mon 27 and Tue 28 are the
        # Christmas substitutes; Wed 29 (2), Thu 30 (3), Fri 31 (4); Sat 1 and Sun 2;
        # Mon 3 Jan 2022 is the New Year substitute; Tue 4 Jan (5).
        (D(2021, 12, 23), 5, D(2022, 1, 4)),
        (D(2021, 12, 23), 6, D(2022, 1, 5)),
        (D(2021, 12, 23), 1, D(2021, 12, 24)),
        (D(2021, 12, 23), 2, D(2021, 12, 29)),
        (D(2021, 12, 24), 1, D(2021, 12, 29)),
        (D(2021, 12, 31), 1, D(2022, 1, 4)),
        # 2022-23: Boxing Day Mon 26, Christmas substitute Tue 27, New Year sub Mon 2.
        (D(2022, 12, 23), 1, D(2022, 12, 28)),
        (D(2022, 12, 30), 1, D(2023, 1, 3)),
        (D(2022, 12, 23), 5, D(2023, 1, 4)),  # 28, 29, 30 Dec, 3 and 4 Jan
        # Easter 2024: Good Friday 29 March, Easter Monday 1 April.
        (D(2024, 3, 28), 1, D(2024, 4, 2)),
        (D(2024, 3, 27), 2, D(2024, 4, 2)),
        (D(2024, 3, 29), 1, D(2024, 4, 2)),  # starting on a holiday
        (D(2024, 4, 1), 1, D(2024, 4, 2)),
        # Boxing Day on Saturday 2020: substitute Monday 28.
        (D(2020, 12, 24), 1, D(2020, 12, 29)),
        # One-off holidays.
        (D(2022, 6, 1), 1, D(2022, 6, 6)),  # skips Thu 2 and Fri 3 June 2022
        (D(2022, 9, 16), 1, D(2022, 9, 20)),  # skips the state funeral
        (D(2023, 5, 5), 1, D(2023, 5, 9)),  # skips the coronation
        (D(2020, 5, 7), 1, D(2020, 5, 11)),  # skips VE Day 75
        (D(2011, 4, 28), 1, D(2011, 5, 3)),  # royal wedding, then early May 2 May
        (D(2012, 6, 1), 1, D(2012, 6, 6)),  # skips 4 and 5 June 2012
        (D(2002, 5, 31), 1, D(2002, 6, 5)),  # skips 3 and 4 June 2002
        (D(1999, 12, 30), 1, D(2000, 1, 4)),  # millennium, then New Year sub 3 Jan
        # Weekend starts: the first working day strictly after is the Monday.
        (D(2024, 6, 8), 1, D(2024, 6, 10)),  # Saturday
        (D(2024, 6, 9), 1, D(2024, 6, 10)),  # Sunday
        (D(2024, 6, 8), 5, D(2024, 6, 14)),
        (D(2024, 6, 7), 1, D(2024, 6, 10)),  # Friday
        (D(2024, 6, 7), 5, D(2024, 6, 14)),
        # Long spans cross several years.
        # 2024: 262 weekdays (starts on a Monday, 366 days) minus 8 bank holidays = 254,
        # and 1 January itself is a holiday, so all 254 lie after it.
        (D(2024, 1, 1), 254, D(2024, 12, 31)),
        (D(2023, 12, 31), 254, D(2024, 12, 31)),
        (D(2023, 12, 31), 255, D(2025, 1, 2)),
    ],
)
def test_add_working_days(start: dt.date, n: int, expected: dt.date) -> None:
    assert CAL.add_working_days(start, n) == expected
    assert CAL.working_days_between(start, expected) == n


@pytest.mark.parametrize("start", [D(2024, 6, 5), D(2024, 6, 8), D(2022, 6, 3), D(2021, 12, 25)])
def test_zero_working_days_returns_the_date_unchanged(start: dt.date) -> None:
    assert CAL.add_working_days(start, 0) == start


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 6, 5), -1, D(2024, 6, 4)),
        (D(2024, 6, 10), -1, D(2024, 6, 7)),  # Monday back to Friday
        (D(2024, 6, 8), -1, D(2024, 6, 7)),  # Saturday back to Friday
        (D(2024, 6, 9), -5, D(2024, 6, 3)),
        (D(2022, 1, 4), -1, D(2021, 12, 31)),  # over New Year sub and the weekend
        (D(2022, 1, 4), -5, D(2021, 12, 23)),  # the hand count above, backwards
        (D(2022, 6, 6), -1, D(2022, 6, 1)),
        (D(2024, 4, 2), -1, D(2024, 3, 28)),  # over Easter
        (D(2025, 1, 2), -255, D(2023, 12, 29)),
    ],
)
def test_negative_n_counts_back(start: dt.date, n: int, expected: dt.date) -> None:
    assert CAL.add_working_days(start, n) == expected


def test_advocates_meeting_two_working_days_before_a_monday_hearing() -> None:
    # PD12A: 2 working days before a CMH on Tuesday 2 April 2024 (after Easter Monday).
    assert CAL.add_working_days(D(2024, 4, 2), -2) == D(2024, 3, 27)


# -- working_days_between -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2024, 6, 3), D(2024, 6, 3), 0),
        (D(2024, 6, 3), D(2024, 6, 4), 1),
        (D(2024, 6, 7), D(2024, 6, 9), 0),  # Friday to Sunday
        (D(2024, 6, 7), D(2024, 6, 10), 1),
        (D(2024, 6, 10), D(2024, 6, 7), -1),
        (D(2021, 12, 23), D(2022, 1, 4), 5),
        (D(2022, 1, 4), D(2021, 12, 23), -5),
        (D(2024, 1, 1), D(2024, 12, 31), 254),
        (D(2023, 12, 31), D(2024, 12, 31), 254),
        (D(2019, 12, 31), D(2029, 12, 31), 2526),
    ],
)
def test_working_days_between(start: dt.date, end: dt.date, expected: int) -> None:
    assert CAL.working_days_between(start, end) == expected


def test_working_days_in_a_decade_match_a_day_by_day_count() -> None:
    # 2020-2029 is 3653 days: 521 weeks (2605 weekdays) plus Wed-Mon (4 weekdays) = 2609
    # weekdays, minus 83 weekday bank holidays (8 a year, 10 in 2022, 9 in 2023) = 2526.
    start, end = D(2019, 12, 31), D(2029, 12, 31)
    counted = sum(
        1
        for offset in range(1, (end - start).days + 1)
        if CAL.is_working_day(start + dt.timedelta(days=offset))
    )
    assert counted == CAL.working_days_between(start, end) == 2526


# -- next and previous working day ----------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 6, 5), D(2024, 6, 5)),
        (D(2024, 6, 8), D(2024, 6, 10)),
        (D(2021, 12, 25), D(2021, 12, 29)),
        (D(2022, 1, 1), D(2022, 1, 4)),
        (D(2022, 6, 2), D(2022, 6, 6)),
    ],
)
def test_next_working_day(day: dt.date, expected: dt.date) -> None:
    assert CAL.next_working_day(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 6, 5), D(2024, 6, 5)),
        (D(2024, 6, 9), D(2024, 6, 7)),
        (D(2021, 12, 28), D(2021, 12, 24)),
        (D(2022, 1, 3), D(2021, 12, 31)),
    ],
)
def test_previous_working_day(day: dt.date, expected: dt.date) -> None:
    assert CAL.previous_working_day(day) == expected


# -- extra holidays -----------------------------------------------------------------


def test_extra_holiday_is_not_a_working_day() -> None:
    extra = D(2031, 6, 9)  # an invented one-off (a Monday)
    calendar = WorkingDayCalendar("england", [extra])
    assert CAL.is_working_day(extra)
    assert not calendar.is_working_day(extra)
    assert calendar.add_working_days(D(2031, 6, 6), 1) == D(2031, 6, 10)
    assert calendar.working_days_between(D(2031, 6, 6), D(2031, 6, 10)) == 1
    assert calendar.holidays(2031)[extra] == "Extra bank holiday"
    assert extra not in calendar.holidays(2030)


def test_extra_holidays_with_names() -> None:
    calendar = WorkingDayCalendar("wales", {D(2031, 6, 9): "Invented one-off"})
    holidays = calendar.holidays(2031)
    assert holidays[D(2031, 6, 9)] == "Invented one-off"
    assert list(holidays) == sorted(holidays)
    # The bank holidays are still there, with their own names.
    assert holidays[D(2031, 12, 25)] == "Christmas Day"


def test_extra_holiday_on_a_bank_holiday_keeps_the_bank_holiday_name() -> None:
    calendar = WorkingDayCalendar("england", {D(2024, 12, 25): "Duplicate"})
    assert calendar.holidays(2024)[D(2024, 12, 25)] == "Christmas Day"


def test_calendar_exposes_its_settings() -> None:
    calendar = WorkingDayCalendar("Wales", [D(2031, 6, 9)])
    assert calendar.nation == "wales"
    assert dict(calendar.extra_holidays) == {D(2031, 6, 9): "Extra bank holiday"}
    with pytest.raises(TypeError):
        calendar.extra_holidays[D(2031, 6, 10)] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        calendar.nation = "england"  # type: ignore[misc]
    assert "wales" in repr(calendar)


def test_many_long_additions_are_fast() -> None:
    calendar = WorkingDayCalendar()
    start = time.perf_counter()
    for offset in range(5000):
        calendar.add_working_days(D(2020, 1, 1) + dt.timedelta(days=offset % 3000), 500)
    # Binary search over cached years: a few milliseconds; a day-by-day loop that
    # rebuilt holiday sets would take seconds. The bound is generous for slow CI.
    assert time.perf_counter() - start < 2.0


# -- add_weeks and add_months ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 6, 5), 0, D(2024, 6, 5)),
        (D(2024, 6, 5), 6, D(2024, 7, 17)),
        (D(2024, 6, 5), 16, D(2024, 9, 25)),
        (D(2024, 6, 5), 26, D(2024, 12, 4)),  # 182 days (s32(1)(a))
        (D(2021, 12, 20), 1, D(2021, 12, 27)),  # lands on a bank holiday: not adjusted
        (D(2024, 3, 25), 1, D(2024, 4, 1)),  # clock change week: nothing shifts
        (D(2024, 6, 5), -2, D(2024, 5, 22)),
    ],
)
def test_add_weeks(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_weeks(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2022, 8, 31), 6, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 1, 15), 12, D(2025, 1, 15)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 1, 31), -2, D(2023, 11, 30)),
        (D(2024, 5, 17), 0, D(2024, 5, 17)),
        (D(2024, 2, 29), -12, D(2023, 2, 28)),
    ],
)
def test_add_months(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_months(start, n) == expected
