"""Deadline rows kept in step with the case: correcting an event's date moves what
depends on it, rows keep their ids, and one recomputation reads the case's recorded
events once whatever the length of its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legaltracker.calendars.services import get_calendar
from legaltracker.cases import services
from legaltracker.cases.choices import Stage
from legaltracker.cases.facts import case_facts, deadlines_recompute
from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from legaltracker.cases.selectors import case_detail
from legaltracker.deadlines import rules
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.selectors import Today
from legaltracker.deadlines.services import timescales
from tests.factories import case_at, move, record

from .helpers import D

pytestmark = pytest.mark.django_db


def rows(case):
    return {(d.milestone, d.cycle): d for d in Deadline.objects.filter(case=case)}


def correct(event, actor, **data):
    return services.event_correct(
        event_id=event.pk, actor=actor, data={"reason_for_change": "Typed the wrong date.", **data}
    )


def recorded_event_queries(captured):
    return [q["sql"] for q in captured if "cases_recordedevent" in q["sql"]]


def test_correcting_the_letter_date_moves_the_initial_meeting(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)  # entered pre-proceedings on 4 February 2026
    letter = record(case, staff.social_worker, "letter_before_proceedings_sent", D(2026, 2, 5))
    before = rows(case)
    initial = before[(Milestone.INITIAL_MEETING, 1)]
    assert (initial.starts_from, initial.not_before, initial.due) == (
        D(2026, 2, 5),
        D(2026, 2, 12),
        D(2026, 2, 19),
    )

    correct(letter, staff.social_worker, date="2026-02-10")

    after = rows(case)
    initial = after[(Milestone.INITIAL_MEETING, 1)]
    assert (initial.starts_from, initial.not_before, initial.due) == (
        D(2026, 2, 10),
        D(2026, 2, 17),
        D(2026, 2, 24),
    )
    assert after[(Milestone.LETTER_BEFORE_PROCEEDINGS, 1)].met_on == D(2026, 2, 10)
    assert {key: row.pk for key, row in after.items()} == {
        key: row.pk for key, row in before.items()
    }
    audit = CaseEvent.objects.filter(case=case, action="event_corrected").get()
    assert audit.details["before"]["date"] == "2026-02-05"
    assert audit.details["after"]["date"] == "2026-02-10"
    assert audit.reasons == "Typed the wrong date."


def test_correcting_the_initial_meeting_moves_reviews_and_the_decision_point(staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=D(2025, 10, 1))
    sw = staff.social_worker
    record(case, sw, "letter_before_proceedings_sent", D(2025, 10, 6))
    initial = record(case, sw, "initial_meeting_held", D(2025, 10, 20))
    record(case, sw, "review_meeting_held", D(2025, 12, 1))
    before = rows(case)
    assert before[(Milestone.REVIEW_MEETING, 1)].due == D(2025, 12, 1)
    assert before[(Milestone.PRE_PROCEEDINGS_DECISION, 1)].due == D(2026, 2, 9)

    correct(initial, sw, date="2025-10-27")

    after = rows(case)
    review = after[(Milestone.REVIEW_MEETING, 1)]
    assert (review.starts_from, review.due, review.met_on) == (
        D(2025, 10, 27),
        D(2025, 12, 8),
        D(2025, 12, 1),
    )
    assert after[(Milestone.REVIEW_MEETING, 2)].due == D(2026, 1, 12)
    assert after[(Milestone.PRE_PROCEEDINGS_DECISION, 1)].due == D(2026, 2, 16)
    assert {key: row.pk for key, row in after.items()} == {
        key: row.pk for key, row in before.items()
    }


def test_a_correction_can_turn_met_late_into_met(staff, today):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    record(case, staff.team_manager, "management_oversight", today, summary="Late note")
    note = Case.objects.get(pk=case.pk).recorded_events.get()
    detail = case_detail(user=staff.legal, case_id=case.pk, today=Today.now(today))
    first = next(
        d for d in detail.deadlines.all() if d.milestone == "management_oversight" and d.cycle == 1
    )
    assert first.status == "met_late"
    correct(note, staff.team_manager, date=first.due.isoformat())
    detail = case_detail(user=staff.legal, case_id=case.pk, today=Today.now(today))
    first_again = next(d for d in detail.deadlines.all() if d.pk == first.pk)
    assert first_again.status == "met"


def test_recomputing_an_unchanged_case_writes_nothing_and_keeps_ids(staff, today):
    case = case_at(Stage.PROCEEDINGS, staff)
    before = {
        (d.milestone, d.cycle, d.pk, d.due, d.met_on, d.applies)
        for d in Deadline.objects.filter(case=case)
    }
    assert deadlines_recompute(case=Case.objects.get(pk=case.pk)) == []
    after = {
        (d.milestone, d.cycle, d.pk, d.due, d.met_on, d.applies)
        for d in Deadline.objects.filter(case=case)
    }
    assert after == before


def test_rows_survive_transitions_and_stop_applying_when_the_stage_is_left(staff, today):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    gateway = rows(case)[(Milestone.GATEWAY_MEETING, 1)]
    assert (gateway.met_on, gateway.applies) == (None, True)
    move(
        case,
        "close",
        staff.head_of_service,
        date=today.isoformat(),
        outcome="withdrawn",
        reasons="Moved away",
    )
    after = rows(case)
    assert after[(Milestone.GATEWAY_MEETING, 1)].pk == gateway.pk
    assert all(not row.applies for row in after.values() if row.met_on is None)


def test_the_database_rows_are_what_the_rules_compute(staff, today):
    case = case_at(Stage.PROCEEDINGS, staff)
    record(case, staff.legal, "hearing_held", today, hearing_type="case_management_hearing")
    specs = rules.compute_deadlines(case_facts(case), timescales(), get_calendar())
    stored = {
        (d.milestone, d.cycle): (d.starts_from, d.due, d.not_before, d.met_on, d.applies)
        for d in Deadline.objects.filter(case=case)
    }
    assert stored == {
        (s.milestone, s.cycle): (s.starts_from, s.due, s.not_before, s.met_on, s.applies)
        for s in specs
    }


def test_a_row_the_rules_no_longer_produce_is_not_left_met(staff, today):
    # A review meeting only counts after an initial meeting that followed the letter.
    # Correcting the letter's date to after the initial meeting makes the rules drop
    # the review cycles; the stored row must not go on saying "met".
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=D(2025, 10, 1))
    sw = staff.social_worker
    letter = record(case, sw, "letter_before_proceedings_sent", D(2025, 10, 6))
    record(case, sw, "initial_meeting_held", D(2025, 10, 20))
    record(case, sw, "review_meeting_held", D(2025, 12, 1))
    correct(letter, sw, date="2025-10-21")
    produced = {
        (s.milestone, s.cycle)
        for s in rules.compute_deadlines(case_facts(case), timescales(), get_calendar())
    }
    detail = case_detail(user=staff.legal, case_id=case.pk, today=Today.now(today))
    leftovers = {
        (d.milestone, d.cycle, d.status)
        for d in detail.deadlines.all()
        if (d.milestone, d.cycle) not in produced
    }
    assert leftovers
    assert {status for *_, status in leftovers} == {"not_applicable"}, leftovers


# --- queries -----------------------------------------------------------------------------


def case_with_history(staff, events: int) -> Case:
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=D(2025, 6, 2))
    record(case, staff.social_worker, "letter_before_proceedings_sent", D(2025, 6, 5))
    record(case, staff.social_worker, "initial_meeting_held", D(2025, 6, 16))
    # The history itself is inserted in bulk: what is measured is the recomputation.
    RecordedEvent.objects.bulk_create(
        RecordedEvent(
            case=case,
            kind=["review_meeting_held", "note", "assessment_completed"][n % 3],
            date=D(2025, 6, 17) + dt.timedelta(days=n % 250),
            summary=f"Entry {n}",
            recorded_by=staff.social_worker,
        )
        for n in range(events)
    )
    return Case.objects.get(pk=case.pk)


def test_one_recomputation_reads_the_recorded_events_once(staff, today):
    case = case_with_history(staff, 30)
    with CaptureQueriesContext(connection) as captured:
        deadlines_recompute(case=case)
    reads = recorded_event_queries(captured.captured_queries)
    assert len(reads) == 1, reads
    assert reads[0].lstrip().upper().startswith("SELECT")


def test_recomputation_costs_the_same_with_a_long_history(staff, today, other_staff):
    # 60 events give some 40 deadline rows; far more would split the bulk insert into
    # batches on SQLite (999 parameters), which is batching, not a query per row.
    counts = []
    for events in (3, 60):
        case = case_with_history(staff, events)
        Deadline.objects.filter(case=case).delete()  # a full write, both times
        with CaptureQueriesContext(connection) as captured:
            deadlines_recompute(case=case)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_services_read_the_recorded_events_once_per_write(staff, today):
    case = case_with_history(staff, 12)
    with CaptureQueriesContext(connection) as captured:
        record(case, staff.social_worker, "review_meeting_held", today)
    selects = [
        q
        for q in recorded_event_queries(captured.captured_queries)
        if q.lstrip().upper().startswith("SELECT")
    ]
    assert len(selects) == 1, selects

    record(case, staff.social_worker, "assessment_completed", today, summary="Fresh")
    with CaptureQueriesContext(connection) as captured:
        move(
            case,
            "step_down",
            staff.team_manager,
            date=today.isoformat(),
            reasons="Progress",
            step_down_to="child_in_need_plan",
        )
    selects = [
        q
        for q in recorded_event_queries(captured.captured_queries)
        if q.lstrip().upper().startswith("SELECT")
    ]
    assert len(selects) == 1, selects
