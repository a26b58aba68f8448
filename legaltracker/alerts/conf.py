"""The alerts app's settings, with their defaults, read in one place.

Every name is listed in docs/alerts.md. The project's settings read them from the
environment; anything not set there falls back to the default here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Absolute base of the links in emails and calendar entries.
    "ALERTS_SITE_URL": "http://localhost:8000",
    # The daily run's local time (Europe/London), "HH:MM".
    "ALERTS_DAILY_TIME": "07:00",
    # "email" (Django's email backend) or "notify" (GOV.UK Notify).
    "ALERTS_CHANNEL": "email",
    # Retries: the wait after the first failure, doubled each time up to the cap.
    "ALERTS_RETRY_BASE_SECONDS": 60,
    "ALERTS_RETRY_MAX_SECONDS": 3600,
    # After this many failed attempts a delivery waits for a person (retry or dismiss).
    "ALERTS_MAX_ATTEMPTS": 12,
    # A delivery task may wait this long in a worker for a retry that is nearly due;
    # longer waits are left to the once-a-minute sweep.
    "ALERTS_RETRY_WAIT_SECONDS": 10,
    # Whether `migrate` syncs the schedules (the `sync_schedules` command always can).
    "ALERTS_SYNC_SCHEDULES_ON_MIGRATE": True,
    # Whether each starting django-q2 worker queues a sweep (recovery without waiting for
    # the minute schedule). Test settings turn both off so that other suites' clusters
    # do not run alert tasks.
    "ALERTS_SWEEP_ON_WORKER_START": True,
    # Subject line prefix, so that mail rules can file alerts.
    "ALERTS_EMAIL_SUBJECT_PREFIX": "Legal tracker",
    # A calendar feed not read for this many days (counted from its last read, or from
    # when it was made) stops working; its owner makes a new address.
    "ALERTS_CALENDAR_FEED_EXPIRY_DAYS": 90,
    "NOTIFY_API_KEY": "",
    "NOTIFY_TEMPLATE_ID": "",
    "NOTIFY_BASE_URL": "https://api.notifications.service.gov.uk",
    "NOTIFY_TIMEOUT_SECONDS": 30,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def daily_time() -> dt.time:
    """The configured daily time; ValueError if it is not "HH:MM"."""
    value = str(get("ALERTS_DAILY_TIME")).strip()
    if not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ValueError(f"not HH:MM: {value!r}")
    return dt.time.fromisoformat(value)


def q_timeout() -> int:
    """django-q2's task timeout: a task (and so a delivery's claim) lasts at most this."""
    return int(settings.Q_CLUSTER.get("timeout") or 60)


def site_url() -> str:
    return str(get("ALERTS_SITE_URL")).rstrip("/")


def calendar_feed_expiry() -> dt.timedelta:
    return dt.timedelta(days=int(get("ALERTS_CALENDAR_FEED_EXPIRY_DAYS")))
