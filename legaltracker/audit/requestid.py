"""A request id for every request: on the request, in the `X-Request-ID` response header,
in every log line written while the request runs, and in its access log row, so that a
person's report of a problem ("it said request 3f2c...") leads to the logs and the audit.
"""

from __future__ import annotations

import contextvars
import logging
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import conf

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"

_current: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar(
    "legaltracker_request_id", default=None
)


def current() -> uuid.UUID | None:
    """The id of the request this code runs in, if any."""
    return _current.get()


def for_request(request: HttpRequest) -> uuid.UUID:
    """The request's id; one is made (and kept) if RequestIdMiddleware did not run."""
    request_id = getattr(request, "request_id", None)
    if request_id is None:
        request_id = uuid.uuid4()
        request.request_id = request_id  # type: ignore[attr-defined]
    return request_id


def _incoming(request: HttpRequest) -> uuid.UUID | None:
    if not conf.trust_request_id_header():
        return None
    # Only a well-formed UUID is taken: the header is otherwise free text from outside.
    try:
        return uuid.UUID(request.META.get(_META_KEY, "")[:64])
    except ValueError:
        return None


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that everything after it logs with the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _incoming(request) or uuid.uuid4()
        request.request_id = request_id  # type: ignore[attr-defined]
        # Cleared when the response is closed (`clear`, on request_finished), not here:
        # Django logs a failed request's status after the middleware has returned.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = str(request_id)
        return response


def clear(**kwargs: object) -> None:
    """Receiver for `request_finished`: log lines after the request carry no id."""
    _current.set(None)


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to every log record ("-" outside a request) for the formatter:
    `%(request_id)s`."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _current.get()
        record.request_id = str(request_id) if request_id else "-"
        return True
