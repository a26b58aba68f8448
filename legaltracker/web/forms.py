"""Forms of the web app that are not case forms: signing in. Also the widgets other
apps' forms use to get GOV.UK markup that Django's defaults cannot give."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class DateInput(forms.DateInput):
    """A single native date picker (`type="date"`), which the browser reads and writes
    as YYYY-MM-DD whatever the locale; Django's DateField accepts that format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None):
        super().__init__(
            attrs={"class": "govuk-input--width-10", **(attrs or {})}, format=format or "%Y-%m-%d"
        )


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask an administrator to switch it on.",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = "Username"
        username.error_messages["required"] = "Enter your username"
        username.widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        )
        username.widget.attrs.pop("autofocus", None)  # the page's heading comes first
        password = self.fields["password"]
        password.label = "Password"
        password.error_messages["required"] = "Enter your password"
        password.widget.attrs.update({"autocomplete": "current-password"})
