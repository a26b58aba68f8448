"""The exports' settings, each with a default, read when used (so `override_settings`
works in tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings


def storage_root() -> Path:
    """Where export files live: private storage, outside STATIC_ROOT and any media URL;
    the only way to read a file is the job's download view."""
    configured = getattr(settings, "EXPORTS_STORAGE_ROOT", "")
    if configured:
        return Path(configured)
    return Path(settings.PRIVATE_STORAGE_ROOT) / "exports"


def ttl() -> dt.timedelta:
    """How long a finished file can be downloaded (docs/decisions.md, entry 84)."""
    return dt.timedelta(hours=float(getattr(settings, "EXPORTS_TTL_HOURS", 24)))


def max_active_per_person() -> int:
    """Exports one person may have queued or running at once."""
    return int(getattr(settings, "EXPORTS_MAX_ACTIVE_PER_PERSON", 3))


def task_timeout() -> int:
    """Seconds an export's task may run: longer than the cluster's timeout for short
    tasks, and shorter than its `retry`, after which the queue would hand a task still
    running to a second worker."""
    cluster = getattr(settings, "Q_CLUSTER", {})
    timeout = int(cluster.get("timeout", 120) or 120)
    retry = int(cluster.get("retry", 300) or 300)
    return max(timeout, retry - 30)


def stalled_after() -> dt.timedelta:
    """A running export whose progress has not moved for this long is shown as stopped
    (its worker died)."""
    return dt.timedelta(seconds=task_timeout() + 60)


def nice() -> int:
    """How much lower than a web request an export runs (a nice value; 0: the same)."""
    return int(getattr(settings, "EXPORTS_NICE", 10))


def sync_schedule_on_migrate() -> bool:
    return bool(getattr(settings, "EXPORTS_SYNC_SCHEDULE_ON_MIGRATE", True))
