"""Keeps a case's deadline rows in step with the facts recorded on it.

The facts are gathered by `legaltracker.cases.facts` (which reads the case); this module
only turns them into rows, so the deadlines app does not depend on the cases app's models.
"""

from __future__ import annotations

from typing import Any

from legaltracker.calendars.services import get_calendar
from legaltracker.core import clock

from . import rules
from .models import Deadline, TimescalePolicy

_FIELDS = ("starts_from", "due", "not_before", "met_on", "applies", "owner_id")


def timescales() -> rules.Timescales:
    return rules.Timescales.from_policy(TimescalePolicy.current())


def deadlines_sync(*, case: Any, facts: rules.CaseFacts) -> list[Deadline]:
    """Compute the deadlines of `case` from its `facts` and write only what changed.

    Rows are matched on (milestone, cycle) so that their ids (which alerts refer to)
    survive a recomputation; a row the rules no longer produce stops applying.
    """
    specs = rules.compute_deadlines(facts, timescales(), get_calendar())
    existing = {(d.milestone, d.cycle): d for d in Deadline.objects.filter(case=case)}
    to_create, to_update = [], []
    for spec in specs:
        row = existing.pop((spec.milestone, spec.cycle), None)
        values = {name: getattr(spec, name) for name in _FIELDS}
        if row is None:
            to_create.append(
                Deadline(case=case, milestone=spec.milestone, cycle=spec.cycle, **values)
            )
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    for row in existing.values():
        # A row the rules no longer produce (an earlier date was corrected) neither
        # applies nor stays "met".
        if row.applies or row.met_on is not None:
            row.applies = False
            row.met_on = None
            to_update.append(row)
    stamp = clock.now()
    for row in to_update:
        row.updated_at = stamp  # bulk_update does not apply auto_now
    if to_create:
        Deadline.objects.bulk_create(to_create)
    if to_update:
        Deadline.objects.bulk_update(to_update, [*_FIELDS, "updated_at"])
    return to_create + to_update
