"""The pure rules: an initial meeting that did not go ahead as a pre-proceedings meeting
starts no timetable; one recorded before the question was asked counts
(docs/decisions.md, 154)."""

from __future__ import annotations

import datetime as dt

from legaltracker.cases.choices import EventKind, Stage
from legaltracker.deadlines.choices import Milestone

from .helpers import D, change, compute, event, facts, only, status

STARTED = D(2026, 1, 19)
LETTER = D(2026, 1, 20)


def _case(*meetings):
    return facts(
        Stage.PRE_PROCEEDINGS,
        STARTED - dt.timedelta(days=30),
        [
            change(
                "refer_to_gateway",
                Stage.CONCERN,
                Stage.LEGAL_GATEWAY,
                STARTED - dt.timedelta(days=7),
            ),
            change(
                "gateway_enter_pre_proceedings", Stage.LEGAL_GATEWAY, Stage.PRE_PROCEEDINGS, STARTED
            ),
        ],
        [event(EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, LETTER), *meetings],
    )


def _milestones(specs):
    return {s.milestone for s in specs}


def test_a_meeting_that_did_not_go_ahead_leaves_the_initial_meeting_open():
    specs = compute(_case(event(EventKind.INITIAL_MEETING_HELD, D(2026, 2, 2), effective=False)))
    initial = only(specs, Milestone.INITIAL_MEETING)
    assert initial.met_on is None
    assert status(initial, D(2026, 2, 4)) == "overdue"  # due 3 February, ten working days
    assert Milestone.REVIEW_MEETING not in _milestones(specs)
    assert Milestone.PRE_PROCEEDINGS_DECISION not in _milestones(specs)


def test_the_next_meeting_that_went_ahead_starts_the_clock():
    specs = compute(
        _case(
            event(EventKind.INITIAL_MEETING_HELD, D(2026, 2, 2), effective=False),
            event(EventKind.INITIAL_MEETING_HELD, D(2026, 2, 9), effective=True),
        )
    )
    assert only(specs, Milestone.INITIAL_MEETING).met_on == D(2026, 2, 9)
    decision = only(specs, Milestone.PRE_PROCEEDINGS_DECISION)
    assert decision.starts_from == D(2026, 2, 9)


def test_a_meeting_recorded_without_the_answer_counts_as_held():
    specs = compute(_case(event(EventKind.INITIAL_MEETING_HELD, D(2026, 2, 2))))
    assert only(specs, Milestone.INITIAL_MEETING).met_on == D(2026, 2, 2)
    assert only(specs, Milestone.PRE_PROCEEDINGS_DECISION).starts_from == D(2026, 2, 2)
