"""The block as derived from what was recorded on real cases, and its streaming."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legaltracker.cases.models import Child
from legaltracker.census.blocks import ELEMENTS, CensusBlock, blocks_for_year
from tests.factories import record

from .builders import enter_pre_proceedings, event, full_case, new_case, stepped_down_case


def test_the_elements_are_in_the_schemas_order_and_name_block_fields():
    assert [name for name, _ in ELEMENTS] == [
        "PPStartDate",
        "LBPSentDate",
        "FGDMMeetingOffer",
        "FGDMMeetingFac",
        "InitialPPMeetingDate",
        "ReviewMeetingsCount",
        "StepDecisionDate",
        "PPOutcome",
        "CourtAppDate",
        "LetterInitCPDate",
    ]
    assert {attribute for _, attribute in ELEMENTS} <= set(CensusBlock.__dataclass_fields__)


def test_every_item_comes_from_the_recorded_events(staff):
    case = full_case(staff, children=2)
    blocks = list(blocks_for_year(2026))
    assert len(blocks) == 2  # one block per child
    assert {b.child_id for b in blocks} == set(case.children.values_list("id", flat=True))
    block = blocks[0]
    assert (block.case_id, block.case_reference, block.team_id) == (
        case.pk,
        case.reference or "",
        case.team_id,
    )
    assert block.pp_start_date == date(2026, 5, 6)  # the gateway's decision
    assert block.lbp_sent_date == date(2026, 5, 11)
    assert (block.fgdm_meeting_offer, block.fgdm_meeting_fac) == (True, True)
    # The meeting of 18 May did not go ahead as a pre-proceedings meeting.
    assert block.initial_pp_meeting_date == date(2026, 5, 25)
    assert block.review_meetings_count == 2
    assert block.step_decision_date == date(2026, 10, 7)  # the decision to issue
    assert block.pp_outcome == "A"  # the seeded, unconfirmed reading
    assert block.court_app_date == date(2026, 10, 12)
    assert block.letter_init_cp_date == date(2026, 10, 14)


def test_a_step_down_gives_its_date_and_outcome(staff):
    stepped_down_case(
        staff, entered=date(2026, 6, 1), decided=date(2026, 8, 3), to="child_protection_plan"
    )
    (block,) = blocks_for_year(2026)
    assert (block.step_decision_date, block.pp_outcome) == (date(2026, 8, 3), "B")
    assert block.court_app_date is None
    assert block.review_meetings_count == 0


def test_an_initial_meeting_recorded_before_the_question_counts_as_effective(staff):
    case = new_case(staff, opened=date(2026, 6, 1))
    case = enter_pre_proceedings(staff, case, referred=date(2026, 6, 1), entered=date(2026, 6, 2))
    record(case, staff.social_worker, "initial_meeting_held", date(2026, 6, 9))
    (block,) = blocks_for_year(2026)
    assert block.initial_pp_meeting_date == date(2026, 6, 9)


@pytest.mark.parametrize("stored", [None, 0, "false", "no", [], True])
def test_only_a_json_false_makes_an_initial_meeting_not_effective(staff, stored):
    # The block reads the one key from the database, not the whole details: whatever
    # else is stored there is read as `episode_facts` reads it (only false says no).
    case = new_case(staff, opened=date(2026, 6, 1))
    case = enter_pre_proceedings(staff, case, referred=date(2026, 6, 1), entered=date(2026, 6, 2))
    event(staff, case, "initial_meeting_held", date(2026, 6, 5), effective=False)
    event(staff, case, "initial_meeting_held", date(2026, 6, 9), effective=stored)
    (block,) = blocks_for_year(2026)
    assert block.initial_pp_meeting_date == date(2026, 6, 9)


def test_a_case_that_never_entered_pre_proceedings_has_no_block(staff):
    new_case(staff, opened=date(2026, 6, 1))
    assert list(blocks_for_year(2026)) == []


def test_blocks_come_in_la_child_id_order_whatever_the_chunk(staff):
    for la_child_id in ["LA300", "LA100", "LA200", "", "LA150"]:
        stepped_down_case(
            staff,
            entered=date(2026, 6, 1),
            decided=date(2026, 8, 3),
            to="child_in_need_plan",
            la_child_id=la_child_id,
        )
    expected = ["", "LA100", "LA150", "LA200", "LA300"]
    for chunk_size in (1, 2, 5, 2000):
        ids = [b.la_child_id for b in blocks_for_year(2026, chunk_size=chunk_size)]
        assert ids == expected, chunk_size


def test_the_dates_after_the_year_wait_for_the_next_return(staff):
    stepped_down_case(
        staff, entered=date(2027, 3, 1), decided=date(2027, 4, 6), to="child_in_need_plan"
    )
    (first,) = blocks_for_year(2026)
    assert first.pp_start_date == date(2027, 3, 1)
    assert (first.step_decision_date, first.pp_outcome) == (None, "")
    (second,) = blocks_for_year(2027)
    assert second.pp_start_date is None
    assert (second.step_decision_date, second.pp_outcome) == (date(2027, 4, 6), "B")
    assert list(blocks_for_year(2028)) == []


def _queries(year: int, chunk_size: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as context:
        count = sum(1 for _ in blocks_for_year(year, chunk_size=chunk_size))
    return count, len(context.captured_queries)


def _cases(staff, n: int) -> None:
    for i in range(n):
        case = stepped_down_case(
            staff, entered=date(2026, 6, 1), decided=date(2026, 8, 3), to="child_in_need_plan"
        )
        # A second child on every other case: blocks share their case's events.
        if i % 2:
            Child.objects.create(case=case, last_name=f"Sibling{i}", la_child_id=f"SB{i:04d}")


def test_the_query_count_does_not_grow_with_the_children(staff):
    _cases(staff, 3)
    small, small_queries = _queries(2026, chunk_size=2000)
    _cases(staff, 6)
    large, large_queries = _queries(2026, chunk_size=2000)
    assert (small, large) == (4, 13)
    # The codes, the children, their cases' events, their cases' gateway decisions.
    assert small_queries == large_queries == 4


def test_each_chunk_costs_the_same_two_queries(staff):
    _cases(staff, 3)
    small, small_queries = _queries(2026, chunk_size=3)
    _cases(staff, 6)
    large, large_queries = _queries(2026, chunk_size=3)
    # 4 blocks: chunks of 3 and 1; 13 blocks: four chunks of 3 and one of 1.
    assert (small, large) == (4, 13)
    # The codes and the candidate children once (one query read through a cursor, so
    # its filter runs once), then each chunk's events and gateway decisions.
    assert small_queries == 2 + 2 * 2
    assert large_queries == 2 + 2 * 5
