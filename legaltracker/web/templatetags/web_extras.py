"""Template helpers for the web app's pages: links to other apps' pages, and the
domain's identifiers in words."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from legaltracker.cases.choices import Outcome, Stage
from legaltracker.deadlines.choices import DeadlineStatus, Milestone, Rag

register = template.Library()


@register.simple_tag
def case_url(case_or_id: Any) -> str:
    """The case page's URL (casework:case_detail)."""
    return reverse("casework:case_detail", args=[getattr(case_or_id, "pk", case_or_id)])


def _label(choices: Any, value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value).replace("_", " ")


@register.filter
def stage_label(value: Any) -> str:
    return _label(Stage, value)


@register.filter
def milestone_label(value: Any) -> str:
    return _label(Milestone, value)


@register.filter
def outcome_label(value: Any) -> str:
    return _label(Outcome, value)


@register.filter
def status_label(value: Any) -> str:
    return _label(DeadlineStatus, value)


@register.filter
def rag_label(value: Any) -> str:
    return _label(Rag, value)


@register.filter
def children_names(case: Any) -> str:
    """The children's names, from a prefetched `children` relation."""
    return ", ".join(str(child) for child in case.children.all())
