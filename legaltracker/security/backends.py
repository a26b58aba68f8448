"""The sign-in throttle's authentication backend."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class ThrottleBackend(AxesStandaloneBackend):
    """django-axes' backend, which refuses a locked-out username before the password is
    checked. Every sign-in over the web (the sign-in page, the admin's) passes the
    request; a call without one comes from code on the server (a management command,
    a test), which no one outside can reach, and goes on to the password check."""

    def authenticate(
        self, request: Any, username: Any = None, password: Any = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
