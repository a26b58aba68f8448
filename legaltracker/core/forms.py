"""The GOV.UK form kit: the field constructors every web form in the project uses, so
that a date, a text box, a set of radios or a select reads and fails the same way on
every page.

The markup itself comes from the GOV.UK templates in templates/django/forms/ (with the
`govuk_forms` tags); these constructors only choose the widget, the width class, the
accepted input and the messages a person sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404

from .errors import Conflict, DomainError, NotFound, NotPermitted

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

# Day/month/year first (what people type), then the other spellings people use.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%m-%Y", "%d.%m.%Y"]
DATE_HINT = "For example, 27/3/2026"

# Django's own words for a value that is not one of the choices, for the forms that
# keep them (a choice that is not offered is a forged or stale request, not a typo).
NOT_A_CHOICE = forms.ChoiceField.default_error_messages["invalid_choice"]


def _lower_first(label: str) -> str:
    return f"{label[0].lower()}{label[1:]}"


class DateInput(forms.DateInput):
    """A single native date picker (`type="date"`), which the browser reads and writes
    as YYYY-MM-DD whatever the locale; Django's DateField accepts that format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None):
        super().__init__(
            attrs={"class": "govuk-input--width-10", **(attrs or {})}, format=format or "%Y-%m-%d"
        )


def date_field(label: str, *, required: bool = True, hint: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=hint,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"autocomplete": "off", "class": "govuk-input--width-10"}
        ),
        error_messages={
            "required": f"Enter the {_lower_first(label)}",
            "invalid": "Enter a real date, for example 27/3/2026",
        },
    )


def text_field(
    label: str,
    *,
    required: bool = True,
    hint: str = "",
    max_length: int | None = None,
    long: bool = False,
    rows: int = 5,
    error: str = "",
    width: str = "",
    strip: bool = True,
    attrs: Mapping[str, str] | None = None,
    messages: Mapping[str, str] | None = None,
) -> forms.CharField:
    """A text input (`width`: a GOV.UK width class suffix such as "10" or "20") or, when
    `long`, a textarea of `rows` rows. `error` replaces "Enter the <label>"."""
    if long:
        widget: forms.Widget = forms.Textarea(attrs={"rows": rows})
    else:
        widget = forms.TextInput(
            attrs={**({"class": f"govuk-input--width-{width}"} if width else {}), **(attrs or {})}
        )
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        max_length=max_length,
        strip=strip,
        widget=widget,
        error_messages={
            "required": error or f"Enter the {_lower_first(label)}",
            **(messages or {}),
        },
    )


def radio_field(
    label: str,
    choices: Iterable[Any] = (),
    *,
    error: str,
    required: bool = True,
    invalid: _StrOrPromise | None = None,
) -> forms.ChoiceField:
    """Radios; `error` is the message when none is chosen and, unless `invalid` says
    otherwise, when the value sent is not one of the choices."""
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": error, "invalid_choice": invalid or error},
    )


def select_field(
    label: str,
    choices: Iterable[Any] = (),
    *,
    error: str,
    required: bool = True,
    blank: str | None = "Choose",
) -> forms.ChoiceField:
    """A select whose first option is `blank` (none when `blank` is None)."""
    return forms.ChoiceField(
        label=label,
        choices=[*([("", blank)] if blank is not None else []), *list(choices)],
        required=required,
        error_messages={"required": error, "invalid_choice": error},
    )


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, a choice field: typed so, to set or read its choices."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


# --- forms that call a service ------------------------------------------------------------


class ServiceForm(forms.Form):
    """A form whose cleaned data goes to one service; the service's refusal (a
    `DomainError`) comes back onto the form, each message on its field where the form has
    one, else at the top."""

    def service_data(self) -> dict[str, Any]:
        raise NotImplementedError

    def route_error(self, key: str, message: str) -> tuple[str | None, str]:
        """The form field a service error belongs to (None: the whole form)."""
        return (key if key in self.fields else None), message

    def apply_domain_error(self, err: DomainError) -> None:
        # A form made only to carry the message (nothing was posted to it, as for a Remove
        # button) has not been cleaned, and add_error needs cleaned_data.
        self.full_clean()
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        if not err.field_errors:
            self._add_once(None, err.message)
            return
        for key, messages in err.field_errors.items():
            for message in messages:
                self._add_once(*self.route_error(key, message))

    def _add_once(self, name: str | None, message: str) -> None:
        if message not in self.errors.get(name or NON_FIELD_ERRORS, []):
            self.add_error(name, message)


def refusal_status(form: ServiceForm, err: DomainError) -> int:
    """Put a service's refusal on the form and return the status to show it again with:
    409 when the case changed meanwhile, else 400. A refusal for the person's role is a
    403 page and a record they may not see a 404 page, never a form error."""
    if isinstance(err, NotPermitted):
        raise PermissionDenied(err.message)
    if isinstance(err, NotFound) and not err.field_errors:
        raise Http404(err.message)
    form.apply_domain_error(err)
    return 409 if isinstance(err, Conflict) else 400
