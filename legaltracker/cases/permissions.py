"""Who may see and do what (docs/domain/roles.md). Deny by default.

The one statement of who may see (open) a case: `can_view_case` for one case,
`filter_visible_cases` (`Case.objects.visible_to`) for a queryset; other apps call these
and none repeats the rule. Team roles (social worker, team manager) act on their own
team's cases; the legal team, the court liaison officer and the head of service read
every case; administrators configure the system and see no case. A restricted case
(legaltracker.audit) is seen only by the people named on it, on top of those rules.
Who may take each transition is on its spec in `transitions.py`, read from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from legaltracker.accounts.models import ALL_CASES_ROLES, Role

from .choices import EventKind

if TYPE_CHECKING:
    from .models import Case
    from .transitions import TransitionSpec

SW, TM, HOS = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE
LEGAL, CLO = Role.LEGAL, Role.COURT_LIAISON_OFFICER

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


def reads_every_team(user: Any) -> bool:
    """A role that reads every team's cases (each restricted case still excepted)."""
    return _active(user) and user.role in ALL_CASES_ROLES


def role_may_view_case(user: Any, case: Case) -> bool:
    """The role and team rule alone, before any restriction on the case."""
    if not _active(user):
        return False
    if reads_every_team(user):
        return True
    return user.role in (SW, TM) and in_case_team(user, case)


# --- restrictions --------------------------------------------------------------------
# A restriction narrows who may see a case and never widens it: a person named on one still
# needs a role and team that may see the case. The restriction rows belong to the audit app
# (which manages them and depends on cases); they are reached here through the case's
# `restriction` relation, so that this rule needs no import from that app.


def _restriction_models() -> tuple[Any, Any]:
    from .models import Case

    restriction = Case._meta.get_field("restriction").related_model
    return restriction, restriction._meta.get_field("access").related_model


def _restriction_allows(user: Any, case: Case) -> bool:
    """False when `case` is restricted and `user` is not named on it (one query)."""
    restriction, _ = _restriction_models()
    user_id = getattr(user, "pk", None)
    unnamed = restriction.objects.filter(case_id=case.pk)
    if user_id is not None:
        unnamed = unnamed.exclude(access__user_id=user_id)
    return not unnamed.exists()


def hidden_case_ids(user: Any) -> QuerySet[Any]:
    """The ids of the restricted cases the user is not named on, as a subquery (also for
    things addressed to the user, such as alerts, about a case restricted since)."""
    restriction, access = _restriction_models()
    rows = restriction.objects.all()
    user_id = getattr(user, "pk", None)
    if user_id is not None:
        rows = rows.exclude(
            Exists(access.objects.filter(restriction=OuterRef("pk"), user_id=user_id))
        )
    ids: QuerySet[Any] = rows.values("case_id")
    return ids


def _restriction_filter(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    # The subquery does not depend on the outer row: the database works it out once.
    return queryset.filter(~Q(pk__in=hidden_case_ids(user)))


def can_view_case(user: Any, case: Case) -> bool:
    return role_may_view_case(user, case) and _restriction_allows(user, case)


def filter_visible_cases(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    if not _active(user):
        return queryset.none()
    if reads_every_team(user):
        return _restriction_filter(queryset, user)
    if user.role in (SW, TM) and user.team_id is not None:
        return _restriction_filter(queryset.filter(team_id=user.team_id), user)
    return queryset.none()


def filter_visible_episodes(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """A family's earlier cases listed on a case page the user may see: every team's,
    so that the family's history stays in view, less the restricted ones the user is
    not named on (only their existence is shown, never their contents)."""
    return _restriction_filter(queryset, user)


def can_create_case(user: Any, team_id: int) -> bool:
    if not _active(user):
        return False
    if user.role == HOS:
        return True
    return user.role in (SW, TM) and user.team_id == team_id


def _transition_specs() -> dict[str, TransitionSpec]:
    # Imported when first asked, not at module load: transitions.py imports the models,
    # and the models import this module for `transition_permission`.
    from .transitions import TRANSITIONS

    return TRANSITIONS


def may_transition(name: str, case: Case, user: Any) -> bool:
    spec = _transition_specs().get(name)
    if not _active(user) or spec is None:
        return False
    if user.role in spec.any_roles:
        return True
    return user.role in spec.team_roles and in_case_team(user, case)


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


# --- the people on a case and who works it (docs/decisions.md, "Fit for a working day") ---


def may_edit_people(user: Any, case: Case) -> bool:
    """Add or change the children and adults: those who work the case, the people who
    may open one for its team (the team's social workers and managers, a head of
    service)."""
    return can_create_case(user, case.team_id)


def may_reassign(user: Any, case: Case) -> bool:
    """Give the case to another social worker: the team's manager or a head of service."""
    if not _active(user):
        return False
    if user.role == HOS:
        return True
    return user.role == TM and in_case_team(user, case)


def may_allocate_lawyer(user: Any, case: Case) -> bool:
    """Allocate or change the case's lawyer: the legal team (who share out their own
    work), a head of service, or the case's team manager (docs/decisions.md, 155)."""
    if not _active(user):
        return False
    if user.role in (LEGAL, HOS):
        return True
    return user.role == TM and in_case_team(user, case)


# --- extension requests ----------------------------------------------------------------
# A team manager asks for a pre-proceedings extension on their own team's case; a head of
# service, who may approve one (the transition's approvers), decides; any team manager of
# the case's team may withdraw a request still waiting (docs/domain/roles.md).


def may_request_extension(case: Case, user: Any) -> bool:
    return _active(user) and user.role == TM and in_case_team(user, case)


def may_decide_extension_request(case: Case, user: Any) -> bool:
    from .choices import Transition

    spec = _transition_specs()[Transition.EXTEND_PRE_PROCEEDINGS]
    return (
        may_transition(Transition.EXTEND_PRE_PROCEEDINGS, case, user)
        and user.role in spec.approvers
    )


def may_withdraw_extension_request(case: Case, user: Any) -> bool:
    return may_request_extension(case, user)


def extension_request_deciders_filter(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """Of `queryset` (extension requests), those this person may decide: for a head of
    service, those on every case they may see; for anyone else, none."""
    from .choices import Transition

    spec = _transition_specs()[Transition.EXTEND_PRE_PROCEEDINGS]
    if not _active(user) or user.role not in spec.approvers or user.role not in spec.any_roles:
        return queryset.none()
    return queryset.filter(case__in=filter_visible_cases(_case_model().objects.all(), user))


def _case_model() -> Any:
    from .models import Case

    return Case
