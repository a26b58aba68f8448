"""django-q2 tasks: thin, idempotent, given ids; each calls one service.

Running any of them twice, or in two clusters at once, is safe: the ledger's unique key
and the delivery claims decide what is written and sent, not the number of runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from legaltracker.core import clock

from . import conf, services

logger = logging.getLogger(__name__)


def _wait_seconds() -> float:
    return float(conf.get("ALERTS_RETRY_WAIT_SECONDS"))


def _enqueue(func: str, *args: object) -> None:
    from django_q.tasks import async_task

    async_task(f"legaltracker.alerts.tasks.{func}", *args, q_options={"group": "alerts"})


def daily_alerts(today: str | None = None) -> str:
    """The daily run (the `alerts-daily` schedule). Returns early on a day that is not a
    working day. `today` (YYYY-MM-DD) runs it for another day."""
    day = dt.date.fromisoformat(today) if today else clock.today()
    return services.alerts_scan(today=day).summary()


def deliver(delivery_id: int) -> str:
    """Send one delivery; if it fails and the retry is due soon, queue the retry."""
    outcome = services.delivery_send(delivery_id=delivery_id)
    if outcome == services.FAILED:
        _retry_soon([delivery_id])
    return f"delivery {delivery_id}: {outcome}"


def _retry_soon(delivery_ids: list[int]) -> None:
    """Whoever saw a delivery fail queues its retry, so the retry does not wait for the
    minute sweep when its backoff is short."""
    if _wait_seconds() > 0:
        for delivery_id in delivery_ids:
            _enqueue("deliver_retry", delivery_id)


def deliver_retry(delivery_id: int) -> str:
    """Wait (briefly) for a failed delivery's backoff, then try again. The chain ends once
    the backoff outgrows the wait; the sweep takes it from there."""
    outcome = services.delivery_wait_and_send(delivery_id=delivery_id, wait_seconds=_wait_seconds())
    if outcome == services.FAILED:
        _retry_soon([delivery_id])
    return f"delivery {delivery_id}: {outcome}"


def sweep() -> str:
    """Every minute (the `alerts-sweep` schedule) and when a worker starts: run today's
    scan if its task was lost, then retry what is due and finish claims left by a worker
    that died. Bounded by half the task timeout."""
    done = []
    missing = services.daily_run_missing(now=clock.now())
    if missing is not None:
        done.append(services.alerts_scan(today=missing).summary())
    outcomes = services.deliveries_send_due(
        budget_seconds=conf.q_timeout() / 2, wait_seconds=_wait_seconds()
    )
    _retry_soon([i for i, outcome in outcomes.items() if outcome == services.FAILED])
    counts = Counter(outcomes.values())
    done.append(", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "idle")
    return "; ".join(done)


def on_worker_start(sender: object = None, **kwargs: object) -> None:
    """django-q2's `post_spawn` signal: a (re)started worker queues one sweep, so work a
    dead cluster left behind is finished without waiting for the minute schedule."""
    if not conf.get("ALERTS_SWEEP_ON_WORKER_START"):
        return
    try:
        _enqueue("sweep")
    except Exception:  # the broker may be down at start: the minute schedule still runs
        logger.exception("could not queue the alert sweep at worker start")
