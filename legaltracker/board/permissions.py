"""Who may open the tracker board (docs/domain/roles.md).

The court liaison officer, the legal team and the head of service see every case on the
board; a team manager sees their own team's. Social workers use "My work" instead, and
administrators see no case, so both are refused (403) rather than shown an empty board.
"""

from __future__ import annotations

from typing import Any

from legaltracker.accounts.models import Role

BOARD_ROLES = frozenset(
    {Role.COURT_LIAISON_OFFICER, Role.LEGAL, Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER}
)


def may_view_board(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in BOARD_ROLES
    )
