"""A meeting, hearing or issue date on a weekend or a bank holiday asks for a confirmation
(docs/domain/deadlines.md, "Dates that make sense").

Such a date is usually a slip of the keyboard (a Sunday typed for a Monday), and it moves
every deadline counted from it; but hearings are listed on a Saturday now and then, and a
family meeting can be held on a weekend. So the form does not refuse the date: it stops
once, names the day ("Sunday 6 December 2026 is a weekend"), and shows a box to tick that
says the date is right. Ticked, the same date is accepted.

The API asks the same through `confirm_non_working_day: true` in the request's body
(`refuse_unconfirmed`, called by the services when the API asks). Imported rows carry the
dates of an existing record and are not asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms

from legaltracker.calendars.services import get_calendar
from legaltracker.core.errors import InvalidInput

from .choices import EventKind, Transition

CONFIRM_FIELD = "confirm_non_working_day"

# The transitions whose date is the day of a meeting or of the issue.
TRANSITION_DATES: dict[str, dict[str, str]] = {
    Transition.GATEWAY_CONTINUE_PLAN: {"date": "gateway meeting"},
    Transition.GATEWAY_ENTER_PRE_PROCEEDINGS: {"date": "gateway meeting"},
    Transition.GATEWAY_ISSUE: {"date": "gateway meeting"},
    Transition.ISSUE_PROCEEDINGS: {"date": "issue of the application"},
}

# The recorded events whose dates are the day of a meeting or a hearing.
EVENT_DATES: dict[str, dict[str, str]] = {
    EventKind.FGDM_HELD: {"date": "family group meeting"},
    EventKind.INITIAL_MEETING_HELD: {"date": "meeting"},
    EventKind.REVIEW_MEETING_HELD: {"date": "meeting"},
    EventKind.HEARING_HELD: {"date": "hearing"},
    EventKind.HEARING_LISTED: {"hearing_date": "hearing"},
}


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def non_working_reason(day: dt.date, calendar: Any) -> str:
    """ "" for a working day, else why it is not one: "a weekend" or the holiday's name."""
    if calendar.is_working_day(day):
        return ""
    holiday = calendar.holidays(day.year).get(day)
    return f"a bank holiday ({holiday})" if holiday else "a weekend"


def off_days(dates: Mapping[str, tuple[dt.date | None, str]]) -> dict[str, str]:
    """{field: message} for each date in `dates` ({field: (date, what happened)}) that
    falls on a weekend or bank holiday."""
    present = {name: pair for name, pair in dates.items() if pair[0] is not None}
    if not present:
        return {}
    calendar = get_calendar()
    messages = {}
    for name, (day, what) in present.items():
        assert day is not None
        reason = non_working_reason(day, calendar)
        if reason:
            messages[name] = (
                f"{long_date(day)} is {reason}. Check the date of the {what}: if it is "
                f"right, tick the box to confirm it and save again."
            )
    return messages


class ConfirmsNonWorkingDays(forms.Form):
    """Adds the confirmation box to a form whose `confirm_dates` ({field: what happened})
    name the dates to check. The box shows only once it has been asked for (or was
    ticked), right after the first checked date."""

    confirm_dates: dict[str, str] = {}
    asks_confirmation = False
    # A correction asks only about a date it changes (the old one was confirmed then).
    asks_for_unchanged_dates = True

    def add_confirmation(self, confirm_dates: dict[str, str]) -> None:
        self.confirm_dates = confirm_dates
        if not confirm_dates:
            return
        self.fields[CONFIRM_FIELD] = forms.BooleanField(
            label="Yes, the date is right",
            required=False,
        )
        # Right after the first checked date, so the box sits by the message.
        names = list(self.fields)
        names.remove(CONFIRM_FIELD)
        first = next(iter(confirm_dates))
        names.insert(names.index(first) + 1 if first in names else len(names), CONFIRM_FIELD)
        self.order_fields(names)

    @property
    def shows_confirmation(self) -> bool:
        return CONFIRM_FIELD in self.fields and (
            self.asks_confirmation or (self.is_bound and bool(self.data.get(CONFIRM_FIELD)))
        )

    def visible_fields(self) -> list[Any]:
        return [
            field
            for field in super().visible_fields()
            if field.name != CONFIRM_FIELD or self.shows_confirmation
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        if not self.confirm_dates or cleaned.get(CONFIRM_FIELD):
            return cleaned
        dates = {
            name: (cleaned.get(name), what)
            for name, what in self.confirm_dates.items()
            if self.asks_for_unchanged_dates or cleaned.get(name) != self.initial.get(name)
        }
        for name, message in off_days(dates).items():
            self.asks_confirmation = True
            self.add_error(name, message)
        return cleaned


def refuse_unconfirmed(dates: Mapping[str, tuple[dt.date | None, str]], data: Any) -> None:
    """The API's twin of the form's box: refuse (400, one message per date) unless the body
    says `"confirm_non_working_day": true`."""
    if isinstance(data, Mapping) and data.get(CONFIRM_FIELD) is True:
        return
    refusals = {
        name: [
            message.replace(
                "tick the box to confirm it and save again",
                f'send it again with "{CONFIRM_FIELD}": true',
            )
        ]
        for name, message in off_days(dates).items()
    }
    if refusals:
        first = next(iter(refusals.values()))[0]
        raise InvalidInput(first, field_errors=refusals)
