"""Delivering alerts: one digest per person, grouped by case, nearest first; sent once;
failures recorded, retried with backoff against a real SMTP server on loopback, and
visible until sent or dismissed."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.core import mail
from django.test import override_settings

from legaltracker.alerts import selectors, services
from legaltracker.alerts.choices import DeliveryStatus, Level
from legaltracker.alerts.models import Alert, Delivery
from legaltracker.core import clock
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline

from .conftest import set_due
from .helpers import case_with_deadline
from .smtp_sink import Sink, free_port

pytestmark = pytest.mark.django_db

D = dt.date


def smtp(port: int, **extra):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
        **extra,
    )


def digest_of(user, run_id=None) -> Delivery:
    deliveries = Delivery.objects.filter(recipient=user, kind="digest")
    if run_id:
        deliveries = deliveries.filter(run_id=run_id)
    return deliveries.get()


@pytest.fixture
def two_cases(staff, emails, scan):
    """Case B has the nearest item (overdue since 3 March) and one due today; case A one
    due on 6 March. The social worker's digest for 4 March lists all three."""
    case_a, _ = case_with_deadline(staff, D(2026, 3, 6))
    case_b, _ = case_with_deadline(staff, D(2026, 3, 3))
    oversight = Deadline.objects.get(case=case_b, milestone=Milestone.MANAGEMENT_OVERSIGHT)
    set_due(oversight, D(2026, 3, 4))
    result = scan(D(2026, 3, 4))
    return case_a, case_b, result


def test_digest_groups_by_case_nearest_first_with_links(staff, two_cases):
    case_a, case_b, _ = two_cases
    delivery = digest_of(staff.social_worker)
    assert services.delivery_send(delivery_id=delivery.pk) == services.SENT
    (sent,) = mail.outbox
    assert sent.to == ["sw-north@example.test"]
    assert sent.subject == "Legal tracker: 3 deadline alerts (1 overdue, 1 due today, 1 due soon)"
    text = sent.body
    b_at, a_at = text.index(case_b.reference), text.index(case_a.reference)
    assert b_at < a_at  # the case with the nearest due date first
    case_b_part = text[b_at:a_at]
    assert f"https://tracker.example.test/cases/{case_b.pk}/" in case_b_part
    assert case_b_part.index("Gateway meeting held: overdue") < case_b_part.index(
        "Management oversight: due today"
    )
    assert "Gateway meeting held: due on Friday 6 March 2026" in text[a_at:]
    html, mime = sent.alternatives[0]
    assert mime == "text/html"
    assert f'href="https://tracker.example.test/cases/{case_a.pk}/"' in html
    assert sent.extra_headers["Message-ID"] == f"<alerts-{delivery.reference}@tracker.example.test>"
    # No names of the family: references and milestones only.
    for child in (*case_a.children.all(), *case_b.children.all()):
        assert child.last_name not in text and child.last_name not in html


def test_a_sent_delivery_is_never_sent_again(staff, two_cases):
    delivery = digest_of(staff.legal)
    assert services.delivery_send(delivery_id=delivery.pk) == services.SENT
    assert services.delivery_send(delivery_id=delivery.pk) == services.SKIPPED
    # The sweep sends the two others and leaves the lawyer's alone.
    assert Counter(services.deliveries_send_due(budget_seconds=5).values()) == {services.SENT: 2}
    assert services.deliveries_send_due(budget_seconds=5) == {}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lawyer@example.test",
        "sw-north@example.test",
        "tm-north@example.test",
    ]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert not selectors.delivery_rows(delivery).filter(emailed_at__isnull=True).exists()
    assert selectors.delivery_rows(delivery).exists()


def test_smtp_down_then_back_retried_with_backoff_and_sent_once(staff, two_cases):
    port = free_port()  # nothing listens here yet
    delivery = digest_of(staff.team_manager)
    with smtp(port):
        before = clock.now()
        assert services.delivery_send(delivery_id=delivery.pk) == services.FAILED
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.attempts == 1
        assert "ConnectionRefusedError" in delivery.last_error
        wait = (delivery.next_attempt_at - before).total_seconds()
        assert 60 <= wait <= 62  # the first backoff step
        assert services.delivery_send(delivery_id=delivery.pk) == services.SKIPPED  # not yet
        assert [d.pk for d in selectors.failed_deliveries(staff.team_manager)] == [delivery.pk]
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=clock.now())
        with Sink(port) as sink:
            assert services.delivery_send(delivery_id=delivery.pk) == services.SENT
            assert services.delivery_send(delivery_id=delivery.pk) == services.SKIPPED
        (received,) = sink.messages()
    assert received.to == ("tm-north@example.test",)
    assert received.message_id == f"<alerts-{delivery.reference}@tracker.example.test>"
    assert received.message.is_multipart()
    assert {p.get_content_type() for p in received.message.walk()} >= {"text/plain", "text/html"}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert not list(selectors.failed_deliveries(staff.team_manager))


