from datetime import date

import pytest

from legaltracker.core import clock


@pytest.fixture(autouse=True)
def after_the_year(db):
    """The return for 2026-27 is made after 31 March 2027: the clock stands later."""
    with clock.frozen(date(2027, 9, 1)) as day:
        yield day
