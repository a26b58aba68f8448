"""The alert settings form."""

from __future__ import annotations

from django import forms

from legaltracker.core.forms import NOT_A_CHOICE, radio_field

from .choices import AlertMode


class AlertSettingsForm(forms.Form):
    mode = radio_field(
        "How do you want to hear about deadlines?",
        AlertMode.choices,
        error="Choose how you want to get alerts.",
        invalid=NOT_A_CHOICE,
    )
