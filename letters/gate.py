"""The approval gate: what a letter must be before it is approved (docs/letters-approval.md).

Each check reads what the letter actually says (its stored context and text), not the
case as it is now, except the jargon list, which is read as it is at approval time so
that a term added in the admin holds back a letter made before it was added. A failed
check carries a sentence a team manager can act on; a letter with failed checks is
approved only with a manager's override and a written reason (letters/services/letters.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from legaltracker.calendars.services import get_calendar
from legaltracker.calendars.workingdays import WorkingDayCalendar
from legaltracker.core import clock
from legaltracker.deadlines.models import DEFAULTS as TIMESCALE_DEFAULTS
from legaltracker.deadlines.models import TimescalePolicy

from . import conf, readability
from .choices import LETTER_BEFORE_PROCEEDINGS_KINDS, LetterKind, LetterLanguage, LetterVariant
from .models import Letter, TemplateTranslationReview

WELSH_LANGUAGES = frozenset({LetterLanguage.WELSH, LetterLanguage.BILINGUAL})

# What each kind of letter must carry besides readable words (docs/letters-approval.md).
NEEDS_CONCERNS = LETTER_BEFORE_PROCEEDINGS_KINDS | {LetterKind.LETTER_OF_ISSUE}
NEEDS_LEGAL_CONTACT = LETTER_BEFORE_PROCEEDINGS_KINDS | {LetterKind.LETTER_OF_ISSUE}
NEEDS_SOLICITORS = LETTER_BEFORE_PROCEEDINGS_KINDS | {LetterKind.LETTER_OF_ISSUE}


@dataclass(frozen=True)
class Check:
    """One approval check: what it checks (`what`), whether the letter passed, and when
    it did not, what to do about it (`failure`, a sentence)."""

    code: str
    what: str
    passed: bool
    failure: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Inputs:
    """What the checks read besides the letter: the working-day calendar, the notice the
    timescale policy asks for, and the jargon list. Read once for a page of letters."""

    calendar: WorkingDayCalendar
    notice_working_days: int
    jargon: readability.JargonList

    @classmethod
    def load(cls) -> Inputs:
        return cls(get_calendar(conf.nation()), notice_working_days(), readability.jargon_terms())


def _check(code: str, what: str, failure: str | None) -> Check:
    """A check that failed with `failure`, or passed when it is empty."""
    return Check(code, what, not failure, failure or "")


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def notice_working_days() -> int:
    """The timescale policy's "not before": the working days of notice parents get
    before the first meeting, to find a solicitor (docs/domain/milestones.md)."""
    policy = TimescalePolicy.objects.filter(pk=1).first()
    return int(
        policy.initial_meeting_notice_working_days
        if policy is not None
        else TIMESCALE_DEFAULTS.initial_meeting_notice_working_days
    )


# --- what the letter says ---------------------------------------------------------------


def _concerns(letter: Letter) -> list[Check]:
    if letter.kind not in NEEDS_CONCERNS:
        return []
    filled = str(letter.context.get("concerns") or "").strip()
    return [
        _check(
            "concerns",
            "The concerns are filled in",
            None
            if filled
            else "The letter does not say why we are worried. Fill in the concerns in the "
            "letter details, then make the letter again.",
        )
    ]


def _expectations(letter: Letter) -> list[Check]:
    if letter.kind not in LETTER_BEFORE_PROCEEDINGS_KINDS:
        return []
    items = letter.context.get("expectations") or []
    failure = None
    if not items:
        failure = (
            "The letter has no expectations. Add at least one item to the schedule of "
            "expectations, with the date it is expected by, then make the letter again."
        )
    elif any(not item.get("due_iso") for item in items):
        failure = (
            "Every expectation needs a date by which it is expected. Add the dates, then "
            "make the letter again."
        )
    label = "The schedule of expectations is filled in, with dates"
    return [_check("expectations", label, failure)]


def _meeting_details(meeting: dict[str, Any]) -> str | None:
    missing = [
        words
        for words, present in (
            ("the date", meeting.get("has")),
            ("the time", meeting.get("time")),
            ("the place or video link", meeting.get("place") or meeting.get("video_link")),
            ("who will be there", meeting.get("attendees")),
        )
        if not present
    ]
    if not missing:
        return None
    return (
        "The meeting details are not complete: add "
        + ", ".join(missing)
        + " of the meeting, then make the letter again."
    )


def _meeting_day(
    letter: Letter, meeting: dict[str, Any], inputs: Inputs, *, notice: bool
) -> list[Check]:
    """The meeting's date: on a working day, not in the past, and (the first meeting)
    far enough after the letter's date for the family to find a solicitor."""
    try:
        day = dt.date.fromisoformat(str(meeting.get("date_iso") or ""))
    except ValueError:
        return []
    today = clock.today()
    calendar = inputs.calendar
    checks = [
        _check(
            "meeting_not_past",
            "The meeting is not in the past",
            None
            if day >= today
            else f"The meeting date, {long_date(day)}, has passed. Choose a new date in the "
            "letter details, then make the letter again.",
        )
    ]
    holiday = calendar.holidays(day.year).get(day)
    if calendar.is_working_day(day):
        off = None
    elif holiday:
        off = f"The meeting is on {long_date(day)}, a bank holiday ({holiday})."
    else:
        off = f"The meeting is on {long_date(day)}, a {day:%A}."
    checks.append(
        _check(
            "meeting_working_day",
            "The meeting is on a working day",
            None if off is None else f"{off} Choose a working day, then make the letter again.",
        )
    )
    if notice:
        days = inputs.notice_working_days
        earliest = calendar.add_working_days(letter.dated, days)
        checks.append(
            _check(
                "meeting_notice",
                f"The meeting is at least {days} working days after the letter's date",
                None
                if day >= earliest
                else f"The meeting, on {long_date(day)}, is too soon after the letter's date "
                f"({long_date(letter.dated)}). The family needs at least {days} working days "
                f"to find a solicitor: choose {long_date(earliest)} or later, then make the "
                "letter again.",
            )
        )
    return checks


