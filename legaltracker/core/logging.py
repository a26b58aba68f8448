"""Structured logs: one JSON object a line, with ids and never personal data.

Only the record's own fields go out: time, level, logger, message, the request id when a
filter has put one on the record (`request_id`, from the audit trail's
RequestIdLogFilter), the HTTP status and the exception's type and traceback. Extra
attributes other code attaches (Django's request logger attaches the whole request, with
its cookies and form data) are deliberately not written. Messages themselves carry ids
only: that is the house rule for every log call (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import json
import logging


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
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
