"""Restricted records, as `legaltracker.cases.permissions` asks about them.

A restriction narrows who may see a case; it never widens it: a person named on a
restriction still needs a role and team that may see the case (cases.permissions).
Kept free of imports from `cases` so that the permissions module can call it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from legaltracker.accounts.models import Role

from .models import CaseRestriction, CaseRestrictionAccess

# Who restricts cases and names the people who may see them. A head of service who is not
# named may still manage the restriction (to name a new team after staff changes) but not
# read the case until they name themselves, which goes into the case's audit trail.
MANAGER_ROLES = frozenset({Role.HEAD_OF_SERVICE})


def allows(user: Any, case: Any) -> bool:
    """False when `case` is restricted and `user` is not named on it (one query)."""
    user_id = getattr(user, "pk", None)
    unnamed = CaseRestriction.objects.filter(case_id=case.pk)
    if user_id is not None:
        unnamed = unnamed.exclude(access__user_id=user_id)
    return not unnamed.exists()


def unnamed_case_ids(user: Any) -> QuerySet[Any]:
    """The ids of the restricted cases `user` is not named on, as a subquery."""
    restrictions = CaseRestriction.objects.all()
    user_id = getattr(user, "pk", None)
    if user_id is not None:
        restrictions = restrictions.exclude(
            Exists(
                CaseRestrictionAccess.objects.filter(restriction=OuterRef("pk"), user_id=user_id)
            )
        )
    return restrictions.values("case_id")


def allowed_filter(user: Any) -> Q:
    """The `allows` rule as a filter on a Case queryset (no extra query). The subquery
    does not depend on the outer row, so the database works it out once per query."""
    return ~Q(pk__in=unnamed_case_ids(user))


def filter_allowed(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    return queryset.filter(allowed_filter(user))


def may_manage(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in MANAGER_ROLES
    )
