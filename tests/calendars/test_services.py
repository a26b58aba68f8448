"""Extra bank holidays recorded in the database, read by `get_calendar`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from legaltracker.calendars.models import ExtraBankHoliday, Nation
from legaltracker.calendars.services import get_calendar
from legaltracker.calendars.workingdays import NATIONS, WorkingDayCalendar

ONE_OFF = dt.date(2031, 6, 9)  # an invented one-off on a Monday


def test_model_choices_match_the_calendar_nations() -> None:
    assert set(Nation.values) == NATIONS


@pytest.mark.django_db
def test_extra_bank_holiday_is_not_a_working_day(django_assert_num_queries) -> None:
    ExtraBankHoliday.objects.create(date=ONE_OFF, name="Invented one-off", nation="england")
    ExtraBankHoliday.objects.create(
        date=dt.date(2031, 6, 10), name="Invented too", nation="england"
    )
    with django_assert_num_queries(1):
        calendar = get_calendar("england")
        # Counting does not go back to the database.
        assert not calendar.is_working_day(ONE_OFF)
        assert calendar.add_working_days(dt.date(2031, 6, 6), 1) == dt.date(2031, 6, 11)
    assert isinstance(calendar, WorkingDayCalendar)
    assert calendar.holidays(2031)[ONE_OFF] == "Invented one-off"
    assert WorkingDayCalendar("england").is_working_day(ONE_OFF)


@pytest.mark.django_db
def test_get_calendar_uses_the_nation_setting(settings, django_assert_num_queries) -> None:
    ExtraBankHoliday.objects.create(date=ONE_OFF, name="Welsh one-off", nation="wales")

    settings.LEGALTRACKER_NATION = "wales"
    with django_assert_num_queries(1):
        welsh = get_calendar()
    assert welsh.nation == "wales"
    assert not welsh.is_working_day(ONE_OFF)

    settings.LEGALTRACKER_NATION = "england"
    with django_assert_num_queries(1):
        english = get_calendar()
    assert english.nation == "england"
    assert english.is_working_day(ONE_OFF)
    # An explicit nation wins over the setting.
    assert not get_calendar("wales").is_working_day(ONE_OFF)


@pytest.mark.django_db
def test_get_calendar_without_extras_still_has_bank_holidays() -> None:
    calendar = get_calendar("england")
    assert not calendar.is_working_day(dt.date(2023, 5, 8))
    assert calendar.is_working_day(dt.date(2023, 5, 9))


def test_get_calendar_refuses_an_unknown_nation() -> None:
    # Refused before any query, so no database access is needed.
    with pytest.raises(ValueError, match="Unknown nation"):
        get_calendar("scotland")


@pytest.mark.django_db
def test_one_row_per_date_and_nation() -> None:
    ExtraBankHoliday.objects.create(date=ONE_OFF, name="Invented", nation="england")
    ExtraBankHoliday.objects.create(date=ONE_OFF, name="Invented", nation="wales")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtraBankHoliday.objects.create(date=ONE_OFF, name="Again", nation="england")
    assert ExtraBankHoliday.objects.count() == 2


@pytest.mark.django_db
def test_str_and_ordering() -> None:
    later = ExtraBankHoliday.objects.create(date=ONE_OFF, name="Later", nation="wales")
    earlier = ExtraBankHoliday.objects.create(
        date=dt.date(2030, 5, 1), name="Earlier", nation="england"
    )
    assert list(ExtraBankHoliday.objects.all()) == [earlier, later]
    assert str(later) == "Later (2031-06-09, Wales)"
    assert later.created_at is not None
