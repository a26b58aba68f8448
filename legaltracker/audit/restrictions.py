"""Who manages restricted records.

The rule that a restriction hides a case from everyone not named on it is part of "who
may see a case", in `legaltracker.cases.permissions`; this module says only who may
restrict a case and name the people who may see it.
"""

from __future__ import annotations

from typing import Any

from legaltracker.accounts.models import Role

# Who restricts cases and names the people who may see them. A head of service who is not
# named may still manage the restriction (to name a new team after staff changes) but not
# read the case until they name themselves, which goes into the case's audit trail.
MANAGER_ROLES = frozenset({Role.HEAD_OF_SERVICE})


def may_manage(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in MANAGER_ROLES
    )
