"""Forms for the subject access, restriction and retention pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core import signing

from legaltracker.accounts.models import Role
from legaltracker.core.forms import ServiceForm, date_field, radio_field, text_field

from .models import RetentionChoice

_PERSON_KEY = re.compile(r"^(child|adult):(\d{1,18})$")
# The search's results travel to the export signed, so that only what the search found
# can be exported (docs/security.md, subject access export).
SEARCH_SALT = "legaltracker.audit.subject_access.results"
SEARCH_MAX_AGE = 2 * 60 * 60
SEARCH_EXPIRED = (
    "These search results have expired or were changed. Search again and choose from the "
    "new results."
)
NOT_IN_RESULTS = "Choose only from the results of your search. Search again and choose from them."


def search_sign(*, user: Any, keys: list[str]) -> str:
    """The search's results (`child:<id>` and `adult:<id>`), signed for the person who
    searched: ids only, never the names typed."""
    return signing.dumps({"user": user.pk, "keys": sorted(keys)}, salt=SEARCH_SALT, compress=True)


def _search_keys(token: str, user: Any) -> list[str] | None:
    try:
        found = signing.loads(token, salt=SEARCH_SALT, max_age=SEARCH_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(found, dict) or found.get("user") != getattr(user, "pk", None):
        return None
    keys = found.get("keys")
    if not isinstance(keys, list):
        return None
    return [key for key in keys if isinstance(key, str) and _PERSON_KEY.match(key)]


class SubjectSearchForm(forms.Form):
    first_name = text_field("First name", required=False, width="20")
    last_name = text_field("Last name", required=False, width="20")
    date_of_birth = date_field(
        "Date of birth (children only)", required=False, hint="For example, 27/3/2015"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("first_name") or data.get("last_name") or data.get("date_of_birth")):
            raise forms.ValidationError("Enter a name or a date of birth to search for.")
        return data


class SubjectExportForm(ServiceForm):
    """The rows chosen from the search results, as `child:<id>` and `adult:<id>`, with the
    signed results of the search (`search`): a row the search did not find is refused."""

    search = forms.CharField(widget=forms.HiddenInput, required=False)
    people = forms.MultipleChoiceField(
        label="People to export",
        required=True,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one child or adult from the results.",
            "invalid_choice": NOT_IN_RESULTS,
        },
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, str]] | None = None,
        user: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.MultipleChoiceField)
        self._results_expired = False
        if choices is not None:
            field.choices = choices
            self.initial["search"] = search_sign(user=user, keys=[key for key, _ in choices])
        else:
            # Posted back from the results page: the choices are what the signed search
            # found, for this person; none if the signature is missing, old or another's.
            token = self.data.get("search", "") if hasattr(self.data, "get") else ""
            keys = _search_keys(token, user) if isinstance(token, str) and token else None
            self._results_expired = keys is None
            field.choices = [(key, key) for key in keys or []]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self._results_expired:
            # One message for a missing, altered, expired or someone else's search.
            self.errors.pop("people", None)
            raise forms.ValidationError(SEARCH_EXPIRED)
        return data

    def ids(self) -> tuple[list[int], list[int]]:
        children: list[int] = []
        adults: list[int] = []
        for key in self.cleaned_data["people"]:
            kind, number = _PERSON_KEY.match(key).groups()  # type: ignore[union-attr]
            (children if kind == "child" else adults).append(int(number))
        return children, adults


def _people_choices() -> Any:
    # Administrators see no case, so naming one would give nothing.
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(role=Role.ADMINISTRATOR)
        .order_by("last_name", "first_name", "username")
    )


class _PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class _OnePersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class RestrictForm(ServiceForm):
    reason = text_field(
        "Why is this case restricted?",
        long=True,
        hint="For example, a member of staff is a parent in this case. Do not write names here.",
        error="Give the reason for restricting this case",
    )
    people = _PersonChoice(
        label="Who else may see this case",
        queryset=_people_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="You are named automatically. Naming someone gives them nothing their role "
        "and team would not: it only keeps everyone else out.",
    )


class NamePersonForm(ServiceForm):
    user = _OnePersonChoice(
        label="Name another person",
        queryset=_people_choices(),
        empty_label="Choose a person",
        error_messages={"required": "Choose a person", "invalid_choice": "Choose a person"},
    )


class LiftForm(ServiceForm):
    reason = text_field(
        "Why is the restriction being lifted?",
        long=True,
        error="Give the reason for lifting the restriction",
    )


class RetentionDecisionForm(ServiceForm):
    decision = radio_field("Decision", RetentionChoice.choices, error="Choose retain or destroy")
    reasons = text_field("Reasons", long=True, error="Give the reasons for the decision")
    review_again_on = date_field(
        "Next review date (if retained)", required=False, hint="For example, 1/4/2036"
    )
