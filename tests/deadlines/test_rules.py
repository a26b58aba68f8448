"""`rules.compute_deadlines` on hand-built facts: every milestone of docs/domain/milestones.md.

Due dates are written out by hand (counted on a calendar), so a change in the counting
shows up here as a wrong date, not as an equally wrong expected value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from legaltracker.cases.choices import EventKind, HearingType, Stage
from legaltracker.deadlines import rules
from legaltracker.deadlines.choices import Milestone

from .helpers import CAL, TS, D, change, compute, cycles, event, facts, only, status

GW, PP, ISSUE, PROC, CLOSED = (
    Stage.LEGAL_GATEWAY,
    Stage.PRE_PROCEEDINGS,
    Stage.ISSUE,
    Stage.PROCEEDINGS,
    Stage.CLOSED,
)


def referred(day):
    return change("refer_to_gateway", Stage.CONCERN, GW, day)


def entered_pre_proceedings(day):
    return change("gateway_enter_pre_proceedings", GW, PP, day)


def decided_issue(day):
    return change("gateway_issue", GW, ISSUE, day)


def issued(day):
    return change("issue_proceedings", ISSUE, PROC, day)


# --- legal gateway -------------------------------------------------------------------


def test_gateway_meeting_ten_working_days_across_christmas():
    # Referred Monday 22 December 2025: 25, 26 December and 1 January are bank holidays.
    specs = compute(facts(GW, D(2025, 12, 1), [referred(D(2025, 12, 22))]))
    meeting = only(specs, Milestone.GATEWAY_MEETING)
    assert (meeting.starts_from, meeting.due, meeting.met_on, meeting.applies) == (
        D(2025, 12, 22),
        D(2026, 1, 8),
        None,
        True,
    )


def test_gateway_meeting_is_met_by_the_gateway_decision():
    specs = compute(
        facts(
            PP, D(2025, 12, 1), [referred(D(2025, 12, 22)), entered_pre_proceedings(D(2026, 1, 9))]
        )
    )
    meeting = only(specs, Milestone.GATEWAY_MEETING)
    assert meeting.met_on == D(2026, 1, 9)
    assert status(meeting, D(2026, 1, 9)) == "met_late"


def test_gateway_meeting_no_longer_applies_when_the_case_is_closed_without_a_decision():
    specs = compute(
        facts(
            CLOSED,
            D(2025, 12, 1),
            [referred(D(2025, 12, 22)), change("close", GW, CLOSED, D(2026, 1, 5))],
        )
    )
    meeting = only(specs, Milestone.GATEWAY_MEETING)
    assert (meeting.met_on, meeting.applies) == (None, False)
    assert status(meeting, D(2026, 2, 1)) == "not_applicable"


def test_a_case_in_concern_has_only_oversight():
    specs = compute(facts(Stage.CONCERN, D(2026, 3, 2)))
    assert {s.milestone for s in specs} == {Milestone.MANAGEMENT_OVERSIGHT}


# --- pre-proceedings -----------------------------------------------------------------


def pre_proceedings(started, events=(), stage=PP, later=(), **extra):
    return facts(
        stage,
        started - dt.timedelta(days=30),
        [referred(started - dt.timedelta(days=7)), entered_pre_proceedings(started), *later],
        events,
        **extra,
    )


def test_letter_before_proceedings_five_working_days_across_easter():
    # Started Tuesday 31 March 2026; Good Friday 3 and Easter Monday 6 April.
    specs = compute(pre_proceedings(D(2026, 3, 31)))
    letter = only(specs, Milestone.LETTER_BEFORE_PROCEEDINGS)
    assert (letter.starts_from, letter.due, letter.met_on) == (D(2026, 3, 31), D(2026, 4, 9), None)
    offer = only(specs, Milestone.FGDM_OFFER)
    assert offer.due == D(2026, 4, 9)  # with the letter: its due date until it is sent
    assert Milestone.INITIAL_MEETING not in {s.milestone for s in specs}


def test_fgdm_offer_is_due_with_the_letter():
    specs = compute(
        pre_proceedings(
            D(2026, 3, 23),
            [
                event(EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, D(2026, 3, 25)),
                event(EventKind.FGDM_OFFERED, D(2026, 3, 26)),
            ],
        )
    )
    letter = only(specs, Milestone.LETTER_BEFORE_PROCEEDINGS)
    assert (letter.due, letter.met_on) == (D(2026, 3, 30), D(2026, 3, 25))
    offer = only(specs, Milestone.FGDM_OFFER)
    assert (offer.due, offer.met_on) == (D(2026, 3, 25), D(2026, 3, 26))
    assert status(offer, D(2026, 4, 1)) == "met_late"


def test_no_fgdm_offer_milestone_outside_england():
    specs = compute(pre_proceedings(D(2026, 3, 23), fgdm_required=False))
    assert Milestone.FGDM_OFFER not in {s.milestone for s in specs}


def test_initial_meeting_within_ten_working_days_and_not_before_five():
    specs = compute(
        pre_proceedings(
            D(2026, 3, 23), [event(EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, D(2026, 3, 27))]
        )
    )
    initial = only(specs, Milestone.INITIAL_MEETING)
    # Friday 27 March 2026, across Easter: not before Tuesday 7 April, by Tuesday 14 April.
    assert (initial.starts_from, initial.not_before, initial.due) == (
        D(2026, 3, 27),
        D(2026, 4, 7),
        D(2026, 4, 14),
    )
    assert status(initial, D(2026, 4, 14)) == "due_soon"
    assert status(initial, D(2026, 4, 15)) == "overdue"


def reviews_case(review_dates, **extra):
    return pre_proceedings(
        D(2026, 1, 19),
        [
            event(EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, D(2026, 1, 20)),
            event(EventKind.INITIAL_MEETING_HELD, D(2026, 2, 2)),
            *[event(EventKind.REVIEW_MEETING_HELD, day) for day in review_dates],
        ],
        **extra,
    )


def test_review_meetings_every_six_weeks_from_the_last_meeting():
    specs = compute(reviews_case([D(2026, 4, 28), D(2026, 3, 10)]))  # recorded out of order
    reviews = cycles(specs, Milestone.REVIEW_MEETING)
    assert [(r.cycle, r.starts_from, r.due, r.met_on, r.applies) for r in reviews] == [
        (1, D(2026, 2, 2), D(2026, 3, 16), D(2026, 3, 10), True),
        (2, D(2026, 3, 10), D(2026, 4, 21), D(2026, 4, 28), True),
        (3, D(2026, 4, 28), D(2026, 6, 9), None, True),
    ]
    assert [status(r, D(2026, 5, 1)) for r in reviews] == ["met", "met_late", "pending"]


def test_a_review_on_the_initial_meeting_day_is_not_a_review():
    specs = compute(reviews_case([D(2026, 2, 2)]))
    assert len(cycles(specs, Milestone.REVIEW_MEETING)) == 1


def test_pre_proceedings_decision_point_sixteen_weeks_after_the_initial_meeting():
    specs = compute(reviews_case([]))
    decision = only(specs, Milestone.PRE_PROCEEDINGS_DECISION)
    # 2 February + 16 weeks is Monday 25 May 2026, a bank holiday: a decision is made on
    # a working day, so the point is the Friday before.
    assert (decision.starts_from, decision.due) == (D(2026, 2, 2), D(2026, 5, 22))
    assert CAL.is_working_day(decision.due)


def test_a_meeting_counted_in_weeks_falls_on_the_working_day_before_a_weekend():
    # A review held on Saturday 7 March (a weekend meeting, confirmed): 6 weeks on is
    # Saturday 18 April, so the next review is due by Friday 17 April.
    specs = compute(reviews_case([D(2026, 3, 7)]))
    reviews = cycles(specs, Milestone.REVIEW_MEETING)
    assert [(r.starts_from, r.due) for r in reviews] == [
        (D(2026, 2, 2), D(2026, 3, 16)),
        (D(2026, 3, 7), D(2026, 4, 17)),
    ]
    assert all(CAL.is_working_day(r.due) for r in reviews)


def test_an_extension_moves_the_decision_point_and_the_latest_one_counts():
    extensions = [
        rules.ExtensionFact("pre_proceedings", D(2026, 5, 20), D(2026, 6, 22)),
        rules.ExtensionFact("pre_proceedings", D(2026, 6, 15), D(2026, 7, 20)),
        rules.ExtensionFact("timetable", D(2026, 6, 16), D(2026, 12, 1)),  # another kind
    ]
    specs = compute(reviews_case([], extensions=extensions[:1]))
    assert only(specs, Milestone.PRE_PROCEEDINGS_DECISION).due == D(2026, 6, 22)
    specs = compute(reviews_case([], extensions=extensions))
    assert only(specs, Milestone.PRE_PROCEEDINGS_DECISION).due == D(2026, 7, 20)


@pytest.mark.parametrize(
    ("transition", "to_stage", "met"),
    [("step_down", CLOSED, True), ("escalate_to_gateway", GW, True), ("close", CLOSED, False)],
)
def test_leaving_pre_proceedings(transition, to_stage, met):
    left = D(2026, 4, 1)
    case = reviews_case(
        [D(2026, 3, 10)], stage=to_stage, later=[change(transition, PP, to_stage, left)]
    )
    specs = compute(case)
    decision = only(specs, Milestone.PRE_PROCEEDINGS_DECISION)
    assert decision.met_on == (left if met else None)
    assert decision.applies is met
    pending_review = cycles(specs, Milestone.REVIEW_MEETING)[-1]
    assert (pending_review.cycle, pending_review.met_on, pending_review.applies) == (2, None, False)
    assert status(pending_review, D(2026, 6, 1)) == "not_applicable"


def test_an_escalated_case_gets_a_fresh_gateway_meeting():
    case = reviews_case([], stage=GW, later=[change("escalate_to_gateway", PP, GW, D(2026, 4, 1))])
    meetings = cycles(compute(case), Milestone.GATEWAY_MEETING)
    assert [(m.cycle, m.starts_from, m.due, m.met_on) for m in meetings] == [
        (1, D(2026, 1, 12), D(2026, 1, 26), D(2026, 1, 19)),
        # 1 April 2026 + 10 working days, skipping Good Friday and Easter Monday.
        (2, D(2026, 4, 1), D(2026, 4, 17), None),
    ]


def test_events_from_an_earlier_pre_proceedings_do_not_meet_the_next_one():
    first, second = D(2026, 1, 5), D(2026, 3, 2)
    case = facts(
        PP,
        D(2025, 12, 1),
        [
            referred(D(2025, 12, 15)),
            entered_pre_proceedings(first),
            change("escalate_to_gateway", PP, GW, D(2026, 2, 2)),
            entered_pre_proceedings(second),
        ],
        [event(EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, D(2026, 1, 7))],
    )
    letters = cycles(compute(case), Milestone.LETTER_BEFORE_PROCEEDINGS)
    assert [(x.cycle, x.starts_from, x.met_on, x.applies) for x in letters] == [
        (1, first, D(2026, 1, 7), True),
        (2, second, None, True),
    ]


# --- issue ---------------------------------------------------------------------------


def issue_case(decided, stage=ISSUE, later=(), events=(), **extra):
    return facts(
        stage,
        D(2025, 11, 3),
        [referred(D(2025, 11, 10)), decided_issue(decided), *later],
        events,
        **extra,
    )


def test_letter_of_issue_and_application_across_christmas():
    specs = compute(issue_case(D(2025, 12, 24)))
    letter = only(specs, Milestone.LETTER_OF_ISSUE)
    application = only(specs, Milestone.APPLICATION_ISSUED)
    assert (letter.starts_from, letter.due) == (D(2025, 12, 24), D(2025, 12, 30))
    assert (application.starts_from, application.due) == (D(2025, 12, 24), D(2026, 1, 5))


def test_urgent_application_is_due_the_next_working_day():
    specs = compute(issue_case(D(2025, 12, 24), urgent=True))
    # Wednesday 24 December: the next working day is Monday 29 December.
    assert only(specs, Milestone.APPLICATION_ISSUED).due == D(2025, 12, 29)


def test_application_is_met_on_the_issue_date_and_the_letter_of_issue_carries_on():
    case = issue_case(D(2026, 3, 24), stage=PROC, later=[issued(D(2026, 3, 30))])
    specs = compute(case)
    application = only(specs, Milestone.APPLICATION_ISSUED)
    assert (application.due, application.met_on) == (D(2026, 3, 31), D(2026, 3, 30))
    letter = only(specs, Milestone.LETTER_OF_ISSUE)
    # Still outstanding in proceedings: the letter is part of the same court episode.
    assert (letter.met_on, letter.applies) == (None, True)


def test_issue_milestones_stop_applying_when_the_case_is_closed_at_issue():
    case = issue_case(
        D(2026, 3, 24), stage=CLOSED, later=[change("close", ISSUE, CLOSED, D(2026, 3, 25))]
    )
    specs = compute(case)
    assert not only(specs, Milestone.LETTER_OF_ISSUE).applies
    assert not only(specs, Milestone.APPLICATION_ISSUED).applies


# --- proceedings ---------------------------------------------------------------------

DAY1 = D(2026, 3, 30)  # Monday before Easter


def proceedings(events=(), stage=PROC, later=(), **extra):
    return issue_case(
        D(2026, 3, 24), stage=stage, later=[issued(DAY1), *later], events=events, **extra
    )


def test_court_milestones_counted_from_day1_across_easter():
    specs = compute(proceedings())
    served = only(specs, Milestone.SERVICE_ON_PARTIES)
    cmh = only(specs, Milestone.CASE_MANAGEMENT_HEARING)
    advocates = only(specs, Milestone.ADVOCATES_MEETING)
    irh = only(specs, Milestone.ISSUES_RESOLUTION_HEARING)
    final = only(specs, Milestone.FINAL_ORDER)
    assert served.due == D(2026, 3, 31)
    # Day 18 = 17 working days after Day 1; not before day 12 = 11 working days after.
    assert (cmh.starts_from, cmh.not_before, cmh.due) == (DAY1, D(2026, 4, 16), D(2026, 4, 24))
    assert CAL.working_days_between(DAY1, cmh.due) == 17
    assert advocates.due == D(2026, 4, 22)  # 2 working days before the hearing
    assert irh.due == D(2026, 8, 17)  # week 20
    assert final.due == D(2026, 9, 28)  # 182 calendar days
    assert (final.due - DAY1).days == 182


def test_advocates_meeting_follows_the_listed_hearing_date():
    listed = event(
        EventKind.HEARING_LISTED,
        D(2026, 4, 1),
        hearing_type=HearingType.CASE_MANAGEMENT_HEARING,
        hearing_date="2026-04-21",
    )
    specs = compute(proceedings([listed]))
    assert only(specs, Milestone.ADVOCATES_MEETING).due == D(2026, 4, 17)
    assert only(specs, Milestone.CASE_MANAGEMENT_HEARING).due == D(2026, 4, 24)


def test_hearings_held_meet_their_milestones():
    held = [
        event(EventKind.PARTIES_SERVED, D(2026, 4, 1)),
        event(EventKind.HEARING_HELD, D(2026, 4, 22), hearing_type=HearingType.ADVOCATES_MEETING),
        event(
            EventKind.HEARING_HELD, D(2026, 4, 24), hearing_type=HearingType.CASE_MANAGEMENT_HEARING
        ),
        event(
            EventKind.HEARING_HELD,
            D(2026, 8, 18),
            hearing_type=HearingType.ISSUES_RESOLUTION_HEARING,
        ),
        event(EventKind.HEARING_HELD, D(2026, 5, 1), hearing_type=HearingType.INTERIM_HEARING),
    ]
    specs = compute(proceedings(held))
    got = {
        m: status(only(specs, m), D(2026, 9, 1))
        for m in (
            Milestone.SERVICE_ON_PARTIES,
            Milestone.ADVOCATES_MEETING,
            Milestone.CASE_MANAGEMENT_HEARING,
            Milestone.ISSUES_RESOLUTION_HEARING,
            Milestone.FINAL_ORDER,
        )
    }
    assert got == {
        Milestone.SERVICE_ON_PARTIES: "met_late",
        Milestone.ADVOCATES_MEETING: "met",
        Milestone.CASE_MANAGEMENT_HEARING: "met",
        Milestone.ISSUES_RESOLUTION_HEARING: "met_late",
        Milestone.FINAL_ORDER: "pending",
    }


def test_timetable_extension_moves_the_final_order_date():
    extended = [rules.ExtensionFact("timetable", D(2026, 9, 1), D(2026, 11, 23))]
    final = only(compute(proceedings(extensions=extended)), Milestone.FINAL_ORDER)
    assert (final.starts_from, final.due) == (DAY1, D(2026, 11, 23))


@pytest.mark.parametrize(("transition", "met"), [("conclude_proceedings", True), ("close", False)])
def test_leaving_proceedings(transition, met):
    ended = D(2026, 9, 10)
    specs = compute(proceedings(stage=CLOSED, later=[change(transition, PROC, CLOSED, ended)]))
    final = only(specs, Milestone.FINAL_ORDER)
    assert (final.met_on, final.applies) == ((ended, True) if met else (None, False))
    cmh = only(specs, Milestone.CASE_MANAGEMENT_HEARING)
    assert (cmh.met_on, cmh.applies) == (None, False)
    assert not only(specs, Milestone.LETTER_OF_ISSUE).applies


# --- across the case -----------------------------------------------------------------


def test_management_oversight_every_twenty_working_days_from_the_last_note():
    case = facts(
        Stage.CONCERN,
        D(2025, 12, 1),
        events=[event(EventKind.MANAGEMENT_OVERSIGHT, D(2025, 12, 31))],
    )
    oversight = cycles(compute(case), Milestone.MANAGEMENT_OVERSIGHT)
    assert [(o.cycle, o.starts_from, o.due, o.met_on, o.applies) for o in oversight] == [
        (1, D(2025, 12, 1), D(2025, 12, 31), D(2025, 12, 31), True),
        (2, D(2025, 12, 31), D(2026, 1, 29), None, True),
    ]
    assert status(oversight[0], D(2026, 1, 5)) == "met"


def test_management_oversight_stops_when_the_case_closes():
    case = facts(
        CLOSED,
        D(2025, 12, 1),
        [referred(D(2025, 12, 2)), change("close", GW, CLOSED, D(2025, 12, 3))],
    )
    oversight = only(compute(case), Milestone.MANAGEMENT_OVERSIGHT)
    assert oversight.applies is False


def test_assessment_currency_six_months_or_until_a_change_of_circumstances():
    case = facts(
        PP,
        D(2025, 6, 2),
        events=[
            event(EventKind.ASSESSMENT_COMPLETED, D(2025, 8, 31)),
            event(EventKind.CHANGE_OF_CIRCUMSTANCES, D(2025, 11, 10)),
            event(EventKind.ASSESSMENT_COMPLETED, D(2025, 12, 1)),
            event(EventKind.ASSESSMENT_COMPLETED, D(2025, 5, 1)),  # before the case: ignored
        ],
    )
    currency = cycles(compute(case), Milestone.ASSESSMENT_CURRENCY)
    assert [(c.cycle, c.starts_from, c.due, c.met_on) for c in currency] == [
        (1, D(2025, 8, 31), D(2025, 11, 10), D(2025, 12, 1)),
        # 1 December + 6 months; and 31 August + 6 months would be 28 February.
        (2, D(2025, 12, 1), D(2026, 6, 1), None),
    ]
    assert status(currency[0], D(2026, 1, 1)) == "met_late"
    alone = facts(PP, D(2025, 6, 2), events=[event(EventKind.ASSESSMENT_COMPLETED, D(2025, 8, 31))])
    assert only(compute(alone), Milestone.ASSESSMENT_CURRENCY).due == D(2026, 2, 28)


def test_a_change_of_circumstances_after_six_months_does_not_move_the_date():
    case = facts(
        PP,
        D(2025, 6, 2),
        events=[
            event(EventKind.ASSESSMENT_COMPLETED, D(2025, 7, 1)),
            event(EventKind.CHANGE_OF_CIRCUMSTANCES, D(2026, 2, 1)),
        ],
    )
    assert only(compute(case), Milestone.ASSESSMENT_CURRENCY).due == D(2026, 1, 1)


def test_timescales_come_from_the_policy_passed_in():
    local = dataclasses.replace(TS, gateway_meeting_working_days=5, final_order_days=150)
    gateway = only(
        compute(facts(GW, D(2025, 12, 1), [referred(D(2025, 12, 22))]), local),
        Milestone.GATEWAY_MEETING,
    )
    assert gateway.due == D(2025, 12, 31)
    final = only(compute(proceedings(), local), Milestone.FINAL_ORDER)
    assert final.due == DAY1 + dt.timedelta(days=150)


def test_timescales_default_to_domain_md():
    assert (
        TS.gateway_meeting_working_days,
        TS.letter_before_proceedings_working_days,
        TS.initial_meeting_working_days,
        TS.initial_meeting_notice_working_days,
        TS.review_meeting_weeks,
        TS.pre_proceedings_decision_weeks,
        TS.pre_proceedings_amber_weeks,
        TS.letter_of_issue_working_days,
        TS.application_issued_working_days,
        TS.application_issued_urgent_working_days,
        TS.service_on_parties_working_days,
        TS.advocates_meeting_working_days_before,
        TS.case_management_hearing_working_days,
        TS.case_management_hearing_earliest_working_days,
        TS.issues_resolution_hearing_weeks,
        TS.final_order_days,
        TS.timetable_extension_max_weeks,
        TS.management_oversight_working_days,
        TS.assessment_currency_months,
        TS.due_soon_working_days,
    ) == (10, 5, 10, 5, 6, 16, 12, 2, 5, 1, 1, 2, 17, 11, 20, 182, 8, 20, 6, 5)
