"""Property-based tests of the deadline rules (hypothesis): random walks through the state
machine with random events, checked for what must hold whatever happened. Pure: no
database."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from legaltracker.cases.choices import EventKind, HearingType, Stage
from legaltracker.deadlines import rules
from legaltracker.deadlines.choices import Milestone

from .helpers import CAL, TS, compute

# docs/domain/stages.md, including the extensions (self-transitions).
MOVES: dict[str, list[tuple[str, str]]] = {
    Stage.CONCERN: [("refer_to_gateway", Stage.LEGAL_GATEWAY), ("close", Stage.CLOSED)],
    Stage.LEGAL_GATEWAY: [
        ("gateway_continue_plan", Stage.CLOSED),
        ("gateway_enter_pre_proceedings", Stage.PRE_PROCEEDINGS),
        ("gateway_issue", Stage.ISSUE),
        ("close", Stage.CLOSED),
    ],
    Stage.PRE_PROCEEDINGS: [
        ("extend_pre_proceedings", Stage.PRE_PROCEEDINGS),
        ("step_down", Stage.CLOSED),
        ("escalate_to_gateway", Stage.LEGAL_GATEWAY),
        ("close", Stage.CLOSED),
    ],
    Stage.ISSUE: [("issue_proceedings", Stage.PROCEEDINGS), ("close", Stage.CLOSED)],
    Stage.PROCEEDINGS: [
        ("extend_timetable", Stage.PROCEEDINGS),
        ("conclude_proceedings", Stage.CLOSED),
        ("close", Stage.CLOSED),
    ],
    Stage.CLOSED: [],
}

# Milestones whose dates are counted in working days (docs/domain/milestones.md). The others
# are weeks or months (not adjusted), or follow a recorded date (the FGDM offer is due
# with the letter, whatever day it went).
WORKING_DAY_MILESTONES = {
    Milestone.GATEWAY_MEETING,
    Milestone.LETTER_BEFORE_PROCEEDINGS,
    Milestone.INITIAL_MEETING,
    Milestone.LETTER_OF_ISSUE,
    Milestone.APPLICATION_ISSUED,
    Milestone.SERVICE_ON_PARTIES,
    Milestone.ADVOCATES_MEETING,
    Milestone.CASE_MANAGEMENT_HEARING,
    Milestone.MANAGEMENT_OVERSIGHT,
}
HEARING_KINDS = {EventKind.HEARING_LISTED, EventKind.HEARING_HELD}


@st.composite
def case_facts(draw) -> rules.CaseFacts:
    opened = draw(st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2029, 6, 30)))
    stage, day = Stage.CONCERN, opened
    changes, extensions = [], []
    for _ in range(draw(st.integers(0, 8))):
        if not MOVES[stage]:
            break
        name, target = draw(st.sampled_from(MOVES[stage]))
        day += dt.timedelta(days=draw(st.integers(0, 60)))
        if target == stage:
            kind = "pre_proceedings" if name == "extend_pre_proceedings" else "timetable"
            new_end = day + dt.timedelta(days=draw(st.integers(1, 200)))
            extensions.append(rules.ExtensionFact(kind, day, new_end))
        changes.append(rules.StageChange(name, stage, target, day))
        stage = target
    span = (day - opened).days + 120
    events = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(list(EventKind)))
        when = opened + dt.timedelta(days=draw(st.integers(0, span)))
        details = {}
        if kind in HEARING_KINDS:
            details["hearing_type"] = draw(st.sampled_from(list(HearingType)))
        if kind == EventKind.HEARING_LISTED:
            details["hearing_date"] = (
                when + dt.timedelta(days=draw(st.integers(0, 60)))
            ).isoformat()
        events.append(rules.Event(kind, when, details))
    return rules.CaseFacts(
        stage=stage,
        opened_on=opened,
        urgent=draw(st.booleans()),
        stage_changes=changes,
        events=events,
        extensions=extensions,
        fgdm_required=draw(st.booleans()),
    )


# Drawing a case is the slow part, so each drawn case is checked for several properties.
relaxed = settings(max_examples=100, deadline=None)


@relaxed
@given(case_facts())
def test_what_holds_whatever_happened(facts):
    specs = compute(facts)

    # Working-day milestones never fall on a weekend or a bank holiday.
    for spec in specs:
        if spec.milestone in WORKING_DAY_MILESTONES:
            assert CAL.is_working_day(spec.due), spec
            assert spec.not_before is None or CAL.is_working_day(spec.not_before), spec

    # Each milestone's cycles are numbered 1, 2, 3 ... with no gap or repeat.
    numbers: dict[str, list[int]] = {}
    for spec in specs:
        numbers.setdefault(spec.milestone, []).append(spec.cycle)
    for milestone, found in numbers.items():
        assert sorted(found) == list(range(1, len(found) + 1)), (milestone, found)

    # At most one outstanding occurrence of a milestone; none once the case is closed.
    outstanding = Counter(s.milestone for s in specs if s.applies and s.met_on is None)
    assert all(count == 1 for count in outstanding.values()), outstanding
    if facts.stage == Stage.CLOSED:
        assert not outstanding

    # What was met stays applicable; recurring cycles start where the last was met.
    assert all(s.applies for s in specs if s.met_on is not None)
    for milestone in (Milestone.MANAGEMENT_OVERSIGHT, Milestone.REVIEW_MEETING):
        chain = sorted((s for s in specs if s.milestone == milestone), key=lambda s: s.cycle)
        for earlier, later in itertools.pairwise(chain):
            if earlier.met_on is None:
                # Only the end of a pre-proceedings period breaks the chain of reviews.
                assert milestone == Milestone.REVIEW_MEETING and not earlier.applies
            else:
                assert later.starts_from == earlier.met_on
        assert all(s.due > s.starts_from for s in chain)


@relaxed
@given(case_facts(), st.randoms(use_true_random=False))
def test_the_order_events_were_recorded_in_does_not_matter(facts, random):
    shuffled = list(facts.events)
    random.shuffle(shuffled)
    reordered = rules.CaseFacts(**{**facts.__dict__, "events": shuffled})
    assert compute(reordered) == compute(facts)


@relaxed
@given(
    st.dates(dt.date(2018, 1, 1), dt.date(2030, 12, 31)),
    st.integers(-30, 30),
    st.one_of(st.none(), st.integers(-30, 30)),
    st.booleans(),
    st.integers(0, 10),
)
def test_deadline_status_follows_its_definition(today, due_offset, met_offset, applies, window):
    due = today + dt.timedelta(days=due_offset)
    met_on = None if met_offset is None else due + dt.timedelta(days=met_offset)
    until = CAL.add_working_days(today, window)
    got = rules.deadline_status(
        due=due, met_on=met_on, applies=applies, today=today, due_soon_until=until
    )
    if met_on is not None:
        assert got == ("met" if met_on <= due else "met_late")
    elif not applies:
        assert got == "not_applicable"
    elif today > due:
        assert got == "overdue"
    else:
        assert got == ("due_soon" if due <= until else "pending")


def test_the_default_timescales_are_used_by_the_property_tests():
    assert rules.Timescales() == TS
