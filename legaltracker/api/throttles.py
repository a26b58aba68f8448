"""How often one client may call the API (docs/security.md, "Finding 4").

Two DRF throttles, counted in the `throttle` cache that every app server shares (Redis when
LEGALTRACKER_CACHE_URL names it, otherwise a table in the database): `anon` per client
address, `user` per signed-in person or token. Their rates are settings
(LEGALTRACKER_API_THROTTLE_ANON, LEGALTRACKER_API_THROTTLE_USER), read at each request.

DRF checks throttles only after the permission check, so an anonymous request to an
endpoint that needs a sign-in is refused 401 before any throttle sees it. The error
handler therefore counts each such refusal against the `anon` rate (`anonymous_refusal`),
and past the rate answers 429 instead: guessing tokens or filling the logs from one
address stops at the rate.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils.module_loading import import_string
from rest_framework import exceptions, throttling

logger = logging.getLogger(__name__)

CACHE_ALIAS = "throttle"


def cache() -> Any:
    return caches[CACHE_ALIAS]


def client_address(request: Any) -> str:
    """The address the sign-in throttle uses too (AXES_CLIENT_IP_CALLABLE: X-Forwarded-For
    only from trusted proxies), named by setting so that this kit imports no app."""
    return import_string(settings.AXES_CLIENT_IP_CALLABLE)(request) or "unknown"


def rate(scope: str) -> str | None:
    return settings.API_THROTTLE_RATES.get(scope)


class _Shared(throttling.SimpleRateThrottle):
    """Rates read from settings at each request; counts kept in the shared cache; the
    client's address as the sign-in throttle sees it."""

    def __init__(self) -> None:
        self.cache = cache()
        super().__init__()

    def get_rate(self) -> str | None:
        return rate(self.scope) if self.scope else None

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:
            # The cache is down: serve rather than refuse everyone; the log says why.
            logger.exception("API throttle cache unavailable; request not counted")
            return True


class AnonymousThrottle(_Shared):
    scope = "anon"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user is not None and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_Shared):
    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user is None or not request.user.is_authenticated:
            return None  # counted by AnonymousThrottle
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def anonymous_refusal(request: Any, view: Any) -> exceptions.Throttled | None:
    """Count a 401 for a request without valid credentials; past the `anon` rate, the
    Throttled error to answer with instead."""
    throttle = AnonymousThrottle()
    if throttle.allow_request(request, view):
        return None
    return exceptions.Throttled(wait=throttle.wait())
