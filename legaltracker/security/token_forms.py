"""The form on the API tokens page."""

from __future__ import annotations

from django import forms

from legaltracker.api import tokens
from legaltracker.core.forms import text_field


class TokenForm(forms.Form):
    name = text_field(
        "Name",
        hint="What the token is for, for example the script or the system that uses it",
        max_length=tokens.MAX_NAME,
        width="20",
        error="Give the token a name",
    )
    days = forms.IntegerField(
        label="Days until it expires",
        required=False,
        min_value=1,
        max_value=tokens.MAX_DAYS,
        help_text=f"From 1 to {tokens.MAX_DAYS}; leave empty for the usual length",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "invalid": f"Enter a whole number of days from 1 to {tokens.MAX_DAYS}",
            "min_value": f"Enter a whole number of days from 1 to {tokens.MAX_DAYS}",
            "max_value": f"Enter a whole number of days from 1 to {tokens.MAX_DAYS}",
        },
    )
