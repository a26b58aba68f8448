"""A failed alert email retried after one of its cases was restricted: the retry is built
from what the recipient may see at that moment, through a real SMTP server on loopback
(docs/alerts.md, "Retries and restricted cases")."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.alerts import selectors, services
from legaltracker.alerts.choices import DeliveryStatus
from legaltracker.alerts.models import Delivery
from legaltracker.audit import services as audit_services
from legaltracker.core import clock

from .helpers import case_with_deadline
from .smtp_sink import Sink, free_port
from .test_delivery import digest_of, smtp

pytestmark = pytest.mark.django_db

D = dt.date


def _restrict(staff, case) -> None:
    # The social worker is not named: from now on the case is not theirs to see.
    audit_services.case_restrict(
        case_id=case.pk,
        actor=staff.head_of_service,
        reason="A parent works in children's services.",
        named_user_ids=[staff.team_manager.pk],
    )


def _fail_once(delivery: Delivery, port: int) -> None:
    with smtp(port):  # nothing listens on the port yet
        assert services.delivery_send(delivery_id=delivery.pk) == services.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=clock.now())


def _whole(received) -> str:
    parts = [str(received.message["Subject"])]
    for part in received.message.walk():
        if not part.is_multipart():
            parts.append(part.get_payload(decode=True).decode("utf-8"))
    return "\n".join(parts)


def test_a_retry_leaves_out_the_case_restricted_since_the_failure(staff, emails, scan):
    hidden, _ = case_with_deadline(staff, D(2026, 3, 6))  # due on Friday 6 March
    shown, _ = case_with_deadline(staff, D(2026, 3, 3))  # overdue since Tuesday 3 March
    scan(D(2026, 3, 4))
    delivery = digest_of(staff.social_worker)
    port = free_port()
    _fail_once(delivery, port)

    _restrict(staff, hidden)
    with smtp(port), Sink(port) as sink:
        assert services.delivery_send(delivery_id=delivery.pk) == services.SENT
    (received,) = sink.messages()

    text = _whole(received)
    assert shown.reference in text
    assert "Tuesday 3 March 2026" in text
    assert hidden.reference not in text
    assert f"/cases/{hidden.pk}/" not in text
    assert "6 March 2026" not in text  # the restricted case's deadline
    assert "1 deadline alert " in text  # the subject counts what is sent
    # Only the row that went out is marked emailed.
    rows = selectors.delivery_rows(delivery)
    assert set(rows.filter(emailed_at__isnull=False).values_list("case_id", flat=True)) == {
        shown.pk
    }
    assert set(rows.filter(emailed_at__isnull=True).values_list("case_id", flat=True)) == {
        hidden.pk
    }


def test_a_retry_with_nothing_left_to_show_sends_nothing_and_stops(staff, emails, scan):
    case, _ = case_with_deadline(staff, D(2026, 3, 6))
    scan(D(2026, 3, 4))
    delivery = digest_of(staff.social_worker)
    port = free_port()
    _fail_once(delivery, port)

    _restrict(staff, case)
    with smtp(port), Sink(port) as sink:
        assert services.delivery_send(delivery_id=delivery.pk) == services.WITHHELD
        assert services.delivery_send(delivery_id=delivery.pk) == services.SKIPPED
    assert sink.messages() == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISMISSED
    assert delivery.next_attempt_at is None
    assert delivery.dismissed_by is None
    assert delivery.last_error == services.WITHHELD_NOTE
    assert not selectors.delivery_rows(delivery).filter(emailed_at__isnull=False).exists()
    # Nothing is left waiting for the person either.
    assert list(selectors.failed_deliveries(staff.social_worker)) == []


def test_the_person_named_on_the_restriction_still_gets_the_case(staff, emails, scan):
    case, _ = case_with_deadline(staff, D(2026, 3, 6))
    scan(D(2026, 3, 4))
    delivery = digest_of(staff.team_manager)
    port = free_port()
    _fail_once(delivery, port)

    _restrict(staff, case)
    with smtp(port), Sink(port) as sink:
        assert services.delivery_send(delivery_id=delivery.pk) == services.SENT
    (received,) = sink.messages()
    assert case.reference in _whole(received)
