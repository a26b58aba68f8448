"""Forms of the web app that are not case forms: signing in, changing and resetting a
password. Other forms take their fields and widgets from the GOV.UK form kit,
legaltracker/core/forms.py; these are Django's own sign-in and password fields, given
GOV.UK words and attributes (Django's password validators still apply)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

NEW_PASSWORD_HINT = (
    "At least 12 characters. Not a common password, not only numbers and not like your "
    "name, username or email address. A few unrelated words make a good one."
)
MISMATCH = "Enter the same new password twice"


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


def _new_password_fields(form: forms.Form) -> None:
    first = form.fields["new_password1"]
    first.label = "New password"
    first.help_text = NEW_PASSWORD_HINT
    first.error_messages["required"] = "Enter a new password"
    second = form.fields["new_password2"]
    second.label = "Confirm new password"
    second.help_text = ""
    second.error_messages["required"] = "Enter the new password again"
    for field in (first, second):
        field.widget.attrs.update({"autocomplete": "new-password", "spellcheck": "false"})
        field.widget.attrs.pop("autofocus", None)


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        "password_mismatch": MISMATCH,
        "password_incorrect": "Your current password is not right. Enter it again",
    }

    def __init__(self, user: Any, *args: Any, **kwargs: Any):
        super().__init__(user, *args, **kwargs)
        current = self.fields["old_password"]
        current.label = "Current password"
        current.error_messages["required"] = "Enter your current password"
        current.widget.attrs.update({"autocomplete": "current-password"})
        current.widget.attrs.pop("autofocus", None)  # the page's heading comes first
        _new_password_fields(self)


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The work email address your administrator has for you."
        email.error_messages["required"] = "Enter your email address"
        email.error_messages["invalid"] = (
            "Enter an email address in the right format, like name@example.org"
        )
        email.widget.attrs.update({"spellcheck": "false", "autocapitalize": "none"})


class NewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": MISMATCH}

    def __init__(self, user: Any, *args: Any, **kwargs: Any):
        super().__init__(user, *args, **kwargs)
        _new_password_fields(self)
