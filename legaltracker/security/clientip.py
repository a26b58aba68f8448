"""The client's IP address for the sign-in throttle (AXES_CLIENT_IP_CALLABLE).

Directly exposed (LEGALTRACKER_PROXY_COUNT=0, the default): REMOTE_ADDR. Behind N
reverse proxies that each append to X-Forwarded-For: the address the outermost trusted
proxy saw, N entries from the right; entries further left are whatever the client sent
and are never trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    count = settings.LEGALTRACKER_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
