"""The board's filters, read from the query string so that a view can be bookmarked.

One form serves the HTML board, its exports and the JSON twin, so that the same URL
parameters give the same rows everywhere. A value that cannot be used is a form error
with a message a person can act on; the valid filters still apply.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from legaltracker.accounts.models import Role, Team
from legaltracker.cases.choices import LEGAL_STAGES
from legaltracker.core.forms import choice_field, select_field, text_field
from legaltracker.core.text import clean_text
from legaltracker.court.models import CourtCentre
from legaltracker.deadlines.choices import Milestone, Rag

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_DUE_WITHIN_DAYS = 366
MAX_SEARCH_TERMS = 5

# sort key -> words for the sort menu; a leading "-" reverses the order.
SORTS: dict[str, str] = {
    "next_deadline": "Next deadline, earliest first",
    "-next_deadline": "Next deadline, latest first",
    "rag": "RAG, red first",
    "-rag": "RAG, green first",
    "weeks": "Weeks in pre-proceedings or since issue, fewest first",
    "-weeks": "Weeks in pre-proceedings or since issue, most first",
    "time_in_stage": "Time in stage, shortest first",
    "-time_in_stage": "Time in stage, longest first",
    "stage": "Stage, legal gateway first",
    "-stage": "Stage, proceedings first",
    "reference": "Reference, A to Z",
    "-reference": "Reference, Z to A",
}
DEFAULT_SORT = "next_deadline"

# Filters that narrow the rows (the others say how to show them).
FILTER_NAMES = (
    "q",
    "stage",
    "team",
    "social_worker",
    "rag",
    "overdue",
    "due_within",
    "milestone",
    "mine",
    "court_centre",
    "judge",
    "at_risk",
    "directions_overdue",
)


def _ticked(value: Any) -> bool:
    if isinstance(value, str):
        return YesNoField.VALUES.get(value.strip().lower(), False)
    return bool(value)


class YesNoCheckbox(forms.CheckboxInput):
    """Hands the field the value as sent (Django's box reads any word as ticked)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, check_test=_ticked)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name, "") if name in data else False


class YesNoField(forms.BooleanField):
    """A tick box that is also an API flag: ticked ("on"), true/false, 1/0, or left out.
    Any other value is an error naming the filter, not a guess (Django's own field reads
    every other word as "yes")."""

    widget = YesNoCheckbox
    VALUES = {"on": True, "true": True, "1": True, "false": False, "0": False, "": False}

    def to_python(self, value: Any) -> bool:
        if isinstance(value, str):
            if value.strip().lower() not in self.VALUES:
                raise forms.ValidationError("Use true or false.", code="invalid")
            return self.VALUES[value.strip().lower()]
        return super().to_python(value)


class BoardFilterForm(forms.Form):
    """Parses the board's GET parameters; `filters()` gives the valid ones."""

    q = text_field(
        "Reference or name",
        required=False,
        max_length=100,
        hint="A case reference, or part of a child's or adult's name",
        messages={"max_length": "Search for 100 characters or fewer."},
    )
    stage = forms.MultipleChoiceField(
        label="Stage",
        required=False,
        choices=[(s.value, s.label) for s in LEGAL_STAGES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose a stage from the list: legal gateway, pre-proceedings, "
            "issue or proceedings."
        },
    )
    team = select_field("Team", error="Choose a team from the list.", required=False, blank=None)
    social_worker = forms.IntegerField(
        label="Social worker",
        required=False,
        min_value=1,
        error_messages={
            "invalid": "Choose a social worker from the list.",
            "min_value": "Choose a social worker from the list.",
        },
    )
    rag = forms.MultipleChoiceField(
        label="RAG status",
        required=False,
        choices=Rag.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose red, amber or green."},
    )
    overdue = YesNoField(label="Only cases with something overdue", required=False)
    # A lawyer's own cases: those allocated to them (docs/decisions.md, 156).
    mine = YesNoField(label="My cases (allocated to me)", required=False)
    court_centre = forms.CharField(
        label="Court",
        required=False,
        max_length=10,
        error_messages={"max_length": "Choose a court from the list."},
    )
    judge = text_field(
        "Judge",
        required=False,
        max_length=100,
        hint="Part of the allocated judge's name",
        messages={"max_length": "Enter 100 characters or fewer of the judge's name."},
    )
    at_risk = YesNoField(label="Only cases at risk (HMCTS's test)", required=False)
    directions_overdue = YesNoField(
        label="Only cases with a council direction overdue", required=False
    )
    due_within = forms.IntegerField(
        label="Due within (days)",
        required=False,
        min_value=0,
        max_value=MAX_DUE_WITHIN_DAYS,
        help_text="Cases with a deadline due from today to this many days ahead",
        error_messages={
            "invalid": f"Enter a number of days from 0 to {MAX_DUE_WITHIN_DAYS}, like 14.",
            "min_value": f"Enter a number of days from 0 to {MAX_DUE_WITHIN_DAYS}, like 14.",
            "max_value": f"Enter a number of days from 0 to {MAX_DUE_WITHIN_DAYS}, like 14.",
        },
    )
    milestone = select_field(
        "Milestone",
        Milestone.choices,
        error="Choose a milestone from the list.",
        required=False,
        blank="Any milestone",
    )
    sort = select_field(
        "Sort by",
        SORTS.items(),
        error="Choose how to sort from the list.",
        required=False,
        blank=None,
    )
    page = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "invalid": "The page must be a whole number, like 2.",
            "min_value": "The page must be 1 or more.",
            "max_value": "There are not that many pages.",
        },
    )
    page_size = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages={
            "invalid": f"The page size must be a whole number from 1 to {MAX_PAGE_SIZE}.",
            "min_value": f"The page size must be a whole number from 1 to {MAX_PAGE_SIZE}.",
            "max_value": f"The page size must be a whole number from 1 to {MAX_PAGE_SIZE}.",
        },
    )

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        self._team_options: list[tuple[str, str, int]] | None = None
        # Read when a team is chosen or the menu is drawn, not for every JSON request.
        choice_field(self, "team").choices = self._team_choices
        self.social_worker_user: Any = None
        self._court_options: list[tuple[str, str]] | None = None

    @property
    def team_options(self) -> list[tuple[str, str, int]]:
        """(code, name, id) of the teams the user may choose, by name."""
        if self._team_options is None:
            teams = Team.objects.order_by("name")
            if self.user.role == Role.TEAM_MANAGER:
                # A team manager's board holds only their team (docs/domain/roles.md).
                teams = teams.filter(pk=self.user.team_id)
            self._team_options = list(teams.values_list("code", "name", "pk"))
        return self._team_options

    def _team_choices(self) -> list[tuple[str, str]]:
        return [("", "All teams")] + [(code, name) for code, name, _ in self.team_options]

    @property
    def court_options(self) -> list[tuple[str, str]]:
        """(code, name) of the courts, by name: read when the menu is drawn."""
        if self._court_options is None:
            self._court_options = list(
                CourtCentre.objects.filter(active=True).order_by("name").values_list("code", "name")
            )
        return self._court_options

    def court_name(self, code: str) -> str:
        return dict(self.court_options).get(code, code)

    @property
    def offers_mine(self) -> bool:
        return bool(getattr(self.user, "role", None) == Role.LEGAL)

    def clean_q(self) -> str:
        return clean_text(self.cleaned_data.get("q") or "")

    def clean_social_worker(self) -> int | None:
        worker_id = self.cleaned_data.get("social_worker")
        if worker_id is None:
            return None
        workers = get_user_model().objects.filter(
            pk=worker_id, role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER]
        )
        if self.user.role == Role.TEAM_MANAGER:
            workers = workers.filter(team_id=self.user.team_id)
        worker = workers.only("id", "team_id", "first_name", "last_name", "username").first()
        if worker is None:
            raise forms.ValidationError("Choose a social worker from the list.")
        self.social_worker_user = worker
        return worker.pk

    def clean_court_centre(self) -> str:
        code = (self.cleaned_data.get("court_centre") or "").strip()
        # Any court that exists, active or not: an old bookmark still filters.
        if code and not CourtCentre.objects.filter(code=code).exists():
            raise forms.ValidationError("Choose a court from the list.")
        return code

    def clean_judge(self) -> str:
        return clean_text(self.cleaned_data.get("judge") or "")

    def clean_sort(self) -> str:
        return self.cleaned_data.get("sort") or DEFAULT_SORT

    def _valid(self, name: str, default: Any = None) -> Any:
        """The cleaned value of one field, or the default when it had an error."""
        if not hasattr(self, "cleaned_data") or name in self.errors:
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "", []) else value

    def filters(self) -> dict[str, Any]:
        """The valid filters and the sort, as `selectors.board_rows` takes them."""
        if not self.is_bound:
            return {"sort": DEFAULT_SORT}
        self.is_valid()
        result = {name: self._valid(name) for name in FILTER_NAMES}
        for flag in ("overdue", "at_risk", "directions_overdue"):
            result[flag] = True if result[flag] else None
        # Only a lawyer has cases allocated; for anyone else the box is not offered.
        result["mine"] = True if result["mine"] and self.offers_mine else None
        result["sort"] = self._valid("sort", DEFAULT_SORT)
        return {name: value for name, value in result.items() if value not in (None, "", [])}

    def page_number(self) -> int:
        return self._valid("page", 1) if self.is_bound else 1

    def rows_per_page(self) -> int:
        return self._valid("page_size", DEFAULT_PAGE_SIZE) if self.is_bound else DEFAULT_PAGE_SIZE

    def team_code(self) -> str:
        return self._valid("team", "")

    def error_messages(self) -> dict[str, list[str]]:
        """Field name -> messages, for the API's 400 body."""
        return {name: [str(m) for m in messages] for name, messages in self.errors.items()}
