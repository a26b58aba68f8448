"""The CIN census pre-proceedings block (`PreProceedingsandFGDM`), one per child and CIN
episode, derived from the case's recorded events and dates (docs/census.md).

Two steps: `episode_facts` reads a case's pre-proceedings as recorded, whole; then
`year_items` decides whether the episode is in a year's return and which of its dates
that return reports (the year rule, docs/census.md). `blocks_for_year` streams the
blocks of every child for a year with a fixed number of queries per chunk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from django.db.models import Case, Exists, F, JSONField, OuterRef, Q, Value, When

from legaltracker.cases.choices import EventKind, Outcome, StepDownTo, Transition
from legaltracker.cases.models import Child, GatewayDecision, RecordedEvent

from .models import OutcomeCode, PreProceedingsEnding

# (XML element name, CensusBlock attribute), in the schema's order.
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("PPStartDate", "pp_start_date"),
    ("LBPSentDate", "lbp_sent_date"),
    ("FGDMMeetingOffer", "fgdm_meeting_offer"),
    ("FGDMMeetingFac", "fgdm_meeting_fac"),
    ("InitialPPMeetingDate", "initial_pp_meeting_date"),
    ("ReviewMeetingsCount", "review_meetings_count"),
    ("StepDecisionDate", "step_decision_date"),
    ("PPOutcome", "pp_outcome"),
    ("CourtAppDate", "court_app_date"),
    ("LetterInitCPDate", "letter_init_cp_date"),
)


@dataclass(frozen=True)
class CensusBlock:
    """One child's pre-proceedings block for one CIN episode and census year."""

    child_id: int
    case_id: int
    case_reference: str
    team_id: int
    la_child_id: str
    upn: str
    cin_episode_id: str
    cin_referral_date: date | None
    pp_start_date: date | None
    lbp_sent_date: date | None
    fgdm_meeting_offer: bool | None
    fgdm_meeting_fac: bool | None
    initial_pp_meeting_date: date | None
    review_meetings_count: int | None
    step_decision_date: date | None
    pp_outcome: str  # "" when none yet
    court_app_date: date | None
    letter_init_cp_date: date | None


@dataclass(frozen=True)
class EpisodeFacts:
    """A case's pre-proceedings as recorded, before any census year is applied."""

    pre_proceedings_started: date | None
    letter_before_proceedings: date | None  # the first sent
    fgdm_offers: tuple[date, ...]
    fgdm_meetings: tuple[date, ...]
    initial_meeting: date | None  # the first effective one
    review_meetings: tuple[date, ...]
    step_decision: date | None  # the step-down or the decision to issue
    ending: str  # a PreProceedingsEnding value, "" while pre-proceedings go on
    court_application: date | None
    letter_of_issue: date | None  # the first sent


@dataclass(frozen=True)
class YearItems:
    """The ten items of a block as one year's return reports them."""

    pp_start_date: date | None
    lbp_sent_date: date | None
    fgdm_meeting_offer: bool | None
    fgdm_meeting_fac: bool | None
    initial_pp_meeting_date: date | None
    review_meetings_count: int | None
    step_decision_date: date | None
    pp_outcome: str
    court_app_date: date | None
    letter_init_cp_date: date | None


# The recorded events the block is made from.
EVENT_KINDS = (
    EventKind.LETTER_BEFORE_PROCEEDINGS_SENT,
    EventKind.FGDM_OFFERED,
    EventKind.FGDM_HELD,
    EventKind.INITIAL_MEETING_HELD,
    EventKind.REVIEW_MEETING_HELD,
    EventKind.LETTER_OF_ISSUE_SENT,
)
_CLOSED_ENDINGS: dict[str, str] = {
    Outcome.CONTINUE_PLAN: PreProceedingsEnding.CONTINUE_PLAN,
    Outcome.WITHDRAWN: PreProceedingsEnding.WITHDRAWN,
    Outcome.TRANSFERRED_OUT: PreProceedingsEnding.TRANSFERRED_OUT,
    Outcome.OTHER: PreProceedingsEnding.OTHER,
}
_STEP_DOWN_ENDINGS: dict[str, str] = {
    StepDownTo.CHILD_PROTECTION_PLAN: PreProceedingsEnding.STEPPED_DOWN_CHILD_PROTECTION_PLAN,
    StepDownTo.CHILD_IN_NEED_PLAN: PreProceedingsEnding.STEPPED_DOWN_CHILD_IN_NEED_PLAN,
    StepDownTo.NO_FURTHER_ACTION: PreProceedingsEnding.STEPPED_DOWN_NO_FURTHER_ACTION,
}


