"""What every page's layout needs: the council's name and the navigation for the
signed-in person's role (by role: Board, Court diary, My cases, My work, Team cases,
Approvals, Reports, Performance, Census return, Restrictions, Retention review, Subject
access, Admin; the header's account links are in templates/base.html)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from legaltracker.accounts.models import BOARD_ROLES, Role
from legaltracker.audit import restrictions
from legaltracker.audit.services import may_handle_subject_access
from legaltracker.find.access import may_find, may_list_team
from legaltracker.imports.services import may_import

from .access import APPROVALS_ROLES, MY_WORK_ROLES, REPORTS_ROLES, url_if_built
from .selectors import approvals_count

DEFAULT_COUNCIL_NAME = "Eastbrook Borough Council"
SERVICE_NAME = "Legal tracker"


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def _section(request: HttpRequest) -> str:
    """The navigation section of the current page: 'board', 'my_work', 'reports',
    'restrictions', 'retention', 'subject_access', 'imports', 'admin', 'census' or
    'performance' (the performance reports and the inspection list)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.namespace == "board":
        return "board"
    if match.namespace == "court_diary":
        return "my_cases" if match.url_name == "my_cases" else "court_diary"
    if match.namespace == "find" and match.url_name == "team":
        return "team_cases"
    if match.namespace == "web" and match.url_name in {"my_work", "reports", "approvals"}:
        return match.url_name
    if match.namespace in {"admin", "imports"}:
        return match.namespace
    if match.namespace in {"performance", "inspection", "census"}:
        # A performance officer has "Performance" and "Census return" in the navigation;
        # everyone else reaches these pages through Reports (templatetags/reports_nav.py).
        if getattr(getattr(request, "user", None), "role", None) != Role.PERFORMANCE_OFFICER:
            return "reports"
        return "census" if match.namespace == "census" else "performance"
    if match.namespace == "audit":
        name = match.url_name or ""
        for section in ("restriction", "retention", "subject_access"):
            if name.startswith(section):
                return "restrictions" if section == "restriction" else section
    return ""


def navigation(user: Any, section: str = "") -> list[NavItem]:
    """The header links a person in this role may follow, in a fixed order."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    role = getattr(user, "role", "")
    items = []
    if role in BOARD_ROLES:
        items.append(NavItem("Board", reverse("board:board"), section == "board"))
    if role in BOARD_ROLES and role != Role.TEAM_MANAGER:
        # The roles that read every case; a team manager reaches their team's diary
        # from the board.
        items.append(NavItem("Court diary", reverse("court_diary:diary"), section == "court_diary"))
    if role == Role.LEGAL:
        items.append(NavItem("My cases", reverse("court_diary:my_cases"), section == "my_cases"))
    if role in MY_WORK_ROLES:
        items.append(NavItem("My work", reverse("web:my_work"), section == "my_work"))
    if may_list_team(user):
        items.append(NavItem("Team cases", reverse("find:team"), section == "team_cases"))
    if role in APPROVALS_ROLES:
        # The count is what waits for this person (two COUNT queries a page).
        waiting = approvals_count(user)
        label = f"Approvals ({waiting})" if waiting else "Approvals"
        items.append(NavItem(label, reverse("web:approvals"), section == "approvals"))
    if role in REPORTS_ROLES:
        items.append(NavItem("Reports", reverse("web:reports"), section == "reports"))
    if role == Role.PERFORMANCE_OFFICER:
        # Figures only, never a case (docs/domain/roles.md); a figures page not installed
        # is left out.
        for label, name, current in (
            ("Performance", "performance:reports", "performance"),
            ("Census return", "census:return", "census"),
        ):
            if url := url_if_built(name):
                items.append(NavItem(label, url, section == current))
    # The audit pages, for the people the pages themselves let in (legaltracker/audit).
    if restrictions.may_manage(user):
        items.append(
            NavItem("Restrictions", reverse("audit:restrictions"), section == "restrictions")
        )
        items.append(
            NavItem("Retention review", reverse("audit:retention"), section == "retention")
        )
    if may_import(user):
        items.append(NavItem("Import", reverse("imports:upload"), section == "imports"))
    if may_handle_subject_access(user):
        items.append(
            NavItem("Subject access", reverse("audit:subject_access"), section == "subject_access")
        )
    if role == Role.ADMINISTRATOR:
        items.append(NavItem("Admin", reverse("admin:index"), section == "admin"))
    return items


def layout(request: HttpRequest) -> dict[str, Any]:
    """Add `council_name`, `service_name`, `nav_items` and, for the people who may find
    cases, `find_url` (the header's search box) to every template context."""
    user = getattr(request, "user", None)
    return {
        "find_url": reverse("find:search") if may_find(user) else "",
        "council_name": getattr(settings, "LEGALTRACKER_COUNCIL_NAME", "") or DEFAULT_COUNCIL_NAME,
        "service_name": SERVICE_NAME,
        "nav_items": navigation(user, _section(request)),
    }
