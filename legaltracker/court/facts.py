"""What the deadline rules read from the court record (docs/court.md, "Milestones").

A listed or held hearing is the answer to its milestone: it reaches the rules as the
"hearing listed" and "hearing held" facts that a recorded event used to carry, so the
case management hearing's deadline shows the listed date. A held hearing whose draft
order the council sends, and each council direction, is a deadline of its own. The
children's own timetables move the case's final order date to the last child's end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from legaltracker.cases.choices import EventKind, HearingType, Stage
from legaltracker.cases.facts import MoreFacts
from legaltracker.deadlines import rules
from legaltracker.deadlines.choices import Milestone

from .choices import (
    LONDON,
    DirectionParty,
    DirectionStatus,
    DraftOrderBy,
    HearingKind,
    HearingStatus,
)
from .selectors import child_timetables

# The hearing types the deadline rules know, from the court record's hearing kinds.
_RULE_TYPES = {
    HearingKind.CASE_MANAGEMENT: HearingType.CASE_MANAGEMENT_HEARING,
    HearingKind.ISSUES_RESOLUTION: HearingType.ISSUES_RESOLUTION_HEARING,
    HearingKind.FINAL: HearingType.FINAL_HEARING,
}


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def hearing_events(hearings: list[Any]) -> list[rules.Event]:
    events = []
    for hearing in hearings:
        kind = _RULE_TYPES.get(hearing.kind, HearingType.OTHER)
        day = _day(hearing.starts_at)
        if hearing.status in (HearingStatus.LISTED, HearingStatus.HELD):
            events.append(
                rules.Event(
                    EventKind.HEARING_LISTED,
                    hearing.listed_on,
                    {"hearing_type": kind, "hearing_date": day.isoformat()},
                )
            )
        if hearing.status == HearingStatus.HELD:
            events.append(rules.Event(EventKind.HEARING_HELD, day, {"hearing_type": kind}))
    return events


def court_deadlines(
    hearings: list[Any], directions: list[Any], case_open: bool
) -> list[rules.DeadlineSpec]:
    specs = []
    for hearing in sorted(hearings, key=lambda h: h.number):
        if hearing.status == HearingStatus.HELD and hearing.draft_order_by == DraftOrderBy.COUNCIL:
            day = _day(hearing.starts_at)
            specs.append(
                rules.DeadlineSpec(
                    Milestone.DRAFT_ORDER,
                    hearing.number,
                    day,
                    hearing.draft_order_due or day,
                    met_on=hearing.draft_order_sent_on,
                    applies=case_open or hearing.draft_order_sent_on is not None,
                )
            )
    for direction in sorted(directions, key=lambda d: d.number):
        if direction.party != DirectionParty.COUNCIL:
            continue
        filed = (
            direction.filed_on
            if direction.status in (DirectionStatus.FILED, DirectionStatus.FILED_LATE)
            else None
        )
        specs.append(
            rules.DeadlineSpec(
                Milestone.COURT_DIRECTION,
                direction.number,
                direction.made_on,
                direction.due_on,
                met_on=filed,
                applies=direction.status != DirectionStatus.NOT_NEEDED
                and (case_open or filed is not None),
                owner_id=direction.owner_id,
            )
        )
    return specs


def timetable_end(case: Any, children: list[Any]) -> rules.ExtensionFact | None:
    """The latest of the children's own 26 weeks, when any child has a timetable of their
    own or an extension (else the case's issue date and its extensions decide)."""
    rows = child_timetables(case, children)
    if not any(row.own_timetable for row in rows):
        return None
    last = max(rows, key=lambda row: row.ends_on)
    return rules.ExtensionFact("timetable", last.decided_on, last.ends_on)


def court_facts(case: Any) -> MoreFacts:
    """What the court record adds to the case's facts (registered in apps.py)."""
    hearings = list(case.hearings.all())
    end = timetable_end(case, list(case.children.all()))
    return MoreFacts(
        events=hearing_events(hearings),
        extensions=[end] if end is not None else [],
        deadlines=court_deadlines(
            hearings, list(case.directions.all()), case.stage != Stage.CLOSED
        ),
    )