def _meeting(letter: Letter, inputs: Inputs) -> list[Check]:
    meeting = letter.context.get("meeting") or {}
    if letter.kind in LETTER_BEFORE_PROCEEDINGS_KINDS:
        checks = [
            _check("meeting_details", "The meeting details are complete", _meeting_details(meeting))
        ]
        if meeting.get("has"):
            checks += _meeting_day(letter, meeting, inputs, notice=True)
        return checks
    if letter.kind == LetterKind.REVIEW_OUTCOME and meeting.get("has"):
        return _meeting_day(letter, meeting, inputs, notice=False)
    return []


def _family_meeting(letter: Letter) -> list[Check]:
    if letter.kind not in LETTER_BEFORE_PROCEEDINGS_KINDS or conf.nation() != "england":
        return []
    fgdm = letter.context.get("fgdm") or {}
    offered = fgdm.get("offer") and fgdm.get("how_to_accept")
    return [
        _check(
            "family_meeting",
            "The family group decision-making offer is made, or the exception recorded",
            None
            if fgdm.get("exception") or offered
            else "The letter must offer a family group decision-making meeting and say how to "
            "accept it (s31ZA Children Act 1989), or the reason it is not in the child's best "
            "interests must be recorded. Add how to accept the offer, then make the letter "
            "again.",
        )
    ]


def _legal_contact(letter: Letter) -> list[Check]:
    if letter.kind not in NEEDS_LEGAL_CONTACT:
        return []
    legal = letter.context.get("legal") or {}
    failure = None
    if not legal.get("has") or not str(legal.get("name") or "").strip():
        failure = (
            "The letter does not name the council's legal contact. Add the legal contact's "
            "name in the letter details, or allocate a lawyer to the case, then make the "
            "letter again."
        )
    elif not (legal.get("phone") or legal.get("email")):
        failure = (
            "The letter gives no phone number or email for the council's legal contact. "
            "Add one in the letter details, then make the letter again."
        )
    return [_check("legal_contact", "The council's legal contact is filled in", failure)]


def _solicitors(letter: Letter) -> list[Check]:
    if letter.kind not in NEEDS_SOLICITORS:
        return []
    listed = [
        s
        for s in letter.context.get("solicitors") or []
        if str(s.get("name") or "").strip() and str(s.get("phone") or "").strip()
    ]
    return [
        _check(
            "solicitors",
            "The list of local solicitors is filled in",
            None
            if listed
            else "The letter lists no local solicitors who take children's cases. Ask an "
            "administrator to add them (with their phone numbers), then make the letter again.",
        )
    ]


# --- how the letter reads ----------------------------------------------------------------


