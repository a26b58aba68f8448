"""The performance figures as CSV and XLSX (the `performance` export kind).

One row per number on the page (section, figure, row, measure, value), so the file says
what the page says; no case is named (docs/reports.md). The exports app builds the file
in a task as the person who asked, and its job records who, when and the filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.urls import reverse

from legaltracker.accounts.models import Team
from legaltracker.core import clock
from legaltracker.exports import registry
from legaltracker.exports.writers import Cell, Layout
from legaltracker.web.access import PERFORMANCE_REPORT_ROLES, has_role

from .forms import PerformanceFilterForm
from .presentation import figure_rows
from .selectors import performance_report

NAME = "performance"
HEADERS = ["Section", "Figure", "Row", "Measure", "Value"]
REFUSED = (
    "Performance reports are for performance officers, heads of service, team managers "
    "and the legal team."
)


def may_use(user: Any) -> bool:
    return has_role(user, PERFORMANCE_REPORT_ROLES)


def parse(user: Any, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    form = PerformanceFilterForm(
        {k: v for k, v in data.items() if v is not None}, user=user, today=clock.today()
    )
    if not form.is_valid():
        return {}, form.error_messages()
    return form.filters(), {}


def rows(user: Any, params: dict[str, Any], day: dt.date) -> Iterator[Sequence[Cell]]:
    yield from figure_rows(performance_report(user=user, filters=params))


def count(user: Any, params: dict[str, Any], day: dt.date) -> int:
    return len(figure_rows(performance_report(user=user, filters=params)))


def back_url(params: dict[str, Any]) -> str:
    query = {k: v for k, v in params.items() if v is not None}
    return reverse("performance:reports") + (f"?{urlencode(query)}" if query else "")


def describe(params: dict[str, Any]) -> list[str]:
    lines = [f"Period: {params.get('from')} to {params.get('to')}"]
    if params.get("team"):
        team = Team.objects.filter(code=params["team"]).first()
        lines.append(f"Team: {team.name if team else params['team']}")
    if params.get("lawyer"):
        lawyer = get_user_model().objects.filter(pk=params["lawyer"]).first()
        name = (lawyer.get_full_name() or lawyer.username) if lawyer else "no longer listed"
        lines.append(f"Lawyer: {name}")
    return lines


KIND = registry.ExportKind(
    name=NAME,
    label="Performance over time",
    headers=HEADERS,
    may_use=may_use,
    refused_message=REFUSED,
    parse=parse,
    count=count,
    rows=rows,
    file_stem=lambda day: f"performance-{day.isoformat()}",
    back_url=back_url,
    describe=describe,
    sheet_title="Performance",
    layout=Layout(widths={"Section": 34, "Figure": 46, "Row": 40, "Measure": 16}),
)


def register() -> None:
    registry.register(KIND)
