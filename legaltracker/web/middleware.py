"""Keep signed-in pages out of every cache.

A page shown to a signed-in person carries children's and parents' details. Browsers
keep copies of pages for the back button and shared machines are common in council
offices, so every response to an authenticated user says `no-store`: after sign-out,
Back shows nothing that was on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    """Set `Cache-Control: no-store` on every response to an authenticated user.

    Goes after `AuthenticationMiddleware` in MIDDLEWARE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read before the view runs: signing out replaces request.user with an anonymous
        # user, yet the page that did it was still shown to a signed-in person.
        was_authenticated = _is_authenticated(request)
        response = self.get_response(request)
        if was_authenticated or _is_authenticated(request):
            # Replaced, not merged: a max-age set by a view must not survive beside it.
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


def _is_authenticated(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
