"""The answer while the database cannot be reached: a 503, never a 500 (docs/operations.md,
"When the database goes away").

Django turns an exception into a response in every middleware layer, so a database error
raised by the session middleware, django-axes, the access log or a view all reach the
project's error handlers (`handler500`, and `handler400` for the session middleware's
"session was deleted", which it raises when saving the session fails). The handlers in
legaltracker/api/errors.py ask `database_unavailable` about the exception being handled
and, when it is the database being away, answer with `response`:

- under /api/: a JSON 503 in the API's error shape (`{"detail": ...}`) with Retry-After;
- elsewhere: the plain "Sorry, the service is unavailable" page, rendered without a
  request, so that no context processor (the navigation, the alerts count) queries the
  database that is not there.

Nothing here touches the session or the cookies: the person is still signed in when the
database comes back. One log line per request says what happened, with the request id
(added by the logging filter) and no personal data.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist, TemplateSyntaxError, loader

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Seconds a client is asked to wait: a PostgreSQL restart or fail-over takes seconds to a
# minute, and health checks reconnect on the first request after it.
RETRY_AFTER_SECONDS = 30
API_MESSAGE = (
    "Sorry, the service is unavailable: the database cannot be reached. Try again in a few "
    "minutes. A change sent just now may not have been saved: read it back before sending "
    "it again."
)
TEMPLATE = "503.html"
# If even the template cannot be read, this (the same words) is sent.
FALLBACK_PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    "<title>Sorry, the service is unavailable</title></head><body><main>"
    "<h1>Sorry, the service is unavailable</h1><p>Try again in a few minutes.</p>"
    "</main></body></html>"
)
# The database errors that mean "not reachable now" rather than "this request is wrong":
# a refused or dropped connection, a server shutting down, a connection already closed.
_UNAVAILABLE = (OperationalError, InterfaceError)
_LOGGED = "_database_unavailable_logged"


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from or while handling, is the
    database being unreachable. The chain matters: the session middleware raises
    SessionInterrupted while handling UpdateError, itself raised while handling the
    OperationalError of the failed save."""
    return _database_error(exc) is not None


def _database_error(exc: BaseException | None) -> BaseException | None:
    # Django wraps the driver's errors in its own; the driver's are matched too, for the
    # few places (starting a transaction) where one could escape unwrapped.
    driver: Any = connections[DEFAULT_DB_ALIAS].Database  # type: ignore[attr-defined]
    kinds = (*_UNAVAILABLE, driver.OperationalError, driver.InterfaceError)
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kinds):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def response(request: HttpRequest, exc: BaseException | None = None) -> HttpResponse:
    """The 503 for `request`: JSON under /api/, the page elsewhere. Logged once per request
    however many middleware layers answer it."""
    if not getattr(request, _LOGGED, False):
        setattr(request, _LOGGED, True)
        logger.warning(
            "Database unavailable: answered 503 to %s %s (%s)",
            request.method,
            request.path,
            # The class name, never the text: it can name hosts and roles.
            type(_database_error(exc)).__name__ if database_unavailable(exc) else "-",
        )
    if request.path_info.startswith(API_PREFIX):
        answer: HttpResponse = JsonResponse({"detail": API_MESSAGE}, status=503)
    else:
        answer = HttpResponse(_page(), status=503, content_type="text/html; charset=utf-8")
    answer["Retry-After"] = str(RETRY_AFTER_SECONDS)
    answer["Cache-Control"] = "no-store"
    # Django's request logger would add a traceback for every layer: the line above says it.
    answer._has_been_logged = True  # type: ignore[attr-defined]
    return answer


def _page() -> str:
    try:
        # No request: a plain Context, so no context processor runs (they query).
        return loader.render_to_string(TEMPLATE)
    except (TemplateDoesNotExist, TemplateSyntaxError, ValueError):
        # ValueError: a static file missing from the manifest. The error page must not fail.
        return FALLBACK_PAGE
