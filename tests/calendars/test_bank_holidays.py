"""Bank holidays of England and Wales: the rules against the published dates."""

from __future__ import annotations

import datetime as dt

import holidays as holidays_package
import pytest

from legaltracker.calendars.workingdays import (
    NATIONS,
    bank_holidays,
    easter_sunday,
    normalise_nation,
)

D = dt.date

# GOV.UK "UK bank holidays", England and Wales, written out by hand (published lists
# for 2018-2027; 2028-2030 are the same rules applied ahead, as GOV.UK will publish
# them unless a one-off is announced). Substitute days appear instead of the weekend
# dates they replace.
PUBLISHED: dict[int, list[dt.date]] = {
    2018: [D(2018, 1, 1), D(2018, 3, 30), D(2018, 4, 2), D(2018, 5, 7), D(2018, 5, 28),
           D(2018, 8, 27), D(2018, 12, 25), D(2018, 12, 26)],
    2019: [D(2019, 1, 1), D(2019, 4, 19), D(2019, 4, 22), D(2019, 5, 6), D(2019, 5, 27),
           D(2019, 8, 26), D(2019, 12, 25), D(2019, 12, 26)],
    2020: [D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25),
           D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28)],
    2021: [D(2021, 1, 1), D(2021, 4, 2), D(2021, 4, 5), D(2021, 5, 3), D(2021, 5, 31),
           D(2021, 8, 30), D(2021, 12, 27), D(2021, 12, 28)],
    2022: [D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2),
           D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)],
    2023: [D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8),
           D(2023, 5, 29), D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)],
    2024: [D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27),
           D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)],
    2025: [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
           D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)],
    2026: [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
           D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)],
    2027: [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31),
           D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)],
    2028: [D(2028, 1, 3), D(2028, 4, 14), D(2028, 4, 17), D(2028, 5, 1), D(2028, 5, 29),
           D(2028, 8, 28), D(2028, 12, 25), D(2028, 12, 26)],
    2029: [D(2029, 1, 1), D(2029, 3, 30), D(2029, 4, 2), D(2029, 5, 7), D(2029, 5, 28),
           D(2029, 8, 27), D(2029, 12, 25), D(2029, 12, 26)],
    2030: [D(2030, 1, 1), D(2030, 4, 19), D(2030, 4, 22), D(2030, 5, 6), D(2030, 5, 27),
           D(2030, 8, 26), D(2030, 12, 25), D(2030, 12, 26)],
}  # fmt: skip


def test_published_table_covers_2018_to_2030() -> None:
    assert sorted(PUBLISHED) == list(range(2018, 2031))
    # Guard the hand-written table itself: every published bank holiday is a weekday.
    for days in PUBLISHED.values():
        assert all(day.weekday() < 5 for day in days), days


@pytest.mark.parametrize("nation", sorted(NATIONS))
@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_bank_holidays_match_published_dates(year: int, nation: str) -> None:
    assert list(bank_holidays(year, nation)) == PUBLISHED[year]


@pytest.mark.parametrize("year", range(1978, 2061))
def test_england_and_wales_share_one_list(year: int) -> None:
    assert bank_holidays(year, "england") == bank_holidays(year, "wales")


@pytest.mark.parametrize("year", range(2018, 2031))
def test_bank_holidays_agree_with_holidays_package(year: int) -> None:
    # The `holidays` package lists the calendar date of Christmas, Boxing Day and New
    # Year's Day even when it falls on a weekend, and adds the "(observed)" substitute
    # day beside it. Only weekdays matter for counting working days, so compare the
    # weekday dates: that difference is deliberate. Its labels differ too ("May Day",
    # "Late Summer Bank Holiday"), so names are not compared.
    package = holidays_package.country_holidays("GB", subdiv="ENG", years=year)
    package_weekdays = {day for day in package if day.weekday() < 5}
    assert set(bank_holidays(year)) == package_weekdays


@pytest.mark.parametrize("year", range(1978, 2061))
def test_rules_agree_with_holidays_package_over_a_long_span(year: int) -> None:
    # Same comparison as above over every year since the early May bank holiday began,
    # which exercises every weekday pattern of the substitute-day rules.
    package = holidays_package.country_holidays("GB", subdiv="ENG", years=year)
    assert set(bank_holidays(year)) == {day for day in package if day.weekday() < 5}


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(1999, 12, 31), "Millennium Celebrations"),
        (D(2002, 6, 3), "Golden Jubilee bank holiday"),
        (D(2011, 4, 29), "Royal wedding"),
        (D(2012, 6, 5), "Queen's Diamond Jubilee"),
        (D(2022, 6, 3), "Platinum Jubilee bank holiday"),
        (D(2022, 9, 19), "Bank holiday for the State Funeral of Queen Elizabeth II"),
        (D(2023, 5, 8), "Bank holiday for the coronation of King Charles III"),
    ],
)
def test_one_off_holidays(day: dt.date, name: str) -> None:
    assert bank_holidays(day.year)[day] == name


