"""`manage.py demo` on an empty database: awkward days, production settings, the specs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError
from django.test import override_settings

from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.core import clock
from legaltracker.demo.cases import CASES
from legaltracker.demo.management.commands.demo import spec_identity

from .conftest import run_demo


def test_every_demo_case_has_its_own_identity():
    identities = [spec_identity(spec) for spec in CASES]
    assert len(set(identities)) == len(identities)
    keys = {spec.key for spec in CASES}
    assert all(spec.previous in keys for spec in CASES if spec.previous)


@pytest.mark.slow
@pytest.mark.django_db
def test_builds_every_case_when_run_on_a_bank_holiday():
    # Christmas Day 2026 is a Friday; Boxing Day's substitute is Monday 28 December.
    with clock.frozen(dt.date(2026, 12, 25)):
        output = run_demo()

    assert f"{len(CASES)} case(s) created" in output
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)


@pytest.mark.django_db
def test_refuses_production_settings_without_force(today):
    with (
        override_settings(SETTINGS_MODULE="legaltracker.settings.production"),
        pytest.raises(CommandError, match="production"),
    ):
        run_demo()
    assert not Case.objects.exists()
