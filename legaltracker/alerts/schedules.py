"""The django-q2 schedules of the alerts app, declared here and synced by name.

`sync_schedules()` creates each schedule or updates it in place (matched by name, never
duplicated); it runs after `migrate` and from `manage.py sync_schedules`.

- `alerts-daily`: the daily run at ALERTS_DAILY_TIME, local time (Europe/London). A DAILY
  schedule: django-q2 keeps its local time across the clock change. It fires every day;
  the task returns at once on a day that is not a working day.
- `alerts-sweep`: every minute: retries and recovery (see tasks.sweep).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from legaltracker.core import clock

from . import conf

DAILY = "alerts-daily"
SWEEP = "alerts-sweep"


@dataclass(frozen=True)
class Declared:
    name: str
    func: str
    schedule_type: str
    minutes: int | None = None


def declared() -> list[Declared]:
    from django_q.models import Schedule

    return [
        Declared(DAILY, "legaltracker.alerts.tasks.daily_alerts", Schedule.DAILY),
        Declared(SWEEP, "legaltracker.alerts.tasks.sweep", Schedule.MINUTES, minutes=1),
    ]


def next_daily_run(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The next `at` o'clock local time strictly after `now`, as an aware datetime."""
    local = timezone.localtime(now)
    zone = timezone.get_current_timezone()
    day = local.date()
    while True:
        candidate = timezone.make_aware(dt.datetime.combine(day, at), zone)
        if candidate > now:
            return candidate
        day += dt.timedelta(days=1)


def sync_schedules(now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Create or update the declared schedules; returns (name, "created"/"updated"/
    "unchanged") for each."""
    from django_q.models import Schedule

    now = now or clock.now()
    at = conf.daily_time()
    report = []
    for spec in declared():
        rows = list(Schedule.objects.filter(name=spec.name).order_by("id"))
        for extra in rows[1:]:  # a copy made by hand: one schedule per name
            extra.delete()
        row = rows[0] if rows else None
        if spec.name == DAILY:
            if (
                row is not None
                and row.next_run is not None
                and (timezone.localtime(row.next_run).time() == at)
            ):
                next_run = row.next_run
            else:
                next_run = next_daily_run(now, at)
        else:
            next_run = row.next_run if row is not None and row.next_run else now
        values = {
            "func": spec.func,
            "schedule_type": spec.schedule_type,
            "minutes": spec.minutes,
            "repeats": -1,
            "next_run": next_run,
            "args": None,
            "kwargs": None,
            "cluster": None,
        }
        if row is None:
            Schedule.objects.create(name=spec.name, **values)
            report.append((spec.name, "created"))
            continue
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        if changed:
            for key in changed:
                setattr(row, key, values[key])
            row.save()
        report.append((spec.name, "updated" if changed else "unchanged"))
    return report


def exists(name: str) -> bool:
    from django_q.models import Schedule

    return Schedule.objects.filter(name=name).exists()
