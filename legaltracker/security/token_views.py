"""The API tokens page (/account/api-tokens/): a person lists, makes and revokes their
own tokens. Making one needs a recent second-factor check where they have an
authenticator app; the key is shown once, on the page that answers the form."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from legaltracker.api import tokens
from legaltracker.api.models import ApiToken
from legaltracker.core import clock
from legaltracker.core.errors import DomainError, NotFound

from . import sessions, totp
from .token_forms import TokenForm


def second_factor_minutes() -> int:
    return int(getattr(settings, "LEGALTRACKER_API_TOKEN_SECOND_FACTOR_MINUTES", 15))


def second_factor_recent(request: Any) -> bool:
    """Whether this person may make a token now: they have no authenticator app, or they
    entered a code in the last few minutes (in this session)."""
    user = request.user
    if not totp.has_confirmed_device(user):
        return True
    checked_at = sessions.second_factor_at(request.session, user)
    if checked_at is None:
        return False
    age = clock.now().timestamp() - checked_at
    return 0 <= age <= second_factor_minutes() * 60


def _page(request: HttpRequest, form: TokenForm, status: int = 200, **extra: Any) -> HttpResponse:
    now = clock.now()
    rows = [
        (token, token.status_at(now))
        for token in ApiToken.objects.filter(user_id=request.user.pk or 0).order_by(
            "-created_at", "-id"
        )
    ]
    context = {
        "form": form,
        "rows": rows,
        "default_days": tokens.default_days(),
        "minutes": second_factor_minutes(),
        "check_needed": not second_factor_recent(request),
        "verify_url": _verify_url(),
        **extra,
    }
    return render(request, "api/tokens.html", context, status=status)


def _verify_url() -> str:
    query = urlencode({"again": "1", "next": reverse("api_tokens:list")})
    return f"{reverse('security:two_factor_verify')}?{query}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TokenForm())
    if not second_factor_recent(request):
        messages.info(
            request,
            f"Enter a code from your authenticator app first: making an API token needs a "
            f"check in the last {second_factor_minutes()} minutes.",
        )
        return redirect(_verify_url())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        token, key = tokens.token_issue(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
    except DomainError as err:
        for name, problems in err.field_errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        if not err.field_errors:
            form.add_error(None, err.message)
        return _page(request, form, status=400)
    return _page(request, TokenForm(), new_token=token, new_key=key)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = tokens.token_revoke(token_id=token_id, actor=request.user)
    except NotFound as err:
        raise Http404(err.message) from err
    messages.success(request, f"The token {token.name} is revoked: it no longer works.")
    return redirect("api_tokens:list")