def census_year(year: int) -> tuple[date, date]:
    """The census year starting in `year`: 1 April `year` to 31 March `year + 1`, inclusive."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def outcome_codes() -> dict[str, str]:
    """The PPOutcome code of each ending, from the administrators' table (docs/census.md)."""
    return dict(OutcomeCode.objects.values_list("ending", "code"))


def ending_of(
    *, issue_decided_on: date | None, outcome: str, step_down_to: str, closed_on: date | None
) -> tuple[str, date | None]:
    """How pre-proceedings ended, and on which date: the decision to issue wins over any
    later closing (the case went to court); then a step-down, or a closing from the
    gateway or by withdrawal or transfer."""
    if issue_decided_on is not None:
        return PreProceedingsEnding.ISSUE_DECIDED, issue_decided_on
    if outcome == Outcome.STEPPED_DOWN:
        ending = _STEP_DOWN_ENDINGS.get(step_down_to, PreProceedingsEnding.STEPPED_DOWN)
        return ending, closed_on
    if outcome in _CLOSED_ENDINGS and closed_on is not None:
        return _CLOSED_ENDINGS[outcome], closed_on
    return "", None


def episode_facts(
    case: Mapping[str, Any],
    events: Iterable[tuple[str, date, Mapping[str, Any]]],
    pre_proceedings_decisions: Iterable[date] = (),
) -> EpisodeFacts:
    """A case's pre-proceedings from its dates (`case`: the Case fields by name), its
    recorded events (kind, date, details) and the dates of its gateway decisions to enter
    pre-proceedings. The first such decision starts the episode; the case's own
    `pre_proceedings_started_on` stands in when there is no decision row."""
    by_kind: dict[str, list[tuple[date, Mapping[str, Any]]]] = defaultdict(list)
    for kind, day, details in events:
        by_kind[kind].append((day, details or {}))
    for dated in by_kind.values():
        dated.sort(key=lambda item: item[0])

    def days(kind: str) -> tuple[date, ...]:
        return tuple(day for day, _ in by_kind[kind])

    def first(kind: str) -> date | None:
        found = days(kind)
        return found[0] if found else None

    # A meeting that did not go ahead as a pre-proceedings meeting is not the initial
    # one; one recorded before the question was asked counts (docs/census.md).
    effective = [
        day
        for day, details in by_kind[EventKind.INITIAL_MEETING_HELD]
        if details.get("effective", True) is not False
    ]
    decisions = sorted(pre_proceedings_decisions)
    ending, step_decision = ending_of(
        issue_decided_on=case["issue_decided_on"],
        outcome=case["outcome"] or "",
        step_down_to=case["step_down_to"] or "",
        closed_on=case["closed_on"],
    )
    return EpisodeFacts(
        pre_proceedings_started=decisions[0] if decisions else case["pre_proceedings_started_on"],
        letter_before_proceedings=first(EventKind.LETTER_BEFORE_PROCEEDINGS_SENT),
        fgdm_offers=days(EventKind.FGDM_OFFERED),
        fgdm_meetings=days(EventKind.FGDM_HELD),
        initial_meeting=effective[0] if effective else None,
        review_meetings=days(EventKind.REVIEW_MEETING_HELD),
        step_decision=step_decision,
        ending=ending,
        court_application=case["issued_on"],
        letter_of_issue=first(EventKind.LETTER_OF_ISSUE_SENT),
    )


