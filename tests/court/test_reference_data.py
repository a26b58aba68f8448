"""The court centres and standard directions come back when a flush empties their tables
(a database flushed and migrated again, and the test runner after each transactional
test), and are left alone while they hold rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from legaltracker.court.models import CourtCentre, StandardDirection


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_shipped_courts_and_standard_directions():
    call_command("flush", interactive=False, verbosity=0)
    assert CourtCentre.objects.filter(code="100", region="London").exists()
    assert CourtCentre.objects.count() == 70
    assert StandardDirection.objects.count() == 7


@pytest.mark.django_db
def test_an_administrators_changes_stay_after_a_migrate():
    CourtCentre.objects.exclude(code="100").delete()
    call_command("migrate", verbosity=0)
    assert list(CourtCentre.objects.values_list("code", flat=True)) == ["100"]


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_shipped_day1_checklist():
    from legaltracker.cases.models import Day1ChecklistItem

    call_command("flush", interactive=False, verbosity=0)
    codes = set(Day1ChecklistItem.objects.filter(active=True).values_list("code", flat=True))
    assert "threshold" in codes and len(codes) == 6
