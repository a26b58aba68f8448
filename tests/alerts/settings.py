"""Test settings with the alerts app wired in exactly as docs/alerts.md asks the project's
settings to do (until they do; then this module only repeats them).

Use: `pytest tests/alerts --ds=tests.alerts.settings`.
"""

from legaltracker.settings.test import *  # noqa: F403
from legaltracker.settings.test import INSTALLED_APPS, TEMPLATES

if "legaltracker.alerts" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "legaltracker.alerts"]

_processors = TEMPLATES[0]["OPTIONS"]["context_processors"]
if "legaltracker.alerts.context_processors.alerts" not in _processors:
    _processors.append("legaltracker.alerts.context_processors.alerts")

ALERTS_SITE_URL = "https://tracker.example.test"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = "legal-tracker@example.test"
# As docs/alerts.md asks of the project's test settings: no alert schedules or sweeps in
# other suites' clusters. The tests that need them turn them on.
ALERTS_SYNC_SCHEDULES_ON_MIGRATE = False
ALERTS_SWEEP_ON_WORKER_START = False