def year_items(facts: EpisodeFacts, year: int, codes: Mapping[str, str]) -> YearItems | None:
    """The year rule (docs/census.md, decision 135): the items the return for the census
    year starting in `year` reports for an episode, or None when the episode is not in
    that return.

    - Only an episode that entered pre-proceedings has a block.
    - Each date is reported in the return of the year it falls in: a date before 1 April
      was (or would have been) reported the year before, a date after 31 March belongs to
      next year's return. So every date a block carries is inside its year, as rules
      9005-9013 require.
    - The FGDM offer goes with the letter that made it (reported when the letter is);
      "facilitated" is 1 in the year an FGDM meeting is held in pre-proceedings, else 0
      when the offer is reported, else left out.
    - The review meetings counted are those held in the year, from the start of
      pre-proceedings to the step decision; the count is reported (0 included) while
      pre-proceedings run in the year after an initial meeting, or when one was held.
    - PPOutcome goes with its step decision date.
    - The episode is in the return when any item falls in the year: a date, a review
      meeting or an FGDM meeting.
    """
    started = facts.pre_proceedings_started
    if started is None:
        return None
    first_day, last_day = census_year(year)

    def within(day: date | None) -> date | None:
        return day if day is not None and first_day <= day <= last_day else None

    letter = within(facts.letter_before_proceedings)
    offer: bool | None = None
    if letter is not None:
        offer = any(started <= day <= last_day for day in facts.fgdm_offers)
    held = any(first_day <= day <= last_day and day >= started for day in facts.fgdm_meetings)
    facilitated: bool | None = True if held else (False if offer is not None else None)

    decided = facts.step_decision
    reviews_until = min(last_day, decided) if decided is not None else last_day
    reviews = sum(
        1 for day in facts.review_meetings if max(first_day, started) <= day <= reviews_until
    )
    running = started <= last_day and (decided is None or decided >= first_day)
    initial_by_year_end = facts.initial_meeting is not None and facts.initial_meeting <= last_day
    count = reviews if reviews or (running and initial_by_year_end) else None

    step = within(decided)
    items = YearItems(
        pp_start_date=within(started),
        lbp_sent_date=letter,
        fgdm_meeting_offer=offer,
        fgdm_meeting_fac=facilitated,
        initial_pp_meeting_date=within(facts.initial_meeting),
        review_meetings_count=count,
        step_decision_date=step,
        pp_outcome=codes.get(facts.ending, "") if step is not None else "",
        court_app_date=within(facts.court_application),
        letter_init_cp_date=within(facts.letter_of_issue),
    )
    dates = (
        items.pp_start_date,
        items.lbp_sent_date,
        items.initial_pp_meeting_date,
        items.step_decision_date,
        items.court_app_date,
        items.letter_init_cp_date,
    )
    if all(day is None for day in dates) and not reviews and not held:
        return None
    return items


_CASE_FIELDS = (
    "reference",
    "team_id",
    "pre_proceedings_started_on",
    "issue_decided_on",
    "issued_on",
    "closed_on",
    "outcome",
    "step_down_to",
)
_CHILD_FIELDS = ("id", "case_id", "la_child_id", "upn", "cin_episode_id", "cin_referral_date")
# One candidate row: the child's fields, then its case's, in these positions.
_ROW_FIELDS = _CHILD_FIELDS + tuple(f"case__{name}" for name in _CASE_FIELDS)
(
    _ID,
    _CASE_ID,
    _LA_CHILD_ID,
    _UPN,
    _CIN_EPISODE_ID,
    _CIN_REFERRAL_DATE,
    _REFERENCE,
    _TEAM_ID,
    _PRE_PROCEEDINGS_STARTED_ON,
    _ISSUE_DECIDED_ON,
    _ISSUED_ON,
    _CLOSED_ON,
    _OUTCOME,
    _STEP_DOWN_TO,
) = range(len(_ROW_FIELDS))

# The block reads the `details` of initial meetings only (whether each was effective):
# the other events' JSON is neither sent nor decoded. (Reading the one key with a key
# transform would be cheaper still, but SQLite hands a string "false" back as false.)
_INITIAL_MEETING_DETAILS = Case(
    When(kind=EventKind.INITIAL_MEETING_HELD, then=F("details")),
    default=Value(None),
    output_field=JSONField(),
)


