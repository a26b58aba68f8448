"""The write path for restrictions and retention decisions.

Each service is one transaction: lock the case row, check who is acting, write, and
append the change to the case's own audit trail (`cases.CaseEvent`), ids only in its
details. Restrictions and retention decisions do not change the case itself, so they do
not bump its version (an edit of the case in progress is not turned into a conflict).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from legaltracker.accounts.models import Role
from legaltracker.cases.choices import CaseEventKind, Stage
from legaltracker.cases.events import case_event_append, case_lock
from legaltracker.cases.models import Adult, Case, Child
from legaltracker.core import clock
from legaltracker.core.errors import Conflict, GuardRefused, InvalidInput, NotFound, NotPermitted
from legaltracker.core.text import clean_text

from . import recording, restrictions, retention, subject_access
from .models import (
    AccessOutcome,
    CaseRestriction,
    CaseRestrictionAccess,
    RetentionChoice,
    RetentionDecision,
)

MAX_REASON = 5_000
RETENTION_ROLES = restrictions.MANAGER_ROLES


def _case_event(
    *, case: Case, actor: Any, kind: CaseEventKind, reasons: str = "", **details: Any
) -> None:
    case_event_append(
        case=case,
        actor=actor,
        kind=kind,
        effective_date=clock.today(),
        reasons=reasons,
        details=details,
    )


def _reason(value: Any, name: str = "reason") -> str:
    text = clean_text(value) if isinstance(value, str) else ""
    if not text.strip():
        raise InvalidInput(
            "Give the reason.",
            field_errors={name: ["Give the reason: it goes in the case's history."]},
        )
    if len(text) > MAX_REASON:
        raise InvalidInput(
            "The reason is too long.",
            field_errors={name: [f"Keep this to {MAX_REASON} characters or fewer."]},
        )
    return text


def _active_user(user_id: Any, name: str = "user") -> Any:
    user = (
        get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if str(user_id).isdigit()
        else None
    )
    if user is None:
        raise InvalidInput("Choose a person.", field_errors={name: ["Choose an active user."]})
    return user


def _require_manager(actor: Any) -> None:
    if not restrictions.may_manage(actor):
        raise NotPermitted("Only a head of service can restrict a case or change who may see it.")


# --- restricted records ----------------------------------------------------------------


def case_restrict(
    *, case_id: int, actor: Any, reason: str, named_user_ids: list[int] | None = None
) -> CaseRestriction:
    """Restrict a case to the people named (the head of service doing it is always named)."""
    _require_manager(actor)
    text = _reason(reason)
    people = [_active_user(user_id, "people") for user_id in named_user_ids or []]
    with transaction.atomic():
        case = case_lock(case_id)
        if CaseRestriction.objects.filter(case=case).exists():
            raise Conflict("This case is already restricted.")
        now = clock.now()
        restriction = CaseRestriction.objects.create(
            case=case, reason=text, created_by=actor, created_at=now
        )
        named = {actor.pk: actor, **{person.pk: person for person in people}}
        CaseRestrictionAccess.objects.bulk_create(
            CaseRestrictionAccess(restriction=restriction, user=user, added_by=actor, added_at=now)
            for user in named.values()
        )
        _case_event(
            case=case,
            actor=actor,
            kind=CaseEventKind.CASE_RESTRICTED,
            reasons=text,
            user_ids=sorted(named),
        )
    return restriction


def _restriction_of(case: Case) -> CaseRestriction:
    restriction = CaseRestriction.objects.filter(case=case).first()
    if restriction is None:
        raise GuardRefused("This case is not restricted.")
    return restriction


def restriction_name_person(*, case_id: int, actor: Any, user_id: int) -> CaseRestrictionAccess:
    _require_manager(actor)
    user = _active_user(user_id)
    with transaction.atomic():
        case = case_lock(case_id)
        restriction = _restriction_of(case)
        try:
            with transaction.atomic():
                access = CaseRestrictionAccess.objects.create(
                    restriction=restriction, user=user, added_by=actor, added_at=clock.now()
                )
        except IntegrityError as exc:
            raise Conflict(f"{user.display_name} is already named on this case.") from exc
        _case_event(
            case=case, actor=actor, kind=CaseEventKind.RESTRICTION_PERSON_NAMED, user_id=user.pk
        )
    return access


def restriction_remove_person(*, case_id: int, actor: Any, user_id: int) -> None:
    _require_manager(actor)
    with transaction.atomic():
        case = case_lock(case_id)
        restriction = _restriction_of(case)
        removed, _ = CaseRestrictionAccess.objects.filter(
            restriction=restriction, user_id=user_id
        ).delete()
        if not removed:
            raise NotFound("That person is not named on this case.")
        _case_event(
            case=case,
            actor=actor,
            kind=CaseEventKind.RESTRICTION_PERSON_REMOVED,
            user_id=int(user_id),
        )


def case_unrestrict(*, case_id: int, actor: Any, reason: str) -> None:
    """Lift the restriction: the usual role and team rules apply again."""
    _require_manager(actor)
    text = _reason(reason)
    with transaction.atomic():
        case = case_lock(case_id)
        restriction = _restriction_of(case)
        named = sorted(restriction.access.values_list("user_id", flat=True))
        restriction.delete()
        _case_event(
            case=case,
            actor=actor,
            kind=CaseEventKind.CASE_UNRESTRICTED,
            reasons=text,
            user_ids=named,
        )


# --- retention -------------------------------------------------------------------------


def retention_decision_record(
    *,
    case_id: int,
    actor: Any,
    decision: str,
    reasons: str,
    review_again_on: dt.date | None = None,
) -> RetentionDecision:
    """Record a decision on a closed case that is due for review today.

    `retain` names the next review date (in the future); `destroy` records that the case
    may be destroyed. Nothing is deleted here: destruction is a separate step that needs
    this decision (`destruction_authorised`) and is not built yet (docs/retention.md).
    """
    if not (getattr(actor, "is_active", False) and getattr(actor, "role", None) in RETENTION_ROLES):
        raise NotPermitted("Only a head of service can record a retention decision.")
    errors: dict[str, list[str]] = {}
    if decision not in RetentionChoice.values:
        errors["decision"] = ["Choose retain or destroy."]
    try:
        text = _reason(reasons, "reasons")
    except InvalidInput as err:
        errors.update(err.field_errors)
        text = ""
    today = clock.today()
    if decision == RetentionChoice.RETAIN:
        if review_again_on is None:
            errors["review_again_on"] = ["Give the date of the next review."]
        elif review_again_on <= today:
            errors["review_again_on"] = ["The next review must be after today."]
    elif review_again_on is not None:
        errors["review_again_on"] = ["A decision to destroy has no next review date."]
    if errors:
        raise InvalidInput("Some of the values are missing or not valid.", field_errors=errors)
    with transaction.atomic():
        case = case_lock(case_id)
        if case.stage != Stage.CLOSED:
            raise GuardRefused("Only a closed case can have a retention decision.")
        if retention.due_for_review(case.pk, today) is None:
            raise GuardRefused(
                "This case is not due for a retention review yet: its records must be kept "
                "until its review date."
            )
        row = RetentionDecision.objects.create(
            case=case,
            decision=decision,
            reasons=text,
            decided_on=today,
            review_again_on=review_again_on if decision == RetentionChoice.RETAIN else None,
            decided_by=actor,
            recorded_at=clock.now(),
        )
        _case_event(
            case=case,
            actor=actor,
            kind=CaseEventKind.RETENTION_DECISION_RECORDED,
            reasons=text,
            decision_id=row.pk,
            decision=decision,
        )
    return row


def destruction_authorised(*, case_id: int) -> RetentionDecision:
    """The recorded decision that allows a case's records to be destroyed, or a refusal.

    The one gate any future destruction step must pass: the latest decision on the case
    must be `destroy`.
    """
    latest = (
        RetentionDecision.objects.filter(case_id=case_id).order_by("-recorded_at", "-id").first()
    )
    if latest is None or latest.decision != RetentionChoice.DESTROY:
        raise GuardRefused(
            "There is no recorded decision to destroy this case's records: nothing may be deleted."
        )
    return latest


# --- subject access requests -----------------------------------------------------------


def may_handle_subject_access(user: Any) -> bool:
    """Subject access is a data protection task: administrators and superusers only."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.role == Role.ADMINISTRATOR)
    )


