"""Who may do what with the schedule of expectations and letters (docs/domain/roles.md).

- Edit the schedule of expectations: the case's social worker and team manager (their
  own team's cases), a head of service.
- Edit the letter details (concerns, meeting, legal contact): the same, and a lawyer.
- Draft a letter: the case's team, a head of service, a lawyer.
- Approve a letter: the case's team manager, a head of service, or a lawyer.
- Approve a letter that fails an approval check (an override, with a written reason;
  docs/letters-approval.md): the case's team manager or a head of service, never a
  lawyer or a social worker.
- Record that a person checked the Welsh of a Welsh or bilingual letter is plain:
  whoever may draft it.
- Record a letter as sent: whoever may record its case event (letter before proceedings
  sent, letter of issue sent); for the other letters, whoever may draft it.
- Read and download: whoever may see the case.
"""

from __future__ import annotations

from typing import Any

from legaltracker.accounts.models import Role
from legaltracker.cases import permissions as case_permissions

SW, TM, HOS, LEGAL = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.LEGAL


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _team(user: Any, case: Any, roles: set[str]) -> bool:
    return _active(user) and user.role in roles and case_permissions.in_case_team(user, case)


def can_view(user: Any, case: Any) -> bool:
    return case_permissions.can_view_case(user, case)


def may_edit_expectations(user: Any, case: Any) -> bool:
    return _team(user, case, {SW, TM}) or (_active(user) and user.role == HOS)


def may_edit_details(user: Any, case: Any) -> bool:
    return may_edit_expectations(user, case) or (_active(user) and user.role == LEGAL)


def may_draft(user: Any, case: Any) -> bool:
    return _team(user, case, {SW, TM}) or (_active(user) and user.role in {HOS, LEGAL})


def may_approve(user: Any, case: Any) -> bool:
    return _team(user, case, {TM}) or (_active(user) and user.role in {HOS, LEGAL})


def may_override_gate(user: Any, case: Any) -> bool:
    return _team(user, case, {TM}) or (_active(user) and user.role == HOS)


def may_check_plain_language(user: Any, case: Any) -> bool:
    return may_draft(user, case)


def may_record_sent(user: Any, case: Any, sent_event: str | None) -> bool:
    if sent_event:
        return case_permissions.may_record_event(sent_event, case, user)
    return may_draft(user, case)
