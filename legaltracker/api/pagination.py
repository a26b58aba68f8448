"""Paging of API lists: `?limit=` and `?offset=`, checked like any other input.

DRF's LimitOffsetPagination passes any whole number to the database, where an offset
beyond 64 bits is a 500; here a value that is not a sensible whole number is a 400.
"""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from legaltracker.core.errors import InvalidInput

# Far beyond any row count, and well inside a 64-bit integer once the limit is added.
MAX_OFFSET = 2**62


def _whole_number(raw: str, name: str, *, minimum: int) -> int:
    if not raw.strip():
        raise InvalidInput(
            f"'{name}' is blank: give a whole number of {minimum} or more, or leave it out.",
            field_errors={name: [f"Enter a whole number of {minimum} or more."]},
        )
    if not (raw.isascii() and raw.isdigit()) or not minimum <= int(raw) <= MAX_OFFSET:
        raise InvalidInput(
            f"'{raw[:40]}' is not a valid {name}: send a whole number of {minimum} or more.",
            field_errors={name: [f"Enter a whole number of {minimum} or more."]},
        )
    return int(raw)


class Pagination(LimitOffsetPagination):
    max_limit = 200

    def get_limit(self, request: Request) -> Any:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        return min(_whole_number(raw, self.limit_query_param, minimum=1), self.max_limit)

    def get_offset(self, request: Request) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None:
            return 0
        return _whole_number(raw, self.offset_query_param, minimum=0)
