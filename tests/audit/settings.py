"""Test settings with the audit app wired in exactly as the lead is asked to wire it into
the project's settings (docs/retention.md, "Wiring"); once the project's settings have
these lines, this module only repeats them.

Use: `pytest tests/audit --ds=tests.audit.settings`.
"""

from legaltracker.settings.test import *  # noqa: F403
from legaltracker.settings.test import DATABASES, INSTALLED_APPS, LOGGING, MIDDLEWARE

if "legaltracker.audit" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "legaltracker.audit"]

if "legaltracker.audit.requestid.RequestIdMiddleware" not in MIDDLEWARE:
    MIDDLEWARE = ["legaltracker.audit.requestid.RequestIdMiddleware", *MIDDLEWARE]
if "legaltracker.audit.middleware.AccessAuditMiddleware" not in MIDDLEWARE:
    _after = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    MIDDLEWARE = [
        *MIDDLEWARE[:_after],
        "legaltracker.audit.middleware.AccessAuditMiddleware",
        *MIDDLEWARE[_after:],
    ]

# pytest-django empties tables with TRUNCATE after transactional tests; the audit
# tables refuse TRUNCATE unless the session says otherwise (test databases only).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c legaltracker.allow_audit_truncate=on"
    )

LOGGING["filters"] = {"request_id": {"()": "legaltracker.audit.requestid.RequestIdLogFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
LOGGING["formatters"]["plain"]["format"] = (
    "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
)

RETENTION_YEARS_AFTER_CLOSURE = 25
RETENTION_LOOKED_AFTER_UNTIL_AGE = 75
