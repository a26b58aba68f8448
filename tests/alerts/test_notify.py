"""GOV.UK Notify as the channel, against a local stub of its API started by the test:
the message carries the delivery's reference, and a retry asks Notify about that
reference before sending again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from legaltracker.alerts import services
from legaltracker.alerts.checks import check_alert_settings
from legaltracker.alerts.choices import DeliveryStatus
from legaltracker.alerts.models import Delivery
from legaltracker.core import clock

from .helpers import case_with_deadline
from .notify_stub import API_KEY, NotifyStub

pytestmark = pytest.mark.django_db

TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


@pytest.fixture
def notify():
    with (
        NotifyStub() as stub,
        override_settings(
            ALERTS_CHANNEL="notify",
            NOTIFY_API_KEY=API_KEY,
            NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
            NOTIFY_BASE_URL=stub.base_url,
            NOTIFY_TIMEOUT_SECONDS=5,
            ALERTS_RETRY_BASE_SECONDS=0,
        ),
    ):
        yield stub


@pytest.fixture
def lawyer_digest(staff, emails, scan):
    case_with_deadline(staff, dt.date(2026, 3, 4))
    scan(dt.date(2026, 3, 4))
    return Delivery.objects.get(recipient=staff.legal)


def test_sends_with_the_delivery_reference(notify, lawyer_digest):
    assert services.delivery_send(delivery_id=lawyer_digest.pk) == services.SENT
    (sent,) = notify.notifications
    assert sent["reference"] == str(lawyer_digest.reference)
    assert sent["email_address"] == "lawyer@example.test"
    assert sent["template_id"] == TEMPLATE_ID
    assert sent["personalisation"]["subject"].startswith("Legal tracker: 1 deadline alert")
    assert "Gateway meeting held: due today" in sent["personalisation"]["body"]
    assert notify.gets == 0  # a first attempt has nothing to check
    lawyer_digest.refresh_from_db()
    assert (lawyer_digest.status, lawyer_digest.channel) == (DeliveryStatus.SENT, "notify")


def test_a_lost_reply_is_not_sent_twice(notify, lawyer_digest):
    """Notify kept the message but the reply never came back: the retry finds the
    reference and does not post a second email."""
    notify.drop_after_accept = 1
    assert services.delivery_send(delivery_id=lawyer_digest.pk) == services.FAILED
    assert services.delivery_send(delivery_id=lawyer_digest.pk) == services.SENT
    assert notify.posts == 1
    assert notify.gets == 1
    assert len(notify.notifications) == 1
    lawyer_digest.refresh_from_db()
    assert (lawyer_digest.status, lawyer_digest.attempts) == (DeliveryStatus.SENT, 2)


def test_a_server_error_is_retried_and_sent_once(notify, lawyer_digest):
    notify.fail_with = [500]
    assert services.delivery_send(delivery_id=lawyer_digest.pk) == services.FAILED
    lawyer_digest.refresh_from_db()
    assert "500" in lawyer_digest.last_error
    assert services.delivery_send(delivery_id=lawyer_digest.pk) == services.SENT
    assert (notify.posts, notify.gets, len(notify.notifications)) == (2, 1, 1)


def test_a_refused_request_is_not_retried(notify, lawyer_digest):
    notify.fail_with = [400]
    assert services.delivery_send(delivery_id=lawyer_digest.pk) == services.FAILED
    lawyer_digest.refresh_from_db()
    assert lawyer_digest.next_attempt_at is None
    assert "refused" in lawyer_digest.last_error
    Delivery.objects.filter(pk=lawyer_digest.pk).update(next_attempt_at=clock.now())
    assert notify.notifications == []


def test_notify_without_a_key_refuses_to_start():
    with override_settings(ALERTS_CHANNEL="notify", NOTIFY_API_KEY="", NOTIFY_TEMPLATE_ID=""):
        assert [e.id for e in check_alert_settings()] == ["alerts.E006"]
