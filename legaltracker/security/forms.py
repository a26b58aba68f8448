from __future__ import annotations

from django import forms

from legaltracker.core.forms import text_field

from . import totp


class CodeForm(forms.Form):
    code = text_field(
        "Code from your authenticator app",
        hint="The 6 digits the app shows now, for example 123 456.",
        max_length=20,
        error="Enter the 6-digit code from your authenticator app",
        width="10",
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )

    def clean_code(self) -> str:
        code = totp.clean_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError("Enter the code as 6 digits, for example 123 456")
        return code
