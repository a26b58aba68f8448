"""The tracker's fields a sheet's columns can be mapped to (docs/imports.md).

Each field has the heading of the shipped template sheet and the other headings it is
recognised by without a mapping (compared in lower case, letters and digits only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str
    heading: str  # as in the template sheet
    required: bool
    help: str
    also: tuple[str, ...] = ()
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "reference",
        "Reference",
        True,
        "The sheet's own reference for the case; it "
        "is kept, so that a second run finds the case again.",
        ("ref", "case ref", "case reference", "tracker ref", "tracker reference", "id"),
        "TRK-0001",
    ),
    Column(
        "team",
        "Team",
        True,
        "The team's code or name as the tracker has it.",
        ("team code", "team name", "service team"),
        "riverside",
    ),
    Column(
        "social_worker",
        "Social worker",
        True,
        "The allocated social worker: their username, or their full name.",
        ("sw", "allocated worker", "allocated sw", "worker", "social worker username"),
        "sw-riverside-1",
    ),
    Column(
        "opened_on",
        "Opened on",
        True,
        "The date the case was opened.",
        ("opened", "date opened", "open date", "start date", "case opened"),
        "03/02/2026",
    ),
    Column(
        "child_first_name",
        "Child first name",
        False,
        "",
        ("child forename", "first name", "forename", "child first"),
        "Ada",
    ),
    Column(
        "child_last_name",
        "Child last name",
        True,
        "The child's family name.",
        ("child surname", "surname", "last name", "family name", "child last"),
        "Example",
    ),
    Column(
        "child_date_of_birth",
        "Child date of birth",
        False,
        "",
        ("dob", "child dob", "date of birth"),
        "14/06/2019",
    ),
    Column(
        "child_la_child_id",
        "LA child id",
        False,
        "The child's id in the council's main case system, at most 10 characters.",
        ("la child identifier", "lachildid", "child id", "local child id"),
        "",
    ),
    Column(
        "child_upn",
        "UPN",
        False,
        "The child's unique pupil number: 13 characters, a check letter first.",
        ("unique pupil number", "child upn", "pupil number"),
        "",
    ),
    Column(
        "child_cin_referral_date",
        "CIN referral date",
        False,
        "The date of the referral that opened the child's child in need episode.",
        ("cin referral", "referral date cin", "cin episode start", "cinreferraldate"),
        "",
    ),
    Column(
        "child_cin_episode_id",
        "CIN episode id",
        False,
        "The episode's id in the council's main case system, at most 20 characters.",
        ("cin episode", "episode id", "cin id"),
        "",
    ),
    Column(
        "parent_first_name",
        "Parent first name",
        False,
        "",
        ("parent forename", "mother first name"),
        "",
    ),
    Column(
        "parent_last_name", "Parent last name", False, "", ("parent surname", "mother surname"), ""
    ),
    Column(
        "parent_relationship",
        "Parent relationship",
        False,
        "Mother, father, "
        "step-parent, grandparent, other relative, carer or other (other if blank).",
        ("relationship",),
        "",
    ),
    Column(
        "stage",
        "Stage",
        True,
        "Concern, legal gateway, pre-proceedings or issue.",
        ("current stage", "status", "plo stage"),
        "Pre-proceedings",
    ),
    Column(
        "referred_on",
        "Referred to gateway on",
        False,
        "Needed from the legal gateway stage on.",
        ("referred", "referral date", "gateway referral", "date referred", "referred to gateway"),
        "10/02/2026",
    ),
    Column(
        "gateway_on",
        "Gateway meeting on",
        False,
        "The legal gateway meeting that "
        "decided the case's course. Needed for pre-proceedings and issue.",
        ("gateway date", "gateway", "lgm date", "legal gateway date", "gateway meeting"),
        "17/02/2026",
    ),
    Column(
        "threshold_view",
        "Threshold view",
        False,
        "The meeting's view of the threshold: met, not met or finely balanced.",
        ("threshold",),
        "Met",
    ),
    Column(
        "gateway_chair",
        "Gateway chair",
        False,
        "The name of the manager or chair at the gateway meeting.",
        ("chair", "gateway manager"),
        "Maya Fernsby",
    ),
    Column(
        "gateway_lawyer",
        "Gateway lawyer",
        False,
        "The name of the lawyer at the gateway meeting.",
        ("lawyer", "legal adviser", "solicitor"),
        "Leonie Quillon",
    ),
    Column(
        "letter_before_proceedings_on",
        "Letter before proceedings sent on",
        False,
        "",
        ("lbp", "lbp sent", "letter before proceedings", "lbp date", "plo letter sent"),
        "19/02/2026",
    ),
    Column(
        "initial_meeting_on",
        "Initial meeting on",
        False,
        "The initial pre-proceedings meeting.",
        ("initial meeting", "initial plo meeting", "plo meeting"),
        "26/02/2026",
    ),
    Column(
        "review_meeting_on",
        "Review meeting on",
        False,
        "The latest review meeting.",
        ("review meeting", "review date", "plo review"),
        "",
    ),
    Column(
        "issue_decided_on",
        "Issue decided on",
        False,
        "For a case at issue that went "
        "through pre-proceedings: the gateway meeting that decided to issue.",
        ("issue decision", "decision to issue", "issue date"),
        "",
    ),
)

BY_FIELD = {c.field: c for c in COLUMNS}
REQUIRED = [c.field for c in COLUMNS if c.required]


def heading_key(heading: object) -> str:
    """A heading compared loosely: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", str(heading or "").lower())


KNOWN_HEADINGS = (
    {heading_key(c.heading): c.field for c in COLUMNS}
    | {heading_key(alias): c.field for c in COLUMNS for alias in c.also}
    | {heading_key(c.field): c.field for c in COLUMNS}
)
