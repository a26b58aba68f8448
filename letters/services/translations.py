"""Languages of letters, and translation requests (docs/welsh-letters.md).

- `letter_language_for(adult)`: the language a new letter to an adult is written in when
  nobody chooses one: Welsh for an adult who asked for Welsh; for everyone else the
  council's default when that is bilingual (a council in Wales), else English.
- An adult whose correspondence language is another one (no template) gets the English
  letter with a `TranslationRequest`: who asked, when, for which language. The letter
  cannot be recorded as sent until the translation is attached (a .docx or .pdf, kept
  like letter files, by checksum) or a team manager or head of service records why it
  goes without one. Both are audited on the case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from legaltracker.accounts.models import Role
from legaltracker.cases.choices import CaseEventKind, CorrespondenceLanguage
from legaltracker.cases.events import case_event_append, case_lock
from legaltracker.cases.inputs import Fields
from legaltracker.core import clock
from legaltracker.core.errors import GuardRefused, InvalidInput, NotFound, NotPermitted

from .. import permissions, rendering, storage
from ..choices import LetterLanguage, LetterStatus
from ..models import CouncilDetails, Letter, TranslationRequest

MAX_TRANSLATION_BYTES = 10 * 1024 * 1024
MAX_REASON = 3_000
LETTER_NOT_FOUND = "There is no letter with that id that you can see."
NO_REQUEST = "This letter has no translation request."

# What a translation file must start with: a Word document (a zip) or a PDF.
_SIGNATURES = {"docx": b"PK\x03\x04", "pdf": b"%PDF-"}


def council_default_language() -> str:
    details = CouncilDetails.objects.only("default_language").first()
    return details.default_language if details else LetterLanguage.ENGLISH


def letter_language_for(adult: Any) -> str:
    """The language of a new letter to this adult when none is chosen."""
    if adult.correspondence_language == CorrespondenceLanguage.WELSH:
        return LetterLanguage.WELSH
    if council_default_language() == LetterLanguage.BILINGUAL:
        # A council in Wales writes bilingually to those who have not asked for Welsh.
        # (Another language: the bilingual letter, with a translation request.)
        return LetterLanguage.BILINGUAL
    return LetterLanguage.ENGLISH


def translation_needed(adult: Any, language: str) -> str:
    """The language a translation of the letter is needed in ("" for none): the adult's
    own language when it has no template and the letter is not in Welsh only."""
    if adult.correspondence_language != CorrespondenceLanguage.OTHER:
        return ""
    if language == LetterLanguage.WELSH:
        return ""
    return adult.correspondence_language_other.strip() or "their language (not recorded)"


def request_create(*, letter: Letter, language: str, actor: Any) -> TranslationRequest:
    """Called inside the letter's own transaction (its audit row says
    translation_requested)."""
    return TranslationRequest.objects.create(
        letter=letter,
        language=rendering.clean_value(language)[:60],
        requested_by=actor,
        requested_at=clock.now(),
    )


def may_waive(user: Any, case: Any) -> bool:
    if not permissions._active(user):
        return False
    if user.role == Role.HEAD_OF_SERVICE:
        return permissions.can_view(user, case)
    return permissions._team(user, case, {Role.TEAM_MANAGER})


def may_attach(user: Any, case: Any) -> bool:
    return permissions.may_draft(user, case)


def _locked(letter_id: int, actor: Any) -> tuple[Any, Letter, TranslationRequest]:
    found = Letter.objects.filter(pk=letter_id).only("case_id").first()
    if found is None:
        raise NotFound(LETTER_NOT_FOUND)
    try:
        case = case_lock(found.case_id, viewer=actor)
    except NotFound:
        raise NotFound(LETTER_NOT_FOUND) from None
    letter = Letter.objects.select_for_update().get(pk=letter_id)
    request = TranslationRequest.objects.select_for_update().filter(letter=letter).first()
    if request is None:
        raise GuardRefused(NO_REQUEST)
    if letter.status == LetterStatus.SENT:
        raise GuardRefused("This letter is already recorded as sent.")
    if request.settled:
        done = "attached" if request.attached_sha256 else "recorded as not needed"
        raise GuardRefused(f"The translation of this letter is already {done}.")
    return case, letter, request


def _file_kind(name: str, data: bytes) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in _SIGNATURES or not data.startswith(_SIGNATURES[extension]):
        return ""
    return extension


def translation_attach(*, letter_id: int, actor: Any, file_name: str, data: bytes) -> Letter:
    """Attach the translated letter (a .docx or .pdf, at most 10 MB)."""
    if not data:
        raise InvalidInput(
            "Choose the file of the translated letter.",
            field_errors={"file": ["Choose the file of the translated letter."]},
        )
    if len(data) > MAX_TRANSLATION_BYTES:
        message = "The file is larger than 10 MB. Attach a smaller file."
        raise InvalidInput(message, field_errors={"file": [message]})
    extension = _file_kind(file_name, data)
    if not extension:
        message = "Attach the translation as a Word document (.docx) or a PDF (.pdf)."
        raise InvalidInput(message, field_errors={"file": [message]})
    with transaction.atomic():
        case, letter, request = _locked(letter_id, actor)
        if not may_attach(actor, case):
            raise NotPermitted("Your role cannot attach translations on this case.")
        digest, _ = storage.save_letter_file(case.pk, data, extension)
        request.attached_sha256 = digest
        request.attached_name = rendering.clean_value(file_name)[:200]
        request.attached_by, request.attached_at = actor, clock.now()
        request.save(
            update_fields=["attached_sha256", "attached_name", "attached_by", "attached_at"]
        )
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LETTER_DETAILS_CHANGED,
            details={
                "letter_id": letter.pk,
                "translation": "attached",
                "language": request.language,
                "file_sha256": digest,
                "format": extension,
            },
        )
    return letter


def translation_waive(*, letter_id: int, actor: Any, data: Mapping[str, Any] | None) -> Letter:
    """A team manager or head of service records why the letter goes untranslated:
    {"reason": "..."}."""
    fields = Fields(data)
    reason = fields.text("reason", required=False, max_length=MAX_REASON)
    if not reason:
        fields.error("reason", "Say why the letter goes without a translation.")
    fields.check()
    with transaction.atomic():
        case, letter, request = _locked(letter_id, actor)
        if not may_waive(actor, case):
            raise NotPermitted(
                "Only the case's team manager or a head of service can record why a letter "
                "goes without its translation."
            )
        request.waived_reason = reason
        request.waived_by, request.waived_at = actor, clock.now()
        request.save(update_fields=["waived_reason", "waived_by", "waived_at"])
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LETTER_DETAILS_CHANGED,
            reasons=reason,
            details={
                "letter_id": letter.pk,
                "translation": "waived",
                "language": request.language,
            },
        )
    return letter


def translation_download_path(letter: Letter) -> Any:
    request = TranslationRequest.objects.filter(letter=letter).first()
    if request is None or not request.attached_sha256:
        return None
    extension = request.attached_name.rsplit(".", 1)[-1].lower()
    return storage.letter_path(letter.case_id, request.attached_sha256, extension)
