"""The schedule of expectations: adding, changing and withdrawing its items, and recording
where each stood at a review meeting.

Each function locks the case, checks the actor's role, bumps the case's version (the
schedule is case data) and appends one audit row, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from legaltracker.cases.choices import CaseEventKind
from legaltracker.cases.events import case_event_append, case_lock, case_touch
from legaltracker.cases.inputs import MAX_ADULTS, Fields
from legaltracker.cases.models import Adult, Case
from legaltracker.core import clock
from legaltracker.core.errors import GuardRefused, NotFound, NotPermitted

from .. import permissions
from ..choices import ExpectationStatus
from ..models import Expectation, ExpectationReview

MAX_ITEM_TEXT = 2_000
# A schedule the family can read and act on has a handful of items; this bounds the rows
# one case can hold (docs/security.md, "Finding 9").
MAX_EXPECTATIONS = 40
EXPECTATION_NOT_FOUND = "There is no expectation with that id that you can see."


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise GuardRefused("This case is closed: its schedule of expectations cannot change.")


LARGEST_DATABASE_ID = 2**63 - 1


def _adult_ids(fields: Fields, case: Case, *, required: bool) -> list[int] | None:
    raw = fields.data.get("adults")
    if raw is None:
        if required:
            fields.error("adults", "Choose at least one adult this applies to.")
        return None
    values = raw if isinstance(raw, list | tuple) else [raw]
    if fields.too_many("adults", values, MAX_ADULTS, "adults"):
        return None
    ids: list[int] = []
    for value in values:
        text = str(value).strip()
        if isinstance(value, bool) or not text.isascii() or not text.isdigit():
            fields.error("adults", "Send the adults as a list of adult ids from the case.")
            return None
        ids.append(int(text))
    if not ids:
        fields.error("adults", "Choose at least one adult this applies to.")
        return None
    # An id past the database's largest integer names no adult (and SQLite cannot even be
    # asked about it): it is reported as unknown like any other.
    askable = [i for i in ids if i <= LARGEST_DATABASE_ID]
    known = set(Adult.objects.filter(case=case, pk__in=askable).values_list("pk", flat=True))
    unknown = [i for i in ids if i not in known]
    if unknown:
        fields.error(
            "adults", f"These are not adults on this case: {', '.join(map(str, unknown))}."
        )
        return None
    return sorted(set(ids))


def _due_by(fields: Fields, case: Case, *, required: bool) -> dt.date | None:
    day = fields.date("due_by", required=required, not_future=False)
    if day is None:
        return None
    if day <= clock.today():
        fields.error(
            "due_by",
            "Choose a date after today: the family needs time to make this change.",
        )
    elif day > clock.today() + dt.timedelta(days=366):
        fields.error("due_by", "Choose a date within a year.")
    return day


ITEM_TEXTS = {
    "action": "what needs to change",
    "why_it_matters": "why it matters for the child",
    "help_offered": "the help we will give",
    "how_judged": "how we will know it has happened",
}


def expectation_create(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Expectation:
    """Add an item to the case's schedule of expectations."""
    fields = Fields(data)
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_edit_expectations(actor, case):
            raise NotPermitted("Your role cannot change this case's schedule of expectations.")
        _require_open(case)
        current = Expectation.objects.filter(case=case, withdrawn=False).count()
        if current >= MAX_EXPECTATIONS:
            raise GuardRefused(
                f"This schedule already has {current} current items, the most a schedule can "
                "hold. Withdraw or combine items before adding another."
            )
        texts = {name: fields.text(name, max_length=MAX_ITEM_TEXT) for name in ITEM_TEXTS}
        adults = _adult_ids(fields, case, required=True)
        due_by = _due_by(fields, case, required=True)
        fields.check()
        assert due_by is not None  # required: fields.check() raised otherwise
        last = Expectation.objects.filter(case=case).order_by("-position").first()
        now = clock.now()
        expectation = Expectation.objects.create(
            case=case,
            position=(last.position + 1) if last else 1,
            due_by=due_by,
            created_by=actor,
            created_at=now,
            updated_at=now,
            **texts,
        )
        expectation.adults.set(adults or [])
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.EXPECTATION_ADDED,
            details={
                "expectation_id": expectation.pk,
                "position": expectation.position,
                "due_by": due_by.isoformat() if due_by else None,
                "adults": adults,
                **texts,
            },
        )
    return expectation


