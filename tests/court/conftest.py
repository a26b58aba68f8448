import datetime as dt

import pytest

from legaltracker.cases.choices import Stage
from tests.factories import case_at


@pytest.fixture
def court_case(staff, today):
    """A case in proceedings, issued 27 days before today (2026-02-05)."""
    return case_at(Stage.PROCEEDINGS, staff, start=today - dt.timedelta(days=30))
