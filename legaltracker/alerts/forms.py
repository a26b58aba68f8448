"""The alert settings form."""

from __future__ import annotations

from django import forms

from .choices import AlertMode


class AlertSettingsForm(forms.Form):
    mode = forms.ChoiceField(
        label="How do you want to hear about deadlines?",
        choices=AlertMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you want to get alerts."},
    )
