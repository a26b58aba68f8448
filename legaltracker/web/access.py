"""Which roles use which page of the web app (docs/domain/roles.md).

Case-level access (team, role) stays in `legaltracker.cases.permissions`; this module
only says which pages a role has a use for. Who may open the board is
`legaltracker.board.permissions`.
"""

from __future__ import annotations

from legaltracker.accounts.models import Role

# My work: people who carry or supervise a caseload.
MY_WORK_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
# Reports: roles that read across teams, and team managers for their own team.
REPORTS_ROLES = frozenset(
    {Role.COURT_LIAISON_OFFICER, Role.LEGAL, Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER}
)

# The census return (its page and exports): the council's performance team and the heads
# of service who sign it off (docs/census.md).
CENSUS_ROLES = frozenset({Role.PERFORMANCE_OFFICER, Role.HEAD_OF_SERVICE})
# The performance reports (figures for a period, no case pages).
PERFORMANCE_REPORT_ROLES = frozenset(
    {Role.PERFORMANCE_OFFICER, Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER, Role.LEGAL}
)
# The inspection list of every child in pre-proceedings or proceedings in a period.
INSPECTION_LIST_ROLES = frozenset({Role.HEAD_OF_SERVICE, Role.PERFORMANCE_OFFICER})

# Approvals: who approves letters (team managers, the legal team: letters.permissions) or
# decides extension requests (heads of service: cases.permissions).
APPROVALS_ROLES = frozenset({Role.TEAM_MANAGER, Role.LEGAL, Role.HEAD_OF_SERVICE})


def url_if_built(name: str) -> str:
    """The URL of a named page, or "" when no such page is installed (the figures pages
    are separate apps: a link to one that is absent is left out, not a 500)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def has_role(user: object, roles: frozenset[str]) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) in roles
    )
