from __future__ import annotations

from django import forms

from . import totp


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits the app shows now, for example 123 456.",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = totp.clean_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError("Enter the code as 6 digits, for example 123 456")
        return code
