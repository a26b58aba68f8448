"""Reads the case-page forms need besides `cases.selectors.case_detail`.

Kept apart from `selectors.py` (the reads shared with the API and the board) so that the
page's own lookups stay beside the page views."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from legaltracker.accounts.models import Role, Team
from legaltracker.cases import permissions
from legaltracker.cases.models import Case, ExtensionRequest, RecordedEvent


def event_for_correction(*, user: Any, event_id: int) -> RecordedEvent | None:
    """The event with its case, or None when its case is not one the user may see."""
    return (
        RecordedEvent.objects.select_related("case", "case__team")
        .filter(pk=event_id, case__in=Case.objects.visible_to(user))
        .first()
    )


def creatable_teams(*, user: Any) -> list[Team]:
    """The teams this user may open a case for: the rule is `permissions.can_create_case`
    (a council has a few dozen teams at most, so they are read and filtered here)."""
    return [t for t in Team.objects.order_by("name") if permissions.can_create_case(user, t.pk)]


def previous_episode(*, user: Any, case_id: int) -> Case | None:
    """An earlier case of the family a new episode continues, if the user may see it."""
    case: Case | None = (
        Case.objects.visible_to(user).only("id", "reference", "team_id").filter(pk=case_id).first()
    )
    return case


def team_managers(*, team_id: int) -> list[Any]:
    """The team's active managers, to name at a gateway meeting (a few at most)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, role=Role.TEAM_MANAGER, team_id=team_id)
        .order_by("last_name", "first_name", "username")[:3]
    )


def extension_request(request_id: int) -> ExtensionRequest | None:
    """An extension request with its people and extension (its case is read, and its
    visibility checked, by the view through `selectors.case_detail`)."""
    return (
        ExtensionRequest.objects.select_related("requested_by", "decided_by", "extension")
        .filter(pk=request_id)
        .first()
    )