def test_backoff_doubles_up_to_the_cap():
    seconds = [services.backoff(n).total_seconds() for n in range(1, 9)]
    assert seconds == [60, 120, 240, 480, 960, 1920, 3600, 3600]


@override_settings(ALERTS_MAX_ATTEMPTS=2, ALERTS_RETRY_BASE_SECONDS=0)
def test_after_the_last_attempt_it_waits_for_a_person(staff, two_cases):
    delivery = digest_of(staff.legal)
    with smtp(free_port()):
        assert services.delivery_send(delivery_id=delivery.pk) == services.FAILED
        assert services.delivery_send(delivery_id=delivery.pk) == services.FAILED
        assert services.delivery_send(delivery_id=delivery.pk) == services.SKIPPED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    assert (
        selectors.unread_count(staff.legal)
        == Alert.objects.filter(recipient=staff.legal).count() + 1
    )
    services.delivery_dismiss(actor=staff.legal, delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISMISSED
    assert delivery.dismissed_by == staff.legal
    assert not list(selectors.failed_deliveries(staff.legal))


def test_no_address_is_a_permanent_failure(staff, two_cases):
    staff.head_of_service.email = ""
    staff.head_of_service.save()
    delivery = Delivery.objects.create(
        kind="digest",
        recipient=staff.head_of_service,
        created_at=clock.now(),
        next_attempt_at=clock.now(),
    )
    assert services.delivery_send(delivery_id=delivery.pk) == services.FAILED
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is None
    assert "no email address" in delivery.last_error


def test_a_live_claim_is_left_alone_and_an_expired_one_is_taken_over(staff, two_cases):
    delivery = digest_of(staff.legal)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING,
        attempts=1,
        next_attempt_at=clock.now() + dt.timedelta(minutes=1),
    )
    assert services.delivery_send(delivery_id=delivery.pk) == services.SKIPPED
    assert mail.outbox == []
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=clock.now())
    assert services.delivery_send(delivery_id=delivery.pk) == services.SENT
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_worker_whose_claim_ran_out_cannot_undo_the_one_that_sent(staff, two_cases):
    delivery = digest_of(staff.legal)
    stale = Delivery.objects.get(pk=delivery.pk)
    stale.claim_token = __import__("uuid").uuid4()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claim_token=stale.claim_token, next_attempt_at=clock.now()
    )
    assert services.delivery_send(delivery_id=delivery.pk) == services.SENT
    services._record_failure(stale, stale.claim_token, OSError("late"), permanent=False)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


@override_settings(ALERTS_RETRY_BASE_SECONDS=0.3)
def test_the_sweep_waits_for_a_retry_that_is_nearly_due(staff, two_cases):
    port = free_port()
    ids = list(Delivery.objects.order_by("id").values_list("id", flat=True))
    with smtp(port):
        outcomes = services.deliveries_send_due(budget_seconds=5, wait_seconds=0)
        assert outcomes == dict.fromkeys(ids, services.FAILED)
        with Sink(port) as sink:
            # Each failure is due again in 0.3 s: without waiting, nothing is due now.
            assert services.deliveries_send_due(budget_seconds=5, wait_seconds=0) == {}
            assert services.deliveries_send_due(budget_seconds=5, wait_seconds=2) == dict.fromkeys(
                ids, services.SENT
            )
        assert len(sink.messages()) == len(ids)
    assert len({m.message_id for m in sink.messages()}) == len(ids)


def test_digest_subject_for_a_single_item_and_immediate_alert(staff, emails, scan):
    from legaltracker.alerts.choices import AlertMode
    from legaltracker.alerts.models import AlertPreference

    AlertPreference.objects.create(user=staff.legal, mode=AlertMode.DIGEST_AND_IMMEDIATE)
    case, _ = case_with_deadline(staff, D(2026, 3, 4))
    scan(D(2026, 3, 4))
    result = scan(D(2026, 3, 5))
    for delivery_id in result.delivery_ids:
        assert services.delivery_send(delivery_id=delivery_id) == services.SENT
    to_lawyer = [m for m in mail.outbox if m.to == ["lawyer@example.test"]]
    subjects = [m.subject for m in to_lawyer]
    assert subjects == [
        f"Legal tracker: overdue: Gateway meeting held ({case.reference})",
        "Legal tracker: 1 deadline alert (1 overdue)",
    ]
    assert re.search(r"A deadline is overdue", to_lawyer[0].body)
    assert Alert.objects.get(recipient=staff.legal, level=Level.OVERDUE).emailed_at is not None
