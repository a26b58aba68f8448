"""One demo run shared by the tests of a module: the demo builds about forty cases
through the services, which is too slow to repeat for every test."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from legaltracker.core import clock

DEMO_DAY = dt.date(2026, 3, 4)  # the same ordinary Wednesday as the `today` fixture


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo built once on DEMO_DAY, inside a transaction rolled back after the module,
    so that no other test sees the data. Each test still runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        with clock.frozen(DEMO_DAY):
            output = run_demo()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db, today):
    assert today == DEMO_DAY
    return demo_output
