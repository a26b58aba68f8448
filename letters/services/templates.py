"""Letter templates: an administrator uploads a replacement for a kind's template (checked
like the shipped ones) or stops using uploaded ones. Old letters keep the template they
were made from, so nothing here deletes a template.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from legaltracker.core import clock
from legaltracker.core.errors import InvalidInput, NotPermitted

from .. import rendering, storage
from ..choices import LetterLanguage, LetterVariant
from ..models import LetterTemplate
from ..registry import REGISTRY


def letter_template_upload(
    *,
    kind: str,
    data: bytes,
    file_name: str,
    actor: Any,
    language: str = LetterLanguage.ENGLISH,
    variant: str = LetterVariant.STANDARD,
) -> LetterTemplate:
    """Accept a replacement template after the same checks as the shipped ones and a
    sample render; it becomes the active template of its kind, language and variant."""
    from ..checks import validate_template

    if kind not in REGISTRY:
        raise InvalidInput(
            "Choose a letter kind.", field_errors={"kind": ["Choose a letter kind."]}
        )
    if not getattr(actor, "is_active", False) or not (
        actor.is_superuser or getattr(actor, "role", "") == "administrator"
    ):
        raise NotPermitted("Only an administrator can replace a letter template.")
    if language not in LetterLanguage.values or variant not in LetterVariant.values:
        raise InvalidInput(
            "Choose a language and a version.",
            field_errors={"language": ["Choose a language and a version."]},
        )
    report = validate_template(kind, data, language, variant)
    if report["problems"]:
        raise InvalidInput(
            "The template was not accepted: " + " ".join(report["problems"]),
            field_errors={"file": report["problems"]},
        )
    digest = storage.save_template(data)
    with transaction.atomic():
        LetterTemplate.objects.filter(
            kind=kind, language=language, variant=variant, active=True
        ).update(active=False)
        return LetterTemplate.objects.create(
            kind=kind,
            language=language,
            variant=variant,
            sha256=digest,
            file_name=rendering.clean_value(file_name)[:200],
            active=True,
            uploaded_by=actor,
            uploaded_at=clock.now(),
            check_report=report,
        )


def letter_template_deactivate(*, template_ids: list[int], actor: Any) -> int:
    """Stop using uploaded templates for new letters (they are kept for old ones)."""
    if not getattr(actor, "is_active", False) or not (
        actor.is_superuser or getattr(actor, "role", "") == "administrator"
    ):
        raise NotPermitted("Only an administrator can change which letter templates are used.")
    with transaction.atomic():
        return LetterTemplate.objects.filter(pk__in=template_ids, active=True).update(active=False)
