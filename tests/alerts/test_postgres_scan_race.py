"""Two scans of the same day at once, on PostgreSQL, in real threads with their own
sessions: the ledger gets each key once, and each person one digest holding all of
their items (never two digests splitting them)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection

from legaltracker.alerts import selectors, services
from legaltracker.alerts.models import Alert, AlertRun, Delivery
from legaltracker.core import clock
from legaltracker.deadlines.choices import Milestone
from tests.markers import postgresql_only

from .helpers import case_with_deadline

pytestmark = [pytest.mark.postgres, postgresql_only, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 3, 4)
DUE = [dt.date(2026, 2, 20), dt.date(2026, 3, 2), DAY, dt.date(2026, 3, 6)]
ROUNDS = 8
THREADS = 4


def scan_together(day: dt.date, threads: int) -> list[object]:
    barrier = threading.Barrier(threads)
    results: list[object] = [None] * threads

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = services.alerts_scan(today=day, dispatch=False)
        except BaseException as exc:  # a thread's failure is the finding: keep it
            results[index] = exc
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    return results


def test_concurrent_scans_write_each_key_once_and_one_digest_each(staff, other_staff):
    winners = Counter()
    for number in range(ROUNDS):
        day = DAY + dt.timedelta(days=7 * number)  # a Wednesday each round
        for n, due in enumerate(DUE):
            shifted = due + dt.timedelta(days=7 * number)
            team = staff if n % 2 else other_staff
            case_with_deadline(team, shifted)
            case_with_deadline(team, shifted, Milestone.MANAGEMENT_OVERSIGHT)
        with clock.frozen(day):
            results = scan_together(day, THREADS)
        errors = [r for r in results if isinstance(r, BaseException)]
        assert not errors, errors
        new = [r.new_alerts for r in results]
        winners[sum(1 for n in new if n)] += 1
        runs = AlertRun.objects.filter(run_date=day)
        assert runs.count() == THREADS
        ledger = Alert.objects.filter(run__run_date=day)
        assert sum(new) == ledger.count()
        keys = Counter(ledger.values_list("deadline_id", "level", "recipient_id"))
        assert max(keys.values()) == 1
        # Each person: one digest in this day's runs, carrying all their new items.
        digests = Delivery.objects.filter(run__run_date=day, kind="digest")
        per_person = Counter(digests.values_list("recipient_id", flat=True))
        assert set(per_person.values()) == {1}
        for delivery in digests:
            rows = selectors.delivery_rows(delivery).count()
            assert rows == ledger.filter(recipient=delivery.recipient).count()
    # Every writer inserts in one key order, so the first to insert holds the rest back
    # until it commits, and then finds nothing left to write: one writer per day.
    assert winners == {1: ROUNDS}
