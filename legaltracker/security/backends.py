"""The sign-in throttle's authentication backend."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied

from . import throttle


class ThrottleBackend(AxesStandaloneBackend):
    """django-axes' backend, which refuses a locked-out username before the password is
    checked, and before it the per-address limit (an address with too many failed
    sign-ins, whatever the username: docs/security.md, "Password spraying"). Every sign-in
    over the web (the sign-in page, the admin's) passes the request; a call without one
    comes from code on the server (a management command, a test), which no one outside
    can reach, and goes on to the password check."""

    def authenticate(
        self, request: Any, username: Any = None, password: Any = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        until = throttle.address_locked_until(throttle.request_address(request))
        if until is not None:
            # django-axes' middleware then answers with AXES_LOCKOUT_CALLABLE, which reads
            # this attribute to say why.
            request.security_address_locked_until = until
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("This address is locked out of signing in.")
        return super().authenticate(request, username, password, **kwargs)
