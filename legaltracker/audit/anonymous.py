"""Anonymous refusals under /api/, recorded in a bounded way (docs/security.md, "Finding 4").

A request without valid credentials reads nothing, yet each one used to write a permanent
access log row: anyone could grow the append-only table at will. Now the first anonymous
refusal (4xx) from an address in each window (API_ANONYMOUS_AUDIT_WINDOW_SECONDS, default
an hour) writes its row, marked with the window's length; the rest of that window's
refusals from that address write none (the API throttle answers them 429 past its rate
anyway). So the rows are at most one per address per window, however many requests come.

The window is kept in the API throttle's shared cache. Should the cache fail, the row is
written as before: the audit never loses a row for want of a cache.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

from legaltracker.core import clock
from legaltracker.security.clientip import client_ip

from . import conf

logger = logging.getLogger(__name__)

CACHE_ALIAS = "throttle"


def window_seconds() -> int:
    return int(getattr(settings, "API_ANONYMOUS_AUDIT_WINDOW_SECONDS", 3600))


def is_anonymous_api_refusal(request: HttpRequest, response: HttpResponse, actor: Any) -> bool:
    signed_in = bool(actor is not None and getattr(actor, "is_authenticated", False))
    return (
        not signed_in
        and 400 <= response.status_code < 500
        and request.path_info.startswith(conf.api_prefixes())
    )


def first_in_window(request: HttpRequest) -> bool:
    """Whether this is the address's first anonymous refusal in the current window (then
    its row is written). `cache.add` is atomic in every backend, so one request wins."""
    window = window_seconds()
    slot = int(clock.now().timestamp()) // window
    key = f"audit:anonymous-refusal:{client_ip(request) or 'unknown'}:{slot}"
    try:
        return bool(caches[CACHE_ALIAS].add(key, 1, timeout=window))
    except Exception:
        logger.exception("Anonymous refusal window not readable; the row is written")
        return True
