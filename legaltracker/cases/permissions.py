"""Who may see and do what (docs/domain/roles.md). Deny by default.

Team roles (social worker, team manager) act on their own team's cases; the legal team,
the court liaison officer and the head of service read every case; administrators
configure the system and see no case. A restricted case (legaltracker.audit) is seen
only by the people named on it, on top of those rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from legaltracker.accounts.models import ALL_CASES_ROLES, Role
from legaltracker.audit import restrictions

from .choices import EventKind

if TYPE_CHECKING:
    from .models import Case

SW, TM, HOS = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE
LEGAL, CLO = Role.LEGAL, Role.COURT_LIAISON_OFFICER

# transition -> (roles that may act on their own team's cases, roles that may act on any)
TRANSITION_ROLES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "refer_to_gateway": (frozenset({SW, TM}), frozenset({HOS})),
    "gateway_continue_plan": (frozenset(), frozenset({HOS, LEGAL})),
    "gateway_enter_pre_proceedings": (frozenset(), frozenset({HOS, LEGAL})),
    "gateway_issue": (frozenset(), frozenset({HOS, LEGAL})),
    "extend_pre_proceedings": (frozenset({TM}), frozenset({HOS, LEGAL})),
    "step_down": (frozenset({TM}), frozenset({HOS})),
    "escalate_to_gateway": (frozenset({SW, TM}), frozenset({HOS, LEGAL})),
    "issue_proceedings": (frozenset(), frozenset({LEGAL})),
    "extend_timetable": (frozenset(), frozenset({LEGAL})),
    "conclude_proceedings": (frozenset(), frozenset({LEGAL})),
    "close": (frozenset(), frozenset({HOS})),
}

# Who may approve an extension (the approver named on it, not the person recording it).
EXTENSION_APPROVER_ROLES = {
    "extend_pre_proceedings": frozenset({HOS}),
    "extend_timetable": frozenset({HOS, LEGAL}),
}

_TEAM_EVENT_KINDS = frozenset(EventKind.values) - {EventKind.MANAGEMENT_OVERSIGHT}
_COURT_EVENT_KINDS = frozenset(
    {
        EventKind.HEARING_LISTED,
        EventKind.HEARING_HELD,
        EventKind.PARTIES_SERVED,
        EventKind.DOCUMENT_READY,
        EventKind.NOTE,
    }
)
# event kind sets by role: (own team's cases, any case)
EVENT_ROLES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    SW: (_TEAM_EVENT_KINDS, frozenset()),
    TM: (frozenset(EventKind.values), frozenset()),
    HOS: (frozenset(), frozenset(EventKind.values)),
    LEGAL: (
        frozenset(),
        _COURT_EVENT_KINDS
        | {EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, EventKind.LETTER_OF_ISSUE_SENT},
    ),
    CLO: (frozenset(), _COURT_EVENT_KINDS - {EventKind.DOCUMENT_READY}),
}


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def in_case_team(user: Any, case: Case) -> bool:
    return _active(user) and user.team_id is not None and user.team_id == case.team_id


def role_may_view_case(user: Any, case: Case) -> bool:
    """The role and team rule alone, before any restriction on the case."""
    if not _active(user):
        return False
    if user.role in ALL_CASES_ROLES:
        return True
    return user.role in (SW, TM) and in_case_team(user, case)


def can_view_case(user: Any, case: Case) -> bool:
    return role_may_view_case(user, case) and restrictions.allows(user, case)


def filter_visible_cases(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    if not _active(user):
        return queryset.none()
    if user.role in ALL_CASES_ROLES:
        return restrictions.filter_allowed(queryset, user)
    if user.role in (SW, TM) and user.team_id is not None:
        return restrictions.filter_allowed(queryset.filter(team_id=user.team_id), user)
    return queryset.none()


def can_create_case(user: Any, team_id: int) -> bool:
    if not _active(user):
        return False
    if user.role == HOS:
        return True
    return user.role in (SW, TM) and user.team_id == team_id


def may_transition(name: str, case: Case, user: Any) -> bool:
    if not _active(user) or name not in TRANSITION_ROLES:
        return False
    team_roles, any_roles = TRANSITION_ROLES[name]
    if user.role in any_roles:
        return True
    return user.role in team_roles and in_case_team(user, case)


def transition_permission(name: str) -> Callable[[Case, Any], bool]:
    """The `permission=` callable django-fsm-2 calls with (instance, user)."""

    def check(case: Case, user: Any) -> bool:
        return may_transition(name, case, user)

    check.__name__ = f"may_{name}"
    return check


def may_record_event(kind: str, case: Case, user: Any) -> bool:
    if not _active(user) or user.role not in EVENT_ROLES:
        return False
    team_kinds, any_kinds = EVENT_ROLES[user.role]
    if kind in any_kinds:
        return True
    return kind in team_kinds and in_case_team(user, case)
