"""`manage.py deadlines_recompute` brings cases nobody has touched in step with a changed
rule, and changes nothing the second time."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from legaltracker.cases.choices import Stage
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline
from tests.factories import case_at

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = io.StringIO()
    call_command("deadlines_recompute", stdout=out)
    return out.getvalue()


def test_a_stale_date_is_put_right_and_a_second_run_changes_nothing(staff):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    closed = case_at(Stage.CLOSED, staff)
    right = {(d.milestone, d.cycle): d.due for d in Deadline.objects.filter(case=case)}
    # A date written under an older rule (as if the rule changed after it was computed).
    stale = Deadline.objects.filter(case=case, milestone=Milestone.LETTER_BEFORE_PROCEEDINGS)
    stale.update(due=dt.date(2020, 1, 1))
    closed_before = list(Deadline.objects.filter(case=closed).values_list("due", "updated_at"))

    assert _run() == "1 open case(s) checked; the deadlines of 1 changed.\n"
    assert {(d.milestone, d.cycle): d.due for d in Deadline.objects.filter(case=case)} == right
    assert list(Deadline.objects.filter(case=closed).values_list("due", "updated_at")) == (
        closed_before
    )
    assert _run() == "1 open case(s) checked; the deadlines of 0 changed.\n"