@pytest.mark.parametrize(
    ("year", "moved_to", "usual"),
    [
        # Spring bank holiday moved for the jubilees.
        (2002, D(2002, 6, 4), D(2002, 5, 27)),
        (2012, D(2012, 6, 4), D(2012, 5, 28)),
        (2022, D(2022, 6, 2), D(2022, 5, 30)),
        # Early May bank holiday moved to the Friday for VE Day 75 (and VE Day 50).
        (2020, D(2020, 5, 8), D(2020, 5, 4)),
        (1995, D(1995, 5, 8), D(1995, 5, 1)),
    ],
)
def test_moved_days_replace_the_usual_date(year: int, moved_to: dt.date, usual: dt.date) -> None:
    days = bank_holidays(year)
    assert moved_to in days
    assert usual not in days


def test_christmas_on_saturday_gives_two_substitute_days() -> None:
    december = {d: n for d, n in bank_holidays(2021).items() if d.month == 12}
    assert december == {
        D(2021, 12, 27): "Christmas Day (substitute day)",
        D(2021, 12, 28): "Boxing Day (substitute day)",
    }


def test_christmas_on_sunday_keeps_boxing_day_on_monday() -> None:
    december = {d: n for d, n in bank_holidays(2022).items() if d.month == 12}
    assert december == {
        D(2022, 12, 26): "Boxing Day",
        D(2022, 12, 27): "Christmas Day (substitute day)",
    }


def test_boxing_day_on_saturday_moves_to_monday() -> None:
    december = {d: n for d, n in bank_holidays(2020).items() if d.month == 12}
    assert december == {
        D(2020, 12, 25): "Christmas Day",
        D(2020, 12, 28): "Boxing Day (substitute day)",
    }


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2022, D(2022, 1, 3)),  # Saturday 1 January
        (2023, D(2023, 1, 2)),  # Sunday 1 January
        (2024, D(2024, 1, 1)),  # Monday
    ],
)
def test_new_years_day_substitute(year: int, expected: dt.date) -> None:
    january = [d for d in bank_holidays(year) if d.month == 1]
    assert january == [expected]


def test_millennium_year_end() -> None:
    # 1999: Christmas on Saturday, substitutes on 27 and 28, then the Millennium day;
    # 1 January 2000 was a Saturday, so Monday 3 January 2000 was the substitute.
    assert [d for d in bank_holidays(1999) if d.month == 12] == [
        D(1999, 12, 27),
        D(1999, 12, 28),
        D(1999, 12, 31),
    ]
    assert [d for d in bank_holidays(2000) if d.month == 1] == [D(2000, 1, 3)]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1818, D(1818, 3, 22)),  # earliest possible date
        (1886, D(1886, 4, 25)),  # latest possible date
        (1943, D(1943, 4, 25)),
        (2000, D(2000, 4, 23)),
        (2008, D(2008, 3, 23)),
        (2019, D(2019, 4, 21)),
        (2024, D(2024, 3, 31)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_easter_sunday(year: int, expected: dt.date) -> None:
    assert easter_sunday(year) == expected


def test_easter_agrees_with_holidays_package_1900_to_2099() -> None:
    # Good Friday and Easter Monday from the holidays package over 1900-2099.
    for year in range(1900, 2100):
        package = holidays_package.country_holidays("GB", subdiv="ENG", years=year)
        easter = easter_sunday(year)
        assert easter.weekday() == 6
        assert package.get(easter - dt.timedelta(days=2)) == "Good Friday", year
        assert package.get(easter + dt.timedelta(days=1)) == "Easter Monday", year


def test_unknown_nation_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown nation"):
        bank_holidays(2024, "scotland")
    with pytest.raises(ValueError, match="Unknown nation"):
        bank_holidays(2024, "")


def test_nation_is_case_insensitive() -> None:
    assert normalise_nation(" Wales ") == "wales"
    assert bank_holidays(2024, "England") == bank_holidays(2024, "england")


def test_result_is_a_fresh_dict_each_call() -> None:
    first = bank_holidays(2024)
    first[D(2024, 7, 1)] = "Invented"
    assert D(2024, 7, 1) not in bank_holidays(2024)
