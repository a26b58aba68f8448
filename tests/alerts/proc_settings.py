"""Settings for the real-process tests (test_processes.py): a qcluster and the helper
commands in separate processes sharing one database (SQLITE_PATH, or DATABASE_URL for
PostgreSQL), a real SMTP server on loopback, and short timeouts so that a test sees a
killed task come back within seconds.

The environment chooses the broker (Q_CLUSTER_BROKER=redis, as in production) and the
rest; see test_processes.py.
"""

import os

from legaltracker.settings.test import *  # noqa: F403

ALERTS_SITE_URL = "https://tracker.example.test"
DEFAULT_FROM_EMAIL = "legal-tracker@example.test"

_timeout = int(os.environ.get("ALERTS_TEST_Q_TIMEOUT", "4"))
Q_CLUSTER = {
    "name": os.environ.get("ALERTS_TEST_Q_NAME", "alerts-test"),
    "workers": int(os.environ.get("ALERTS_TEST_Q_WORKERS", "2")),
    "timeout": _timeout,
    "retry": int(os.environ.get("ALERTS_TEST_Q_RETRY", str(_timeout + 2))),
    "max_attempts": 20,
    "catch_up": False,
    "poll": 0.1,
    "log_level": "INFO",
}
if os.environ.get("Q_CLUSTER_BROKER") == "redis":
    Q_CLUSTER["redis"] = os.environ.get("Q_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/15")
else:
    Q_CLUSTER["orm"] = "default"

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("ALERTS_TEST_SMTP_PORT", "1025"))
EMAIL_TIMEOUT = 2

# Retries every half second to a second, waited for inside the worker (the minute sweep
# is the production path for anything longer).
ALERTS_RETRY_BASE_SECONDS = 0.5
ALERTS_RETRY_MAX_SECONDS = 1
ALERTS_RETRY_WAIT_SECONDS = 1.5
ALERTS_MAX_ATTEMPTS = 40
# The tests pin the day they run for; a schedule would run the real today. A starting
# worker's sweep is what a restarted cluster finishes a dead one's work with.
ALERTS_SYNC_SCHEDULES_ON_MIGRATE = False
ALERTS_SWEEP_ON_WORKER_START = True
