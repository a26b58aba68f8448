"""How often one client may call the API (docs/security.md, "Finding 4"; decision 93 in
docs/decisions.md).

Two throttles: `anon` per client address, `user` per signed-in person or token. Their
rates are settings (LEGALTRACKER_API_THROTTLE_ANON, LEGALTRACKER_API_THROTTLE_USER), read
at each request, and count over fixed windows (an hour for "N/hour", from the hour).

The count of each client and window is kept in the `throttle` cache that every app server
shares (Redis when LEGALTRACKER_CACHE_URL names it, otherwise a table in the database).
A process does not write it for every request: it takes a *lease* of a few requests at a
time (`Leases`), adding the lease to the shared count, and serves that many requests for
the client from memory before it asks again. A lease is at most a hundredth of the rate
(at most 50): with the default 3,000 an hour, one write per 30 requests instead of one per
request; with a rate under 200 an hour, every request is counted in the shared cache as
it comes. The limit holds across processes and servers: a lease is only granted out of
what is left of the rate, so no client is served more than the rate in a window. The
price is the other way: requests leased to one process and not yet used cannot be served
by another, so a client spread over P processes may be refused up to (P - 1) x (lease - 1)
requests before the rate (87 of 3,000 with 4 workers).

DRF checks throttles only after the permission check, so an anonymous request to an
endpoint that needs a sign-in is refused 401 before any throttle sees it. The error
handler therefore counts each such refusal against the `anon` rate (`anonymous_refusal`),
and past the rate answers 429 instead: guessing tokens or filling the logs from one
address stops at the rate.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.utils.module_loading import import_string
from rest_framework import exceptions, throttling

logger = logging.getLogger(__name__)

CACHE_ALIAS = "throttle"
# A lease is at most this share of the rate, and at most MAX_LEASE requests.
LEASE_SHARE = 100
MAX_LEASE = 50
_DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def cache() -> Any:
    return caches[CACHE_ALIAS]


def client_address(request: Any) -> str:
    """The address the sign-in throttle uses too (AXES_CLIENT_IP_CALLABLE: X-Forwarded-For
    only from trusted proxies), named by setting so that this kit imports no app."""
    return import_string(settings.AXES_CLIENT_IP_CALLABLE)(request) or "unknown"


def rate(scope: str) -> str | None:
    return settings.API_THROTTLE_RATES.get(scope)


def parse_rate(text: str) -> tuple[int, int]:
    """A rate, "N/second|minute|hour|day", as (N, seconds), as DRF reads it."""
    number, period = text.split("/")
    return int(number), _DURATIONS[period[0]]


def lease_size(limit: int) -> int:
    return max(1, min(MAX_LEASE, limit // LEASE_SHARE))


def take_lease(shared: Any, key: str, limit: int, duration: int) -> int:
    """Add a lease to the shared count of `key` and return how many requests of it may be
    served (0: the rate is used up). Redis adds atomically; the database cache reads and
    writes, so two processes leasing for one client at the same instant may both be
    granted from the same remainder, as DRF's own throttle could."""
    size = lease_size(limit)
    timeout = duration + 60
    if isinstance(shared, DatabaseCache):
        # No atomic add here: read and write (its `incr` would also cut the expiry to the
        # default five minutes, forgetting the count within the window).
        counted = (shared.get(key) or 0) + size
        shared.set(key, counted, timeout=timeout)
    elif shared.add(key, size, timeout=timeout):
        counted = size
    else:
        try:
            counted = shared.incr(key, size)
        except ValueError:  # expired between the two calls
            shared.add(key, size, timeout=timeout)
            counted = size
    return max(0, min(size, limit - (counted - size)))


class Leases:
    """The requests this process may still serve, per client and window, without asking
    the shared cache. One per process (`LEASES`); the tests make more to stand for other
    processes."""

    MAX_KEYS = 10_000

    def __init__(self) -> None:
        self._left: dict[tuple[str, int, int, int], int] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._left.clear()

    def allow(self, shared: Any, key: str, limit: int, duration: int, now: float) -> bool:
        window = int(now // duration)
        mine = (key, limit, duration, window)
        with self._lock:
            left = self._left.get(mine, 0)
            if left > 0:
                self._left[mine] = left - 1
                return True
        granted = take_lease(shared, f"{key}:{duration}:{window}", limit, duration)
        if not granted:
            return False
        with self._lock:
            if len(self._left) >= self.MAX_KEYS:
                # Past windows first; then anything (a dropped lease only refuses early).
                self._left = {k: n for k, n in self._left.items() if int(now // k[2]) == k[3]}
                if len(self._left) >= self.MAX_KEYS:
                    self._left.clear()
            self._left[mine] = self._left.get(mine, 0) + granted - 1
        return True


LEASES = Leases()


class _Shared(throttling.BaseThrottle):
    """Rates read from settings at each request; counts leased from the shared cache
    (`Leases`); the client's address as the sign-in throttle sees it."""

    scope = ""
    leases = LEASES

    def __init__(self) -> None:
        self.seconds_left: float | None = None

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        raise NotImplementedError

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def allow_request(self, request: Any, view: Any) -> bool:
        text = rate(self.scope)
        if text is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        limit, duration = parse_rate(text)
        now = time.time()
        self.seconds_left = duration - now % duration
        try:
            return self.leases.allow(cache(), key, limit, duration, now)
        except Exception:
            # The cache is down: serve rather than refuse everyone; the log says why.
            logger.exception("API throttle cache unavailable; request not counted")
            return True

    def wait(self) -> float | None:
        """Seconds until the window ends and the count starts again."""
        return self.seconds_left


class AnonymousThrottle(_Shared):
    scope = "anon"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user is not None and request.user.is_authenticated:
            return None
        return f"throttle_{self.scope}_{self.get_ident(request)}"


class UserThrottle(_Shared):
    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user is None or not request.user.is_authenticated:
            return None  # counted by AnonymousThrottle
        return f"throttle_{self.scope}_{request.user.pk}"


def anonymous_refusal(request: Any, view: Any) -> exceptions.Throttled | None:
    """Count a 401 for a request without valid credentials; past the `anon` rate, the
    Throttled error to answer with instead."""
    throttle = AnonymousThrottle()
    if throttle.allow_request(request, view):
        return None
    return exceptions.Throttled(wait=throttle.wait())
