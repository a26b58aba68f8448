"""The change to legaltracker/cases/permissions.py that restricted records need, as
functions, for the tests to apply until the lead applies the patch itself (the final
report and docs/retention.md give it as a diff). Once `cases.permissions` imports
`legaltracker.audit.restrictions`, conftest stops using this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from legaltracker.accounts.models import ALL_CASES_ROLES
from legaltracker.audit import restrictions
from legaltracker.cases import permissions
from legaltracker.cases.permissions import SW, TM


def role_may_view_case(user: Any, case: Any) -> bool:
    if not permissions._active(user):
        return False
    if user.role in ALL_CASES_ROLES:
        return True
    return user.role in (SW, TM) and permissions.in_case_team(user, case)


def can_view_case(user: Any, case: Any) -> bool:
    return role_may_view_case(user, case) and restrictions.allows(user, case)


def filter_visible_cases(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    if not permissions._active(user):
        return queryset.none()
    if user.role in ALL_CASES_ROLES:
        return restrictions.filter_allowed(queryset, user)
    if user.role in (SW, TM) and user.team_id is not None:
        return restrictions.filter_allowed(queryset.filter(team_id=user.team_id), user)
    return queryset.none()


def applied() -> bool:
    return hasattr(permissions, "restrictions")
