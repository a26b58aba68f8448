"""The alerts pages: notifications, alert settings, the calendar feed and its settings.

Thin views: parse, call one service or selector, render or redirect. The feed itself
needs no session: its secret URL is the only key, and it shows only what its owner may
see.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from legaltracker.audit import recording, requestid
from legaltracker.audit.middleware import UNAVAILABLE_MESSAGE
from legaltracker.core import clock
from legaltracker.core.errors import DomainError, NotFound

from . import conf, feed, selectors, services
from .choices import Level
from .forms import AlertSettingsForm

NEW_FEED_SESSION_KEY = "alerts_new_calendar_token"
FEED_NOT_FOUND = (
    "There is no calendar at this address. If it was your calendar feed, it has been "
    "replaced, turned off, or expired because no calendar read it for a long time: sign "
    "in to the legal tracker and make a new address on your calendar feed page."
)

logger = logging.getLogger(__name__)


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "alerts/list.html",
        {
            "failed": selectors.failed_deliveries_for_page(user),
            "alerts": selectors.alerts_for_user(user),
            "levels": Level,
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    count = services.alerts_mark_read(actor=request.user)
    if count:
        messages.success(request, f"{count} alert{'s' if count != 1 else ''} marked as read.")
    return redirect("alerts:list")


@login_required
@require_POST
def dismiss_delivery(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        services.delivery_dismiss(actor=request.user, delivery_id=delivery_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(
        request, "We will stop trying to send that email. Its alerts stay listed here."
    )
    return redirect("alerts:list")


@login_required
@require_POST
def retry_delivery(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        services.delivery_retry(actor=request.user, delivery_id=delivery_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, "We will try to send that email again now.")
    return redirect("alerts:list")


@login_required
@require_http_methods(["GET", "POST"])
def alert_settings(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = AlertSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.alert_preference_set(actor=request.user, mode=form.cleaned_data["mode"])
            except DomainError as exc:
                for field, errors in exc.field_errors.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, "Your alert settings have been saved.")
                return redirect("alerts:settings")
        status = 400
    else:
        form = AlertSettingsForm(initial={"mode": selectors.preference_for(request.user)})
    return render(
        request,
        "alerts/settings.html",
        {"form": form, "has_feed": selectors.has_calendar_feed(request.user)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("enable", "rotate"):
            try:
                if action == "rotate":
                    token = services.calendar_feed_rotate(actor=request.user)
                else:
                    token = services.calendar_feed_enable(actor=request.user)
            except NotFound as exc:
                return HttpResponse(exc.message, status=400, content_type="text/plain")
            # Shown once, on the next page: only the hash is stored.
            request.session[NEW_FEED_SESSION_KEY] = token
        elif action == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, "Your calendar feed is off. Its address no longer works.")
        else:
            return HttpResponse("Choose an action.", status=400, content_type="text/plain")
        return redirect("alerts:calendar")
    token = request.session.pop(NEW_FEED_SESSION_KEY, None)
    feed_url = webcal_url = None
    if token:
        path = reverse("alerts:calendar_feed", args=[token])
        feed_url = f"{conf.site_url()}{path}"
        webcal_url = "webcal://" + feed_url.split("://", 1)[-1]
    return render(
        request,
        "alerts/calendar.html",
        {
            "has_feed": selectors.has_calendar_feed(request.user),
            "feed_expired": selectors.expired_calendar_feed(request.user),
            "expiry_days": conf.calendar_feed_expiry().days,
            "feed_url": feed_url,
            "webcal_url": webcal_url,
        },
    )


def _unlogged(response: HttpResponse) -> HttpResponse:
    # Django logs 4xx and 5xx responses with their path, and this path holds a secret
    # (the logging filter in legaltracker.core.logging is the second line).
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


# A POST without a CSRF token is refused (403) before this runs, like everywhere; Django
# logs that refusal with the path, which SecretPathFilter rewrites.
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "GET":
        return _unlogged(HttpResponseNotAllowed(["GET"]))
    try:
        read = services.calendar_feed_read(
            token=token, method=request.method, request_id=requestid.for_request(request)
        )
    except DatabaseError:
        logger.exception("Calendar feed not shown: the read could not be done or recorded")
        response = HttpResponse(UNAVAILABLE_MESSAGE, status=503, content_type="text/plain")
        response["Retry-After"] = "60"
        return _unlogged(response)
    if read is None:
        return _unlogged(HttpResponseNotFound(FEED_NOT_FOUND, content_type="text/plain"))
    recording.mark_recorded(request)  # the read's row is the owner's, written above
    domain = conf.site_url().split("://", 1)[-1].split("/", 1)[0]
    body = feed.build_calendar(read.items, stamp=clock.now(), domain=domain)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="legal-tracker.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
