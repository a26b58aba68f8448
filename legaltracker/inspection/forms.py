"""The period of the inspection list: from and to, both dates, to not before from. The
page, the export and the API read it through this one form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms

from legaltracker.core.forms import date_field

# An inspection looks back a few years at most; a longer period is a typing slip.
MAX_PERIOD_YEARS = 10


def year_before(day: dt.date) -> dt.date:
    """The day after the same date a year earlier: with `day`, 12 months to the day."""
    try:
        back = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        back = day.replace(year=day.year - 1, day=28)
    return back + dt.timedelta(days=1)


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 months, to today."""
    return year_before(today), today


class PeriodForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the fields are named in the dict, not as attributes.
        self.fields["from"] = date_field("Start of the period")
        self.fields["to"] = date_field("End of the period")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end:
            if end < start:
                self.add_error("to", "The end of the period must be the same as or after its start")
            elif (end - start).days > 366 * MAX_PERIOD_YEARS:
                self.add_error(
                    "to",
                    f"The period can be {MAX_PERIOD_YEARS} years at most",
                )
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["from"], self.cleaned_data["to"]

    def params(self) -> dict[str, str]:
        """The period as the export job stores it (JSON: ISO dates)."""
        start, end = self.period()
        return {"from": start.isoformat(), "to": end.isoformat()}

    def error_messages(self) -> dict[str, list[str]]:
        return {name: [str(e) for e in errors] for name, errors in self.errors.items()}


def parse(data: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    form = PeriodForm({"from": data.get("from", ""), "to": data.get("to", "")})
    if not form.is_valid():
        return {}, form.error_messages()
    return form.params(), {}


def period_of(params: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    return dt.date.fromisoformat(params["from"]), dt.date.fromisoformat(params["to"])
