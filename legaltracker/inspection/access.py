"""Who may produce the inspection list: heads of service and performance officers
(`INSPECTION_LIST_ROLES`, docs/domain/roles.md)."""

from __future__ import annotations

from typing import Any

from legaltracker.web.access import INSPECTION_LIST_ROLES, has_role

REFUSED = "The inspection list is for heads of service and performance officers."


def may_produce(user: Any) -> bool:
    return has_role(user, INSPECTION_LIST_ROLES)
