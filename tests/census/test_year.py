"""The year rule (docs/census.md, "Which children, which dates"): which episodes are in a
year's return and which of their dates it reports, at the edges of the year."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from legaltracker.census.blocks import EpisodeFacts, census_year, year_items

CODES = {"issue_decided": "A", "stepped_down_child_in_need_plan": "B"}


def facts(**values) -> EpisodeFacts:
    base = EpisodeFacts(
        pre_proceedings_started=date(2026, 5, 6),
        letter_before_proceedings=date(2026, 5, 11),
        fgdm_offers=(date(2026, 5, 11),),
        fgdm_meetings=(date(2026, 6, 15),),
        initial_meeting=date(2026, 5, 25),
        review_meetings=(date(2026, 7, 6), date(2026, 9, 7)),
        step_decision=date(2026, 10, 7),
        ending="issue_decided",
        court_application=date(2026, 10, 12),
        letter_of_issue=date(2026, 10, 14),
    )
    return dataclasses.replace(base, **values)


def test_the_census_year_runs_from_1_april_to_31_march():
    assert census_year(2026) == (date(2026, 4, 1), date(2027, 3, 31))


def test_an_episode_inside_the_year_reports_every_item():
    items = year_items(facts(), 2026, CODES)
    assert items is not None
    assert (items.pp_start_date, items.lbp_sent_date) == (date(2026, 5, 6), date(2026, 5, 11))
    assert (items.fgdm_meeting_offer, items.fgdm_meeting_fac) == (True, True)
    assert items.initial_pp_meeting_date == date(2026, 5, 25)
    assert items.review_meetings_count == 2
    assert (items.step_decision_date, items.pp_outcome) == (date(2026, 10, 7), "A")
    assert items.court_app_date == date(2026, 10, 12)
    assert items.letter_init_cp_date == date(2026, 10, 14)


def test_no_pre_proceedings_no_block():
    assert year_items(facts(pre_proceedings_started=None), 2026, CODES) is None


def test_started_on_31_march_is_in_that_years_return_and_not_the_next():
    episode = facts(
        pre_proceedings_started=date(2027, 3, 31),
        letter_before_proceedings=None,
        fgdm_offers=(),
        fgdm_meetings=(),
        initial_meeting=None,
        review_meetings=(),
        step_decision=None,
        ending="",
        court_application=None,
        letter_of_issue=None,
    )
    items = year_items(episode, 2026, CODES)
    assert items is not None and items.pp_start_date == date(2027, 3, 31)
    assert year_items(episode, 2027, CODES) is None


def test_started_on_1_april_is_in_the_new_years_return_only():
    episode = facts(
        pre_proceedings_started=date(2027, 4, 1),
        letter_before_proceedings=date(2027, 4, 1),
        fgdm_offers=(),
        fgdm_meetings=(),
        initial_meeting=None,
        review_meetings=(),
        step_decision=None,
        ending="",
        court_application=None,
        letter_of_issue=None,
    )
    assert year_items(episode, 2026, CODES) is None
    items = year_items(episode, 2027, CODES)
    assert items is not None
    assert (items.pp_start_date, items.lbp_sent_date) == (date(2027, 4, 1), date(2027, 4, 1))
    # The letter made no offer: reported as 0, and so nothing was facilitated.
    assert (items.fgdm_meeting_offer, items.fgdm_meeting_fac) == (False, False)


def test_dates_after_31_march_are_left_for_the_next_years_return():
    episode = facts(
        pre_proceedings_started=date(2027, 2, 1),
        letter_before_proceedings=date(2027, 2, 3),
        fgdm_offers=(date(2027, 2, 3),),
        fgdm_meetings=(date(2027, 4, 20),),
        initial_meeting=date(2027, 3, 31),
        review_meetings=(date(2027, 4, 1),),
        step_decision=date(2027, 4, 1),
        ending="stepped_down_child_in_need_plan",
        court_application=None,
        letter_of_issue=None,
    )
    first = year_items(episode, 2026, CODES)
    assert first is not None
    assert first.pp_start_date == date(2027, 2, 1)
    assert first.initial_pp_meeting_date == date(2027, 3, 31)
    # The step-down on 1 April, its outcome, the review and the FGDM meeting after the
    # year end are not in this return; the offer is, with "not facilitated" by 31 March.
    assert (first.step_decision_date, first.pp_outcome) == (None, "")
    assert first.review_meetings_count == 0
    assert (first.fgdm_meeting_offer, first.fgdm_meeting_fac) == (True, False)

    second = year_items(episode, 2027, CODES)
    assert second is not None
    # The dates reported last year are not repeated (they would break 9005-9008).
    assert (second.pp_start_date, second.lbp_sent_date, second.initial_pp_meeting_date) == (
        None,
        None,
        None,
    )
    assert second.fgdm_meeting_offer is None
    assert second.fgdm_meeting_fac is True
    assert second.review_meetings_count == 1
    assert (second.step_decision_date, second.pp_outcome) == (date(2027, 4, 1), "B")


def test_an_episode_over_before_the_year_is_not_in_its_return():
    assert year_items(facts(), 2027, CODES) is None


def test_an_episode_with_only_its_letter_of_issue_in_the_year_is_in_its_return():
    items = year_items(facts(letter_of_issue=date(2027, 4, 2)), 2027, CODES)
    assert items is not None
    assert items.letter_init_cp_date == date(2027, 4, 2)
    assert items.pp_start_date is None and items.step_decision_date is None
    # Pre-proceedings were over before the year: no review count.
    assert items.review_meetings_count is None


def test_pre_proceedings_begun_before_the_first_collection_year_report_only_its_dates():
    episode = facts(
        pre_proceedings_started=date(2026, 3, 2), letter_before_proceedings=date(2026, 3, 4)
    )
    items = year_items(episode, 2026, CODES)
    assert items is not None
    assert (items.pp_start_date, items.lbp_sent_date, items.fgdm_meeting_offer) == (
        None,
        None,
        None,
    )
    assert items.fgdm_meeting_fac is True  # the FGDM meeting of 15 June 2026
    assert items.initial_pp_meeting_date == date(2026, 5, 25)


@pytest.mark.parametrize(
    ("decided", "expected"),
    [(date(2026, 8, 1), 1), (date(2026, 9, 7), 2), (None, 2)],
)
def test_reviews_are_counted_up_to_the_step_decision(decided, expected):
    items = year_items(facts(step_decision=decided), 2026, CODES)
    assert items is not None and items.review_meetings_count == expected


def test_no_code_for_the_ending_leaves_the_outcome_blank():
    items = year_items(facts(), 2026, {})
    assert items is not None
    assert items.step_decision_date == date(2026, 10, 7) and items.pp_outcome == ""
