"""`manage.py send_deadline_alerts`: by hand, synchronously, with a one-line summary."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from legaltracker.alerts.models import Alert, AlertRun, Delivery

from .helpers import case_with_deadline
from .smtp_sink import free_port

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("send_deadline_alerts", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_runs_a_day_and_ends_with_the_summary(staff, emails):
    case_with_deadline(staff, dt.date(2026, 3, 4))
    lines = run("--date", "2026-03-04")
    assert lines[-1] == "3 new alerts, 3 sent, 0 failed"
    assert len(mail.outbox) == 3
    assert run("--date", "2026-03-04")[-1] == "0 new alerts, 0 sent, 0 failed"
    assert len(mail.outbox) == 3


def test_dry_run_records_and_sends_nothing(staff, emails):
    case_with_deadline(staff, dt.date(2026, 3, 4))
    lines = run("--date", "2026-03-04", "--dry-run")
    assert lines[-1] == "3 new alerts, 0 sent, 0 failed"
    assert "nothing was recorded" in lines[0]
    assert not Alert.objects.exists() and not AlertRun.objects.exists()
    assert mail.outbox == []


def test_failures_are_counted_and_left_for_the_workers(staff, emails):
    case_with_deadline(staff, dt.date(2026, 3, 4))
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),
        EMAIL_TIMEOUT=2,
    ):
        assert run("--date", "2026-03-04")[-1] == "3 new alerts, 0 sent, 3 failed"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}


def test_a_non_working_day(staff):
    lines = run("--date", "2026-04-03")  # Good Friday
    assert lines == ["2026-04-03: not a working day: no alerts", "0 new alerts, 0 sent, 0 failed"]


def test_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "04/03/2026")
