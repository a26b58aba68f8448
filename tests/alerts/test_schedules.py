"""The schedules declared in code, synced by name; the daily time in Europe/London
across the clock change; the sweep's catch-up of a lost daily run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.test import override_settings
from django_q.models import Schedule

from legaltracker.alerts import schedules, services, tasks
from legaltracker.alerts.apps import _sync_schedules
from legaltracker.alerts.models import AlertRun

from .helpers import case_with_deadline

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def declared() -> None:
    """The schedules as `migrate` leaves them when ALERTS_SYNC_SCHEDULES_ON_MIGRATE is on."""
    Schedule.objects.all().delete()
    with override_settings(ALERTS_SYNC_SCHEDULES_ON_MIGRATE=True):
        _sync_schedules(sender=apps.get_app_config("alerts"))


def test_migrate_declared_both_and_a_sync_changes_nothing():
    assert sorted(Schedule.objects.values_list("name", flat=True)) == [
        schedules.DAILY,
        schedules.SWEEP,
    ]
    assert schedules.sync_schedules() == [
        (schedules.DAILY, "unchanged"),
        (schedules.SWEEP, "unchanged"),
    ]
    daily = Schedule.objects.get(name=schedules.DAILY)
    assert (daily.func, daily.schedule_type, daily.repeats) == (
        "legaltracker.alerts.tasks.daily_alerts",
        Schedule.DAILY,
        -1,
    )
    assert dt.datetime.astimezone(daily.next_run, LONDON).time() == dt.time(7, 0)
    sweep = Schedule.objects.get(name=schedules.SWEEP)
    assert (sweep.schedule_type, sweep.minutes) == (Schedule.MINUTES, 1)


def test_migrate_leaves_schedules_alone_when_turned_off():
    Schedule.objects.all().delete()
    with override_settings(ALERTS_SYNC_SCHEDULES_ON_MIGRATE=False):
        _sync_schedules(sender=apps.get_app_config("alerts"))
    assert not Schedule.objects.exists()


def test_sync_repairs_and_never_duplicates():
    Schedule.objects.create(
        name=schedules.DAILY, func="elsewhere.task", schedule_type=Schedule.ONCE
    )
    Schedule.objects.filter(name=schedules.SWEEP).update(func="stale.func", minutes=5)
    report = dict(schedules.sync_schedules())
    assert report == {schedules.DAILY: "unchanged", schedules.SWEEP: "updated"}
    assert Schedule.objects.filter(name=schedules.DAILY).count() == 1
    sweep = Schedule.objects.get(name=schedules.SWEEP)
    assert (sweep.func, sweep.minutes) == ("legaltracker.alerts.tasks.sweep", 1)


def test_a_new_daily_time_moves_the_next_run():
    with override_settings(ALERTS_DAILY_TIME="06:30"):
        assert (
            dict(schedules.sync_schedules(now=at(2026, 3, 4, 12, 0)))[schedules.DAILY] == "updated"
        )
    daily = Schedule.objects.get(name=schedules.DAILY)
    assert daily.next_run == at(2026, 3, 5, 6, 30)


def test_next_daily_run_is_seven_local_time_both_sides_of_the_clock_change():
    seven = dt.time(7, 0)
    # Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
    assert schedules.next_daily_run(at(2026, 3, 28, 8, 0), seven) == at(2026, 3, 29, 7, 0)
    assert schedules.next_daily_run(at(2026, 3, 28, 8, 0), seven).utcoffset() == dt.timedelta(
        hours=1
    )
    assert schedules.next_daily_run(at(2026, 10, 24, 8, 0), seven).utcoffset() == dt.timedelta(0)
    assert schedules.next_daily_run(at(2026, 3, 4, 6, 59), seven) == at(2026, 3, 4, 7, 0)


def test_django_q_keeps_the_daily_run_at_seven_across_the_clock_change():
    daily = Schedule.objects.get(name=schedules.DAILY)
    daily.next_run = at(2026, 3, 28, 7, 0)
    following = daily.calculate_next_run()
    assert following.astimezone(LONDON) == at(2026, 3, 29, 7, 0)
    utc = dt.UTC
    assert following.astimezone(utc) - daily.next_run.astimezone(utc) == dt.timedelta(hours=23)


def test_the_daily_task_returns_at_once_on_a_bank_holiday(staff):
    case_with_deadline(staff, dt.date(2026, 4, 6))
    assert tasks.daily_alerts("2026-04-06") == "2026-04-06: not a working day: no alerts"
    assert not AlertRun.objects.exists()


def test_the_sweep_runs_a_lost_daily_run_only_when_it_is_due():
    wednesday = dt.date(2026, 3, 4)
    assert services.daily_run_missing(now=at(2026, 3, 4, 6, 59)) is None
    assert services.daily_run_missing(now=at(2026, 3, 4, 7, 1)) == wednesday
    assert services.daily_run_missing(now=at(2026, 3, 7, 9, 0)) is None  # a Saturday
    services.alerts_scan(today=wednesday, dispatch=False)
    assert services.daily_run_missing(now=at(2026, 3, 4, 7, 1)) is None
    Schedule.objects.filter(name=schedules.DAILY).delete()
    assert services.daily_run_missing(now=at(2026, 3, 5, 7, 1)) is None  # not declared
