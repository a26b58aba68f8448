"""Settings for the real-process test (test_processes.py): a qcluster and the helper
commands in separate processes sharing one database (SQLITE_PATH, or DATABASE_URL for
PostgreSQL) and one folder of export files."""

import os

from legaltracker.settings.test import *  # noqa: F403

Q_CLUSTER = {
    "name": os.environ.get("EXPORTS_TEST_Q_NAME", "exports-test"),
    "workers": 2,
    "timeout": 60,
    "retry": 90,
    "max_attempts": 3,
    "catch_up": False,
    "poll": 0.1,
    "log_level": "INFO",
    "orm": "default",
}
EXPORTS_STORAGE_ROOT = os.environ["EXPORTS_TEST_STORAGE"]
# As shipped: the build in a thread of lower priority (legaltracker/exports/tasks.py).
EXPORTS_NICE = 10
