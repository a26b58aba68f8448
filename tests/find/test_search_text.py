"""The search text now holds the court case number and the children's LA child ids
(cases/search.py): the Python that computes it and, on PostgreSQL, the SQL that writes it
agree word for word, the writers keep it fresh, and every case's text has its index."""

from __future__ import annotations

import pytest
from django.db import connection

from legaltracker.cases import search
from legaltracker.cases.models import Adult, Case, Child
from tests.factories import case_at, move, ready_for_issue
from tests.markers import postgresql_only

from .conftest import Cases, set_la_child_id

pytestmark = pytest.mark.django_db


def test_the_text_holds_the_court_case_number_and_la_child_ids(cases: Cases):
    text = Case.objects.get(pk=cases.proceedings.pk).search_text
    assert text.startswith(cases.proceedings.reference.lower() + " zw26c04711 ")
    pre = Case.objects.get(pk=cases.pre_proceedings.pk).search_text
    assert "ada quillfeather a1234567 parent" in pre


def test_blank_parts_add_nothing_but_a_blank_first_name_keeps_its_space():
    assert (
        search.search_text("LT-1", [("", "Smith", ""), ("Ann", "Lee")], "") == "lt-1  smith ann lee"
    )
    assert search.search_text("LT-1", [("Bo", "Ng", "X9")], "ZW1") == "lt-1 zw1 bo ng x9"


def test_issuing_refreshes_the_text(staff, today):
    case = case_at("issue", staff)
    assert "zw99c00001" not in Case.objects.get(pk=case.pk).search_text
    ready_for_issue(case, staff, today)
    move(
        case, "issue_proceedings", staff.legal, date=today.isoformat(), court_reference="ZW99C00001"
    )
    assert "zw99c00001" in Case.objects.get(pk=case.pk).search_text


@postgresql_only
def test_the_sql_writes_the_python_text(cases: Cases, staff, today):
    unborn_twin = case_at(
        "concern",
        staff,
        children=[
            {"first_name": "", "last_name": "Dvořák", "expected_date_of_birth": "2026-06-01"},
            {
                "first_name": "Æsa",
                "last_name": "O\u2019Brien\u2013Şahin",
                "date_of_birth": "2019-01-01",
            },
        ],
    )
    set_la_child_id(unborn_twin, "Ü-77")
    ids = [c.pk for c in [*cases.all(), unborn_twin]]
    expected = search.compute_texts(Case, Child, Adult, ids)
    Case.objects.update(search_text="")
    with connection.cursor() as cursor:
        cursor.execute(search.refresh_sql(every_case=True))
    assert dict(Case.objects.filter(pk__in=ids).values_list("pk", "search_text")) == expected


@postgresql_only
def test_every_cases_text_has_a_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'cases_case' "
            "AND indexname = 'case_search_all_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin (search_text gin_trgm_ops)" in definition
    assert "WHERE" not in definition
