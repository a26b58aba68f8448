"""Structured logs: one JSON object a line, with ids and never personal data.

Only the record's own fields go out: time, level, logger, message, the request id when a
filter has put one on the record (`request_id`, from the audit trail's
RequestIdLogFilter), the HTTP status and the exception's type and traceback. Extra
attributes other code attaches (Django's request logger attaches the whole request, with
its cookies and form data) are deliberately not written. Messages themselves carry ids
only: that is the house rule for every log call (docs/security.md).

One path holds a secret: the calendar feed's address (`/alerts/calendar/<token>.ics`).
`SecretPathFilter` (on every handler in LOGGING) and `GunicornLogger` (gunicorn's
access log, docs/operations.md) write it as `/alerts/calendar/[token].ics` whatever logs
it: Django's request logger, the development server, a traceback, a proxy's referrer.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

from gunicorn.glogging import Logger as _GunicornBaseLogger  # type: ignore[import-untyped]

# The feed's path segment: anything up to ".ics" after "/calendar/" (the token is
# URL-safe base64, but an address typed wrongly is no less private).
_FEED_TOKEN = re.compile(r"(/calendar/)[^/\s?#\"']+(\.ics)")
REDACTED = r"\1[token]\2"


def redact(text: str) -> str:
    """`text` with every calendar feed token replaced by "[token]"."""
    return _FEED_TOKEN.sub(REDACTED, text) if "/calendar/" in text else text


class SecretPathFilter(logging.Filter):
    """Rewrites a record's message (and its traceback text) without feed tokens. A
    handler filter, so that records propagated from any logger pass through it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the formatter's problem, not this one's
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class GunicornLogger(_GunicornBaseLogger):
    """gunicorn's logger with feed tokens taken out of every access log field (the
    path, the request line, the referrer)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            entry["status"] = status
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            # The filters may have cleaned the text already (SecretPathFilter).
            entry["traceback"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