def expectation_update(
    *,
    expectation_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Expectation:
    """Change an item's wording, adults or date, or withdraw it (with a reason). Only the
    values sent change; the audit trail keeps what they were before."""
    fields = Fields(data)
    found = Expectation.objects.filter(pk=expectation_id).only("case_id").first()
    if found is None:
        raise NotFound(EXPECTATION_NOT_FOUND)
    with transaction.atomic():
        try:
            case = case_lock(found.case_id, viewer=actor, expected_version=expected_version)
        except NotFound:
            # Another team's expectation is answered like a missing one (no id probing).
            raise NotFound(EXPECTATION_NOT_FOUND) from None
        if not permissions.may_edit_expectations(actor, case):
            raise NotPermitted("Your role cannot change this case's schedule of expectations.")
        _require_open(case)
        expectation = Expectation.objects.prefetch_related("adults").get(pk=expectation_id)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name in ITEM_TEXTS:
            if name in fields.data:
                value = fields.text(name, max_length=MAX_ITEM_TEXT)
                if value != getattr(expectation, name):
                    before[name], after[name] = getattr(expectation, name), value
        if "due_by" in fields.data:
            day = _due_by(fields, case, required=True)
            if day is not None and day != expectation.due_by:
                before["due_by"], after["due_by"] = expectation.due_by.isoformat(), day.isoformat()
        adults = None
        if "adults" in fields.data:
            adults = _adult_ids(fields, case, required=True)
            current = sorted(a.pk for a in expectation.adults.all())
            if adults is not None and adults != current:
                before["adults"], after["adults"] = current, adults
        if "withdrawn" in fields.data:
            withdrawn = fields.boolean("withdrawn")
            if withdrawn != expectation.withdrawn:
                reason = fields.text("withdrawn_reason", required=withdrawn)
                before["withdrawn"], after["withdrawn"] = expectation.withdrawn, withdrawn
                after["withdrawn_reason"] = reason if withdrawn else ""
        fields.check()
        if not after:
            return expectation
        for name, value in after.items():
            if name == "due_by":
                expectation.due_by = dt.date.fromisoformat(value)
            elif name != "adults":
                setattr(expectation, name, value)
        expectation.updated_at = clock.now()
        expectation.save()
        if "adults" in after:
            expectation.adults.set(after["adults"])
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.EXPECTATION_WITHDRAWN
            if after.get("withdrawn")
            else CaseEventKind.EXPECTATION_CHANGED,
            reasons=str(after.get("withdrawn_reason", "")),
            details={"expectation_id": expectation.pk, "before": before, "after": after},
        )
    return expectation


def expectation_review(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> list[ExpectationReview]:
    """Record where every item of the schedule stood at a review meeting:
    {"date": "YYYY-MM-DD", "items": [{"expectation": id, "status": ..., "note": ...}]}.
    Every current item gets a status; recording the same date again replaces it."""
    fields = Fields(data)
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_edit_expectations(actor, case):
            raise NotPermitted("Your role cannot review this case's schedule of expectations.")
        _require_open(case)
        day = fields.date("date", not_before=case.opened_on, not_before_label="the case was opened")
        current = {e.pk: e for e in Expectation.objects.filter(case=case, withdrawn=False)}
        raw_items = fields.data.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            fields.error("items", "Give a status for each item of the schedule.")
            raw_items = []
        statuses: dict[int, tuple[str, str]] = {}
        for number, raw in enumerate(raw_items, start=1):
            item = Fields(raw if isinstance(raw, Mapping) else {})
            ident = str(item.data.get("expectation", "")).strip()
            if not ident.isascii() or not ident.isdigit() or int(ident) not in current:
                fields.error(
                    "items", f"Item {number}: this is not a current expectation of the case."
                )
                continue
            expectation = current[int(ident)]
            status = item.choice("status", ExpectationStatus)
            note = item.text("note", required=False, max_length=MAX_ITEM_TEXT)
            for messages in item.errors.values():
                for message in messages:
                    fields.error("items", f"Item {expectation.position}: {message}")
            if day and status == ExpectationStatus.NOT_YET_DUE and expectation.due_by <= day:
                fields.error(
                    "items",
                    f"Item {expectation.position} was due by {expectation.due_by:%d %B %Y}: "
                    "choose met, partly met or not met.",
                )
            statuses[expectation.pk] = (status, note)
        missing = sorted(e.position for pk, e in current.items() if pk not in statuses)
        if raw_items and missing:
            fields.error(
                "items",
                "Give a status for every item. Missing: "
                + ", ".join(f"item {p}" for p in missing)
                + ".",
            )
        fields.check()
        assert day is not None
        now = clock.now()
        reviews = []
        for pk, (status, note) in statuses.items():
            review, _ = ExpectationReview.objects.update_or_create(
                expectation_id=pk,
                reviewed_on=day,
                defaults={"status": status, "note": note, "recorded_by": actor, "recorded_at": now},
            )
            reviews.append(review)
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.EXPECTATIONS_REVIEWED,
            effective_date=day,
            details={
                "items": [
                    {"expectation_id": pk, "status": s, "note": n}
                    for pk, (s, n) in statuses.items()
                ]
            },
        )
    return reviews
