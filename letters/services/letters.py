"""The letters themselves: making a draft (for one recipient, or one for each adult with
parental responsibility), checking it can be approved, approving it, recording it sent,
downloading it, and making it again from what it was made from.

Making, approving or downloading a letter does not change the case, so it does not bump
the case's version; each still appends an audit row under the case lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from legaltracker.cases import services as case_services
from legaltracker.cases.choices import CaseEventKind, EventKind
from legaltracker.cases.events import case_event_append, case_lock
from legaltracker.cases.inputs import Fields
from legaltracker.cases.models import Case
from legaltracker.core import clock
from legaltracker.core.downloads import Download
from legaltracker.core.errors import Conflict, GuardRefused, InvalidInput, NotFound, NotPermitted

from .. import gate, pdf, permissions, readability, rendering, selectors, storage, welsh
from ..choices import LetterKind, LetterLanguage, LetterStatus, LetterVariant, SendMethod
from ..models import Letter, TranslationRequest
from ..registry import REGISTRY, current_template, template_by_sha, template_exists
from . import translations

MAX_NOTE = 3_000
CASE_NOT_FOUND = "There is no case with that id that you can see."
LETTER_NOT_FOUND = "There is no letter with that id that you can see."


@dataclass(frozen=True)
class Made:
    """A rendered letter before it is recorded."""

    context: dict[str, Any]
    rendered: rendering.Rendered
    report: readability.Report
    template_sha256: str
    template_source: str
    dated: dt.date
    language: str = LetterLanguage.ENGLISH

    def readability(self) -> tuple[dict[str, Any], float, float]:
        """(the stored report, reading ease, grade). The formula is for English: a Welsh
        or bilingual letter keeps its counts and long sentences, with no score (a person
        records a plain-language check instead)."""
        if self.language == LetterLanguage.ENGLISH:
            return self.report.as_dict(), self.report.reading_ease, self.report.grade
        unscored = {
            **self.report.as_dict(),
            "reading_ease": 0.0,
            "grade": 0.0,
            "meets_targets": False,
            "language": self.language,
            "scored": False,
        }
        return unscored, 0.0, 0.0


@dataclass(frozen=True)
class Request:
    """What a request to make letters asks for."""

    kind: str
    recipient_id: int | None
    note: str
    language: str  # "" when not asked: the recipient's language decides
    variant: str  # "" when not asked: the recipient's format needs decide


@dataclass(frozen=True)
class Planned:
    """One letter to make: for whom, in which language, with a translation request for
    which language ("" for none)."""

    recipient_id: int
    language: str
    translation: str = ""


def _make(
    case: Case,
    kind: str,
    recipient_id: int,
    note: str,
    *,
    language: str = LetterLanguage.ENGLISH,
) -> Made:
    spec = REGISTRY[kind]
    today = clock.today()
    facts = selectors.letter_facts(
        case=case, kind=kind, recipient_id=recipient_id, note=note, today=today
    )
    context = welsh.with_language(spec.context(facts), facts, language)
    template = current_template(kind, language)
    logo, _ = selectors.council_logo()
    rendered = rendering.render(
        template.data, context, logo=logo, logo_alt=f"{facts.council.get('name', '')} logo"
    )
    report = readability.analyse(
        rendered.blocks, explained=[g["term"] for g in context["glossary"]]
    )
    # Keep what the letter was made from, so that it can be made again for a court.
    storage.save_template(template.data)
    storage.save_asset(logo)
    return Made(context, rendered, report, template.sha256, template.source, today, language)


def _parse_request(data: Mapping[str, Any] | None, *, with_recipient: bool = True) -> Request:
    fields = Fields(data)
    kind = fields.choice("kind", LetterKind)
    language = fields.choice("language", LetterLanguage, required=False)
    variant = fields.choice("variant", LetterVariant, required=False)
    recipient = None
    if with_recipient and variant != LetterVariant.YOUNG_PERSON:
        recipient = _recipient_id(fields)
    note = fields.text("note", required=False, max_length=MAX_NOTE)
    fields.check()
    return Request(kind, recipient, note, language, variant)


def _recipient_id(fields: Fields) -> int | None:
    raw = fields.data.get("recipient")
    if raw in (None, ""):
        fields.error("recipient", "Choose who the letter is for (an adult on the case).")
    elif isinstance(raw, bool) or not str(raw).strip().isascii() or not str(raw).strip().isdigit():
        fields.error("recipient", "Send the recipient as the id of an adult on the case.")
    else:
        return int(str(raw).strip())
    return None


def _draftable_case(case_id: int, actor: Any) -> Case:
    case = selectors.load_case(case_id)
    if case is None or not permissions.can_view(actor, case):
        raise NotFound(CASE_NOT_FOUND)
    if not permissions.may_draft(actor, case):
        raise NotPermitted("Your role cannot write letters on this case.")
    return case


def _require_available(case: Case, kind: str) -> None:
    refusal = REGISTRY[kind].unavailable(case)
    if refusal:
        raise GuardRefused(refusal)


def _plan(case: Case, kind: str, adult: Any, asked: str) -> Planned:
    """The letter for one adult: in the language asked, else in the adult's
    (translations.letter_language_for); an adult whose language has no template gets
    the English letter with a translation request."""
    language = asked or translations.letter_language_for(adult)
    if not template_exists(kind, language):
        label = LetterLanguage(language).label
        raise InvalidInput(
            f"There is no {label} template for this letter. Choose another language.",
            field_errors={"language": [f"There is no {label} template for this letter."]},
        )
    needs = translations.translation_needed(adult, language)
    return Planned(adult.pk, language, needs)


def _record(
    case: Case,
    actor: Any,
    kind: str,
    recipient_id: int | None,
    made: Made,
    *,
    translation: str = "",
    variant: str = LetterVariant.STANDARD,
    child: Any = None,
) -> Letter:
    digest, _ = storage.save_letter_file(case.pk, made.rendered.data)
    report, reading_ease, grade = made.readability()
    letter = Letter.objects.create(
        case=case,
        kind=kind,
        language=made.language,
        variant=variant,
        recipient_id=recipient_id,
        recipient_child=child,
        dated=made.dated,
        template_sha256=made.template_sha256,
        template_source=made.template_source,
        context=made.context,
        file_sha256=digest,
        file_size=len(made.rendered.data),
        text=made.rendered.text,
        readability=report,
        reading_ease=reading_ease,
        grade=grade,
        generated_by=actor,
        generated_at=clock.now(),
    )
    if translation:
        translations.request_create(letter=letter, language=translation, actor=actor)
    case_event_append(
        case=case,
        actor=actor,
        kind=CaseEventKind.LETTER_GENERATED,
        details={
            "letter_id": letter.pk,
            "kind": kind,
            "language": made.language,
            "variant": variant,
            "recipient_id": recipient_id,
            "recipient_child_id": child.pk if child is not None else None,
            "template_sha256": made.template_sha256,
            "file_sha256": digest,
            "reading_ease": reading_ease,
            "grade": grade,
            "translation_requested": translation,
        },
    )
    return letter


def _generate(case: Case, actor: Any, kind: str, plans: list[Planned], note: str) -> list[Letter]:
    # Render outside the lock (it is the slow part); record every letter in one
    # transaction, and only if the case did not change meanwhile, else render them all
    # again from the new facts. A failure for any recipient records none of them.
    for _ in range(3):
        made = [
            (plan, _make(case, kind, plan.recipient_id, note, language=plan.language))
            for plan in plans
        ]
        with transaction.atomic():
            locked = case_lock(case.pk, viewer=actor)
            if locked.version != case.version:
                reloaded = selectors.load_case(case.pk)
                assert reloaded is not None  # the row was just locked
                case = reloaded
                continue
            return [
                _record(locked, actor, kind, plan.recipient_id, m, translation=plan.translation)
                for plan, m in made
            ]
    raise Conflict("The case kept changing while the letter was being made. Try again.")


def _variant_language(case: Case, request: Request, adult: Any | None) -> str:
    if request.language:
        return request.language
    if adult is not None:
        return translations.letter_language_for(adult)
    return translations.council_default_language()


def _variants() -> Any:
    # letters/services/variants.py builds on this module: imported when first used.
    from . import variants

    return variants


def _version_for(kind: str, adult: Any, request: Request) -> str:
    """The version asked for, else the adult's: easy read for an adult who asked for it,
    where the kind has an easy-read version in their language (docs/letter-formats.md)."""
    if request.variant:
        return request.variant
    language = request.language or translations.letter_language_for(adult)
    if adult.easy_read and template_exists(kind, language, LetterVariant.EASY_READ):
        return LetterVariant.EASY_READ
    return LetterVariant.STANDARD


def _generate_variant(
    case: Case, actor: Any, request: Request, adult: Any | None, variant: str, data: Any
) -> Letter:
    return _variants().letter_generate_variant(
        case_id=case.pk,
        actor=actor,
        data=data,
        kind=request.kind,
        language=_variant_language(case, request, adult),
        variant=variant,
    )


def letter_generate(*, case_id: int, actor: Any, data: Mapping[str, Any] | None) -> Letter:
    """Make a draft letter of a kind, for one recipient, from the case as it is now:
    {"kind": ..., "recipient": <adult id>, "note": optional message, "language":
    optional "en", "cy" or "cy_en" (else the recipient's), "variant": optional
    "standard", "easy_read" or "young_person" (with "child": <child id>; else the
    recipient's format needs decide)}."""
    request = _parse_request(data)
    case = _draftable_case(case_id, actor)
    if request.variant == LetterVariant.YOUNG_PERSON:
        return _generate_variant(case, actor, request, None, request.variant, data)
    adult = next((a for a in case.adults.all() if a.pk == request.recipient_id), None)
    if adult is None:
        raise InvalidInput(
            "Choose an adult on this case as the recipient.",
            field_errors={"recipient": ["This is not an adult on this case."]},
        )
    variant = _version_for(request.kind, adult, request)
    if variant != LetterVariant.STANDARD:
        return _generate_variant(case, actor, request, adult, variant, data)
    _require_available(case, request.kind)
    plan = _plan(case, request.kind, adult, request.language)
    return _generate(case, actor, request.kind, [plan], request.note)[0]


NO_ADULT_WITH_PR = (
    "No adult on this case has parental responsibility. Choose who the letter is for."
)


def letters_generate_for_recipients(
    *, case_id: int, actor: Any, data: Mapping[str, Any] | None
) -> list[Letter]:
    """Make one draft letter of a kind for each adult with parental responsibility on
    the case (docs/domain/letters.md), all or none: {"kind": ..., "note": optional,
    "language": optional (else each adult's own), "variant": optional ("easy_read")}."""
    request = _parse_request(data, with_recipient=False)
    if request.variant == LetterVariant.YOUNG_PERSON:
        message = "A young person's letter is for one child: choose the child."
        raise InvalidInput(message, field_errors={"variant": [message]})
    case = _draftable_case(case_id, actor)
    adults = [a for a in case.adults.all() if a.parental_responsibility]
    if not adults:
        raise InvalidInput(NO_ADULT_WITH_PR, field_errors={"recipient": [NO_ADULT_WITH_PR]})
    _require_available(case, request.kind)
    versions = {adult.pk: _version_for(request.kind, adult, request) for adult in adults}
    standard = [adult for adult in adults if versions[adult.pk] == LetterVariant.STANDARD]
    # All or none: the standard letters and the other versions in one transaction, in
    # the order of the adults.
    with transaction.atomic():
        plans = [_plan(case, request.kind, adult, request.language) for adult in standard]
        made = {
            letter.recipient_id: letter
            for letter in (
                _generate(case, actor, request.kind, plans, request.note) if plans else []
            )
        }
        for adult in adults:
            if versions[adult.pk] != LetterVariant.STANDARD:
                made[adult.pk] = _generate_variant(
                    case,
                    actor,
                    request,
                    adult,
                    versions[adult.pk],
                    {**dict(data or {}), "recipient": adult.pk},
                )
        return [made[adult.pk] for adult in adults]


def letter_approval_problems(letter: Letter) -> list[str]:
    """Why a letter cannot be approved without an override (empty when it can): each
    failed check of letters/gate.py, as a sentence a manager can act on."""
    return [check.failure for check in gate.failed_checks(letter)]


def _lock_letter_case(case_id: int, actor: Any) -> Case:
    """The letter's case, locked; a case the actor may not see is answered exactly like a
    missing letter, so that another team's letter ids cannot be told from unused ones."""
    try:
        return case_lock(case_id, viewer=actor)
    except NotFound:
        raise NotFound(LETTER_NOT_FOUND) from None


OVERRIDE_ROLES = "the case's team manager or a head of service"


def _refuse_failed(failed: list[gate.Check], *, may_override: bool) -> None:
    """Say which checks failed and what it takes to approve the letter anyway."""
    sentences = [check.failure for check in failed]
    count = "one approval check" if len(failed) == 1 else f"{len(failed)} approval checks"
    listed = " ".join(sentences)
    if may_override:
        raise GuardRefused(
            f"This letter failed {count}: {listed} Put it right and make the letter again, "
            "or give the reason for approving it as it is.",
            field_errors={
                "checks": sentences,
                "override_reason": [
                    "Give the reason for approving a letter that failed the checks."
                ],
            },
        )
    raise GuardRefused(
        f"This letter failed {count}: {listed} Put it right and make the letter again, or "
        f"ask {OVERRIDE_ROLES} to approve it with a reason.",
        field_errors={"checks": sentences},
    )


def letter_approve(*, letter_id: int, actor: Any, data: Mapping[str, Any] | None = None) -> Letter:
    """Approve a draft letter. A letter that fails any check of letters/gate.py needs an
    override by the case's team manager or a head of service, with a written reason:
    {"override_reason": "..."}; the failed checks are kept on the letter and in the
    audit."""
    fields = Fields(data)
    reason = fields.text("override_reason", required=False, max_length=MAX_NOTE)
    fields.check()
    found = Letter.objects.filter(pk=letter_id).only("case_id").first()
    if found is None:
        raise NotFound(LETTER_NOT_FOUND)
    with transaction.atomic():
        case = _lock_letter_case(found.case_id, actor)
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if not permissions.may_approve(actor, case):
            raise NotPermitted(
                "Only the case's team manager, a head of service or a lawyer can approve letters."
            )
        if letter.status != LetterStatus.DRAFT:
            raise GuardRefused(f"This letter is already {letter.get_status_display().lower()}.")
        failed = gate.failed_checks(letter)
        may_override = permissions.may_override_gate(actor, case)
        if failed and (not reason or not may_override):
            _refuse_failed(failed, may_override=may_override)
        overridden = bool(failed)
        letter.status = LetterStatus.APPROVED
        letter.approved_by, letter.approved_at = actor, clock.now()
        letter.override_reason = reason if overridden else ""
        letter.overridden_by = actor if overridden else None
        letter.gate_report = [check.as_dict() for check in failed]
        letter.save(
            update_fields=[
                "status",
                "approved_by",
                "approved_at",
                "override_reason",
                "overridden_by",
                "gate_report",
            ]
        )
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LETTER_APPROVED,
            reasons=letter.override_reason,
            details={
                "letter_id": letter.pk,
                "kind": letter.kind,
                "language": letter.language,
                "variant": letter.variant,
                "reading_ease": letter.reading_ease,
                "grade": letter.grade,
                "override": overridden,
                "failed_checks": [check.code for check in failed],
                "failures": [check.failure for check in failed],
            },
        )
    return letter


def letter_plain_language_check(
    *, letter_id: int, actor: Any, data: Mapping[str, Any] | None
) -> Letter:
    """Record that a person read a Welsh (or bilingual) draft and found its Welsh plain
    and clear: {"note": optional}. The readability scorer counts English only, so this
    is the Welsh letter's readability check (letters/gate.py)."""
    fields = Fields(data)
    note = fields.text("note", required=False, max_length=MAX_NOTE)
    fields.check()
    found = Letter.objects.filter(pk=letter_id).only("case_id").first()
    if found is None:
        raise NotFound(LETTER_NOT_FOUND)
    with transaction.atomic():
        case = _lock_letter_case(found.case_id, actor)
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if not permissions.may_check_plain_language(actor, case):
            raise NotPermitted("Your role cannot record the plain-language check of this letter.")
        if letter.language not in gate.WELSH_LANGUAGES:
            raise GuardRefused(
                "This letter is in English: its readability is scored, not checked by a person."
            )
        if letter.status != LetterStatus.DRAFT:
            raise GuardRefused(
                f"This letter is already {letter.get_status_display().lower()}: the check "
                "is recorded before approval."
            )
        letter.plain_language_checked_by = actor
        letter.plain_language_checked_at = clock.now()
        letter.plain_language_note = note
        letter.save(
            update_fields=[
                "plain_language_checked_by",
                "plain_language_checked_at",
                "plain_language_note",
            ]
        )
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LETTER_DETAILS_CHANGED,
            details={
                "letter_id": letter.pk,
                "kind": letter.kind,
                "language": letter.language,
                "plain_language_checked": True,
                "note": note,
            },
        )
    return letter


def _record_fgdm_offer(case: Case, letter: Letter, actor: Any, day: dt.date) -> None:
    """The letter before proceedings in England carries the family group decision-making
    offer (unless an exception is recorded): sending it makes the offer, so the offer is
    recorded with it, once a pre-proceedings period (docs/domain/milestones.md)."""
    if not (letter.context.get("fgdm") or {}).get("offer"):
        return
    already = case.recorded_events.filter(
        kind=EventKind.FGDM_OFFERED, date__gte=case.stage_entered_on
    ).exists()
    if already:
        return
    case_services.event_record(
        case_id=case.pk,
        actor=actor,
        data={
            "kind": EventKind.FGDM_OFFERED,
            "date": day.isoformat(),
            "summary": f"Offered in the letter before proceedings (letter {letter.pk}).",
        },
    )


def letter_record_sent(*, letter_id: int, actor: Any, data: Mapping[str, Any] | None) -> Letter:
    """Record that an approved letter was sent: {"date": "YYYY-MM-DD", "method": ...}.
    A letter before proceedings or a letter of issue also records its case event, which
    starts the clocks of docs/domain/milestones.md."""
    fields = Fields(data)
    found = Letter.objects.filter(pk=letter_id).only("case_id").first()
    if found is None:
        raise NotFound(LETTER_NOT_FOUND)
    with transaction.atomic():
        case = _lock_letter_case(found.case_id, actor)
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        spec = REGISTRY[letter.kind]
        # The young person's letter tells a child about their case: sending it is not the
        # parents' letter and starts no clock (docs/letter-formats.md).
        sent_event = None if letter.variant == LetterVariant.YOUNG_PERSON else spec.sent_event
        if not permissions.may_record_sent(actor, case, sent_event):
            raise NotPermitted("Your role cannot record this letter as sent.")
        if letter.status == LetterStatus.SENT:
            raise GuardRefused(
                f"This letter was already recorded as sent on {letter.sent_on:%d %B %Y}."
            )
        if letter.status != LetterStatus.APPROVED:
            raise GuardRefused(
                "This letter has not been approved yet. It must be approved before it is sent."
            )
        translation = TranslationRequest.objects.filter(letter=letter).first()
        if translation is not None and not translation.settled:
            raise GuardRefused(
                f"The translation into {translation.language} has not been attached. Attach "
                "it, or ask a manager to record why the letter goes without one, then record "
                "it as sent."
            )
        # Sent on or after the date on the letter, and not before the day it was approved.
        approved_on = (
            min(timezone.localdate(letter.approved_at), clock.today())
            if letter.approved_at
            else None
        )
        if approved_on is not None and approved_on > letter.dated:
            day = fields.date(
                "date", not_before=approved_on, not_before_label="the day it was approved"
            )
        else:
            day = fields.date(
                "date", not_before=letter.dated, not_before_label="the date on the letter"
            )
        method = fields.choice("method", SendMethod)
        fields.check()
        assert day is not None
        event = None
        if sent_event:
            event = case_services.event_record(
                case_id=case.pk,
                actor=actor,
                data={
                    "kind": sent_event,
                    "date": day.isoformat(),
                    "summary": f"Letter {letter.pk} ({spec.label.lower()}) sent "
                    f"{SendMethod(method).label.lower()}.",
                },
            )
            if sent_event == EventKind.LETTER_BEFORE_PROCEEDINGS_SENT:
                _record_fgdm_offer(case, letter, actor, day)
        letter.status = LetterStatus.SENT
        letter.sent_on, letter.sent_method = day, method
        letter.sent_by, letter.sent_at, letter.sent_event = actor, clock.now(), event
        letter.save(
            update_fields=["status", "sent_on", "sent_method", "sent_by", "sent_at", "sent_event"]
        )
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LETTER_SENT,
            effective_date=day,
            details={
                "letter_id": letter.pk,
                "kind": letter.kind,
                "method": method,
                "event_id": event.pk if event else None,
            },
        )
    return letter


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def letter_download(*, letter_id: int, actor: Any, file_format: str = "docx") -> Download:
    """The letter's file (Word, or a PDF made from it), for someone who may see the
    case; every download is written to the audit trail."""
    if file_format not in CONTENT_TYPES:
        raise InvalidInput(
            "Choose the format docx or pdf.", field_errors={"format": ["Choose docx or pdf."]}
        )
    letter = selectors.letter_with_case(letter_id)
    if letter is None or not permissions.can_view(actor, letter.case):
        raise NotFound(LETTER_NOT_FOUND)
    docx_path = storage.letter_path(letter.case_id, letter.file_sha256, "docx")
    try:
        data = storage.read_verified(docx_path, letter.file_sha256)
    except OSError as error:
        raise GuardRefused(
            "The stored file of this letter is missing or does not match its checksum. "
            "Tell an administrator."
        ) from error
    path = docx_path
    if file_format == "pdf":
        # The PDF is named after the Word file it was made from, and made once.
        path = storage.letter_path(letter.case_id, letter.file_sha256, "pdf")
        if not path.exists():
            digest = storage.save_pdf(path, pdf.docx_to_pdf(data))
            Letter.objects.filter(pk=letter.pk).update(pdf_sha256=digest)
        elif letter.pdf_sha256:
            try:
                storage.read_verified(path, letter.pdf_sha256)
            except OSError as error:
                raise GuardRefused(
                    "The stored PDF of this letter does not match its checksum. "
                    "Tell an administrator."
                ) from error
    with transaction.atomic():
        case_event_append(
            case=letter.case,
            actor=actor,
            kind=CaseEventKind.LETTER_DOWNLOADED,
            details={"letter_id": letter.pk, "kind": letter.kind, "format": file_format},
        )
    return Download(path, f"{letter.file_name}.{file_format}", CONTENT_TYPES[file_format])


def letter_reproduce(letter: Letter) -> rendering.Rendered:
    """Render the letter's stored context with the template it was made from."""
    template = template_by_sha(letter.kind, letter.template_sha256, letter.language, letter.variant)
    logo_sha = str(letter.context.get("logo", ""))
    logo_file = storage.asset_path(logo_sha)
    logo = logo_file.read_bytes() if logo_file.exists() else selectors.council_logo()[0]
    council = letter.context.get("council", {}).get("name", "")
    return rendering.render(template.data, letter.context, logo=logo, logo_alt=f"{council} logo")
