"""The one audit writer for case changes: lock the case, bump its version, append the event.

Every service that changes a case (cases, letters, audit, and every later app) does it in
one transaction, in this order:

    case = case_lock(case_id, viewer=actor, expected_version=version)
    ...  # check, write
    case_touch(case)
    case_event_append(case=case, actor=actor, kind=CaseEventKind.X, details={...})

`case_event_append` is the only code that creates `CaseEvent` rows (a test fails if
another module does). The rows are append-only (docs/audit.md) and hash-chained per case
(legaltracker/core/hashchain.py; `manage.py audit_verify` checks the chains).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django_fsm import ConcurrentTransition

from legaltracker.core import clock, hashchain
from legaltracker.core.errors import Conflict, NotFound

from . import permissions
from .choices import CaseEventKind
from .models import Case, CaseEvent

NOT_VISIBLE = "There is no case with that id that you can see."
NO_SUCH_CASE = "There is no case with that id."

# `viewer=` default: the caller has already checked who may act, and says so by leaving
# the visibility check out.
ANY_VIEWER: Any = object()


def case_lock(
    case_id: int, *, viewer: Any = ANY_VIEWER, expected_version: int | None = None
) -> Case:
    """Lock the case row for the rest of the transaction and return it.

    With `viewer=`, a case that person may not see is reported as not found (never as
    forbidden, so ids cannot be probed). With `expected_version=`, a case changed since the
    person read it raises `Conflict` with the one wording every page shows.
    """
    case: Case | None = Case.objects.select_for_update().filter(pk=case_id).first()
    if viewer is ANY_VIEWER:
        if case is None:
            raise NotFound(NO_SUCH_CASE)
    elif case is None or not permissions.can_view_case(viewer, case):
        raise NotFound(NOT_VISIBLE)
    if expected_version is not None and case.version != expected_version:
        raise Conflict()
    return case


def case_touch(case: Case) -> None:
    """Save the locked case with its version bumped, so that anyone holding the old
    version is told the case changed."""
    case.version += 1
    try:
        case.save()
    except ConcurrentTransition as error:
        # Second line of defence: the row lock makes this unreachable, but should the
        # stage change underneath, it is a conflict, never a 500.
        raise Conflict() from error


def case_event_build(
    *,
    case: Case,
    actor: Any,
    kind: CaseEventKind,
    at: dt.datetime | None = None,
    from_stage: str = "",
    to_stage: str = "",
    effective_date: dt.date | None = None,
    reasons: str = "",
    details: dict[str, Any] | None = None,
) -> CaseEvent:
    """An unsaved audit row: the one place its fields are filled. `case_event_append`
    chains and saves it; the invented-load generator chains (`case_event_chain`) and
    copies many of them at once."""
    return CaseEvent(
        case=case,
        actor=actor,
        at=at or clock.now(),
        action=CaseEventKind(kind).value,
        from_stage=from_stage,
        to_stage=to_stage,
        effective_date=effective_date,
        reasons=reasons,
        details=details or {},
    )


def case_event_append(*, case: Case, actor: Any, kind: CaseEventKind, **fields: Any) -> CaseEvent:
    """Append one row to the case's audit trail: who did what, when and why. `fields` are
    the optional ones of `case_event_build` (stages, effective date, reasons, details)."""
    event = case_event_build(case=case, actor=actor, kind=kind, **fields)
    with transaction.atomic():
        # The chain head is locked until the caller's transaction commits (after the case
        # row, which the caller locked first), so the case's next row links to this one.
        content = hashchain.case_event_content(event)
        event.chain_hash = hashchain.advance(hashchain.CASE, case.pk, content)
        event.save()
    return event


def case_event_chain(event: CaseEvent, previous: str) -> str:
    """Give an unsaved row built by `case_event_build` the hash that follows `previous`
    (the hash of the case's row before it, "" for the first) and return it: for writers
    that build a whole case's trail at once and store its head themselves."""
    event.chain_hash = hashchain.link(previous, hashchain.case_event_content(event))
    return event.chain_hash
