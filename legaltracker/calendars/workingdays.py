"""Working days and bank holidays of England and Wales, computed by rule with no network.

This is the one implementation of the counting rules in docs/domain/milestones.md:

- "N working days after D" is the Nth working day strictly after D. Working days are
  Monday to Friday except the bank holidays of the LA's nation (England and Wales
  share one list today) and any extra holidays recorded by an administrator.
- "N weeks after D" is D plus 7N calendar days, not adjusted (`add_weeks`).
- "N months after D" is the same day N calendar months later, clamped to the end of
  a shorter month (`add_months`).

Everything here works on `datetime.date` (a date in Europe/London). Datetimes are
refused so that nothing can shift at the clock change: convert with
`django.utils.timezone.localdate` first.

The bank holiday rules are those in force since 1978 (when the early May bank holiday
began); earlier years are computed by the same rules and are not historically exact.
One-off changes (a moved day or an extra day) live in `_ONE_OFF_CHANGES`: a future
one-off is a one-line change there.

Pure Python: no Django imports, so the deadline engine and its tests can use it alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "ENGLAND",
    "NATIONS",
    "WALES",
    "WorkingDayCalendar",
    "add_months",
    "add_weeks",
    "bank_holidays",
    "easter_sunday",
    "normalise_nation",
]

ENGLAND = "england"
WALES = "wales"
NATIONS = frozenset({ENGLAND, WALES})

# Keys of the recurring rules, used by the table of one-off changes below.
NEW_YEAR = "new_year"
GOOD_FRIDAY = "good_friday"
EASTER_MONDAY = "easter_monday"
EARLY_MAY = "early_may"
SPRING = "spring"
SUMMER = "summer"
CHRISTMAS = "christmas"
BOXING_DAY = "boxing_day"

_RULE_NAMES = {
    NEW_YEAR: "New Year's Day",
    GOOD_FRIDAY: "Good Friday",
    EASTER_MONDAY: "Easter Monday",
    EARLY_MAY: "Early May bank holiday",
    SPRING: "Spring bank holiday",
    SUMMER: "Summer bank holiday",
    CHRISTMAS: "Christmas Day",
    BOXING_DAY: "Boxing Day",
}

# One-off changes for England and Wales, one line each: (date, rule it replaces that
# year or None for an extra day, name). A moved day replaces the rule's date in the
# year of `date`.
_ONE_OFF_CHANGES: tuple[tuple[dt.date, str | None, str], ...] = (
    (dt.date(1981, 7, 29), None, "Royal wedding"),
    (dt.date(1995, 5, 8), EARLY_MAY, "Early May bank holiday (VE Day)"),
    (dt.date(1999, 12, 31), None, "Millennium Celebrations"),
    (dt.date(2002, 6, 3), None, "Golden Jubilee bank holiday"),
    (dt.date(2002, 6, 4), SPRING, "Spring bank holiday"),
    (dt.date(2011, 4, 29), None, "Royal wedding"),
    (dt.date(2012, 6, 4), SPRING, "Spring bank holiday"),
    (dt.date(2012, 6, 5), None, "Queen's Diamond Jubilee"),
    (dt.date(2020, 5, 8), EARLY_MAY, "Early May bank holiday (VE Day)"),
    (dt.date(2022, 6, 2), SPRING, "Spring bank holiday"),
    (dt.date(2022, 6, 3), None, "Platinum Jubilee bank holiday"),
    (dt.date(2022, 9, 19), None, "Bank holiday for the State Funeral of Queen Elizabeth II"),
    (dt.date(2023, 5, 8), None, "Bank holiday for the coronation of King Charles III"),
)

_SATURDAY = 5
_MONDAY = 0


def normalise_nation(nation: str) -> str:
    """The nation key ("england" or "wales"); ValueError for anything else."""
    key = nation.strip().lower() if isinstance(nation, str) else nation
    if key not in NATIONS:
        raise ValueError(
            f"Unknown nation {nation!r}: the calendar knows {', '.join(sorted(NATIONS))}."
        )
    return key


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(_MONDAY - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - _MONDAY) % 7)


def _with_substitutes(
    days: list[tuple[dt.date, str]], taken: set[dt.date]
) -> list[tuple[dt.date, str]]:
    """Move weekend days to the next weekday that is not already a holiday.

    Days that fall on a weekday keep their date first, so that when Christmas Day is a
    Sunday, Monday 26 December stays Boxing Day and Tuesday 27 is the substitute for
    Christmas (as GOV.UK publishes it).
    """
    placed = [(day, name) for day, name in days if day.weekday() < _SATURDAY]
    busy = taken | {day for day, _ in placed}
    for day, name in days:
        if day.weekday() < _SATURDAY:
            continue
        substitute = day
        while substitute.weekday() >= _SATURDAY or substitute in busy:
            substitute += dt.timedelta(days=1)
        busy.add(substitute)
        placed.append((substitute, f"{name} (substitute day)"))
    return placed


@lru_cache(maxsize=512)
def _bank_holidays(year: int) -> Mapping[dt.date, str]:
    easter = easter_sunday(year)
    rules = {
        NEW_YEAR: dt.date(year, 1, 1),
        GOOD_FRIDAY: easter - dt.timedelta(days=2),
        EASTER_MONDAY: easter + dt.timedelta(days=1),
        EARLY_MAY: _first_monday(year, 5),
        SPRING: _last_monday(year, 5),
        SUMMER: _last_monday(year, 8),
        CHRISTMAS: dt.date(year, 12, 25),
        BOXING_DAY: dt.date(year, 12, 26),
    }
    names = dict(_RULE_NAMES)
    extras: dict[dt.date, str] = {}
    for day, replaces, name in _ONE_OFF_CHANGES:
        if day.year != year:
            continue
        if replaces is None:
            extras[day] = name
        else:
            rules[replaces] = day
            names[replaces] = name

    result: dict[dt.date, str] = {}
    result.update(_with_substitutes([(rules[NEW_YEAR], names[NEW_YEAR])], taken=set()))
    for key in (GOOD_FRIDAY, EASTER_MONDAY, EARLY_MAY, SPRING, SUMMER):
        result[rules[key]] = names[key]
    result.update(extras)
    result.update(
        _with_substitutes(
            [(rules[CHRISTMAS], names[CHRISTMAS]), (rules[BOXING_DAY], names[BOXING_DAY])],
            taken=set(result),
        )
    )
    return MappingProxyType(dict(sorted(result.items())))


def bank_holidays(year: int, nation: str = ENGLAND) -> dict[dt.date, str]:
    """The bank holidays of `nation` in `year`, date -> name, in date order.

    Substitute days replace weekend days (a Saturday New Year's Day gives Monday 3
    January). England and Wales share one list today; ValueError for another nation.
    """
    normalise_nation(nation)
    return dict(_bank_holidays(year))


def _require_date(value: object) -> dt.date:
    # datetime is a subclass of date but compares unequal to every date: refuse it
    # rather than silently treating a holiday as a working day.
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"Expected a date, got {type(value).__name__}: {value!r}")
    return value


class WorkingDayCalendar:
    """Working days of one nation, plus extra holidays (for example a new one-off).

    Build one per run and reuse it: the holidays and working days of each year are
    computed once and cached on the instance, and counting uses binary search, so
    adding hundreds of working days costs about the same as adding one.
    """

    __slots__ = ("_extra", "_holidays_by_year", "_nation", "_working_by_year")

    def __init__(
        self,
        nation: str = ENGLAND,
        extra_holidays: Iterable[dt.date] | Mapping[dt.date, str] = (),
    ) -> None:
        self._nation = normalise_nation(nation)
        if isinstance(extra_holidays, Mapping):
            extra = {_require_date(day): str(name) for day, name in extra_holidays.items()}
        else:
            extra = {_require_date(day): "Extra bank holiday" for day in extra_holidays}
        self._extra: Mapping[dt.date, str] = MappingProxyType(extra)
        self._holidays_by_year: dict[int, frozenset[dt.date]] = {}
        self._working_by_year: dict[int, tuple[int, ...]] = {}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(nation={self._nation!r}, "
            f"extra_holidays={sorted(self._extra)!r})"
        )

    @property
    def nation(self) -> str:
        return self._nation

    @property
    def extra_holidays(self) -> Mapping[dt.date, str]:
        return self._extra

    # -- holidays ---------------------------------------------------------------------

    def holidays(self, year: int) -> dict[dt.date, str]:
        """Bank holidays and extra holidays in `year`, date -> name, in date order."""
        result = dict(_bank_holidays(year))
        for day, name in self._extra.items():
            if day.year == year:
                result.setdefault(day, name)
        return dict(sorted(result.items()))

    def _holiday_set(self, year: int) -> frozenset[dt.date]:
        cached = self._holidays_by_year.get(year)
        if cached is None:
            cached = frozenset(self.holidays(year))
            self._holidays_by_year[year] = cached
        return cached

    def _working_ordinals(self, year: int) -> tuple[int, ...]:
        """Ordinals of the working days of `year`, ascending."""
        cached = self._working_by_year.get(year)
        if cached is None:
            holidays = self._holiday_set(year)
            start = dt.date(year, 1, 1).toordinal()
            end = dt.date(year, 12, 31).toordinal()
            cached = tuple(
                ordinal
                for ordinal in range(start, end + 1)
                if (ordinal - 1) % 7 < _SATURDAY  # date.fromordinal(1) is a Monday
                and dt.date.fromordinal(ordinal) not in holidays
            )
            self._working_by_year[year] = cached
        return cached

    # -- questions about one day -------------------------------------------------------

    def is_working_day(self, d: dt.date) -> bool:
        """Monday to Friday and neither a bank holiday nor an extra holiday."""
        _require_date(d)
        return d.weekday() < _SATURDAY and d not in self._holiday_set(d.year)

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day on or after `d`."""
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    def previous_working_day(self, d: dt.date) -> dt.date:
        """The last working day on or before `d`."""
        return d if self.is_working_day(d) else self.add_working_days(d, -1)

    # -- counting ------------------------------------------------------------------------

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The Nth working day strictly after `d` (n > 0) or strictly before it (n < 0).

        n == 0 returns `d` unchanged, working day or not.
        """
        _require_date(d)
        if n == 0:
            return d
        year = d.year
        days = self._working_ordinals(year)
        if n > 0:
            # Index of the first working day strictly after d, then n - 1 further on.
            index = bisect_right(days, d.toordinal()) + n - 1
            while index >= len(days):
                index -= len(days)
                year += 1
                days = self._working_ordinals(year)
        else:
            # Index of the last working day strictly before d is bisect_left - 1.
            index = bisect_left(days, d.toordinal()) + n
            while index < 0:
                year -= 1
                days = self._working_ordinals(year)
                index += len(days)
        return dt.date.fromordinal(days[index])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days in (start, end]; negative when end < start.

        So `working_days_between(d, add_working_days(d, n)) == n` for n >= 0.
        """
        _require_date(start)
        _require_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        total = sum(len(self._working_ordinals(year)) for year in range(start.year, end.year))
        total += bisect_right(self._working_ordinals(end.year), end.toordinal())
        total -= bisect_right(self._working_ordinals(start.year), start.toordinal())
        return total


def add_weeks(d: dt.date, n: int) -> dt.date:
    """D plus 7N calendar days, not adjusted for weekends or holidays."""
    return _require_date(d) + dt.timedelta(days=7 * n)


def add_months(d: dt.date, n: int) -> dt.date:
    """The same day N calendar months later (or earlier), clamped to the month's end.

    31 August plus 6 months is 28 February (29 in a leap year).
    """
    _require_date(d)
    years, month_index = divmod(d.month - 1 + n, 12)
    year = d.year + years
    month = month_index + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))
