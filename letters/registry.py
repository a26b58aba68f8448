"""The registry of letter kinds: for each, its Word template, its pure context builder,
the case event that sending it records, and when a case can have one.

A council may replace a shipped template by uploading one in the admin (after the same
checks); the active upload wins. Templates are identified by their SHA-256, so that a
letter made months ago can be rendered again from the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from legaltracker.cases.choices import EventKind, Outcome, Stage

from . import builders, conf, storage
from .choices import LetterKind, LetterLanguage, LetterVariant
from .facts import LetterFacts
from .readability import jargon_terms


@dataclass(frozen=True)
class LetterSpec:
    kind: str
    label: str
    template_name: str
    build: Callable[..., dict[str, Any]]
    # The recorded event (docs/domain/identifiers.md) that sending the letter posts, if any.
    sent_event: str | None
    # Why a case cannot have this letter now, or None when it can (case facts in).
    unavailable: Callable[[Any], str | None]
    description: str = ""

    @property
    def is_letter_before_proceedings(self) -> bool:
        return self.kind in (
            LetterKind.LETTER_BEFORE_PROCEEDINGS,
            LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN,
        )

    def context(self, facts: LetterFacts) -> dict[str, Any]:
        return self.build(facts, jargon_terms())


def _in_pre_proceedings(case: Any) -> str | None:
    if case.stage != Stage.PRE_PROCEEDINGS:
        return (
            "A letter before proceedings can only be written while the case is in "
            "pre-proceedings (after the gateway decision to enter it)."
        )
    return None


def _unborn(case: Any) -> str | None:
    message = _in_pre_proceedings(case)
    if message:
        return message
    children = list(case.children.all())
    if not any(c.date_of_birth is None and c.expected_date_of_birth for c in children):
        return (
            "The unborn-baby letter needs an unborn baby on the case: a child with an "
            "expected date of birth and no date of birth."
        )
    return None


def _plan_continues(case: Any) -> str | None:
    if case.outcome != Outcome.CONTINUE_PLAN:
        return (
            "The gateway outcome letter is for a case where the legal gateway decided that "
            "the current plan continues."
        )
    return None


def _reviewed(case: Any) -> str | None:
    if case.stage != Stage.PRE_PROCEEDINGS:
        return "The review outcome letter is for a case in pre-proceedings."
    from .models import ExpectationReview

    reviewed = ExpectationReview.objects.filter(expectation__case=case).exists()
    held = case.recorded_events.filter(kind=EventKind.REVIEW_MEETING_HELD).exists()
    if not (reviewed or held):
        return (
            "No review is recorded yet. Record the review of the schedule of expectations "
            "(or the review meeting) first."
        )
    return None


def _stepped_down(case: Any) -> str | None:
    if case.outcome != Outcome.STEPPED_DOWN:
        return "The end of pre-proceedings letter is for a case that has been stepped down."
    return None


def _issue_decided(case: Any) -> str | None:
    if case.issue_decided_on is None or case.stage not in (Stage.ISSUE, Stage.PROCEEDINGS):
        return (
            "The letter of issue is for a case where the gateway decided to issue care proceedings."
        )
    return None


REGISTRY: dict[str, LetterSpec] = {
    spec.kind: spec
    for spec in (
        LetterSpec(
            LetterKind.LETTER_BEFORE_PROCEEDINGS,
            LetterKind.LETTER_BEFORE_PROCEEDINGS.label,
            "letter_before_proceedings.docx",
            builders.letter_before_proceedings,
            EventKind.LETTER_BEFORE_PROCEEDINGS_SENT,
            _in_pre_proceedings,
            "To each adult with parental responsibility, and anyone else you choose.",
        ),
        LetterSpec(
            LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN,
            LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN.label,
            "letter_before_proceedings_unborn.docx",
            builders.letter_before_proceedings,
            EventKind.LETTER_BEFORE_PROCEEDINGS_SENT,
            _unborn,
            "The letter before proceedings about a baby who is not yet born.",
        ),
        LetterSpec(
            LetterKind.GATEWAY_OUTCOME,
            LetterKind.GATEWAY_OUTCOME.label,
            "gateway_outcome.docx",
            builders.gateway_outcome,
            None,
            _plan_continues,
            "The legal gateway decided not to go to court: the plan continues.",
        ),
        LetterSpec(
            LetterKind.REVIEW_OUTCOME,
            LetterKind.REVIEW_OUTCOME.label,
            "review_outcome.docx",
            builders.review_outcome,
            None,
            _reviewed,
            "How each expectation stands after a review, and any extension.",
        ),
        LetterSpec(
            LetterKind.END_OF_PRE_PROCEEDINGS,
            LetterKind.END_OF_PRE_PROCEEDINGS.label,
            "end_of_pre_proceedings.docx",
            builders.end_of_pre_proceedings,
            None,
            _stepped_down,
            "Pre-proceedings has ended: the case steps down.",
        ),
        LetterSpec(
            LetterKind.LETTER_OF_ISSUE,
            LetterKind.LETTER_OF_ISSUE.label,
            "letter_of_issue.docx",
            builders.letter_of_issue,
            EventKind.LETTER_OF_ISSUE_SENT,
            _issue_decided,
            "We are applying to court.",
        ),
    )
}


@dataclass(frozen=True)
class TemplateFile:
    kind: str
    data: bytes
    sha256: str
    source: str  # "shipped:<file name>" or "uploaded:<LetterTemplate id>"


def shipped_template_name(
    kind: str, language: str = LetterLanguage.ENGLISH, variant: str = LetterVariant.STANDARD
) -> str:
    """The shipped file of a kind in a language and variant: "letter_of_issue.docx" (the
    English standard letter), "letter_of_issue.cy.docx", "letter_of_issue.cy_en.docx",
    "letter_before_proceedings.easy_read.docx", "letter_before_proceedings.easy_read.cy.docx"."""
    stem = REGISTRY[kind].template_name.removesuffix(".docx")
    parts = [stem]
    if variant != LetterVariant.STANDARD:
        parts.append(str(variant))
    if language != LetterLanguage.ENGLISH:
        parts.append(str(language))
    return ".".join(parts) + ".docx"


def has_shipped_template(
    kind: str, language: str = LetterLanguage.ENGLISH, variant: str = LetterVariant.STANDARD
) -> bool:
    return (conf.SHIPPED_TEMPLATE_DIR / shipped_template_name(kind, language, variant)).exists()


def shipped_template(
    kind: str, language: str = LetterLanguage.ENGLISH, variant: str = LetterVariant.STANDARD
) -> TemplateFile:
    name = shipped_template_name(kind, language, variant)
    data = (conf.SHIPPED_TEMPLATE_DIR / name).read_bytes()
    return TemplateFile(kind, data, storage.sha256(data), f"shipped:{name}")


def current_template(
    kind: str, language: str = LetterLanguage.ENGLISH, variant: str = LetterVariant.STANDARD
) -> TemplateFile:
    """The template new letters of this kind, language and variant use: the active
    upload, else the shipped one."""
    from .models import LetterTemplate

    upload = LetterTemplate.objects.filter(
        kind=kind, language=language, variant=variant, active=True
    ).first()
    if upload is None:
        return shipped_template(kind, language, variant)
    data = storage.read_verified(storage.template_path(upload.sha256), upload.sha256)
    return TemplateFile(kind, data, upload.sha256, f"uploaded:{upload.pk}")


def template_by_sha(
    kind: str,
    digest: str,
    language: str = LetterLanguage.ENGLISH,
    variant: str = LetterVariant.STANDARD,
) -> TemplateFile:
    """The exact template a letter was made from (shipped, or uploaded and kept)."""
    if has_shipped_template(kind, language, variant):
        shipped = shipped_template(kind, language, variant)
        if shipped.sha256 == digest:
            return shipped
    path = storage.template_path(digest)
    if not path.exists():
        raise FileNotFoundError(f"No stored template has the checksum {digest}.")
    return TemplateFile(kind, storage.read_verified(path, digest), digest, f"stored:{digest}")


def template_exists(
    kind: str, language: str = LetterLanguage.ENGLISH, variant: str = LetterVariant.STANDARD
) -> bool:
    """Whether letters of this kind, language and variant can be made (an active upload
    or a shipped file)."""
    from .models import LetterTemplate

    if has_shipped_template(kind, language, variant):
        return True
    return LetterTemplate.objects.filter(
        kind=kind, language=language, variant=variant, active=True
    ).exists()
