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


def stalled_after() -> dt.timedelta:
    """A running export whose progress has not moved for this long is shown as stopped
    (its worker died); longer than the cluster's task timeout."""
    timeout = int(getattr(settings, "Q_CLUSTER", {}).get("timeout", 120) or 120)
    return dt.timedelta(seconds=timeout + 60)


def sync_schedule_on_migrate() -> bool:
    return bool(getattr(settings, "EXPORTS_SYNC_SCHEDULE_ON_MIGRATE", True))
