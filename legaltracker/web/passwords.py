"""Changing a password (signed in) and resetting a forgotten one by email
(docs/security.md, "Changing and resetting a password").

- Change: the current password and the new one twice, Django's validators. This session
  stays signed in (with its second factor); every other session of the account ends.
  The POST is in the access log like every change (the audit middleware), naming the
  account.
- Reset: Django's reset views with the project's pages. The same answer whether or not
  an account has the address; a link works once and for PASSWORD_RESET_TIMEOUT; asking
  is limited per address (and refused while the address is locked out of signing in)
  and per account. Setting the new password ends every session of the account, is in
  the access log, and signs no one in: the person signs in with it, and with their
  authenticator app's code if they have one.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from legaltracker.audit import recording, requestid
from legaltracker.audit.models import AccessOutcome
from legaltracker.security import sessions, throttle

from .forms import ChangePasswordForm, NewPasswordForm, ResetRequestForm

logger = logging.getLogger("legaltracker.security")

# Reset emails asked for: from one address, and for one email address, within the window.
RESET_ADDRESS_LIMIT = 5
RESET_ACCOUNT_LIMIT = 3
RESET_WINDOW_SECONDS = 15 * 60


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # signed in: login_required
    form = ChangePasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            old_key = request.session.session_key
            form.save()
            # Keeps this session (a new key, the same data: the second factor stays).
            update_session_auth_hash(request, user)
            ended = sessions.end_other_sessions(user, keep=request.session, old_key=old_key)
            recording.note(request, object_type="user", object_id=user.pk)
            logger.info("password changed: user %s, %s other session(s) ended", user.pk, ended)
            messages.success(
                request,
                "Your password has been changed. If you were signed in anywhere else, you "
                "have been signed out there.",
            )
            return redirect("web:home")
        return render(request, "registration/password_change.html", {"form": form}, status=400)
    return render(request, "registration/password_change.html", {"form": form})


def _count(key: str) -> int:
    """Add one to a count kept for the window in the cache every app server shares."""
    cache = caches["throttle"]
    cache.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        return int(cache.incr(key))
    except ValueError:  # it expired between the two calls
        cache.set(key, 1, RESET_WINDOW_SECONDS)
        return 1


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().lower().encode()).hexdigest()[:32]


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("web:password_reset_sent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["minutes"] = settings.PASSWORD_RESET_TIMEOUT // 60
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        address = throttle.request_address(request)
        locked_until = throttle.address_locked_until(address)
        if locked_until is not None:
            return self._limited(request, throttle.minutes_left(locked_until))
        if address and _count(f"password-reset:address:{address}") > RESET_ADDRESS_LIMIT:
            return self._limited(request, RESET_WINDOW_SECONDS // 60)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        # Past the limit for one address the email is quietly not sent: the page must
        # not tell whether the address belongs to anyone.
        if _count(f"password-reset:account:{_digest(email)}") <= RESET_ACCOUNT_LIMIT:
            form.save(
                request=self.request,
                from_email=settings.DEFAULT_FROM_EMAIL,
                email_template_name=self.email_template_name,
                subject_template_name=self.subject_template_name,
                extra_email_context={
                    "site_url": settings.ALERTS_SITE_URL.rstrip("/"),
                    "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
                },
            )
        return redirect(self.get_success_url())

    def _limited(self, request: HttpRequest, minutes: int) -> HttpResponse:
        logger.warning("password reset refused for an address over its limit")
        context = {"minutes": minutes}
        return render(request, "registration/password_reset_limited.html", context, status=429)


@never_cache
@require_http_methods(["GET"])
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    context = {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    return render(request, "registration/password_reset_sent.html", context)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = NewPasswordForm
    post_reset_login = False  # signing in stays the sign-in page's (and the second factor's)
    success_url = reverse_lazy("web:sign_in")

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        with transaction.atomic():
            response = super().form_valid(form)
            ended = sessions.end_sessions_of(user)
            recording.access_record(
                actor=user,
                action="web:password_reset_confirm POST",
                status=response.status_code,
                outcome=AccessOutcome.ALLOWED,
                request_id=requestid.for_request(self.request),
                object_type="user",
                object_id=user.pk,
            )
            recording.mark_recorded(self.request)  # one row, also when someone is signed in
        logger.info("password reset by email: user %s, %s session(s) ended", user.pk, ended)
        messages.success(
            self.request,
            "Your password has been changed and you have been signed out everywhere. "
            "Sign in with your new password.",
        )
        return response
