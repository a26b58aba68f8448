"""Subject access requests: find a person, and export everything held about them.

There is no person table: a child or an adult is a row on each case (episode) they
appear in. The person handling the request searches by name (and a child's date of
birth), picks the rows that are this person, and exports every case those rows are on:
the case, every record that points at it (found from the models, so that a new app's
records are included without change here), one level further (an expectation's
reviews, a deadline's alerts), letters as metadata (not their text), and the access log
rows for the case and for its letters, events and expectations.

Third parties (other family members, staff) appear in the export as they are held; the
data protection officer redacts before disclosure (docs/retention.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q

from legaltracker.cases.models import Adult, Case, Child
from legaltracker.core import clock

from .models import AccessLog

FORMAT = "legaltracker-subject-access/1"
# Letters are exported as metadata: their text and the values they were built from are
# in the letter files, which are disclosed as files.
EXCLUDED_FIELDS: dict[str, frozenset[str]] = {
    "letters.letter": frozenset({"text", "context", "readability"}),
}
# Access log rows about an object point at it by these names.
OBJECT_TYPES = {
    "cases.recordedevent": "event",
    "letters.letter": "letter",
    "letters.expectation": "expectation",
}
MAX_RESULTS = 200


@dataclass(frozen=True)
class Match:
    kind: str  # "child" or "adult"
    row: Child | Adult
    case: Case

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.row.pk}"


def search(
    *, first_name: str = "", last_name: str = "", date_of_birth: dt.date | None = None
) -> list[Match]:
    """Children and adults whose names start with the words given (case-insensitive)
    and, for children, born on `date_of_birth` (or expected then) if given."""
    child_q, adult_q = Q(), Q()
    if first_name.strip():
        child_q &= Q(first_name__istartswith=first_name.strip())
        adult_q &= Q(first_name__istartswith=first_name.strip())
    if last_name.strip():
        child_q &= Q(last_name__istartswith=last_name.strip())
        adult_q &= Q(last_name__istartswith=last_name.strip())
    if date_of_birth is not None:
        child_q &= Q(date_of_birth=date_of_birth) | Q(expected_date_of_birth=date_of_birth)
    if not child_q and not adult_q:
        return []
    found: list[Match] = []
    children = Child.objects.filter(child_q).select_related("case", "case__team")
    found += [
        Match("child", row, row.case) for row in children.order_by("last_name", "id")[:MAX_RESULTS]
    ]
    if date_of_birth is None and adult_q:
        # Adults have no date of birth on record: a search by date finds children only.
        adults = Adult.objects.filter(adult_q).select_related("case", "case__team")
        found += [
            Match("adult", row, row.case)
            for row in adults.order_by("last_name", "id")[:MAX_RESULTS]
        ]
    return found


def _value(field: models.Field, instance: models.Model) -> Any:
    value = field.value_from_object(instance)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _row(instance: models.Model) -> dict[str, Any]:
    excluded = EXCLUDED_FIELDS.get(instance._meta.label_lower, frozenset())
    row = {
        field.attname: _value(field, instance)
        for field in instance._meta.concrete_fields
        if field.name not in excluded
    }
    for field in instance._meta.many_to_many:
        row[field.name] = sorted(obj.pk for obj in getattr(instance, field.name).all())
    return row


def _relations_to(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """(model, field name) for every concrete FK or one-to-one that points at `model`."""
    found = []
    for candidate in apps.get_models():
        for field in candidate._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is model
                and (field.many_to_one or field.one_to_one)
            ):
                found.append((candidate, field.name))
    return found


def _user_ids(rows: Iterable[dict[str, Any]], model: type[models.Model]) -> set[int]:
    user_model = get_user_model()
    names = [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    ]
    return {row[name] for row in rows for name in names if row.get(name) is not None}


class _Collector:
    """The rows of one case, each once, by model label."""

    def __init__(self) -> None:
        self.records: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
        self.staff_ids: set[int] = set()
        self.object_ids: dict[str, list[int]] = defaultdict(list)

    def add(self, model: type[models.Model], instances: list[models.Model]) -> None:
        label = model._meta.label_lower
        rows = [_row(instance) for instance in instances]
        for instance, row in zip(instances, rows, strict=True):
            self.records[label].setdefault(instance.pk, row)
        self.staff_ids |= _user_ids(rows, model)
        if label in OBJECT_TYPES:
            self.object_ids[OBJECT_TYPES[label]] += [instance.pk for instance in instances]

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {
            label: [rows[pk] for pk in sorted(rows)] for label, rows in sorted(self.records.items())
        }


def export(
    *,
    child_ids: Iterable[int] = (),
    adult_ids: Iterable[int] = (),
    requested_by: Any,
    request_id: uuid.UUID,
) -> dict[str, Any]:
    """Everything held on every case the given child and adult rows are on."""
    children = list(Child.objects.filter(pk__in=set(child_ids)).order_by("pk"))
    adults = list(Adult.objects.filter(pk__in=set(adult_ids)).order_by("pk"))
    case_ids = sorted({row.case_id for row in children} | {row.case_id for row in adults})
    first_level = [(m, f) for m, f in _relations_to(Case) if m is not AccessLog]
    second_level = {
        model: [(m, f) for m, f in _relations_to(model) if m not in (Case, AccessLog)]
        for model, _ in first_level
    }
    staff_ids: set[int] = set()
    cases_out: list[dict[str, Any]] = []
    for case in Case.objects.filter(pk__in=case_ids).order_by("pk"):
        collected = _Collector()
        collected.add(Case, [case])
        for model, field_name in first_level:
            instances = list(model._default_manager.filter(**{field_name: case}).order_by("pk"))
            if not instances:
                continue
            collected.add(model, instances)
            for inner_model, inner_field in second_level[model]:
                inner = inner_model._default_manager.filter(**{f"{inner_field}__in": instances})
                collected.add(inner_model, list(inner.order_by("pk")))
        log_filter = Q(case_id=case.pk)
        for object_type, ids in collected.object_ids.items():
            log_filter |= Q(object_type=object_type, object_id__in=ids)
        log_filter |= Q(object_type="child", object_id__in=[row.pk for row in children])
        log_filter |= Q(object_type="adult", object_id__in=[row.pk for row in adults])
        access_log = [
            _row(row) for row in AccessLog.objects.filter(log_filter).order_by("at", "id")
        ]
        staff_ids |= collected.staff_ids
        staff_ids |= {row["actor_id"] for row in access_log if row["actor_id"] is not None}
        records = collected.as_dict()
        cases_out.append(
            {
                "case": records.pop(Case._meta.label_lower)[0],
                "records": records,
                "access_log": access_log,
            }
        )
    staff = {
        user.pk: {"username": user.username, "role": user.role}
        for user in get_user_model().objects.filter(pk__in=staff_ids).order_by("pk")
    }
    return {
        "format": FORMAT,
        "generated_at": clock.now(),
        "generated_by": getattr(requested_by, "pk", None),
        "request_id": str(request_id),
        "subject": {
            "children": [row.pk for row in children],
            "adults": [row.pk for row in adults],
        },
        "staff": staff,
        "cases": cases_out,
    }
