"""How letters reach an adult: the language they are written in and the formats the adult
needs (docs/welsh-letters.md).

- `correspondence_language`: English, Welsh, or another language (then
  `correspondence_language_other` names it: required). Another language has no letter
  template: the English letter goes with a translation request.
- `easy_read`, `large_print`: format needs; `interpreter_needed` with `preferred_language`
  (the spoken language an interpreter is booked in).

`communication_parse` reads these from a request for the adult forms and the API (a field
left out keeps its value); `adult_communication_update` changes only these, audited as a
change to the person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from legaltracker.core.errors import GuardRefused, InvalidInput, NotFound, NotPermitted

from . import permissions
from .choices import CaseEventKind, CorrespondenceLanguage
from .events import case_event_append, case_lock, case_touch
from .inputs import Fields
from .models import Adult, Child

COMMUNICATION_FIELDS = (
    "correspondence_language",
    "correspondence_language_other",
    "easy_read",
    "large_print",
    "interpreter_needed",
    "preferred_language",
)
# The values the case history shows (the others are listed by name only).
SHOWN = frozenset({"correspondence_language", "easy_read", "large_print", "interpreter_needed"})
OTHER_NEEDS_NAME = "Name the language the letters should be in."
ADULT_NOT_FOUND = "There is no such adult on this case that you can see."

_DEFAULTS: dict[str, Any] = {
    "correspondence_language": CorrespondenceLanguage.ENGLISH,
    "correspondence_language_other": "",
    "easy_read": False,
    "large_print": False,
    "interpreter_needed": False,
    "preferred_language": "English",
}


def communication_parse(fields: Fields, current: Any = None) -> dict[str, Any]:
    """The communication values of a request; a field left out keeps the adult's current
    value (or the default for a new adult)."""

    def given(name: str) -> bool:
        return name in fields.data

    def keep(name: str) -> Any:
        return getattr(current, name) if current is not None else _DEFAULTS[name]

    language = (
        fields.choice("correspondence_language", CorrespondenceLanguage)
        if given("correspondence_language")
        else keep("correspondence_language")
    )
    other = (
        fields.text("correspondence_language_other", required=False, max_length=60)
        if given("correspondence_language_other")
        else keep("correspondence_language_other")
    )
    if language == CorrespondenceLanguage.OTHER and not other:
        fields.error("correspondence_language_other", OTHER_NEEDS_NAME)
    if language and language != CorrespondenceLanguage.OTHER:
        other = ""
    values = {"correspondence_language": language, "correspondence_language_other": other}
    for flag in ("easy_read", "large_print", "interpreter_needed"):
        values[flag] = fields.boolean(flag) if given(flag) else keep(flag)
    if given("preferred_language"):
        values["preferred_language"] = (
            fields.text("preferred_language", required=False, max_length=60) or "English"
        )
    else:
        values["preferred_language"] = keep("preferred_language")
    return values


def adult_on_case(case: Any, person_id: int) -> Adult:
    """The adult with this id on the case; a child's id is a 400 (the letter language is
    kept for adults), any other id not found."""
    adult = Adult.objects.filter(pk=person_id, case=case).first()
    if adult is not None:
        return adult
    if Child.objects.filter(pk=person_id, case=case).exists():
        message = "This id is a child's: letter languages are kept for the adults."
        raise InvalidInput(message, field_errors={"id": [message]})
    raise NotFound(ADULT_NOT_FOUND)


def _audit_changes(adult: Adult, values: Mapping[str, Any]) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for name in COMMUNICATION_FIELDS:
        old, new = getattr(adult, name), values[name]
        if old != new:
            changed[name] = [old, new] if name in SHOWN else None
    return changed


def adult_communication_update(
    *,
    case_id: int,
    adult_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Adult:
    """Change an adult's correspondence language and format needs (only the fields
    sent); the change is audited on the case."""
    fields = Fields(data)
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        adult = adult_on_case(case, adult_id)
        if not permissions.may_edit_people(actor, case):
            raise NotPermitted("Your role cannot change the people on this case.")
        if not case.is_open:
            raise GuardRefused("This case is closed: its people can no longer be changed.")
        values = communication_parse(fields, adult)
        fields.check()
        changed = _audit_changes(adult, values)
        if not changed:
            return adult
        for name, value in values.items():
            setattr(adult, name, value)
        adult.save(update_fields=list(COMMUNICATION_FIELDS))
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.PERSON_CHANGED,
            details={"person": "adult", "person_id": adult.pk, "changed": changed},
        )
    return adult
