"""The sub-navigation shared by the reports pages: `{% reports_nav current="performance" %}`.

Each link shows to the roles its page serves (legaltracker.web.access); a page whose URL
name does not resolve (not built in this installation) is left out rather than broken.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from legaltracker.web.access import (
    CENSUS_ROLES,
    INSPECTION_LIST_ROLES,
    PERFORMANCE_REPORT_ROLES,
    REPORTS_ROLES,
    has_role,
)

register = template.Library()

# (key, words, URL name, roles), in the order they appear.
REPORT_PAGES = (
    ("open", "Open cases now", "web:reports", REPORTS_ROLES),
    ("performance", "Performance over time", "performance:reports", PERFORMANCE_REPORT_ROLES),
    ("census", "Census return", "census:return", CENSUS_ROLES),
    ("inspection", "Inspection list", "inspection:list", INSPECTION_LIST_ROLES),
)


def report_links(user: Any, current: str) -> list[dict[str, Any]]:
    links = []
    for key, words, name, roles in REPORT_PAGES:
        if not has_role(user, roles):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        links.append({"key": key, "words": words, "url": url, "current": key == current})
    return links


@register.inclusion_tag("web/_reports_nav.html", takes_context=True)
def reports_nav(context: dict[str, Any], current: str = "") -> dict[str, Any]:
    request = context.get("request")
    return {"links": report_links(getattr(request, "user", None), current)}
