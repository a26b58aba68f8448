"""Known cases for the board's tests, built through the case services.

Today is pinned to Wednesday 4 March 2026 (tests/conftest.py). Each case's deadlines are
worked out by hand in its comment; the tests check the board against them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.cases.services import case_create
from tests.factories import case_at, case_data, gateway_data, move, ready_for_issue, record

D = dt.date


@dataclass
class BoardCases:
    pre_proceedings: Case
    proceedings: Case
    gateway_green: Case
    other_team: Case
    concern: Case
    closed: Case

    @property
    def on_board(self) -> list[Case]:
        return [self.pre_proceedings, self.proceedings, self.gateway_green, self.other_team]


def _pre_proceedings(staff) -> Case:
    """Opened Mon 5 Jan; pre-proceedings from Wed 7 Jan (8 weeks today).
    Letter sent 9 Jan, initial meeting 20 Jan: the first review was due 3 March (overdue,
    so red). Assessment 2 Feb; oversight 20 Feb (12 days ago); one extension."""
    case = case_at(
        Stage.PRE_PROCEEDINGS,
        staff,
        start=D(2026, 1, 5),
        children=[
            {"first_name": "Ada", "last_name": "Quillfeather", "date_of_birth": "2018-05-01"}
        ],
        adults=[
            {
                "first_name": "Morwenna",
                "last_name": "Tregarthen",
                "relationship": "mother",
                "parental_responsibility": True,
            },
        ],
    )
    record(case, staff.legal, "letter_before_proceedings_sent", D(2026, 1, 9))
    record(case, staff.social_worker, "fgdm_offered", D(2026, 1, 9))
    record(case, staff.social_worker, "initial_meeting_held", D(2026, 1, 20))
    record(case, staff.social_worker, "assessment_completed", D(2026, 2, 2), summary="Parenting")
    record(case, staff.team_manager, "management_oversight", D(2026, 2, 20), summary="Reviewed")
    move(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        date="2026-03-02",
        reasons="The parenting assessment needs four more weeks.",
        approved_by=staff.head_of_service.username,
        new_end_date="2026-06-09",
    )
    return Case.objects.get(pk=case.pk)


def _proceedings(staff) -> Case:
    """Urgent short-notice issue for an unborn baby: gateway decision Wed 11 Feb, issued
    Thu 12 Feb (2 weeks today). Letter of issue and service done; the advocates' meeting
    is due Thu 5 March (due soon, so amber)."""
    data = case_data(
        staff,
        opened_on="2026-02-09",
        unborn_baby=True,
        children=[{"last_name": "Penhallow", "expected_date_of_birth": "2026-05-01"}],
    )
    case = case_create(actor=staff.social_worker, data=data)
    move(case, "refer_to_gateway", staff.social_worker, date="2026-02-10", reasons="Concerns.")
    move(
        case,
        "gateway_issue",
        staff.legal,
        **gateway_data(D(2026, 2, 11), urgent=True, short_notice_reason="Risk at birth."),
    )
    record(case, staff.legal, "letter_of_issue_sent", D(2026, 2, 11))
    ready_for_issue(case, staff, D(2026, 2, 12))
    move(case, "issue_proceedings", staff.legal, date="2026-02-12", court_reference="ZW26C00042")
    record(case, staff.legal, "parties_served", D(2026, 2, 13))
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def cases(today, staff, other_staff) -> BoardCases:
    return BoardCases(
        pre_proceedings=_pre_proceedings(staff),
        proceedings=_proceedings(staff),
        # Referred Tue 3 March: the gateway meeting is due Tue 17 March (green).
        gateway_green=case_at(Stage.LEGAL_GATEWAY, staff, start=D(2026, 3, 2)),
        # Another team's case, referred Tue 3 Feb: gateway meeting overdue since 17 Feb.
        other_team=case_at(Stage.LEGAL_GATEWAY, other_staff, start=D(2026, 2, 2)),
        concern=case_at(Stage.CONCERN, staff),
        closed=case_at(Stage.CLOSED, staff),
    )
