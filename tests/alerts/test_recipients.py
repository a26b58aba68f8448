"""The alert rules are two tables in `levels` (`level_ranges`, `RECIPIENTS`); the scan's
SQL is generated from them. These check the tables and the generated parts' shape; the
scan tests (test_scan.py) check that the SQL decides what the tables say."""

from __future__ import annotations

import datetime as dt

from legaltracker.alerts import services
from legaltracker.alerts.choices import Level, Reason
from legaltracker.alerts.levels import (
    ADDED_LEVELS,
    EXCLUSIVE_LEVELS,
    RECIPIENTS,
    Window,
    level_ranges,
    recipients_for,
)

WINDOW = Window(dt.date(2026, 3, 4), dt.date(2026, 3, 11), dt.date(2026, 2, 27))


def test_every_reason_is_one_row_and_every_level_is_told_to_someone():
    assert sorted(rule.reason for rule in RECIPIENTS) == sorted(Reason)
    for level in Level:
        assert any(level in rule.levels for rule in RECIPIENTS), level


def test_every_level_has_one_range_and_the_exclusive_ones_do_not_overlap():
    ranges = {r.level: r for r in level_ranges(WINDOW)}
    assert set(ranges) == set(Level) == {*EXCLUSIVE_LEVELS, *ADDED_LEVELS}
    day = dt.date(2026, 1, 1)
    while day <= WINDOW.due_soon_until:
        assert sum(ranges[level].holds(day) for level in EXCLUSIVE_LEVELS) == 1, day
        day += dt.timedelta(days=1)


def test_the_python_reading_of_the_table():
    people = {"social_worker": 1, "team_managers": (2,), "legal": (3, 1), "heads_of_service": (4,)}
    assert recipients_for(milestone="gateway_meeting", level=Level.OVERDUE, **people) == [
        (1, Reason.SOCIAL_WORKER),
        (2, Reason.TEAM_MANAGER),
        (3, Reason.LEGAL),
    ]
    assert recipients_for(milestone="review_meeting", level=Level.DUE_SOON, **people) == [
        (1, Reason.SOCIAL_WORKER),
        (2, Reason.TEAM_MANAGER),
    ]
    assert recipients_for(milestone="review_meeting", level=Level.ESCALATED, **people) == [
        (4, Reason.HEAD_OF_SERVICE)
    ]


def test_the_generated_sql_has_one_part_per_row_and_a_value_per_placeholder(db):
    told, told_params = services._told_sql("accounts_user")
    assert told.count("UNION ALL") == len(RECIPIENTS) - 1
    assert told.count("%s") == len(told_params)
    levelled, levelled_params = services._levelled_sql(WINDOW)
    assert levelled.count("UNION ALL") == len(ADDED_LEVELS)
    assert levelled.count("%s") == len(levelled_params)


def test_court_deadlines_go_to_the_owner_and_the_case_lawyer_or_else_the_legal_team():
    people = {"social_worker": 1, "team_managers": (2,), "legal": (3, 6), "heads_of_service": (4,)}
    direction = {"milestone": "court_direction", "level": Level.OVERDUE, "owner": 5}
    assert recipients_for(**direction, case_lawyer=3, **people) == [
        (5, Reason.DEADLINE_OWNER),
        (1, Reason.SOCIAL_WORKER),
        (3, Reason.CASE_LAWYER),
        (2, Reason.TEAM_MANAGER),
    ]
    # No lawyer (or one who has left): every lawyer, for the court's deadlines only.
    assert recipients_for(milestone="draft_order", level=Level.DUE_SOON, **people) == [
        (1, Reason.SOCIAL_WORKER),
        (2, Reason.TEAM_MANAGER),
        (3, Reason.NO_CASE_LAWYER),
        (6, Reason.NO_CASE_LAWYER),
    ]
    assert recipients_for(milestone="review_meeting", level=Level.DUE_SOON, **people) == [
        (1, Reason.SOCIAL_WORKER),
        (2, Reason.TEAM_MANAGER),
    ]
    # The allocated lawyer hears of a legal milestone as the case's lawyer, once.
    assert recipients_for(
        milestone="gateway_meeting", level=Level.DUE_TODAY, case_lawyer=6, **people
    ) == [
        (1, Reason.SOCIAL_WORKER),
        (6, Reason.CASE_LAWYER),
        (2, Reason.TEAM_MANAGER),
        (3, Reason.LEGAL),
    ]
    # Escalation is the heads of service's alone, whoever owns the deadline.
    assert recipients_for(**{**direction, "level": Level.ESCALATED}, case_lawyer=3, **people) == [
        (4, Reason.HEAD_OF_SERVICE)
    ]
