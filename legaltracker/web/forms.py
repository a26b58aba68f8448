"""Forms of the web app that are not case forms: signing in. Other forms take their
fields and widgets from the GOV.UK form kit, legaltracker/core/forms.py; these are
Django's own sign-in fields, given GOV.UK words and attributes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm


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
