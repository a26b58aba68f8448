"""Validation of the census pre-proceedings block: the Department for Education's draft
rules with the logic their messages describe, and our own checks ("LT.."). Each finding
points at the page where it is fixed. Where a draft rule's code does not do what its
message says, we follow the message: the departures are listed in docs/census.md."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from legaltracker.core.upn import upn_problem

from .blocks import ELEMENTS, CensusBlock, census_year
from .models import VALID_OUTCOME_CODES

ERROR = "error"
QUERY = "query"
LA_CHILD_ID_LENGTH = 10

# The XML element name of each block attribute.
ELEMENT = {attribute: element for element, attribute in ELEMENTS}


@dataclass(frozen=True)
class Finding:
    """One problem with a block (or with the whole return when child_id is None)."""

    code: str  # "9005", "9010Q", or our own e.g. "LT01"
    severity: str  # "error" or "query"
    message: str
    fields: tuple[str, ...]  # XML element names concerned (or our field names)
    child_id: int | None  # None for a return-level finding
    case_id: int | None
    la_child_id: str
    fix_url: str  # the page where it is fixed


@dataclass
class ReturnSummary:
    """Counts accumulated while a return is streamed through `check_return`."""

    blocks: int = 0
    children: int = 0
    errors: int = 0
    queries: int = 0
    # Blocks carrying a PPStartDate, and blocks carrying any item at all (8995Q, 9000Q).
    with_start_date: int = 0
    with_items: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    child_ids: set[int] = field(default_factory=set, repr=False)


# The messages, in our words after the draft's (code, severity, message, fields).
MESSAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "9005": (
        ERROR,
        "The date pre-proceedings started (the decision to enter them) must fall within "
        "the census year.",
        ("PPStartDate",),
    ),
    "9006": (
        ERROR,
        "The date the letter before proceedings was sent must fall within the census year "
        "and on or after the date pre-proceedings started.",
        ("LBPSentDate",),
    ),
    "9007": (
        ERROR,
        "A letter before proceedings was sent: say whether it offered a family group "
        "decision-making meeting.",
        ("FGDMMeetingOffer",),
    ),
    "9008": (
        ERROR,
        "The date of the first effective pre-proceedings meeting must fall within the census year.",
        ("InitialPPMeetingDate",),
    ),
    "9009": (
        ERROR,
        "The date of the decision to step up or down must fall within the census year and "
        "on or after the date pre-proceedings started.",
        ("StepDecisionDate",),
    ),
    "9010Q": (
        QUERY,
        "Please check: a family group decision-making meeting was offered in the letter "
        "before proceedings; say whether one was facilitated after the offer.",
        ("FGDMMeetingFac",),
    ),
    "9011": (
        ERROR,
        f"The pre-proceedings outcome must be one of the codes {', '.join(VALID_OUTCOME_CODES)}.",
        ("PPOutcome",),
    ),
    "9012": (
        ERROR,
        "The date of the court application must fall within the census year and on or "
        "after the date of the decision to issue care proceedings.",
        ("CourtAppDate",),
    ),
    "9013": (
        ERROR,
        "The date the letter telling the parents that care proceedings had started was sent "
        "must fall within the census year and on or after the court application.",
        ("LetterInitCPDate",),
    ),
    "9015Q": (
        QUERY,
        "Please check: an initial pre-proceedings meeting is reported, so the number of "
        "review meetings held after it should be reported too.",
        ("ReviewMeetingsCount",),
    ),
    "8995Q": (
        QUERY,
        "Please check: no child has any pre-proceedings or FGDM data in this return; "
        "give the reason when making the return.",
        (),
    ),
    "9000Q": (
        QUERY,
        "Please check: no child has a date pre-proceedings started. If the data is not yet "
        "collected, leave it blank and give the reason.",
        ("PPStartDate",),
    ),
    "LT01": (
        ERROR,
        "The child has no LA child identifier: add it on the case's people page.",
        ("LAchildID",),
    ),
    "LT02": (
        ERROR,
        f"The LA child identifier is longer than {LA_CHILD_ID_LENGTH} characters.",
        ("LAchildID",),
    ),
    "LT03": (
        ERROR,
        "The child's UPN is not a valid unique pupil number (its shape or its check "
        "letter is wrong): correct it on the case's people page, or leave it blank.",
        ("UPN",),
    ),
    "LT04": (
        ERROR,
        "The child has no CIN episode (neither its id nor its referral date): the block "
        "cannot be placed in the return. Add it on the case's people page.",
        ("CINdetailsID", "CINreferralDate"),
    ),
    "LT05": (
        ERROR,
        "The first effective pre-proceedings meeting is dated before pre-proceedings "
        "started: correct one of the dates.",
        ("InitialPPMeetingDate", "PPStartDate"),
    ),
    "LT06": (
        ERROR,
        "The first effective pre-proceedings meeting is dated before the letter before "
        "proceedings was sent: correct one of the dates.",
        ("InitialPPMeetingDate", "LBPSentDate"),
    ),
    "LT07": (
        ERROR,
        "The court application is dated before pre-proceedings started: correct one of the dates.",
        ("CourtAppDate", "PPStartDate"),
    ),
    "LT08": (
        ERROR,
        "Pre-proceedings ended but the way they ended has no PPOutcome code: set one in "
        "the admin's pre-proceedings outcome codes.",
        ("PPOutcome",),
    ),
    "LT09": (
        ERROR,
        "The letter telling the parents that care proceedings had started is dated before "
        "the decision to issue: correct one of the dates.",
        ("LetterInitCPDate", "StepDecisionDate"),
    ),
}


def people_url(case_id: int) -> str:
    return reverse("casework:case_people", args=[case_id])


def case_url(case_id: int) -> str:
    return reverse("casework:case_detail", args=[case_id])


def outcome_codes_url() -> str:
    return reverse("admin:census_outcomecode_changelist")


def _before(first: date | None, second: date | None) -> bool:
    """Whether both dates are known and `first` is before `second`."""
    return first is not None and second is not None and first < second


def _outside(day: date | None, year: int) -> bool:
    if day is None:
        return False
    first_day, last_day = census_year(year)
    return not first_day <= day <= last_day


# Each block rule: (code, the test on a block and a year, the page that fixes it).
BlockTest = Callable[[CensusBlock, int], bool]
_PEOPLE, _CASE, _CODES = "people", "case", "codes"
BLOCK_RULES: tuple[tuple[str, BlockTest, str], ...] = (
    ("9005", lambda b, y: _outside(b.pp_start_date, y), _CASE),
    (
        "9006",
        lambda b, y: _outside(b.lbp_sent_date, y) or _before(b.lbp_sent_date, b.pp_start_date),
        _CASE,
    ),
    ("9007", lambda b, y: b.lbp_sent_date is not None and b.fgdm_meeting_offer is None, _CASE),
    ("9008", lambda b, y: _outside(b.initial_pp_meeting_date, y), _CASE),
    (
        "9009",
        lambda b, y: (
            _outside(b.step_decision_date, y) or _before(b.step_decision_date, b.pp_start_date)
        ),
        _CASE,
    ),
    ("9010Q", lambda b, y: b.fgdm_meeting_offer is True and b.fgdm_meeting_fac is None, _CASE),
    ("9011", lambda b, y: bool(b.pp_outcome) and b.pp_outcome not in VALID_OUTCOME_CODES, _CODES),
    (
        "9012",
        lambda b, y: (
            _outside(b.court_app_date, y) or _before(b.court_app_date, b.step_decision_date)
        ),
        _CASE,
    ),
    (
        "9013",
        lambda b, y: (
            _outside(b.letter_init_cp_date, y) or _before(b.letter_init_cp_date, b.court_app_date)
        ),
        _CASE,
    ),
    (
        "9015Q",
        lambda b, y: b.initial_pp_meeting_date is not None and b.review_meetings_count is None,
        _CASE,
    ),
    ("LT01", lambda b, y: not b.la_child_id.strip(), _PEOPLE),
    ("LT02", lambda b, y: len(b.la_child_id) > LA_CHILD_ID_LENGTH, _PEOPLE),
    ("LT03", lambda b, y: bool(b.upn) and upn_problem(b.upn) is not None, _PEOPLE),
    ("LT04", lambda b, y: not b.cin_episode_id.strip() and b.cin_referral_date is None, _PEOPLE),
    ("LT05", lambda b, y: _before(b.initial_pp_meeting_date, b.pp_start_date), _CASE),
    ("LT06", lambda b, y: _before(b.initial_pp_meeting_date, b.lbp_sent_date), _CASE),
    ("LT07", lambda b, y: _before(b.court_app_date, b.pp_start_date), _CASE),
    ("LT08", lambda b, y: b.step_decision_date is not None and not b.pp_outcome, _CODES),
    (
        "LT09",
        # Only when the step decision was the decision to issue (a court application or
        # the letter of issue goes with it).
        lambda b, y: (
            b.court_app_date is not None and _before(b.letter_init_cp_date, b.step_decision_date)
        ),
        _CASE,
    ),
)


def _finding(code: str, block: CensusBlock | None, fix: str) -> Finding:
    severity, message, fields = MESSAGES[code]
    if block is None:
        return Finding(code, severity, message, fields, None, None, "", fix)
    url = {
        _PEOPLE: people_url,
        _CASE: case_url,
        _CODES: lambda _case_id: outcome_codes_url(),
    }[fix](block.case_id)
    return Finding(
        code, severity, message, fields, block.child_id, block.case_id, block.la_child_id, url
    )


def check_block(block: CensusBlock, year: int) -> list[Finding]:
    """Every finding for one block in the return for the census year starting in `year`."""
    return [_finding(code, block, fix) for code, test, fix in BLOCK_RULES if test(block, year)]


def has_items(block: CensusBlock) -> bool:
    """Whether the block reports anything at all."""
    return any(getattr(block, attribute) not in (None, "") for _, attribute in ELEMENTS)


def check_return(
    blocks: Iterable[CensusBlock], year: int, summary: ReturnSummary | None = None
) -> Iterator[tuple[CensusBlock, list[Finding]]]:
    """Stream each block with its findings, filling `summary` (pass one in to read it
    afterwards); the return-level findings come from `return_findings(summary)` once the
    stream is consumed."""
    counts = summary if summary is not None else ReturnSummary()
    for block in blocks:
        findings = check_block(block, year)
        counts.blocks += 1
        if block.child_id not in counts.child_ids:
            counts.child_ids.add(block.child_id)
            counts.children += 1
        if block.pp_start_date is not None:
            counts.with_start_date += 1
        if has_items(block):
            counts.with_items += 1
        for finding in findings:
            if finding.severity == ERROR:
                counts.errors += 1
            else:
                counts.queries += 1
            counts.by_code[finding.code] = counts.by_code.get(finding.code, 0) + 1
        yield block, findings


def return_findings(summary: ReturnSummary) -> list[Finding]:
    """The return-level findings (8995Q, 9000Q) from the counts of a streamed return:
    8995Q when no block carries anything; 9000Q when blocks carry items but none has the
    date pre-proceedings started."""
    # No single page fixes a whole return: the board lists the cases in pre-proceedings.
    fix = reverse("board:board")
    findings: list[Finding] = []
    if summary.with_items == 0:
        findings.append(_finding("8995Q", None, fix))
    elif summary.with_start_date == 0:
        findings.append(_finding("9000Q", None, fix))
    return findings
