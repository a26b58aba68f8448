"""Reading what the API client sent before a service sees it: ids in the URL, the body and
the optional `version`, for every app's endpoints (each app reads its own list filters).

The services parse and check the domain values themselves (legaltracker.cases.inputs);
this module only makes sure that what reaches them has the shape they expect, so that a
JSON array, a word where an id belongs or a number too big for the database is a 400
with a message, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legaltracker.core.errors import InvalidInput


def object_id(raw: str, *, what: str) -> int:
    """The id from the URL as an int; a non-integer id is a 400. (An id too big for the
    database finds nothing: Django 5 answers an out-of-range integer lookup with no rows.)"""
    if not raw.isascii() or not raw.isdigit():
        raise InvalidInput(
            f"The {what} id must be a whole number, not '{raw[:40]}'.",
            field_errors={"id": [f"Enter the {what}'s id as a whole number."]},
        )
    return int(raw)


def body_object(data: Any) -> dict[str, Any]:
    """The request body, which must be a JSON object."""
    if not isinstance(data, Mapping):
        raise InvalidInput(
            'The request body must be a JSON object, for example {"date": "2026-03-04"}.'
        )
    return dict(data)


def version(body: Mapping[str, Any]) -> int | None:
    """The case version the client read, if it sent one."""
    raw = body.get("version")
    if raw is None:
        return None
    # bool is an int in Python; `true` is not a version.
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise InvalidInput(
            "The version must be the case's version number as you read it (a whole number).",
            field_errors={"version": ["Send the 'version' from the case body, e.g. 3."]},
        )
    return raw
