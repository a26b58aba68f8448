"""Settings for the real-process tests (test_restart_processes.py): gunicorn serving a
copy of a seeded PostgreSQL database named by DATABASE_URL, with the shipped connection
settings (database_config: connections kept 60 seconds, health checks on)."""

from legaltracker.settings.test import *  # noqa: F403

DEBUG = False
# Plain lines on stderr, read by the test when something fails.
LOGGING["handlers"]["console"]["formatter"] = "plain"  # noqa: F405
