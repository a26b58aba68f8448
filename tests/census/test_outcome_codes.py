"""The PPOutcome table: seeded unconfirmed, kept by an administrator, warned about until
confirmed (docs/census.md, "The outcome codes")."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.checks import Warning, run_checks
from django.core.management import call_command
from django.test import Client

from legaltracker.accounts.models import User
from legaltracker.census.blocks import blocks_for_year, ending_of
from legaltracker.census.checks import check_outcome_codes
from legaltracker.census.models import OutcomeCode, PreProceedingsEnding
from tests.factories import gateway_data, move

from .builders import REASONS, enter_pre_proceedings, new_case, stepped_down_case

SEEDED = {
    "issue_decided": "A",
    "stepped_down_child_protection_plan": "B",
    "stepped_down_child_in_need_plan": "B",
    "stepped_down_no_further_action": "B",
    "stepped_down": "B",
    "continue_plan": "B",
    "withdrawn": "C",
    "transferred_out": "C",
    "other": "C",
}


def test_the_migration_seeds_every_ending_unconfirmed():
    rows = {row.ending: row for row in OutcomeCode.objects.all()}
    assert {ending: row.code for ending, row in rows.items()} == SEEDED
    assert set(rows) == set(PreProceedingsEnding.values)
    assert not any(row.confirmed for row in rows.values())


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # The decision to issue wins over whatever closed the case later.
        (
            {"issue_decided_on": date(2026, 9, 1), "outcome": "care_order", "step_down_to": ""},
            ("issue_decided", date(2026, 9, 1)),
        ),
        (
            {
                "issue_decided_on": None,
                "outcome": "stepped_down",
                "step_down_to": "child_in_need_plan",
            },
            ("stepped_down_child_in_need_plan", date(2026, 10, 1)),
        ),
        (
            {"issue_decided_on": None, "outcome": "stepped_down", "step_down_to": ""},
            ("stepped_down", date(2026, 10, 1)),
        ),
        (
            {"issue_decided_on": None, "outcome": "continue_plan", "step_down_to": ""},
            ("continue_plan", date(2026, 10, 1)),
        ),
        (
            {"issue_decided_on": None, "outcome": "transferred_out", "step_down_to": ""},
            ("transferred_out", date(2026, 10, 1)),
        ),
        ({"issue_decided_on": None, "outcome": "", "step_down_to": ""}, ("", None)),
    ],
)
def test_how_pre_proceedings_ended(values, expected):
    assert ending_of(closed_on=date(2026, 10, 1), **values) == expected


def test_the_outcome_of_a_case_that_went_back_to_the_gateway_and_stopped(staff):
    case = new_case(staff, opened=date(2026, 5, 4))
    case = enter_pre_proceedings(staff, case, referred=date(2026, 5, 5), entered=date(2026, 5, 6))
    move(case, "escalate_to_gateway", staff.social_worker, date="2026-07-01", reasons=REASONS)
    move(case, "gateway_continue_plan", staff.legal, **gateway_data(date(2026, 7, 3)))
    (block,) = blocks_for_year(2026)
    assert (block.step_decision_date, block.pp_outcome) == (date(2026, 7, 3), "B")


def test_the_outcome_of_a_withdrawn_case(staff):
    case = new_case(staff, opened=date(2026, 5, 4))
    case = enter_pre_proceedings(staff, case, referred=date(2026, 5, 5), entered=date(2026, 5, 6))
    move(
        case,
        "close",
        staff.head_of_service,
        date="2026-07-01",
        outcome="withdrawn",
        reasons=REASONS,
    )
    (block,) = blocks_for_year(2026)
    assert (block.step_decision_date, block.pp_outcome) == (date(2026, 7, 1), "C")


def test_the_administrators_code_is_the_one_reported(staff):
    stepped_down_case(
        staff, entered=date(2026, 6, 1), decided=date(2026, 8, 3), to="no_further_action"
    )
    OutcomeCode.objects.filter(ending="stepped_down_no_further_action").update(code="C")
    (block,) = blocks_for_year(2026)
    assert block.pp_outcome == "C"


def test_the_system_check_warns_while_a_code_is_unconfirmed():
    (warning,) = check_outcome_codes(databases=["default"])
    assert isinstance(warning, Warning) and warning.id == "census.W001"
    assert "Decision to issue care proceedings" in warning.msg
    assert "confirmed" in warning.hint and "admin" in warning.hint
    # Registered as a database check: `check --database default` and `migrate` report it,
    # as a warning, not an error; the settings-only checks (`check --deploy`) do not.
    reported = run_checks(tags=["census"], databases=["default"])
    assert "census.W001" in [m.id for m in reported]
    assert not any(m.is_serious() for m in reported)
    assert run_checks(tags=["census"]) == []
    out = io.StringIO()
    call_command("check", "--database", "default", stdout=out, stderr=out)
    assert "census.W001" in out.getvalue()

    OutcomeCode.objects.exclude(ending="withdrawn").update(confirmed=True)
    (warning,) = check_outcome_codes(databases=["default"])
    assert "Case closed: withdrawn" in warning.msg
    assert "Decision to issue" not in warning.msg

    OutcomeCode.objects.update(confirmed=True)
    assert check_outcome_codes(databases=["default"]) == []


def test_the_system_check_warns_of_a_missing_row():
    OutcomeCode.objects.update(confirmed=True)
    OutcomeCode.objects.filter(ending="other").delete()
    (warning,) = check_outcome_codes(databases=["default"])
    assert warning.id == "census.W002" and "Case closed for another reason" in warning.msg


@pytest.fixture
def administrator() -> User:
    call_command("add_user", "census-admin", "--role", "administrator", stdout=io.StringIO())
    return User.objects.get(username="census-admin")


def test_an_administrator_corrects_and_confirms_a_code_in_the_admin(administrator):
    client = Client()
    client.force_login(administrator)
    assert "/admin/census/outcomecode/" in client.get("/admin/").content.decode()
    row = OutcomeCode.objects.get(ending="withdrawn")
    url = f"/admin/census/outcomecode/{row.pk}/change/"
    assert client.get(url).status_code == 200
    answer = client.post(url, {"code": "B", "confirmed": "on", "note": "Checked in the guidance."})
    assert answer.status_code == 302
    row.refresh_from_db()
    assert (row.ending, row.code, row.confirmed) == ("withdrawn", "B", True)
    # Rows are kept: an ending without a code is left blank instead.
    assert client.get(f"/admin/census/outcomecode/{row.pk}/delete/").status_code == 403
