"""Reads for the letters: the schedule of expectations, a case's letters, and the facts a
letter is built from. Each returns its rows with their joins chosen, so that a page or
a letter costs the same number of queries whatever the size of the schedule."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from legaltracker.accounts.models import Role
from legaltracker.cases.choices import EventKind, ExtensionKind
from legaltracker.cases.models import Case
from legaltracker.deadlines.choices import Milestone

from . import conf, storage
from .choices import LetterKind, LetterStatus
from .facts import (
    AdultFacts,
    AssessmentFacts,
    ChildFacts,
    DetailsFacts,
    ExpectationFacts,
    ExtensionFacts,
    HearingFacts,
    LetterFacts,
    ReviewFacts,
    StaffFacts,
    TimetableFacts,
)
from .models import Expectation, ExpectationReview, Letter, LetterDetails


def expectations_for_case(
    case_id: int, *, include_withdrawn: bool = False
) -> QuerySet[Expectation]:
    """The schedule, in order, with the adults and every review prefetched."""
    queryset = Expectation.objects.filter(case_id=case_id).prefetch_related(
        "adults",
        Prefetch("reviews", queryset=ExpectationReview.objects.order_by("reviewed_on", "id")),
    )
    if not include_withdrawn:
        queryset = queryset.filter(withdrawn=False)
    return queryset.order_by("position", "id")


def latest_review(expectation: Expectation) -> ExpectationReview | None:
    """The newest review of a prefetched expectation (no query)."""
    reviews = list(expectation.reviews.all())
    return reviews[-1] if reviews else None


def letters_for_case(case_id: int) -> QuerySet[Letter]:
    return (
        Letter.objects.for_case(case_id)
        .select_related("recipient", "recipient_child", "generated_by", "approved_by", "sent_by")
        .defer("context", "text")
        .order_by("-generated_at", "-id")
    )


def letter_with_case(letter_id: int) -> Letter | None:
    return (
        Letter.objects.select_related(
            "case",
            "case__team",
            "recipient",
            "recipient_child",
            "generated_by",
            "approved_by",
            "sent_by",
        )
        .filter(pk=letter_id)
        .first()
    )


def letter_details(case_id: int) -> LetterDetails | None:
    return LetterDetails.objects.filter(case_id=case_id).first()


@lru_cache(maxsize=8)
def _logo(path: str, modified: float) -> tuple[bytes, str]:
    data = Path(path).read_bytes()
    return data, storage.sha256(data)


def council_logo() -> tuple[bytes, str]:
    """The council's logo bytes and SHA-256: the one uploaded in the admin, else the
    configured file (re-read when the file changes)."""
    from .models import CouncilDetails

    uploaded = CouncilDetails.objects.order_by("pk").values_list("logo", flat=True).first()
    if uploaded:
        data = bytes(uploaded)
        return data, storage.sha256(data)
    path = conf.council_logo()
    return _logo(str(path), path.stat().st_mtime)


def team_manager(team_id: int) -> Any:
    return (
        get_user_model()
        .objects.filter(team_id=team_id, role=Role.TEAM_MANAGER, is_active=True)
        .order_by("last_name", "first_name", "id")
        .first()
    )


def _staff(user: Any) -> StaffFacts | None:
    if user is None:
        return None
    return _staff_of(user)


def _staff_of(user: Any) -> StaffFacts:
    return StaffFacts(name=user.display_name, email=user.email or "")


def _details(details: LetterDetails | None) -> DetailsFacts:
    if details is None:
        return DetailsFacts()
    assessments = []
    for item in details.assessments or []:
        when = item.get("when")
        assessments.append(
            AssessmentFacts(
                what=str(item.get("what", "")),
                why=str(item.get("why", "")),
                who=str(item.get("who", "")),
                when=dt.date.fromisoformat(when) if when else None,
            )
        )
    return DetailsFacts(
        concerns=details.concerns,
        history=details.history,
        help_given=details.help_given,
        assessments=tuple(assessments),
        meeting_date=details.meeting_date,
        meeting_time=details.meeting_time,
        meeting_place=details.meeting_place,
        meeting_video_link=details.meeting_video_link,
        meeting_attendees=tuple(str(a) for a in details.meeting_attendees or []),
        fgdm_how_to_accept=details.fgdm_how_to_accept,
        fgdm_exception_reason=details.fgdm_exception_reason,
        legal_contact_name=details.legal_contact_name,
        legal_contact_phone=details.legal_contact_phone,
        legal_contact_email=details.legal_contact_email,
        legal_reference=details.legal_reference,
    )


def _adult(adult: Any) -> AdultFacts:
    return AdultFacts(
        id=adult.pk,
        first_name=adult.first_name,
        last_name=adult.last_name,
        relationship=adult.relationship,
        parental_responsibility=adult.parental_responsibility,
        address=adult.address,
        preferred_language=adult.preferred_language or "English",
        interpreter_needed=adult.interpreter_needed,
        advocate_needed=adult.advocate_needed,
    )


def load_case(case_id: int) -> Case | None:
    """The case with what letter facts read, prefetched."""
    return (
        Case.objects.select_related("team", "social_worker", "allocated_lawyer")
        .prefetch_related("children", "adults")
        .filter(pk=case_id)
        .first()
    )


def _on_a_working_day(day: dt.date, calendar: Any) -> dt.date:
    """`day`, or the working day before it (as the deadline rules place meetings)."""
    return calendar.add_working_days(calendar.add_working_days(day, 1), -1)


def _reviews_before(
    start: dt.date, end: dt.date, *, review_weeks: int, calendar: Any
) -> list[TimetableFacts]:
    """A review every `review_weeks` after `start`, each on a working day, before `end`."""
    from legaltracker.calendars.workingdays import add_weeks

    steps = []
    review = start
    while review_weeks > 0:
        review = _on_a_working_day(add_weeks(review, review_weeks), calendar)
        if review >= end:
            break
        steps.append(TimetableFacts("review", review))
    return steps


def planned_timetable(
    first_meeting: dt.date, *, review_weeks: int, decision_weeks: int, calendar: Any
) -> list[TimetableFacts]:
    """The review meetings and the decision point the timescale policy sets from the
    first meeting, each on a working day (the deadline rules' own arithmetic)."""
    from legaltracker.calendars.workingdays import add_weeks

    decision = _on_a_working_day(add_weeks(first_meeting, decision_weeks), calendar)
    reviews = _reviews_before(first_meeting, decision, review_weeks=review_weeks, calendar=calendar)
    return [*reviews, TimetableFacts("decision", decision)]


def _timetable(case: Case, meeting: dt.date | None, today: dt.date) -> list[TimetableFacts]:
    """The next review meetings and the decision point: the case's own outstanding
    deadlines once the first meeting is held; before that, planned from the meeting."""
    from legaltracker.calendars.services import get_calendar
    from legaltracker.deadlines.services import timescales

    rows = list(
        case.deadlines.filter(
            milestone__in=[Milestone.REVIEW_MEETING, Milestone.PRE_PROCEEDINGS_DECISION],
            applies=True,
            met_on__isnull=True,
        )
        .order_by("due", "id")
        .values_list("milestone", "due")
    )
    policy = timescales()
    calendar = get_calendar()
    if rows:
        steps = [
            TimetableFacts("review" if m == Milestone.REVIEW_MEETING else "decision", due)
            for m, due in rows
        ]
        decision = next((s.day for s in steps if s.what == "decision"), None)
        last_review = max((s.day for s in steps if s.what == "review"), default=None)
        if decision and last_review:
            # The reviews after the next one, planned the same way, up to the decision.
            steps += _reviews_before(
                last_review, decision, review_weeks=policy.review_meeting_weeks, calendar=calendar
            )
        return sorted(steps, key=lambda s: (s.day, s.what))
    start = meeting if meeting and meeting >= today else None
    if start is None:
        initial = (
            case.deadlines.filter(milestone=Milestone.INITIAL_MEETING, applies=True)
            .order_by("-cycle")
            .values_list("due", flat=True)
            .first()
        )
        start = initial if initial and initial >= today else None
    if start is None:
        return []
    return planned_timetable(
        start,
        review_weeks=policy.review_meeting_weeks,
        decision_weeks=policy.pre_proceedings_decision_weeks,
        calendar=calendar,
    )


def _reply_by(meeting: dt.date | None, today: dt.date) -> dt.date | None:
    """The last working day before the meeting (none when the meeting is not ahead)."""
    if meeting is None or meeting <= today:
        return None
    from legaltracker.calendars.services import get_calendar

    day = get_calendar().add_working_days(meeting, -1)
    return day if day > today else None


def _first_hearing(
    case: Case, details: LetterDetails | None, today: dt.date
) -> HearingFacts | None:
    """The earliest listed hearing from today on (the case's "hearing listed" events),
    with the time and court from the letter details."""
    listed = []
    for event_details in case.recorded_events.filter(kind=EventKind.HEARING_LISTED).values_list(
        "details", flat=True
    ):
        raw = (event_details or {}).get("hearing_date")
        if raw:
            day = dt.date.fromisoformat(str(raw))
            if day >= today:
                listed.append(day)
    if not listed:
        return None
    return HearingFacts(
        day=min(listed),
        time=details.hearing_time if details else None,
        court=details.hearing_court if details else "",
    )


_NEEDS_EVENTS = frozenset(
    {LetterKind.REVIEW_OUTCOME, LetterKind.END_OF_PRE_PROCEEDINGS, LetterKind.LETTER_OF_ISSUE}
)


def letter_facts(
    *, case: Case, kind: str, recipient_id: int, note: str, today: dt.date
) -> LetterFacts:
    """Everything a letter of any kind may say, for this case and recipient."""
    adults = [_adult(a) for a in case.adults.all()]
    recipient = next(a for a in adults if a.id == recipient_id)
    expectations = []
    for e in expectations_for_case(case.pk):
        expectations.append(
            ExpectationFacts(
                id=e.pk,
                position=e.position,
                adult_ids=tuple(sorted(a.pk for a in e.adults.all())),
                action=e.action,
                why_it_matters=e.why_it_matters,
                help_offered=e.help_offered,
                how_judged=e.how_judged,
                due_by=e.due_by,
                reviews=tuple(
                    ReviewFacts(r.reviewed_on, r.status, r.note) for r in e.reviews.all()
                ),
            )
        )
    # Each kind reads only what its builder uses (the letter before proceedings, the
    # common case, needs none of these).
    events: list[tuple[str, dt.date]] = []
    if kind in _NEEDS_EVENTS:
        events = list(
            case.recorded_events.filter(
                kind__in=[EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, EventKind.REVIEW_MEETING_HELD]
            ).values_list("kind", "date")
        )
    lbp_dates = sorted(
        d
        for k, d in events
        if k == EventKind.LETTER_BEFORE_PROCEEDINGS_SENT
        and (case.pre_proceedings_started_on is None or d >= case.pre_proceedings_started_on)
    )
    reviews = tuple(sorted(d for k, d in events if k == EventKind.REVIEW_MEETING_HELD))
    gateway = (
        case.gateway_decisions.order_by("-meeting_date", "-id").first()
        if kind == LetterKind.GATEWAY_OUTCOME
        else None
    )
    extension = (
        (
            case.extensions.filter(kind=ExtensionKind.PRE_PROCEEDINGS)
            .order_by("-decided_on", "-id")
            .first()
        )
        if kind == LetterKind.REVIEW_OUTCOME
        else None
    )
    application_due = (
        (
            case.deadlines.filter(milestone=Milestone.APPLICATION_ISSUED, applies=True)
            .order_by("-cycle")
            .values_list("due", flat=True)
            .first()
        )
        if kind == LetterKind.LETTER_OF_ISSUE
        else None
    )
    details = letter_details(case.pk)
    lbp = kind in (
        LetterKind.LETTER_BEFORE_PROCEEDINGS,
        LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN,
    )
    meeting = details.meeting_date if details else None
    timetable = _timetable(case, meeting, today) if lbp else []
    hearing = _first_hearing(case, details, today) if kind == LetterKind.LETTER_OF_ISSUE else None
    _, logo_sha = council_logo()
    children = tuple(
        ChildFacts(c.first_name, c.last_name, c.date_of_birth, c.expected_date_of_birth)
        for c in case.children.all()
    )
    return LetterFacts(
        kind=kind,
        today=today,
        nation=conf.nation(),
        council=conf.council(),
        solicitors=tuple(conf.solicitors()),
        logo_sha256=logo_sha,
        reference=case.reference or f"Case {case.pk}",
        stage=case.stage,
        outcome=case.outcome,
        recipient=recipient,
        children=children,
        adults=tuple(adults),
        expectations=tuple(expectations),
        details=_details(details),
        social_worker=_staff_of(case.social_worker),
        team_name=case.team.name,
        team_manager=_staff(team_manager(case.team_id)),
        lawyer=_staff(case.allocated_lawyer),
        note=note,
        unborn_baby=case.unborn_baby,
        pre_proceedings_started_on=case.pre_proceedings_started_on,
        letter_before_proceedings_sent_on=lbp_dates[0] if lbp_dates else None,
        gateway_meeting_on=gateway.meeting_date if gateway else None,
        review_meetings=reviews,
        extension=(
            ExtensionFacts(extension.decided_on, extension.new_end, extension.reason)
            if extension
            else None
        ),
        step_down_to=case.step_down_to,
        closed_on=case.closed_on,
        issue_decided_on=case.issue_decided_on,
        application_due=application_due,
        issued_on=case.issued_on,
        court_reference=case.court_reference,
        fgdm_exception_on_case=case.fgdm_exception_reason,
        timetable=tuple(timetable),
        reply_by=_reply_by(meeting, today) if lbp else None,
        hearing=hearing,
    )


def letters_to_approve(user: Any) -> QuerySet[Letter]:
    """The draft letters waiting for approval that this person may approve, oldest first:
    the rule is `permissions.may_approve` (a team manager: their team's cases; a head of
    service or a lawyer: every case they may see), here as a query, with the case, its
    team and children and the writer joined in."""
    drafts = Letter.objects.filter(status=LetterStatus.DRAFT)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return drafts.none()
    visible = Case.objects.visible_to(user)
    if user.role == Role.TEAM_MANAGER and user.team_id is not None:
        drafts = drafts.filter(case__in=visible.filter(team_id=user.team_id))
    elif user.role in (Role.LEGAL, Role.HEAD_OF_SERVICE):
        drafts = drafts.filter(case__in=visible)
    else:
        return drafts.none()
    queryset: QuerySet[Letter] = (
        drafts.select_related("case", "case__team", "generated_by")
        .prefetch_related("case__children")
        .defer("context", "text", "readability")
        .order_by("generated_at", "id")
    )
    return queryset


def letters_to_approve_count(user: Any) -> int:
    return letters_to_approve(user).order_by().count()
