"""Security middleware: the Content Security Policy, session limits (idle timeout and
absolute cap) and the second factor (docs/security.md, sections 2 and 3).

Order in MIDDLEWARE (settings/base.py): `ContentSecurityPolicyMiddleware` straight after
Django's SecurityMiddleware, so every response gets the header; `SessionLimitsMiddleware`
and `SecondFactorMiddleware` after MessageMiddleware (they leave a message saying why
someone was signed out or sent elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from legaltracker.core import clock

from . import sessions, totp

# No 'unsafe-inline', no 'unsafe-eval', nothing from another origin: the templates have
# no inline scripts, styles or event handlers (GOV.UK Frontend starts from static/js/app.js).
DEFAULT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_header(policy: dict[str, str] | None = None) -> str:
    policy = policy if policy is not None else getattr(settings, "CONTENT_SECURITY_POLICY", None)
    return "; ".join(f"{name} {value}" for name, value in (policy or DEFAULT_POLICY).items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.header = policy_header()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class SessionLimitsMiddleware:
    """End a session after SESSION_COOKIE_AGE seconds without a request (idle timeout) or
    SESSION_ABSOLUTE_AGE seconds after signing in (absolute cap), whatever the cookie
    says: the session is flushed server-side and the person signs in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = self._expired(request)
            if reason:
                logout(request)
                if not _is_api(request):
                    messages.info(request, reason)
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> str | None:
        session = request.session
        now = clock.now().timestamp()
        signed_in_at = session.setdefault(sessions.SIGNED_IN_AT, now)
        last_seen = session.get(sessions.LAST_SEEN, now)
        if now - signed_in_at > settings.SESSION_ABSOLUTE_AGE:
            hours = settings.SESSION_ABSOLUTE_AGE / 3600
            return (
                f"You have been signed out: sessions last at most {hours:g} hours. Sign in again."
            )
        if now - last_seen > settings.SESSION_COOKIE_AGE:
            minutes = settings.SESSION_COOKIE_AGE // 60
            return (
                f"You have been signed out after {minutes} minutes without activity. Sign in again."
            )
        session[sessions.LAST_SEEN] = now
        return None


# Paths a person who still owes a second factor may reach.
def _open_paths() -> tuple[str, ...]:
    return (
        reverse("security:two_factor_verify"),
        reverse("security:two_factor_setup"),
        reverse("web:sign_out"),
        reverse("security:healthz"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


class SecondFactorMiddleware:
    """After the password, a person with an authenticator app must enter a code; an
    administrator without one must set one up before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not sessions.second_factor_done(request.session, user)
            and not request.path.startswith(_open_paths())
        ):
            has_device = totp.has_confirmed_device(user)
            if has_device or totp.requires_second_factor(user):
                return self._refuse(request, has_device)
            # Nothing more to ask of this person in this session: say so once, so later
            # requests need no query.
            sessions.mark_second_factor(request.session, user)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, has_device: bool) -> HttpResponse:
        if _is_api(request):
            return JsonResponse(
                {"detail": "Enter the code from your authenticator app first."}, status=403
            )
        name = "security:two_factor_verify" if has_device else "security:two_factor_setup"
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
