"""Who may read and change the court record (docs/court.md, "Who does what").

Reading follows the case: whoever may see the case sees its court record. The legal team
keeps all of it; the court liaison officer records hearings and their outcomes; a social
worker or anyone else who owns a council direction updates where it stands. Nobody
writes to a case in concern, legal gateway or pre-proceedings: the court record starts
with the decision to issue.
"""

from __future__ import annotations

from typing import Any

from legaltracker.accounts.models import Role
from legaltracker.cases.choices import Stage
from legaltracker.cases.permissions import can_view_case

COURT_STAGES = frozenset({Stage.ISSUE, Stage.PROCEEDINGS})


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def has_court_record(case: Any) -> bool:
    """Whether the case has reached the decision to issue (open or since closed)."""
    return case.stage in COURT_STAGES or case.issue_decided_on is not None


def may_view_court(user: Any, case: Any) -> bool:
    return can_view_case(user, case)


def may_keep_court_record(user: Any, case: Any) -> bool:
    """Proceedings, parties, directions, experts and the timetable: the legal team."""
    return _active(user) and user.role == Role.LEGAL and can_view_case(user, case)


def may_record_hearings(user: Any, case: Any) -> bool:
    return (
        _active(user)
        and user.role in (Role.LEGAL, Role.COURT_LIAISON_OFFICER)
        and can_view_case(user, case)
    )


def may_update_direction(user: Any, case: Any, direction: Any) -> bool:
    """The legal team, and the direction's owner."""
    if may_keep_court_record(user, case):
        return True
    return _active(user) and direction.owner_id == user.pk and can_view_case(user, case)


def may_own_direction(user: Any, case: Any) -> bool:
    """A council direction's owner is a social worker or a lawyer who can see the case."""
    return (
        _active(user)
        and user.role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.LEGAL)
        and can_view_case(user, case)
    )
