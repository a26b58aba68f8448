"""Tags for the GOV.UK Frontend form templates in templates/django/forms/.

Django passes a widget's attributes as a dict whose keys have hyphens
(`aria-invalid`), which the template language cannot read; `govuk_attrs` writes the
attributes with the GOV.UK class for the element and its error modifier.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The GOV.UK classes that have an --error modifier.
_ERROR_MODIFIERS = {"govuk-input", "govuk-textarea", "govuk-select", "govuk-file-upload"}


@register.simple_tag
def govuk_attrs(widget: dict[str, Any], base_class: str = "") -> SafeString:
    """The attributes of `widget` (id, required, aria-*, ...) with `class` set to
    `base_class`, its `--error` modifier when the field has an error, and any class the
    form gave the widget."""
    attrs = dict(widget.get("attrs") or {})
    classes = [base_class] if base_class else []
    if base_class in _ERROR_MODIFIERS and attrs.get("aria-invalid") in (True, "true"):
        classes.append(f"{base_class}--error")
    classes.extend(str(attrs.pop("class", "") or "").split())
    if classes:
        attrs = {"class": " ".join(dict.fromkeys(classes)), **attrs}
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, value))
    return mark_safe("".join(parts))  # noqa: S308 - each part was escaped by format_html


@register.filter
def govuk_group_classes(field: Any) -> str:
    """The form group's classes: GOV.UK's error state when the field has errors."""
    return "govuk-form-group govuk-form-group--error" if field.errors else "govuk-form-group"
