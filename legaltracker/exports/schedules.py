"""The exports' one schedule, declared here and synced by name after `migrate`:
`exports-cleanup`, hourly, removes the files of expired exports."""

from __future__ import annotations

from legaltracker.core import clock

CLEANUP = "exports-cleanup"
FUNC = "legaltracker.exports.tasks.cleanup"


def sync_schedule() -> str:
    from django_q.models import Schedule

    rows = list(Schedule.objects.filter(name=CLEANUP).order_by("id"))
    for extra in rows[1:]:
        extra.delete()
    values = {
        "func": FUNC,
        "schedule_type": Schedule.HOURLY,
        "repeats": -1,
        "args": None,
        "kwargs": None,
        "cluster": None,
    }
    if not rows:
        Schedule.objects.create(name=CLEANUP, next_run=clock.now(), **values)
        return "created"
    row = rows[0]
    changed = [k for k, v in values.items() if getattr(row, k) != v]
    for key in changed:
        setattr(row, key, values[key])
    if changed:
        row.save()
    return "updated" if changed else "unchanged"
