"""The performance reports' filters: a period, a team and a lawyer, read from the query
string so that a report can be bookmarked. One form serves the page, its exports and the
API, so the same parameters give the same figures everywhere (docs/reports.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from legaltracker.accounts.models import Role, Team
from legaltracker.calendars.workingdays import add_months
from legaltracker.cases.permissions import reads_every_team
from legaltracker.core.forms import DATE_INPUT_FORMATS, choice_field

# A longer period is a different question (and a slower one): ask for it in parts.
MAX_PERIOD_YEARS = 5
DATE_HINT = "For example, 1/4/2025"


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 complete months: from the first day of the month a year before this
    one to the last day of last month."""
    first_of_month = today.replace(day=1)
    return add_months(first_of_month, -12), first_of_month - dt.timedelta(days=1)


def _date(label: str, words: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text=DATE_HINT,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"autocomplete": "off", "class": "govuk-input--width-10"}
        ),
        error_messages={"invalid": f"Enter the {words} as a real date, for example 1/4/2025"},
    )


class PerformanceFilterForm(forms.Form):
    """`from` and `to` are Python keywords, so the fields are `from_date` and `to_date`
    and the query string's names are given by `prefix`-free `add_prefix`."""

    from_date = _date("From", "start of the period")
    to_date = _date("To", "end of the period")
    team = forms.ChoiceField(
        label="Team",
        required=False,
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    lawyer = forms.ChoiceField(
        label="Lawyer",
        required=False,
        error_messages={"invalid_choice": "Choose a lawyer from the list"},
    )

    PARAMETERS = {"from_date": "from", "to_date": "to", "team": "team", "lawyer": "lawyer"}

    def __init__(self, data: Any = None, *, user: Any, today: dt.date) -> None:
        super().__init__(data)
        self.user = user
        self.today = today
        self.own_team: Team | None = None
        if reads_every_team(user) or getattr(user, "role", None) == Role.PERFORMANCE_OFFICER:
            teams = list(Team.objects.order_by("name").values_list("code", "name"))
            choice_field(self, "team").choices = [("", "All teams"), *teams]
        else:
            # A team manager sees their own team's figures and no other.
            self.own_team = user.team
            own = [(user.team.code, user.team.name)] if user.team else []
            choice_field(self, "team").choices = [("", "Your team"), *own]
            self.fields["team"].error_messages["invalid_choice"] = (
                "You can see your own team's figures only"
            )
        lawyers = (
            get_user_model()
            .objects.filter(role=Role.LEGAL)
            .order_by("last_name", "first_name", "pk")
            .values_list("pk", "first_name", "last_name", "username")
        )
        choice_field(self, "lawyer").choices = [
            ("", "All lawyers"),
            *[(str(pk), f"{first} {last}".strip() or name) for pk, first, last, name in lawyers],
        ]

    def add_prefix(self, field_name: str) -> str:
        return self.PARAMETERS.get(field_name, field_name)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("from_date"), data.get("to_date")
        default_start, default_end = default_period(self.today)
        if "from_date" in self.errors or "to_date" in self.errors:
            return data
        if start is None:
            start = add_months(end, -12) + dt.timedelta(days=1) if end else default_start
        if end is None:
            given = data.get("from_date") is not None
            end = (
                min(add_months(start, 12) - dt.timedelta(days=1), self.today)
                if given
                else default_end
            )
        if start > self.today:
            self.add_error("from_date", "The start of the period cannot be in the future")
        elif end < start:
            self.add_error("to_date", "The end of the period must be on or after its start")
        elif end > self.today:
            self.add_error("to_date", "The end of the period cannot be in the future")
        elif add_months(start, 12 * MAX_PERIOD_YEARS) <= end:
            self.add_error("to_date", f"Choose a period of at most {MAX_PERIOD_YEARS} years")
        data["from_date"], data["to_date"] = start, end
        return data

    def error_messages(self) -> dict[str, list[str]]:
        """Parameter name -> messages, for the API's 400 body."""
        return {
            self.PARAMETERS.get(name, name): [str(m) for m in messages]
            for name, messages in self.errors.items()
        }

    def filters(self) -> dict[str, Any]:
        """The cleaned filters as JSON values (an export stores them)."""
        data = self.cleaned_data
        team = data.get("team") or (self.own_team.code if self.own_team else "")
        return {
            "from": data["from_date"].isoformat(),
            "to": data["to_date"].isoformat(),
            "team": team or None,
            "lawyer": int(data["lawyer"]) if data.get("lawyer") else None,
        }
