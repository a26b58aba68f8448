"""Turns domain and framework errors into `{"detail": ...}` bodies (never a 500), and the one
serializer that documents that body in the OpenAPI schema for every app's endpoints."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from legaltracker.core.errors import DomainError


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
