"""Parsing and checking of the values a person sends with a transition or an event.

The same parser serves the API (JSON) and the web forms (POST data), so that both get
the same field errors. Text is cleaned of characters that cannot be stored or put in a
letter (legaltracker.core.text).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model

from legaltracker.core import clock
from legaltracker.core.errors import InvalidInput
from legaltracker.core.text import clean_text

MAX_TEXT = 20_000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Plausible dates and sane list sizes (docs/security.md, "Finding 9"): far outside any real
# case, close enough that a mistyped year is caught and that no body makes the server parse
# or store tens of thousands of rows, or compute deadlines thousands of years away.
EARLIEST_DATE = dt.date(1900, 1, 1)
YEARS_AHEAD = 5
MAX_CHILDREN = 20
MAX_ADULTS = 20
MAX_ATTENDEES = 30


class Fields:
    """Reads values from a mapping, collecting every error before raising once."""

    def __init__(self, data: Mapping[str, Any] | None, *, actor: Any = None):
        if data is not None and not isinstance(data, Mapping):
            raise InvalidInput("The request body must be a JSON object.")
        self.data = data or {}
        # The person sending the values: an approval can only be their own.
        self.actor = actor
        self.errors: dict[str, list[str]] = {}

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def _raw(self, name: str) -> Any:
        value = self.data.get(name)
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def date(
        self,
        name: str = "date",
        *,
        required: bool = True,
        not_future: bool = True,
        not_before: dt.date | None = None,
        not_before_label: str = "",
        not_after: dt.date | None = None,
        not_after_label: str = "",
    ) -> dt.date | None:
        """A date in the form YYYY-MM-DD. Every date is from 1900 on; one that may lie ahead
        (`not_future=False`) is at most YEARS_AHEAD years ahead unless `not_after` says
        sooner."""
        raw = self._raw(name)
        if raw is None:
            if required:
                self.error(name, "Enter a date in the form YYYY-MM-DD.")
            return None
        if isinstance(raw, dt.datetime) or not isinstance(raw, dt.date | str):
            self.error(name, "Enter a date in the form YYYY-MM-DD.")
            return None
        # fromisoformat alone would also take "20260304" or "2026-W10-3".
        if isinstance(raw, str) and not _ISO_DATE.fullmatch(raw.strip()):
            self.error(name, "Enter a date in the form YYYY-MM-DD.")
            return None
        try:
            day = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(raw.strip())
        except ValueError:
            self.error(name, "Enter a real date in the form YYYY-MM-DD.")
            return None
        today = clock.today()
        if day < EARLIEST_DATE:
            self.error(name, "Enter a date from 1900 onwards: check the year.")
            return None
        if not_future and day > today:
            self.error(name, "The date cannot be in the future: record what has happened.")
        if not not_future:
            latest = not_after or years_after(today, YEARS_AHEAD)
            label = not_after_label if not_after else f"{YEARS_AHEAD} years from today"
            if day > latest:
                self.error(
                    name, f"The date cannot be after {label} ({latest:%d %B %Y}): check the year."
                )
        if not_before is not None and day < not_before:
            self.error(
                name, f"The date cannot be before {not_before_label} ({not_before:%d %B %Y})."
            )
        return day

    def text(self, name: str, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
        raw = self._raw(name)
        if raw is None:
            if required:
                self.error(name, "This cannot be blank.")
            return ""
        if not isinstance(raw, str):
            self.error(name, "Enter text.")
            return ""
        value = clean_text(raw)
        if required and not value:
            self.error(name, "This cannot be blank.")
        if len(value) > max_length:
            self.error(name, f"Keep this to {max_length} characters or fewer.")
        return value

    def choice(self, name: str, choices: Any, *, required: bool = True) -> str:
        raw = self._raw(name)
        allowed = list(choices.values) if hasattr(choices, "values") else list(choices)
        if raw is None:
            if required:
                self.error(name, "Choose one of: " + ", ".join(allowed) + ".")
            return ""
        if raw not in allowed:
            self.error(name, f"'{raw}' is not one of: " + ", ".join(allowed) + ".")
            return ""
        return str(raw)

    def boolean(self, name: str, *, default: bool = False) -> bool:
        raw = self.data.get(name)
        if raw is None or raw == "":
            return default
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in {"true", "on", "yes", "1"}:
            return True
        if isinstance(raw, str) and raw.lower() in {"false", "off", "no", "0"}:
            return False
        self.error(name, "Enter true or false.")
        return default

    def user(self, name: str, *, roles: frozenset[str], role_words: str) -> Any:
        raw = self._raw(name)
        if raw is None:
            self.error(name, f"Name the {role_words} (their username).")
            return None
        user = get_user_model().objects.filter(username=str(raw), is_active=True).first()
        if user is None:
            self.error(name, f"There is no active user '{raw}'.")
            return None
        if user.role not in roles:
            self.error(name, f"{user.display_name} is not a {role_words}.")
            return None
        return user

    def too_many(self, name: str, items: Any, limit: int, words: str) -> bool:
        """Whether a list is longer than `limit` (then with an error), checked before any
        item is read."""
        if isinstance(items, list | tuple) and len(items) > limit:
            self.error(
                name,
                f"Send at most {limit} {words}; this request had {len(items)}. "
                "If a case really needs more, contact the service desk.",
            )
            return True
        return False

    def check(self) -> None:
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            raise InvalidInput(
                "Some of the values are missing or not valid: " + first, field_errors=self.errors
            )


def id_or_none(raw: Any) -> int | None:
    """A record's id as sent: a positive JSON integer or a string of the ASCII digits 0-9.
    Anything else is None (str.isdigit() alone takes "²" or Arabic-Indic digits, which
    int() then refuses or reads differently)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if raw > 0 else None
    if isinstance(raw, str):
        text = raw.strip()
        if text.isascii() and text.isdigit() and int(text) > 0:
            return int(text)
    return None


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def years_before(day: dt.date, years: int) -> dt.date:
    return years_after(day, -years)
