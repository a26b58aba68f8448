"""The audit app's settings, each with a default (docs/retention.md explains them).

Read through these functions, not at import time, so that `override_settings` works in
tests and a deployment can change them without touching code.
"""

from __future__ import annotations

from django.conf import settings

from legaltracker.cases.choices import Outcome

# Board exports carry every visible case, and "Find a case" reads any case, closed ones
# too: audited although no id is in their URL (the search notes the ids it showed).
# Pages that list many cases' people or hearings at once are logged even without a case id:
# the board's exports, the search, the court diary's printed list and downloads.
DEFAULT_ALWAYS_AUDITED = (
    "board:export_csv",
    "board:export_xlsx",
    "find:search",
    "court_diary:diary_print",
    "court_diary:diary_csv",
    "court_diary:diary_xlsx",
)
# Care and placement orders make a child looked after, whose records the Care Planning,
# Placement and Case Review (England) Regulations 2010 (reg. 50) keep to their 75th birthday.
DEFAULT_LOOKED_AFTER_OUTCOMES = (Outcome.CARE_ORDER.value, Outcome.PLACEMENT_ORDER.value)


def always_audited_url_names() -> frozenset[str]:
    return frozenset(getattr(settings, "AUDIT_ALWAYS_URL_NAMES", DEFAULT_ALWAYS_AUDITED))


def api_prefixes() -> tuple[str, ...]:
    return tuple(getattr(settings, "AUDIT_API_PREFIXES", ("/api/",)))


def trust_request_id_header() -> bool:
    """Take the id from an incoming `X-Request-ID` (a UUID set by the council's reverse
    proxy) instead of making one: off unless the proxy strips the header from clients."""
    return bool(getattr(settings, "AUDIT_TRUST_REQUEST_ID_HEADER", False))


def retention_years_after_closure() -> int:
    return int(getattr(settings, "RETENTION_YEARS_AFTER_CLOSURE", 25))


def looked_after_until_age() -> int:
    return int(getattr(settings, "RETENTION_LOOKED_AFTER_UNTIL_AGE", 75))


def looked_after_outcomes() -> frozenset[str]:
    return frozenset(
        getattr(settings, "RETENTION_LOOKED_AFTER_OUTCOMES", DEFAULT_LOOKED_AFTER_OUTCOMES)
    )
