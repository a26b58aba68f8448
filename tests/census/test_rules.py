"""Each rule reported with its code on children whose recorded events break it; a clean
case has no finding; the departures from the draft code (docs/census.md) hold."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import pytest
from django.urls import reverse

from legaltracker.cases.models import Case, GatewayDecision
from legaltracker.census.blocks import CensusBlock, blocks_for_year
from legaltracker.census.models import OutcomeCode
from legaltracker.census.rules import (
    MESSAGES,
    ReturnSummary,
    check_block,
    check_return,
    return_findings,
)

from .builders import (
    enter_pre_proceedings,
    event,
    full_case,
    new_case,
    raw_event,
    stepped_down_case,
)

YEAR = 2026


def codes_found() -> set[str]:
    return {f.code for block in blocks_for_year(YEAR) for f in check_block(block, YEAR)}


def test_a_clean_case_has_no_finding(staff):
    full_case(staff, children=2)
    summary = ReturnSummary()
    checked = list(check_return(blocks_for_year(YEAR), YEAR, summary))
    assert len(checked) == 2
    assert all(findings == [] for _, findings in checked)
    assert return_findings(summary) == []
    assert (summary.blocks, summary.children, summary.errors, summary.queries) == (2, 2, 0, 0)


# --- broken through what was recorded (services where they allow it, else the row) ---


def _letter_before_the_start(staff):
    case = new_case(staff, opened=date(2026, 5, 1))
    case = enter_pre_proceedings(staff, case, referred=date(2026, 5, 4), entered=date(2026, 5, 6))
    raw_event(staff, case, "letter_before_proceedings_sent", date(2026, 5, 5))


def _decision_before_the_start(staff):
    case = full_case(staff)
    # The gateway's decision to enter pre-proceedings corrected to after the decision to
    # issue: the letter, the meetings and the step decision are then all before it.
    GatewayDecision.objects.filter(case=case, transition="gateway_enter_pre_proceedings").update(
        meeting_date=date(2026, 10, 8)
    )


def _unknown_outcome_code(staff):
    full_case(staff)
    OutcomeCode.objects.filter(ending="issue_decided").update(code="D")


def _application_before_the_decision(staff):
    case = full_case(staff)
    Case.objects.filter(pk=case.pk).update(issued_on=date(2026, 10, 6))


def _letter_of_issue_before_the_application(staff):
    full_case(staff, letter_of_issue=date(2026, 10, 8))


def _no_la_child_id(staff):
    full_case(staff, la_child_id="")


def _no_cin_episode(staff):
    full_case(staff, cin_episode_id="", cin_referral_date=None)


def _initial_meeting_before_the_start(staff):
    case = new_case(staff, opened=date(2026, 5, 1))
    case = enter_pre_proceedings(staff, case, referred=date(2026, 5, 4), entered=date(2026, 5, 6))
    raw_event(staff, case, "initial_meeting_held", date(2026, 5, 5))


def _initial_meeting_before_the_letter(staff):
    case = new_case(staff, opened=date(2026, 5, 1))
    case = enter_pre_proceedings(staff, case, referred=date(2026, 5, 4), entered=date(2026, 5, 6))
    event(staff, case, "initial_meeting_held", date(2026, 5, 8))
    event(staff, case, "letter_before_proceedings_sent", date(2026, 5, 11))


def _application_before_the_start(staff):
    case = full_case(staff)
    Case.objects.filter(pk=case.pk).update(issued_on=date(2026, 5, 5))


def _no_code_for_the_ending(staff):
    stepped_down_case(
        staff, entered=date(2026, 6, 1), decided=date(2026, 8, 3), to="child_in_need_plan"
    )
    OutcomeCode.objects.filter(ending="stepped_down_child_in_need_plan").update(code="")


def _letter_of_issue_before_the_decision(staff):
    case = full_case(staff)
    raw_event(staff, case, "letter_of_issue_sent", date(2026, 10, 6))


RECORDED: list[tuple[str, Callable, set[str]]] = [
    ("9006", _letter_before_the_start, {"9006"}),
    ("9009", _decision_before_the_start, {"9006", "9009", "LT05"}),
    ("9011", _unknown_outcome_code, {"9011"}),
    ("9012", _application_before_the_decision, {"9012"}),
    ("9013", _letter_of_issue_before_the_application, {"9013"}),
    ("LT01", _no_la_child_id, {"LT01"}),
    ("LT04", _no_cin_episode, {"LT04"}),
    ("LT05", _initial_meeting_before_the_start, {"LT05"}),
    ("LT06", _initial_meeting_before_the_letter, {"LT06"}),
    ("LT07", _application_before_the_start, {"LT07", "9012"}),
    ("LT08", _no_code_for_the_ending, {"LT08"}),
    ("LT09", _letter_of_issue_before_the_decision, {"LT09", "9013"}),
]


@pytest.mark.parametrize(("code", "build", "expected"), RECORDED, ids=[r[0] for r in RECORDED])
def test_each_rule_broken_by_what_was_recorded_is_reported(staff, code, build, expected):
    build(staff)
    assert codes_found() == expected
    assert code in expected


# --- broken on the block itself: the year rule keeps every reported date inside its year
# and always reports the offer, "facilitated" and the count alongside what needs them, so
# these cannot come from recorded events; the rules still guard a block made otherwise ---


def _clean_block(staff) -> CensusBlock:
    full_case(staff)
    (block,) = blocks_for_year(YEAR)
    assert check_block(block, YEAR) == []
    return block


BLOCKS: list[tuple[str, dict, set[str]]] = [
    ("9005", {"pp_start_date": date(2026, 3, 31)}, {"9005"}),
    ("9005-after", {"pp_start_date": date(2027, 4, 1)}, {"9005", "9006", "9009", "LT05", "LT07"}),
    # The departures: the year is checked even when the date compared with is blank.
    ("9006", {"pp_start_date": None, "lbp_sent_date": date(2026, 3, 31)}, {"9006"}),
    ("9007", {"fgdm_meeting_offer": None}, {"9007"}),
    ("9008", {"initial_pp_meeting_date": date(2027, 4, 1)}, {"9008"}),
    ("9009", {"pp_start_date": None, "step_decision_date": date(2026, 3, 1)}, {"9009"}),
    ("9010Q", {"fgdm_meeting_fac": None}, {"9010Q"}),
    (
        "9012",
        {
            "step_decision_date": None,
            "pp_outcome": "",
            "court_app_date": date(2027, 4, 2),
            "letter_init_cp_date": None,
        },
        {"9012"},
    ),
    ("9013", {"court_app_date": None, "letter_init_cp_date": date(2027, 4, 3)}, {"9013"}),
    ("9015Q", {"review_meetings_count": None}, {"9015Q"}),
    ("LT02", {"la_child_id": "LA12345678X"}, {"LT02"}),
    ("LT01-blank", {"la_child_id": "  "}, {"LT01"}),
]


@pytest.mark.parametrize(("code", "changes", "expected"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_each_rule_broken_on_a_block_is_reported(staff, code, changes, expected):
    block = dataclasses.replace(_clean_block(staff), **changes)
    assert {f.code for f in check_block(block, YEAR)} == expected


def test_what_the_draft_code_flags_against_its_message_is_not_reported(staff):
    block = _clean_block(staff)
    # 9007: an offer without a letter is not what the message asks about.
    assert check_block(dataclasses.replace(block, lbp_sent_date=None), YEAR) == []
    # 9011: a blank outcome while pre-proceedings go on is not an invalid value.
    ongoing = dataclasses.replace(
        block, step_decision_date=None, pp_outcome="", court_app_date=None, letter_init_cp_date=None
    )
    assert check_block(ongoing, YEAR) == []


def test_a_finding_says_what_and_where_to_fix_it(staff):
    full_case(staff, la_child_id="", letter_of_issue=date(2026, 10, 8))
    (block,) = blocks_for_year(YEAR)
    findings = {f.code: f for f in check_block(block, YEAR)}
    missing, late = findings["LT01"], findings["9013"]
    assert missing.fix_url == reverse("casework:case_people", args=[block.case_id])
    assert missing.fields == ("LAchildID",) and missing.severity == "error"
    assert late.fix_url == reverse("casework:case_detail", args=[block.case_id])
    assert late.fields == ("LetterInitCPDate",)
    assert (late.child_id, late.case_id, late.la_child_id) == (block.child_id, block.case_id, "")
    assert late.message == MESSAGES["9013"][1]


def test_an_unknown_outcome_code_is_fixed_in_the_admin(staff):
    _unknown_outcome_code(staff)
    (block,) = blocks_for_year(YEAR)
    (finding,) = check_block(block, YEAR)
    assert finding.fix_url == reverse("admin:census_outcomecode_changelist")


# --- the return as a whole ---


def test_an_empty_return_is_queried_8995q():
    summary = ReturnSummary()
    assert list(check_return([], YEAR, summary)) == []
    (finding,) = return_findings(summary)
    assert (finding.code, finding.severity, finding.child_id) == ("8995Q", "query", None)


def test_a_return_without_any_start_date_is_queried_9000q(staff):
    # Pre-proceedings began in the year before; only the step-down falls in 2026-27.
    stepped_down_case(
        staff, entered=date(2026, 3, 2), decided=date(2026, 6, 1), to="child_in_need_plan"
    )
    summary = ReturnSummary()
    checked = list(check_return(blocks_for_year(YEAR), YEAR, summary))
    assert [findings for _, findings in checked] == [[]]
    assert [f.code for f in return_findings(summary)] == ["9000Q"]


def test_the_summary_counts_errors_and_queries(staff):
    block = _clean_block(staff)
    broken = dataclasses.replace(block, fgdm_meeting_fac=None, la_child_id="")
    summary = ReturnSummary()
    list(check_return([block, broken], YEAR, summary))
    assert (summary.blocks, summary.children, summary.errors, summary.queries) == (2, 1, 1, 1)
    assert summary.by_code == {"9010Q": 1, "LT01": 1}
    assert return_findings(summary) == []
