"""Test settings: SQLite in memory unless DATABASE_URL names PostgreSQL."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import database_config, env

SECRET_KEY = "test-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# SQLite test databases live in memory; DATABASE_URL runs the same suite on PostgreSQL.
DATABASES = {"default": database_config(env("DATABASE_URL"))}
# No alert schedules from `migrate` and no alert sweep from starting workers: the alerts
# tests pin the day they run for and turn these on where they need them.
ALERTS_SYNC_SCHEDULES_ON_MIGRATE = False
ALERTS_SWEEP_ON_WORKER_START = False
# No export cleanup schedule from `migrate` either (tests/exports run the cleanup), and
# export files in a folder of this test run's own (tests/exports use their tmp_path).
EXPORTS_SYNC_SCHEDULE_ON_MIGRATE = False
# The task in this process's own thread: in sync mode it sees the test's transaction.
EXPORTS_NICE = int(env("EXPORTS_NICE", "0") or 0)
EXPORTS_STORAGE_ROOT = Path(
    env("EXPORTS_STORAGE_ROOT", "")
    or Path(tempfile.gettempdir()) / f"legaltracker-test-exports-{os.getpid()}"
)

# pytest-django empties tables with TRUNCATE after transactional tests; the audit tables
# refuse TRUNCATE unless the session allows it (migration audit 0002). Test databases only;
# appended to the options database_config sets (jit=off), not in their place.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # A test database need not survive a crash: commits do not wait for the disk.
    _options["options"] = (
        _options.get("options", "")
        + " -c legaltracker.allow_audit_truncate=on -c synchronous_commit=off"
    ).strip()

# The API throttle counts in this process only, with rates no ordinary test reaches; the
# throttling tests set their own (tests/api/test_throttling.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
}
API_THROTTLE_RATES = {"anon": "100000/hour", "user": "100000/hour"}