def _readability(letter: Letter) -> list[Check]:
    """English words only: the scorer counts English syllables."""
    if letter.language != LetterLanguage.ENGLISH:
        return []
    targets = conf.readability_targets()
    ease, grade, most = targets["reading_ease"], targets["grade"], int(targets["sentence_words"])
    report = letter.readability or {}
    longest = report.get("longest_sentences") or []
    too_long = [s for s in longest if int(s.get("words", 0)) > most]
    checks = [
        _check(
            "reading_ease",
            f"Reading ease is {ease:g} or more",
            None
            if letter.reading_ease >= ease
            else f"The reading ease is {letter.reading_ease:g}, below the {ease:g} needed. Use "
            "shorter sentences and everyday words, then make the letter again.",
        ),
        _check(
            "grade",
            f"School grade is {grade:g} or less",
            None
            if letter.grade <= grade
            else f"The school grade is {letter.grade:g}, above the {grade:g} allowed. Use "
            "shorter sentences and shorter words, then make the letter again.",
        ),
    ]
    failure = None
    if too_long:
        first = too_long[0]
        text = str(first.get("text", ""))
        shown = text if len(text) <= 120 else text[:117] + "..."
        failure = (
            f"A sentence has {first['words']} words, more than the {most} allowed: "
            f"\u201c{shown}\u201d Split it into shorter sentences, then make the letter again."
        )
    checks.append(_check("sentence_length", f"No sentence is over {most} words", failure))
    return checks


def _jargon(letter: Letter, jargon: readability.JargonList) -> list[Check]:
    """Every term of the jargon list as it is now: explained in the glossary or not used.
    A Welsh-only letter is checked by a person instead (its glossary is in Welsh)."""
    if letter.language == LetterLanguage.WELSH:
        return []
    explained = [str(item.get("term", "")) for item in letter.context.get("glossary") or []]
    found = readability.find_jargon(letter.text, explained, jargon)
    unexplained = [item["term"] for item in found if not item["explained"]]
    failure = None
    if unexplained:
        quoted = ", ".join(f"\u201c{term}\u201d" for term in unexplained)
        them = "it" if len(unexplained) == 1 else "them"
        failure = (
            f"The letter uses {quoted} without explaining {them}. Use plain words instead, "
            "or ask an administrator to add the term's meaning to the jargon list so that "
            "the glossary explains it, then make the letter again."
        )
    return [_check("jargon", "No unexplained jargon", failure)]


def _welsh(letter: Letter) -> list[Check]:
    if letter.language not in WELSH_LANGUAGES:
        return []
    reviewed = TemplateTranslationReview.objects.filter(
        kind=letter.kind,
        language=letter.language,
        variant=letter.variant,
        template_sha256=letter.template_sha256,
    ).exists()
    return [
        _check(
            "plain_language_check",
            "A person has checked the Welsh is plain",
            None
            if letter.plain_language_checked_at
            else "Nobody has checked that the Welsh in this letter is plain and clear. Ask a "
            "Welsh speaker to read it and record the check on this page.",
        ),
        _check(
            "translation_review",
            "The council's reviewer has signed off the Welsh template",
            None
            if reviewed
            else "The council's translation reviewer has not signed off the Welsh text of "
            "this letter's template. Ask an administrator to record the review, or approve "
            "with a reason.",
        ),
    ]


def approval_checks(letter: Letter, *, inputs: Inputs | None = None) -> list[Check]:
    """Every check that applies to the letter, passed or failed, in the order a manager
    reads the letter."""
    inputs = inputs or Inputs.load()
    # The young person's letter tells a child what is happening and who they can talk
    # to; the schedule, the meeting, the lawyers and the solicitors are in their parents'
    # letters, so only how it reads is checked.
    for_parents = letter.variant != LetterVariant.YOUNG_PERSON
    content = (
        [
            *_concerns(letter),
            *_expectations(letter),
            *_meeting(letter, inputs),
            *_family_meeting(letter),
            *_legal_contact(letter),
            *_solicitors(letter),
        ]
        if for_parents
        else []
    )
    return [
        *content,
        *_readability(letter),
        *_jargon(letter, inputs.jargon),
        *_welsh(letter),
    ]


def failed_checks(letter: Letter, *, inputs: Inputs | None = None) -> list[Check]:
    return [check for check in approval_checks(letter, inputs=inputs) if not check.passed]
