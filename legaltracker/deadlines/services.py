"""Keeps a case's deadline rows in step with what has been recorded on it."""

from __future__ import annotations

from django.conf import settings

from legaltracker.calendars.services import get_calendar
from legaltracker.cases.choices import CaseEventKind
from legaltracker.cases.models import Case, CaseEvent
from legaltracker.core import clock

from . import rules
from .models import Deadline, TimescalePolicy

_FIELDS = ("starts_from", "due", "not_before", "met_on", "applies")


def case_facts(case: Case) -> rules.CaseFacts:
    """The pure snapshot the rules need: one read of the recorded events, one of the
    stage changes (the audit trail), one of the extensions."""
    stage_changes = [
        rules.StageChange(
            e.details.get("transition", e.action),
            e.from_stage,
            e.to_stage,
            e.effective_date,  # type: ignore[arg-type]  # a transition always has one
        )
        for e in CaseEvent.objects.filter(case=case, action=CaseEventKind.TRANSITION).order_by(
            "at", "id"
        )
    ]
    events = [rules.Event(e.kind, e.date, e.details) for e in case.recorded_events.all()]
    extensions = [
        rules.ExtensionFact(x.kind, x.decided_on, x.new_end) for x in case.extensions.all()
    ]
    return rules.CaseFacts(
        stage=case.stage,
        opened_on=case.opened_on,
        urgent=case.urgent,
        stage_changes=stage_changes,
        events=events,
        extensions=extensions,
        fgdm_required=settings.LEGALTRACKER_NATION == "england",
    )


def timescales() -> rules.Timescales:
    return rules.Timescales.from_policy(TimescalePolicy.current())


def deadlines_recompute(*, case: Case) -> list[Deadline]:
    """Recompute the case's deadlines and write only what changed.

    Rows are matched on (milestone, cycle) so that their ids (which alerts refer to)
    survive a recomputation; a row the rules no longer produce stops applying.
    """
    specs = rules.compute_deadlines(case_facts(case), timescales(), get_calendar())
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
