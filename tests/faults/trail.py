"""Checks that a case's stored state and its audit trail tell the same story.

Used after races and after the database was cut off in the middle of work: whatever
happened, every audit row must stand for a change that is in the database, and every
change in the database must have its audit row. Each function returns the problems as
sentences (empty when all is well), so that a test can count them and list them.

Import only once Django is set up.
"""

from __future__ import annotations

from collections import Counter

from legaltracker.cases.choices import Stage
from legaltracker.cases.facts import deadlines_recompute
from legaltracker.cases.models import Case, CaseEvent, Extension, GatewayDecision, RecordedEvent


def trail_problems(case_id: int) -> list[str]:
    """Everything about one case whose state and audit trail disagree."""
    case = Case.objects.get(pk=case_id)
    rows = list(CaseEvent.objects.filter(case_id=case_id).order_by("id"))
    problems: list[str] = []
    where = f"case {case_id}"
    if not rows or rows[0].action != "case_created":
        problems.append(f"{where}: the trail does not start with its creation")
    # Version 1 at creation and one more per change, each change with one audit row.
    if case.version != len(rows):
        problems.append(f"{where}: version {case.version} but {len(rows)} audit rows")

    stage = Stage.CONCERN
    transitions = [r for r in rows if r.action == "transition"]
    for row in transitions:
        if row.from_stage != stage:
            problems.append(
                f"{where}: audit row {row.pk} moves from {row.from_stage}, the case was at {stage}"
            )
        stage = row.to_stage
    if stage != case.stage:
        problems.append(f"{where}: the trail ends at {stage}, the case is at {case.stage}")
    names = Counter(r.details.get("transition", "") for r in transitions)
    extensions = Extension.objects.filter(case_id=case_id).count()
    if extensions != names["extend_pre_proceedings"] + names["extend_timetable"]:
        problems.append(f"{where}: {extensions} extensions for {names} in the trail")
    gateway = GatewayDecision.objects.filter(case_id=case_id).count()
    audited_gateway = sum(n for name, n in names.items() if name.startswith("gateway_"))
    if gateway != audited_gateway:
        problems.append(f"{where}: {gateway} gateway decisions, {audited_gateway} in the trail")

    events = {e.pk: e for e in RecordedEvent.objects.filter(case_id=case_id)}
    recorded = [r.details.get("event_id") for r in rows if r.action == "event_recorded"]
    duplicated = [pk for pk, n in Counter(recorded).items() if n > 1]
    if duplicated:
        problems.append(f"{where}: events {duplicated} recorded twice in the trail")
    if set(recorded) != set(events):
        problems.append(
            f"{where}: events without an audit row {sorted(set(events) - set(recorded))}, "
            f"audit rows without an event {sorted(set(recorded) - set(events))}"
        )
    recorded_on = {
        r.details.get("event_id"): r.effective_date for r in rows if r.action == "event_recorded"
    }
    corrections: dict[int, CaseEvent] = {}
    for row in rows:
        if row.action == "event_corrected":
            corrections[row.details.get("event_id")] = row  # the last one wins
    for pk, event in events.items():
        last = corrections.get(pk)
        if last is None:
            if recorded_on.get(pk) not in (None, event.date):
                problems.append(
                    f"{where}: event {pk} is dated {event.date}, recorded {recorded_on[pk]}"
                )
            continue
        after = last.details.get("after", {})
        if (after.get("date"), after.get("summary")) != (event.date.isoformat(), event.summary):
            problems.append(
                f"{where}: event {pk} holds ({event.date}, {event.summary!r}); its last "
                f"correction in the trail says ({after.get('date')}, {after.get('summary')!r})"
            )

    stale = deadlines_recompute(case=case)
    if stale:
        problems.append(
            f"{where}: deadlines out of step with a recompute: "
            + ", ".join(f"{d.milestone}#{d.cycle}" for d in stale)
        )
    return problems
