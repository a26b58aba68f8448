"""Cases at every stage for "Find a case" and the team list, built through the services.

Today is Wednesday 4 March 2026 (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from legaltracker.api.tokens import token_issue
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case, Child
from legaltracker.cases.search import search_text_refresh
from tests.factories import case_at, move, ready_for_issue

D = dt.date


def _child(first: str, last: str, born: str) -> dict[str, str]:
    return {"first_name": first, "last_name": last, "date_of_birth": born}


@dataclass
class Cases:
    concern: Case
    gateway: Case
    pre_proceedings: Case
    proceedings: Case
    closed: Case
    unborn: Case
    other_team: Case

    def all(self) -> list[Case]:
        return [
            self.concern,
            self.gateway,
            self.pre_proceedings,
            self.proceedings,
            self.closed,
            self.unborn,
            self.other_team,
        ]


def set_la_child_id(case: Case, value: str) -> None:
    """No page records the LA child id yet: set it as a future writer would, with the
    refresh every writer makes (tests/architecture/test_search_text_writers.py)."""
    Child.objects.filter(case=case).update(la_child_id=value)
    search_text_refresh(case_ids=[case.pk])


@pytest.fixture
def cases(staff, other_staff, today) -> Cases:
    concern = case_at(
        Stage.CONCERN,
        staff,
        start=D(2026, 2, 2),
        children=[_child("Ottilie", "Brackwater", "2020-06-15")],
    )
    gateway = case_at(
        Stage.LEGAL_GATEWAY,
        staff,
        start=D(2026, 1, 12),
        children=[
            _child("Zoë", "Ó Súilleabháin", "2019-04-03"),
            _child("Finn", "Ó Súilleabháin", "2021-11-30"),
        ],
    )
    pre = case_at(
        Stage.PRE_PROCEEDINGS,
        staff,
        start=D(2026, 1, 5),
        children=[_child("Ada", "Quillfeather", "2018-05-01")],
    )
    proceedings = case_at(
        Stage.ISSUE,
        staff,
        start=D(2025, 12, 1),
        children=[_child("Jonah", "Pelleas", "2017-09-09")],
    )
    ready_for_issue(proceedings, staff, D(2026, 1, 20))
    move(
        proceedings,
        "issue_proceedings",
        staff.legal,
        date="2026-01-20",
        court_reference="ZW26C04711",
    )
    closed = case_at(
        Stage.CLOSED,
        staff,
        start=D(2024, 3, 4),
        children=[_child("Mabel", "Harrowgate", "2016-02-29")],
    )
    unborn = case_at(
        Stage.CONCERN,
        staff,
        start=D(2026, 2, 16),
        unborn_baby=True,
        children=[
            {"first_name": "", "last_name": "Tennyfield", "expected_date_of_birth": "2026-06-20"}
        ],
    )
    other = case_at(
        Stage.PRE_PROCEEDINGS,
        other_staff,
        start=D(2026, 1, 6),
        children=[_child("Ada", "Quillfeather", "2018-05-01")],
    )
    set_la_child_id(pre, "A1234567")
    return Cases(
        concern=concern,
        gateway=gateway,
        pre_proceedings=Case.objects.get(pk=pre.pk),
        proceedings=Case.objects.get(pk=proceedings.pk),
        closed=closed,
        unborn=unborn,
        other_team=other,
    )


@pytest.fixture
def api_for(db):
    def make(user) -> APIClient:
        _, key = token_issue(user=user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make
