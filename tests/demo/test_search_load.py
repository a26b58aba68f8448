"""The load generator fills each case's search text as `case_create` would
(legaltracker/cases/search.py), so the board's search works on load data."""

from __future__ import annotations

import pytest

from legaltracker.cases.models import Adult, Case, Child
from legaltracker.cases.search import compute_texts
from legaltracker.demo.loadgen import generate_load

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # as tests/demo/test_generate_load.py


def test_generated_cases_have_their_search_text(today):
    generate_load(open_cases=12, closed_cases=6, seed=3)
    stored = dict(Case.objects.values_list("pk", "search_text"))
    assert len(stored) == 18
    assert all(stored.values())
    assert stored == compute_texts(Case, Child, Adult, list(stored))
