"""Turns domain and framework errors into `{"detail": ...}` bodies (never a 500), the one
serializer that documents that body in the OpenAPI schema for every app's endpoints, and the
project's error views (`handler404`, `handler500`, ...), which answer JSON under /api/ so
that a client never has to read an HTML page or a traceback (docs/security.md, "Finding 8").
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from legaltracker.core import unavailable
from legaltracker.core.errors import DomainError

from . import throttles


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a sentence for a person, and field errors where they apply."""

    detail = serializers.CharField(help_text="What went wrong, in words a person can act on.")
    # Shadows Serializer.errors on purpose: this serializer only describes the error body
    # in the API schema and never validates anything.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by field name, when particular values were the problem.",
    )


def error_responses(*codes: int) -> dict[int, Any]:
    """The error answers an operation can give (401 always), all with the one Error body."""
    return dict.fromkeys((401, *codes), ErrorSerializer)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # Counted against the anonymous rate: past it, a 429 (legaltracker.api.throttles).
        exc = throttles.anonymous_refusal(context["request"], context.get("view")) or exc
    if isinstance(exc, exceptions.Throttled):
        wait = max(1, int(getattr(exc, "wait", None) or 1))
        response = Response(
            {
                "detail": f"Too many requests. Wait {wait} seconds, then try again. If your "
                "work needs more requests than this, ask the service desk to raise your limit."
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(wait)
        return response
    if isinstance(exc, DomainError):
        # Under ATOMIC_REQUESTS a refused request must leave nothing behind, even what the
        # view did before the service refused.
        set_rollback()
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field_errors:
            body["errors"] = exc.field_errors
        return Response(body, status=exc.status)
    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return Response(
            {"detail": "Some of the values sent are not valid. See errors.", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.ParseError):
        return Response(
            {"detail": "The request body is not valid JSON."}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, Http404):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response(
            {"detail": "You do not have permission to do this."}, status=status.HTTP_403_FORBIDDEN
        )
    return drf_exception_handler(exc, context)


# --- the project's error views: JSON under /api/, the site's pages elsewhere -------------

API_PREFIX = "/api/"
BAD_REQUEST = "The request could not be understood. Check the address and the body you sent."
FORBIDDEN = "You do not have permission to do this."
NOT_FOUND = "There is nothing at this address. Check it against the API schema at /api/v1/schema/."
SERVER_ERROR = (
    "Sorry, something went wrong on the server. Nothing was half-saved: a change is either "
    "saved whole or not at all. Try again later; if it keeps happening, contact the service "
    "desk and give them the X-Request-ID of this response."
)


def _api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _json(detail: str, status_code: int) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status_code)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Saving the session during a database outage raises "session was deleted"
    # (SessionInterrupted, a BadRequest): it was not, the database was away.
    if unavailable.database_unavailable(exception):
        return unavailable.response(request, exception)
    if _api(request):
        return _json(BAD_REQUEST, status.HTTP_400_BAD_REQUEST)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return _json(FORBIDDEN, status.HTTP_403_FORBIDDEN)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return _json(NOT_FOUND, status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """An uncaught exception: Django logs it (with the request id) once this returns; the
    client gets a sentence, never the exception's text. While the database cannot be
    reached, a 503 instead (legaltracker/core/unavailable.py), whatever layer raised."""
    exception = sys.exc_info()[1]
    if unavailable.database_unavailable(exception):
        return unavailable.response(request, exception)
    if _api(request):
        return _json(SERVER_ERROR, status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
