"""Second-factor pages, the lockout page and the load balancer's health check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import sessions, throttle, totp
from .forms import CodeForm
from .models import TotpDevice


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _code_refused(
    request: HttpRequest, form: CodeForm, check: throttle.CodeCheck
) -> HttpResponse | None:
    """A wrong code shows the form again; the one that reaches the limit signs out; while
    the person is locked out, no code is checked and the page says until when."""
    if check.just_locked and check.locked_until is not None:
        logout(request)
        messages.info(
            request,
            "Too many wrong codes: you have been signed out, and no code will be accepted "
            f"for this account for {throttle.minutes_left(check.locked_until)} minutes. "
            "An administrator has been told.",
        )
        return redirect(settings.LOGIN_URL)
    if check.locked_until is not None:
        return _second_factor_locked(request, check.locked_until)
    form.add_error(
        "code", "The code is wrong or has been used already. Enter the code the app shows now"
    )
    return None


def _second_factor_locked(request: HttpRequest, until: Any) -> HttpResponse:
    logout(request)
    context = {"minutes": throttle.minutes_left(until)}
    return render(request, "security/two_factor_locked.html", context, status=429)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the person's authenticator app."""
    user: Any = request.user  # signed in: login_required
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return redirect("security:two_factor_setup")
    # `again`: a step that needs a recent check (making an API token) asks for a code
    # even though this session passed the second factor at sign-in.
    again = bool(request.GET.get("again") or request.POST.get("again"))
    if sessions.second_factor_done(request.session, user) and not again:
        return redirect(_next_url(request))
    locked_until = throttle.second_factor_locked_until(user)
    if locked_until is not None:
        return _second_factor_locked(request, locked_until)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            check = totp.attempt(device, form.cleaned_data["code"], request=request)
            if check.accepted:
                request.session.cycle_key()
                sessions.mark_second_factor(request.session, user)
                return redirect(_next_url(request))
            refused = _code_refused(request, form, check)
            if refused:
                return refused
        status = 400
    context = {"form": form, "next": _next_url(request), "again": again}
    return render(request, "security/two_factor_verify.html", context, status=status)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (required for administrators, optional for others);
    with one set up, a person who may go without turns it off here."""
    user = request.user
    required = totp.requires_second_factor(user)
    device = totp.pending_device(user)
    verified = sessions.second_factor_done(request.session, user)
    if device.confirmed and not verified:
        return redirect("security:two_factor_verify")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        turning_off = request.POST.get("action") == "turn_off"
        if turning_off and (required or not device.confirmed):
            return redirect("security:two_factor_setup")
        if form.is_valid():
            check = totp.attempt(device, form.cleaned_data["code"], request=request)
            if check.accepted and turning_off:
                device.delete()
                messages.success(request, "Two-step verification is off.")
                return redirect("security:two_factor_setup")
            if check.accepted:
                request.session.cycle_key()
                sessions.mark_second_factor(request.session, user)
                messages.success(request, "Two-step verification is on.")
                return redirect(_next_url(request))
            refused = _code_refused(request, form, check)
            if refused:
                return refused
        status = 400
    context: dict[str, Any] = {
        "form": form,
        "device": device,
        "required": required,
        "next": _next_url(request),
    }
    if not device.confirmed:
        context["secret"] = totp.grouped(device.secret)
        context["uri"] = totp.provisioning_uri(device)
    return render(request, "security/two_factor_setup.html", context, status=status)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any):
    """What django-axes answers while a username, or the address whatever the username
    (ThrottleBackend), is locked out (AXES_LOCKOUT_CALLABLE)."""
    address_until = getattr(request, "security_address_locked_until", None)
    if address_until is not None:
        context = {"minutes": throttle.minutes_left(address_until), "address": True}
    else:
        context = {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "security/locked_out.html", context, status=429)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 if the database answers, 503 if not. No sign-in, no
    personal data, never cached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means: take this machine out of service
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
