"""Who uses "Find a case" and the team case list (docs/decisions.md, "Finding any case").

Which cases each person then sees is `Case.objects.visible_to` (cases/permissions.py), the
rule every other list applies, restrictions included; this module only says who has a use
for the pages. Administrators see no case, so they get neither page (403), nor the
header's search box.
"""

from __future__ import annotations

from typing import Any

from legaltracker.accounts.models import TEAM_ROLES
from legaltracker.cases.permissions import reads_every_team

# The team case list: social workers and team managers, for their own team.
TEAM_LIST_ROLES = TEAM_ROLES


def _has_role(user: Any, roles: frozenset[str]) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "role", None) in roles
    )


def may_find(user: Any) -> bool:
    """Everyone whose role sees cases: the team roles their team's, the roles that read
    every team (cases/permissions.py) every team's."""
    return _has_role(user, TEAM_ROLES) or reads_every_team(user)


def may_list_team(user: Any) -> bool:
    return _has_role(user, TEAM_LIST_ROLES)
