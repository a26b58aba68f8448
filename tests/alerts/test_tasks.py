"""The django-q2 tasks queue what comes next on the real ORM broker: a failed delivery
queues its quick retry whoever saw it fail, and a starting worker queues a sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django_q.models import OrmQ

from legaltracker.alerts import tasks
from legaltracker.alerts.models import Delivery

from .helpers import case_with_deadline
from .smtp_sink import free_port

pytestmark = pytest.mark.django_db


def queued() -> list[tuple[str, tuple]]:
    return sorted((t.task["func"].rsplit(".", 1)[1], t.task["args"]) for t in OrmQ.objects.all())


@pytest.fixture
def smtp_down():
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),
        EMAIL_TIMEOUT=2,
    ):
        yield


@pytest.fixture
def deliveries(staff, emails, scan) -> list[int]:
    case_with_deadline(staff, dt.date(2026, 3, 4))
    return scan(dt.date(2026, 3, 4)).delivery_ids


def test_a_failed_delivery_queues_its_retry(deliveries, smtp_down):
    first = deliveries[0]
    assert tasks.deliver(first) == f"delivery {first}: failed"
    assert queued() == [("deliver_retry", (first,))]


def test_the_sweep_queues_a_retry_for_each_failure(deliveries, smtp_down):
    assert tasks.sweep() == f"{len(deliveries)} failed"
    assert queued() == sorted(("deliver_retry", (i,)) for i in deliveries)


def test_a_retry_beyond_the_wait_is_left_to_the_sweep(deliveries, smtp_down):
    first = deliveries[0]
    tasks.deliver(first)  # fails: the next attempt is 60 s away
    OrmQ.objects.all().delete()
    assert tasks.deliver_retry(first) == f"delivery {first}: skipped"
    assert queued() == []
    assert Delivery.objects.get(pk=first).attempts == 1


@override_settings(ALERTS_SWEEP_ON_WORKER_START=True)
def test_a_starting_worker_queues_a_sweep():
    tasks.on_worker_start(sender="django_q", proc_name="Process-1")
    assert queued() == [("sweep", ())]


@override_settings(ALERTS_SWEEP_ON_WORKER_START=False)
def test_no_sweep_at_worker_start_when_turned_off():
    tasks.on_worker_start(sender="django_q", proc_name="Process-1")
    assert queued() == []
