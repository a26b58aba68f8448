"""The API's JSON parser: DRF's, plus a 400 for JSON nested too deeply to decode.

Python's decoder raises RecursionError (not ValueError) for a body such as
`[[[[...]]]]` a few thousand levels deep; DRF would let that through as a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - the body is nested too deeply.") from error
