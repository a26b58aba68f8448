"""What a letter is built from: a plain snapshot of the case, read once.

The context builders are pure functions of a `LetterFacts` (no database, no clock, no
settings), so that they can be tested with invented facts, checked at start-up against
the templates, and run again on the same facts to give the same letter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StaffFacts:
    name: str
    email: str = ""


@dataclass(frozen=True)
class ChildFacts:
    first_name: str
    last_name: str
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None

    @property
    def unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None


@dataclass(frozen=True)
class AdultFacts:
    id: int
    first_name: str
    last_name: str
    relationship: str = "other"
    parental_responsibility: bool = False
    address: str = ""
    preferred_language: str = "English"
    interpreter_needed: bool = False
    advocate_needed: bool = False

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class ReviewFacts:
    reviewed_on: dt.date
    status: str
    note: str = ""


@dataclass(frozen=True)
class ExpectationFacts:
    id: int
    position: int
    adult_ids: tuple[int, ...]
    action: str
    why_it_matters: str
    help_offered: str
    how_judged: str
    due_by: dt.date
    reviews: tuple[ReviewFacts, ...] = ()


@dataclass(frozen=True)
class AssessmentFacts:
    what: str
    why: str
    who: str
    when: dt.date | None


@dataclass(frozen=True)
class DetailsFacts:
    concerns: str = ""
    history: str = ""
    help_given: str = ""
    assessments: tuple[AssessmentFacts, ...] = ()
    meeting_date: dt.date | None = None
    meeting_time: dt.time | None = None
    meeting_place: str = ""
    meeting_video_link: str = ""
    meeting_attendees: tuple[str, ...] = ()
    fgdm_how_to_accept: str = ""
    fgdm_exception_reason: str = ""
    legal_contact_name: str = ""
    legal_contact_phone: str = ""
    legal_contact_email: str = ""
    legal_reference: str = ""


@dataclass(frozen=True)
class ExtensionFacts:
    decided_on: dt.date
    new_end: dt.date
    reason: str


@dataclass(frozen=True)
class TimetableFacts:
    """One step of the pre-proceedings timetable: a review meeting or the decision point."""

    what: str  # "review" or "decision"
    day: dt.date


@dataclass(frozen=True)
class HearingFacts:
    """The first hearing the court has listed (from the case's recorded events)."""

    day: dt.date
    time: dt.time | None = None
    court: str = ""


@dataclass(frozen=True)
class LetterFacts:
    """Everything any letter kind may say, for one case and one recipient."""

    kind: str
    today: dt.date
    nation: str
    council: dict[str, Any]
    solicitors: tuple[dict[str, str], ...]
    logo_sha256: str
    reference: str
    stage: str
    outcome: str
    recipient: AdultFacts
    children: tuple[ChildFacts, ...]
    adults: tuple[AdultFacts, ...]
    expectations: tuple[ExpectationFacts, ...]
    details: DetailsFacts
    social_worker: StaffFacts
    team_name: str
    team_manager: StaffFacts | None = None
    # The council lawyer allocated to the case: the letters' legal contact when the
    # letter details name none (docs/domain/letters.md).
    lawyer: StaffFacts | None = None
    note: str = ""
    unborn_baby: bool = False
    pre_proceedings_started_on: dt.date | None = None
    letter_before_proceedings_sent_on: dt.date | None = None
    gateway_meeting_on: dt.date | None = None
    review_meetings: tuple[dt.date, ...] = ()
    extension: ExtensionFacts | None = None
    step_down_to: str = ""
    closed_on: dt.date | None = None
    issue_decided_on: dt.date | None = None
    application_due: dt.date | None = None
    issued_on: dt.date | None = None
    court_reference: str = ""
    fgdm_exception_on_case: str = ""
    # The review meetings and the decision point, from the case's deadlines or, before
    # the first meeting is held, planned from the meeting date by the timescale policy.
    timetable: tuple[TimetableFacts, ...] = ()
    # The last working day before the meeting: reply by then.
    reply_by: dt.date | None = None
    hearing: HearingFacts | None = None
    extra: dict[str, Any] = field(default_factory=dict)
