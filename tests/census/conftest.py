import importlib
from datetime import date

import pytest

from legaltracker.core import clock


@pytest.fixture(autouse=True)
def after_the_year(db):
    """The return for 2026-27 is made after 31 March 2027: the clock stands later."""
    with clock.frozen(date(2027, 9, 1)) as day:
        yield day


@pytest.fixture(autouse=True)
def outcome_codes_seeded(db):
    """The outcome code table as migration 0002 leaves it. A test that flushes the database
    (the browser tests' live server) empties it for the tests that follow; put it back."""
    from django.apps import apps

    seeding = importlib.import_module("legaltracker.census.migrations.0002_seed_outcome_codes")
    seeding.seed(apps, None)