def subject_access_export(
    *,
    actor: Any,
    child_ids: list[int],
    adult_ids: list[int],
    request_id: uuid.UUID,
    action: str,
    status: int = 200,
) -> dict[str, Any]:
    """Everything held about one person (the child and adult rows that are them), with
    the access log row that records this export written first, in the same transaction:
    no row, no export. Each restricted case in the export gets a row of its own, with
    its case id."""
    if not may_handle_subject_access(actor):
        raise NotPermitted("Only an administrator can export data for a subject access request.")
    children = sorted(set(Child.objects.filter(pk__in=child_ids).values_list("pk", flat=True)))
    adults = sorted(set(Adult.objects.filter(pk__in=adult_ids).values_list("pk", flat=True)))
    missing = sorted(set(child_ids) - set(children)) + sorted(set(adult_ids) - set(adults))
    if missing or not (children or adults):
        raise InvalidInput(
            "Choose the children and adults who are this person.",
            field_errors={"people": ["Choose at least one child or adult from the results."]},
        )
    case_ids = sorted(
        set(Child.objects.filter(pk__in=children).values_list("case_id", flat=True))
        | set(Adult.objects.filter(pk__in=adults).values_list("case_id", flat=True))
    )
    first_type, first_id = ("child", children[0]) if children else ("adult", adults[0])
    with transaction.atomic():
        recording.access_record(
            actor=actor,
            action=action,
            status=status,
            outcome=AccessOutcome.ALLOWED,
            request_id=request_id,
            object_type=first_type,
            object_id=first_id,
            details={"children": children, "adults": adults, "cases": case_ids},
        )
        # A restricted case's own access log is what its head of service reads: its
        # inclusion in an export is recorded there, against the case.
        restricted = CaseRestriction.objects.filter(case_id__in=case_ids).values_list(
            "case_id", flat=True
        )
        for case_id in sorted(restricted):
            recording.access_record(
                actor=actor,
                action=action,
                status=status,
                outcome=AccessOutcome.ALLOWED,
                request_id=request_id,
                case_id=case_id,
                details={"children": children, "adults": adults},
            )
        return subject_access.export(
            child_ids=children, adult_ids=adults, requested_by=actor, request_id=request_id
        )
