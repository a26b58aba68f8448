"""The letter variants other than the standard letter: easy read, and the letter to a
young person (a child aged 12 or over). docs/letter-formats.md.

A variant is made like the standard letter (letters/services/letters.py): the case's
facts read once, the context built by a pure builder (letters/builders_variants.py),
the template rendered outside the lock, and the letter recorded, with its audit row,
only if the case did not change meanwhile. The easy-read letter goes to an adult on the
case (`recipient`); the young person's letter goes to a child on the case aged 12 or over
today (`child`), and its `Letter.recipient` is empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from legaltracker.cases.events import case_lock
from legaltracker.cases.inputs import Fields, id_or_none
from legaltracker.cases.models import Case
from legaltracker.core import clock
from legaltracker.core.errors import Conflict, InvalidInput

from .. import readability, rendering, selectors, storage
from ..builders_variants import (
    VARIANT_BUILDERS,
    YOUNG_PERSON_MIN_AGE,
    age_on,
    variant_builder,
    young_person_recipient,
)
from ..choices import LetterKind, LetterLanguage, LetterVariant
from ..facts import ChildFacts
from ..models import Letter, LetterTemplate
from ..registry import REGISTRY, current_template, has_shipped_template
from . import letters as letters_service
from . import translations
from .letters import MAX_NOTE, _draftable_case, _require_available


def variant_available(kind: str, language: str, variant: str) -> bool:
    """Whether letters of this kind can be made in this language and variant: a builder
    for the variant, and a template (shipped, or an active upload)."""
    if variant_builder(kind, variant) is None:
        return False
    if has_shipped_template(kind, language, variant):
        return True
    return LetterTemplate.objects.filter(
        kind=kind, language=language, variant=variant, active=True
    ).exists()


def _unavailable_message(kind: str, language: str, variant: str) -> str:
    kind_words = REGISTRY[kind].label.lower()
    variant_words = LetterVariant(variant).label.lower()
    if variant_builder(kind, variant) is None:
        offered = sorted(LetterVariant(v).label.lower() for (k, v) in VARIANT_BUILDERS if k == kind)
        also = (" It can be made: " + ", ".join(offered) + ".") if offered else ""
        return (
            f"The {kind_words} has no '{variant_words}' version. Choose the standard letter.{also}"
        )
    return (
        f"The '{variant_words}' version of the {kind_words} is not available in "
        f"{LetterLanguage(language).label}. Choose English, or the standard letter."
    )


@dataclass(frozen=True)
class _Request:
    kind: str
    language: str
    variant: str
    note: str
    recipient_id: int | None
    child_id: int | None


def _parse(data: Mapping[str, Any] | None, kind: str, language: str, variant: str) -> _Request:
    fields = Fields(data)
    note = fields.text("note", required=False, max_length=MAX_NOTE)
    if kind not in LetterKind.values:
        fields.error("kind", "Choose a kind of letter.")
    if language not in LetterLanguage.values:
        fields.error("language", "Choose the language: en, cy or cy_en.")
    if variant not in LetterVariant.values or variant == LetterVariant.STANDARD:
        fields.error("variant", "Choose the version: easy_read or young_person.")
    recipient_id = child_id = None
    if variant == LetterVariant.YOUNG_PERSON:
        raw = fields.data.get("child")
        child_id = id_or_none(raw)
        if raw in (None, ""):
            fields.error(
                "child", "Choose the young person the letter is for (a child on the case)."
            )
        elif child_id is None:
            fields.error("child", "Send the child as the id of a child on the case.")
    elif variant in LetterVariant.values:
        raw = fields.data.get("recipient")
        recipient_id = id_or_none(raw)
        if raw in (None, ""):
            fields.error("recipient", "Choose who the letter is for (an adult on the case).")
        elif recipient_id is None:
            fields.error("recipient", "Send the recipient as the id of an adult on the case.")
    fields.check()
    if not variant_available(kind, language, variant):
        message = _unavailable_message(kind, language, variant)
        raise InvalidInput(message, field_errors={"variant": [message]})
    return _Request(kind, language, variant, note, recipient_id, child_id)


def young_people(case: Any, today: dt.date | None = None) -> list[Any]:
    """The children on the case who can have a young person's letter: born, and aged 12
    or over today (oldest first)."""
    day = today or clock.today()
    return sorted(
        (
            child
            for child in case.children.all()
            if child.date_of_birth is not None
            and age_on(child.date_of_birth, day) >= YOUNG_PERSON_MIN_AGE
        ),
        key=lambda child: (child.date_of_birth, child.pk),
    )


def _young_person(case: Case, child_id: int, today: dt.date) -> Any:
    child = next((c for c in case.children.all() if c.pk == child_id), None)
    if child is None:
        raise InvalidInput(
            "Choose a child on this case for the young person's letter.",
            field_errors={"child": ["This is not a child on this case."]},
        )
    name = str(child) or "This child"
    if child.date_of_birth is None:
        message = (
            f"{name}'s date of birth is not recorded. The young person's letter is for a "
            f"child aged {YOUNG_PERSON_MIN_AGE} or over: add the date of birth on the "
            "case's People page first."
        )
        raise InvalidInput(message, field_errors={"child": [message]})
    age = age_on(child.date_of_birth, today)
    if age < YOUNG_PERSON_MIN_AGE:
        message = (
            f"{name} is {age}. The young person's letter is for a child aged "
            f"{YOUNG_PERSON_MIN_AGE} or over; talk with a younger child in a way that suits "
            "them instead."
        )
        raise InvalidInput(message, field_errors={"child": [message]})
    return child


def _make(case: Case, request: _Request, child: Any) -> letters_service.Made:
    today = clock.today()
    # The facts are read for an adult recipient; for a young person any adult on the
    # case will do (the builder puts the child in their place).
    adult_id = request.recipient_id
    if adult_id is None:
        adult_id = next(a.pk for a in case.adults.all())
    facts = selectors.letter_facts(
        case=case, kind=request.kind, recipient_id=adult_id, note=request.note, today=today
    )
    if child is not None:
        young = ChildFacts(
            child.first_name, child.last_name, child.date_of_birth, child.expected_date_of_birth
        )
        facts = replace(
            facts, recipient=young_person_recipient(young), extra={"young_person": young}
        )
    builder = variant_builder(request.kind, request.variant)
    assert builder is not None  # checked in _parse
    context = builder(facts, readability.jargon_terms())
    template = current_template(request.kind, request.language, request.variant)
    logo, _ = selectors.council_logo()
    rendered = rendering.render(
        template.data, context, logo=logo, logo_alt=f"{facts.council.get('name', '')} logo"
    )
    report = readability.analyse(
        rendered.blocks, explained=[g["term"] for g in context["glossary"]]
    )
    storage.save_template(template.data)
    storage.save_asset(logo)
    return letters_service.Made(
        context,
        rendered,
        report,
        template.sha256,
        template.source,
        today,
        language=request.language,
    )


def _translation(case: Case, request: _Request) -> str:
    """An easy-read letter to an adult whose language has no template goes with a
    translation request, as the standard letter does."""
    if request.recipient_id is None:
        return ""
    adult = next(a for a in case.adults.all() if a.pk == request.recipient_id)
    return translations.translation_needed(adult, request.language)


def letter_generate_variant(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    kind: str,
    language: str,
    variant: str,
) -> Letter:
    """Make a draft letter of a kind in a variant (not the standard one):
    easy read {"recipient": <adult id>, "note": optional}; young person
    {"child": <child id>, "note": optional}."""
    request = _parse(data, kind, language, variant)
    case = _draftable_case(case_id, actor)
    child = None
    if request.variant == LetterVariant.YOUNG_PERSON:
        assert request.child_id is not None
        child = _young_person(case, request.child_id, clock.today())
        if not case.adults.all():
            raise InvalidInput(
                "Add the young person's parents or carers to the case first: the young "
                "person's letter goes with the letter to them.",
                field_errors={"child": ["The case has no adults yet."]},
            )
    elif request.recipient_id not in {a.pk for a in case.adults.all()}:
        raise InvalidInput(
            "Choose an adult on this case as the recipient.",
            field_errors={"recipient": ["This is not an adult on this case."]},
        )
    _require_available(case, request.kind)
    # As the standard letter: render outside the lock, record only if the case did not
    # change meanwhile, else render again from the new facts.
    for _ in range(3):
        made = _make(case, request, child)
        with transaction.atomic():
            locked = case_lock(case.pk, viewer=actor)
            if locked.version == case.version:
                return letters_service._record(
                    locked,
                    actor,
                    request.kind,
                    request.recipient_id,
                    made,
                    translation=_translation(case, request),
                    variant=request.variant,
                    child=child,
                )
            reloaded = selectors.load_case(case.pk)
            assert reloaded is not None  # the row was just locked
            case = reloaded
    raise Conflict("The case kept changing while the letter was being made. Try again.")