def _children_for_year(year: int) -> Any:
    """The children whose case entered pre-proceedings and could have something in the
    year: a filter that only ever lets through too many (`year_items` decides)."""
    first_day, last_day = census_year(year)
    entered = GatewayDecision.objects.filter(
        case=OuterRef("case_id"), transition=Transition.GATEWAY_ENTER_PRE_PROCEEDINGS
    )
    entered_by_year_end = entered.filter(meeting_date__lte=last_day)
    event_in_or_after_year = RecordedEvent.objects.filter(
        case=OuterRef("case_id"), kind__in=EVENT_KINDS, date__gte=first_day
    )
    return Child.objects.filter(
        Q(case__pre_proceedings_started_on__lte=last_day) | Exists(entered_by_year_end),
        Q(case__closed_on__isnull=True)
        | Q(case__closed_on__gte=first_day)
        | Q(case__issue_decided_on__gte=first_day)
        | Q(case__issued_on__gte=first_day)
        | Q(case__pre_proceedings_started_on__gte=first_day)
        | Exists(entered.filter(meeting_date__gte=first_day))
        | Exists(event_in_or_after_year),
    )


def blocks_for_year(year: int, *, chunk_size: int = 2000) -> Iterator[CensusBlock]:
    """Every child/episode in the year's return, ordered by la_child_id then child id,
    streamed in chunks so memory stays flat whatever the number of children. The
    candidate children come from one ordered query read through a cursor (a server-side
    one on PostgreSQL), `chunk_size` rows at a time, so their filter runs once; each
    chunk then costs two queries (its cases' events, their gateway decisions). Dates
    outside the year are left out (`year_items`)."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1.")
    codes = outcome_codes()
    rows = (
        _children_for_year(year)
        .order_by("la_child_id", "id")
        .values_list(*_ROW_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        yield from _chunk_blocks(chunk, year, codes)


def _chunk_blocks(
    rows: list[tuple[Any, ...]], year: int, codes: Mapping[str, str]
) -> Iterator[CensusBlock]:
    case_ids = {row[_CASE_ID] for row in rows}
    events: dict[int, list[tuple[str, date, Mapping[str, Any]]]] = defaultdict(list)
    for case_id, kind, day, details in RecordedEvent.objects.filter(
        case_id__in=case_ids, kind__in=EVENT_KINDS
    ).values_list("case_id", "kind", "date", _INITIAL_MEETING_DETAILS):
        events[case_id].append((kind, day, details))
    decisions: dict[int, list[date]] = defaultdict(list)
    for case_id, day in GatewayDecision.objects.filter(
        case_id__in=case_ids, transition=Transition.GATEWAY_ENTER_PRE_PROCEEDINGS
    ).values_list("case_id", "meeting_date"):
        decisions[case_id].append(day)
    facts: dict[int, EpisodeFacts] = {}
    for row in rows:
        case_id = row[_CASE_ID]
        episode = facts.get(case_id)
        if episode is None:
            case = {
                "pre_proceedings_started_on": row[_PRE_PROCEEDINGS_STARTED_ON],
                "issue_decided_on": row[_ISSUE_DECIDED_ON],
                "issued_on": row[_ISSUED_ON],
                "closed_on": row[_CLOSED_ON],
                "outcome": row[_OUTCOME],
                "step_down_to": row[_STEP_DOWN_TO],
            }
            episode = facts[case_id] = episode_facts(
                case, events.get(case_id, ()), decisions.get(case_id, ())
            )
        items = year_items(episode, year, codes)
        if items is None:
            continue
        yield CensusBlock(
            child_id=row[_ID],
            case_id=case_id,
            case_reference=row[_REFERENCE] or "",
            team_id=row[_TEAM_ID],
            la_child_id=row[_LA_CHILD_ID],
            upn=row[_UPN],
            cin_episode_id=row[_CIN_EPISODE_ID],
            cin_referral_date=row[_CIN_REFERRAL_DATE],
            pp_start_date=items.pp_start_date,
            lbp_sent_date=items.lbp_sent_date,
            fgdm_meeting_offer=items.fgdm_meeting_offer,
            fgdm_meeting_fac=items.fgdm_meeting_fac,
            initial_pp_meeting_date=items.initial_pp_meeting_date,
            review_meetings_count=items.review_meetings_count,
            step_decision_date=items.step_decision_date,
            pp_outcome=items.pp_outcome,
            court_app_date=items.court_app_date,
            letter_init_cp_date=items.letter_init_cp_date,
        )


__all__ = [
    "ELEMENTS",
    "CensusBlock",
    "EpisodeFacts",
    "YearItems",
    "blocks_for_year",
    "census_year",
    "ending_of",
    "episode_facts",
    "outcome_codes",
    "year_items",
]
