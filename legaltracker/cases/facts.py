"""What the deadline rules need to know about a case, and keeping its deadlines in step.

`deadlines_recompute` is called by every service that changes what the rules read (a
transition, a recorded or corrected event), inside the same transaction. The rules
themselves are pure (`legaltracker.deadlines.rules`, docs/domain/milestones.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings

from legaltracker.deadlines import rules
from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.services import deadlines_sync

from .choices import CaseEventKind
from .models import Case, CaseEvent


@dataclass(frozen=True)
class MoreFacts:
    events: Sequence[rules.Event] = ()
    extensions: Sequence[rules.ExtensionFact] = ()
    deadlines: Sequence[rules.DeadlineSpec] = ()


# Apps built on this one that add to what the rules read register a source here from their
# AppConfig.ready (the court record: legaltracker/court/facts.py), so that this app does
# not import them.
FACT_SOURCES: list[Callable[[Case], MoreFacts]] = []


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
    court_deadlines: list[rules.DeadlineSpec] = []
    for source in FACT_SOURCES:
        more = source(case)
        events += more.events
        extensions += more.extensions
        court_deadlines += more.deadlines
    return rules.CaseFacts(
        stage=case.stage,
        opened_on=case.opened_on,
        urgent=case.urgent,
        stage_changes=stage_changes,
        events=events,
        extensions=extensions,
        fgdm_required=settings.LEGALTRACKER_NATION == "england",
        court_deadlines=court_deadlines,
    )


def deadlines_recompute(*, case: Case) -> list[Deadline]:
    """Recompute the case's deadlines and write only what changed.

    Rows are matched on (milestone, cycle) so that their ids (which alerts refer to)
    survive a recomputation; a row the rules no longer produce stops applying.
    """
    return deadlines_sync(case=case, facts=case_facts(case))
