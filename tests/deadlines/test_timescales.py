"""The shipped timescales are written once: `rules.Timescales()` holds them and the
`TimescalePolicy` model takes its field defaults from it. These tests tie the two."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import models

from legaltracker.deadlines.models import TimescalePolicy
from legaltracker.deadlines.rules import Timescales


def _policy_fields() -> dict[str, models.Field]:
    return {
        f.name: f
        for f in TimescalePolicy._meta.get_fields()
        if isinstance(f, models.PositiveSmallIntegerField)
    }


def test_every_timescale_is_a_policy_field_with_the_same_default_and_back():
    defaults = Timescales()
    fields = _policy_fields()
    names = {f.name for f in dataclasses.fields(Timescales)}
    assert names == set(fields)
    for name in names:
        assert fields[name].default == getattr(defaults, name), name


@pytest.mark.django_db
def test_the_current_policy_is_the_defaults_until_edited():
    TimescalePolicy.objects.all().delete()
    assert Timescales.from_policy(TimescalePolicy.current()) == Timescales()
