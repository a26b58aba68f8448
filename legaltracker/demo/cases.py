"""The invented teams, staff and cases that `manage.py demo` builds.

Every name here is made up. Dates are given as working days before the day the demo
runs ("ago"), so the same script gives a realistic board on any day: some deadlines met,
some due soon, some overdue. The comments on each case say what it shows.

Steps name either a transition (docs/domain/stages.md) or a recorded event kind
(docs/domain/identifiers.md); the demo command walks them in date order through the case
services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from legaltracker.accounts.models import Role
from legaltracker.cases.choices import Transition
from legaltracker.core.upn import check_letter

# --- teams and staff ------------------------------------------------------------------

TEAMS = [
    ("riverside", "Riverside Family Safeguarding (demo)"),
    ("hilltop", "Hilltop Children and Families (demo)"),
    ("harbour", "Harbour Assessment and Intervention (demo)"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    team: str | None = None


USERS = [
    DemoUser("sw-riverside-1", "Sam", "Brookfield", Role.SOCIAL_WORKER, "riverside"),
    DemoUser("sw-riverside-2", "Ife", "Willowmere", Role.SOCIAL_WORKER, "riverside"),
    DemoUser("sw-hilltop-1", "Tom", "Larchwood", Role.SOCIAL_WORKER, "hilltop"),
    DemoUser("sw-hilltop-2", "Nia", "Crestway", Role.SOCIAL_WORKER, "hilltop"),
    DemoUser("sw-harbour-1", "Jas", "Pebbleton", Role.SOCIAL_WORKER, "harbour"),
    DemoUser("sw-harbour-2", "Kit", "Tidewell", Role.SOCIAL_WORKER, "harbour"),
    DemoUser("tm-riverside", "Maya", "Fernsby", Role.TEAM_MANAGER, "riverside"),
    DemoUser("tm-hilltop", "Owen", "Heatherly", Role.TEAM_MANAGER, "hilltop"),
    DemoUser("tm-harbour", "Priya", "Saltmarsh", Role.TEAM_MANAGER, "harbour"),
    DemoUser("hos", "Harriet", "Kestrelwood", Role.HEAD_OF_SERVICE),
    DemoUser("lawyer", "Leonie", "Quillon", Role.LEGAL),
    DemoUser("clo", "Colin", "Tallyman", Role.COURT_LIAISON_OFFICER),
    DemoUser("admin", "Robin", "Ledgerby", Role.ADMINISTRATOR),
    DemoUser("performance", "Petra", "Tallycombe", Role.PERFORMANCE_OFFICER),
]

# --- people in the cases ----------------------------------------------------------------


@dataclass(frozen=True)
class Child:
    first_name: str
    last_name: str
    age_days: int | None = None  # age on the day the demo runs
    expected_in_days: int | None = None  # an unborn baby: expected this many days ahead

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def child(first: str, last: str, years: int, months: int = 0) -> Child:
    return Child(first, last, age_days=years * 365 + months * 30 + 17)


def unborn(last: str, expected_in_days: int) -> Child:
    return Child("", last, expected_in_days=expected_in_days)


def adult(
    first: str, last: str, relationship: str, pr: bool = True, **extra: Any
) -> dict[str, Any]:
    # 01632 960xxx numbers and example.org addresses are reserved for fiction.
    slug = f"{first}.{last}".lower().replace(" ", "")
    return {
        "first_name": first,
        "last_name": last,
        "relationship": relationship,
        "parental_responsibility": pr,
        "email": f"{slug}@example.org",
        "phone": f"01632 960{sum(map(ord, slug)) % 1000:03d}",
        "address": f"{sum(map(ord, last)) % 90 + 1} {last} Lane, Exampleton, EX1 2MP",
        **extra,
    }


def mother(first: str, last: str, **extra: Any) -> dict[str, Any]:
    return adult(first, last, "mother", **extra)


def father(first: str, last: str, pr: bool = True, **extra: Any) -> dict[str, Any]:
    return adult(first, last, "father", pr, **extra)


# The children's identifiers, invented for each demo case (docs/census.md). The UPNs
# carry LA number 999, which no council has, and a check letter that is right, so that the
# census return takes them; only a child of school age (4 or more) has one.
UPN_FROM_AGE_DAYS = 4 * 365
CIN_REFERRAL_DAYS_BEFORE_OPENING = 60


def demo_upn(case_number: int, child_index: int) -> str:
    body = f"9990000{20 + child_index:02d}{case_number % 1000:03d}"
    return check_letter(body) + body


def child_identifiers(case_number: int, child_index: int, child: Child) -> dict[str, Any]:
    """The identifiers of the `child_index`th child of the `case_number`th demo case, but
    the CIN referral date (a date: the command works it out from the case's opening)."""
    values: dict[str, Any] = {
        "la_child_id": f"DEMO{case_number:03d}{child_index + 1}",
        "cin_episode_id": f"CIN-{case_number:04d}-{child_index + 1}",
    }
    if child.age_days is not None and child.age_days >= UPN_FROM_AGE_DAYS:
        values["upn"] = demo_upn(case_number, child_index)
    return values


# --- steps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ahead:
    """A date this many working days after the demo's today (a hearing already listed)."""

    working_days: int


@dataclass(frozen=True)
class Ago:
    """A date this many working days before the demo's today."""

    working_days: int


@dataclass(frozen=True)
class ExtendBy:
    """A new end date this many weeks after the current one (decision point or 26 weeks)."""

    weeks: int


@dataclass(frozen=True)
class Parents:
    """The ids of the case's adults with parental responsibility: "all" of them, the
    "mother" only, or "none" (an initial meeting's parents who had a solicitor there)."""

    which: str


@dataclass(frozen=True)
class Step:
    ago: int  # working days before today; 0 is today
    action: str  # a transition name or a recorded event kind
    data: dict[str, Any] = field(default_factory=dict)
    actor: str = ""  # a role; empty: the usual person for the action


def refer(ago: int, reasons: str = "Concerns persist despite the child protection plan.") -> Step:
    return Step(ago, Transition.REFER_TO_GATEWAY, {"reasons": reasons})


def gateway(ago: int, transition: str, reasons: str, threshold: str = "met", **extra: Any) -> Step:
    return Step(ago, transition, {"threshold_view": threshold, "reasons": reasons, **extra})


def enter_pre_proceedings(
    ago: int,
    reasons: str = "Threshold met; a last chance for change with a clear plan before "
    "any application to court.",
) -> Step:
    return gateway(ago, Transition.GATEWAY_ENTER_PRE_PROCEEDINGS, reasons)


def decide_issue(ago: int, urgent: bool = False, short_notice_reason: str = "") -> Step:
    extra: dict[str, Any] = {"urgent": urgent}
    if urgent:
        extra["short_notice_reason"] = short_notice_reason
    return gateway(
        ago,
        Transition.GATEWAY_ISSUE,
        "Threshold met and the children cannot safely wait: apply for an order.",
        **extra,
    )


def event(ago: int, kind: str, summary: str = "", actor: str = "", **data: Any) -> Step:
    return Step(ago, kind, {"summary": summary, **data} if summary else data, actor)


def letter_before_proceedings(
    ago: int, answer: str = "", answer_ago: int | None = None, held_ago: int | None = None
) -> list[Step]:
    """The LBP with the family group decision-making offer in it (s31ZA), and the family's
    answer: "declined", "accepted" (and held on `held_ago`), or no answer yet."""
    steps = [
        event(ago, "letter_before_proceedings_sent", "Sent by post and by hand."),
        event(ago, "fgdm_offered", "Offered in the letter before proceedings."),
    ]
    if answer:
        steps.append(event(answer_ago if answer_ago is not None else ago - 2, f"fgdm_{answer}"))
    if held_ago is not None:
        steps.append(
            event(held_ago, "fgdm_held", "Family network meeting held; family plan agreed.")
        )
    return steps


MEETING_SUMMARIES = {
    "all": "Parents attended with their solicitors; schedule of expectations agreed.",
    "mother": "Mother attended with her solicitor, father without one; schedule of "
    "expectations agreed.",
    "none": "The parents came without solicitors despite the letter's advice; schedule of "
    "expectations agreed.",
}


def initial_meeting(ago: int, solicitors: str = "all") -> Step:
    """An initial meeting that went ahead; `solicitors`: which parents had one there."""
    return event(
        ago,
        "initial_meeting_held",
        MEETING_SUMMARIES[solicitors],
        effective=True,
        solicitor_present_for=Parents(solicitors),
    )


def meeting_not_held(ago: int, summary: str) -> Step:
    """An initial meeting that did not go ahead as one: it starts no timetable."""
    return event(ago, "initial_meeting_held", summary, effective=False)


def review(ago: int) -> Step:
    return event(
        ago, "review_meeting_held", "Progress against the schedule of expectations reviewed."
    )


def assessment(ago: int, summary: str = "Parenting assessment completed.") -> Step:
    return event(ago, "assessment_completed", summary)


def change(ago: int, summary: str) -> Step:
    return event(ago, "change_of_circumstances", summary)


def escalate(ago: int, reasons: str) -> Step:
    return Step(ago, Transition.ESCALATE_TO_GATEWAY, {"reasons": reasons})


def extend_pre_proceedings(ago: int, weeks: int, reasons: str) -> Step:
    return Step(
        ago,
        Transition.EXTEND_PRE_PROCEEDINGS,
        {"reasons": reasons, "new_end_date": ExtendBy(weeks)},
    )


def extend_timetable(ago: int, weeks: int, reasons: str) -> Step:
    return Step(
        ago, Transition.EXTEND_TIMETABLE, {"reasons": reasons, "new_end_date": ExtendBy(weeks)}
    )


def step_down(ago: int, to: str, reasons: str) -> Step:
    return Step(ago, Transition.STEP_DOWN, {"step_down_to": to, "reasons": reasons})


DAY1_DOCUMENTS = [
    "chronology",
    "social_work_statement_and_genogram",
    "current_assessments",
    "care_plan",
    "index_of_checklist_documents",
    "threshold",
]


def documents(ago: int, which: Iterable[str] = DAY1_DOCUMENTS) -> list[Step]:
    return [event(ago, "document_ready", document=name) for name in which]


def fgdm_declined(ago: int) -> list[Step]:
    return [
        event(ago, "fgdm_offered", "Offered with the letter of issue."),
        event(ago, "fgdm_declined"),
    ]


def issue(ago: int, **extra: Any) -> Step:
    return Step(ago, Transition.ISSUE_PROCEEDINGS, extra)


def served(ago: int) -> Step:
    return event(ago, "parties_served", "All parties served with the application.")


def listed(ago: int, hearing_type: str, when: Ahead | Ago) -> Step:
    return event(ago, "hearing_listed", hearing_type=hearing_type, hearing_date=when)


def held(ago: int, hearing_type: str) -> Step:
    return event(ago, "hearing_held", hearing_type=hearing_type)


def court_case(
    decided: int, day1: int, cmh: int | None = None, irh: int | None = None
) -> list[Step]:
    """Decision to issue, letter of issue, Day 1 documents, FGDM declined, issue, service,
    then the case management and issues resolution hearings (None: not yet held)."""
    steps: list[Any] = [
        decide_issue(decided),
        event(decided - 1, "letter_of_issue_sent"),
        *documents(day1 + 2),
        *fgdm_declined(day1 + 2),
        issue(day1),
        served(day1 - 1),
    ]
    if cmh is not None:
        steps += [held(cmh + 2, "advocates_meeting"), held(cmh, "case_management_hearing")]
    if irh is not None:
        steps.append(held(irh, "issues_resolution_hearing"))
    return steps


def conclude(ago: int, outcome: str, reasons: str = "Final hearing concluded.") -> Step:
    return Step(ago, Transition.CONCLUDE_PROCEEDINGS, {"outcome": outcome, "reasons": reasons})


def close(ago: int, outcome: str, reasons: str) -> Step:
    return Step(ago, Transition.CLOSE, {"outcome": outcome, "reasons": reasons})


# --- the cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCase:
    key: str  # for reading this file and for linking episodes; not stored
    team: str
    worker: int  # which of the team's social workers (0 or 1)
    children: list[Child]
    adults: list[dict[str, Any]]
    opened: int  # working days ago
    steps: list[Step]
    unborn_baby: bool = False
    previous: str | None = None  # key of the family's earlier episode
    # Management oversight is recorded every 15 working days, up to this many working
    # days ago (None: never), so that most cases are in step and a few have lapsed.
    oversight_until: int | None = 0


def _flat(items: Iterable[Any]) -> list[Step]:
    result: list[Step] = []
    for item in items:
        result.extend(_flat(item) if isinstance(item, list | tuple) else [item])
    return result


def case(
    key: str,
    team: str,
    worker: int,
    children: list[Child],
    adults: list[dict[str, Any]],
    opened: int,
    *steps: Any,
    **options: Any,
) -> DemoCase:
    return DemoCase(key, team, worker, children, adults, opened, _flat(steps), **options)


CASES: list[DemoCase] = [
    # --- concern ---------------------------------------------------------------------
    case(
        "brackenridge",
        "riverside",
        0,
        [child("Poppy", "Brackenridge", 6), child("Alfie", "Brackenridge", 3)],
        [mother("Ivy", "Brackenridge"), father("Dominic", "Brackenridge")],
        3,
        event(2, "note", "Strategy discussion held about the conditions in the home."),
    ),
    case(
        "fenwhistle",
        "hilltop",
        1,
        [child("Leo", "Fenwhistle", 9)],
        [mother("Carys", "Fenwhistle", preferred_language="Welsh", correspondence_language="cy")],
        25,
        assessment(12, "Child and family assessment completed."),
    ),
    # Management oversight lapsed: overdue.
    case(
        "quillby",
        "harbour",
        0,
        [child("Isla", "Quillby", 11), child("Noah", "Quillby", 8)],
        [mother("Rhian", "Quillby"), adult("Gareth", "Mossley", "step_parent", pr=False)],
        40,
        change(15, "Mother's new partner has moved into the home."),
        oversight_until=26,
    ),
    # No oversight yet: the first is due soon.
    case(
        "marrowdale",
        "riverside",
        1,
        [child("Kai", "Marrowdale", 14)],
        [mother("Tessa", "Marrowdale"), father("Lorcan", "Marrowdale")],
        18,
        event(10, "note", "School reports three weeks of missed attendance."),
        oversight_until=None,
    ),
    case(
        "nettlefold",
        "hilltop",
        0,
        [child("Zara", "Nettlefold", 2)],
        [
            mother(
                "Amira",
                "Nettlefold",
                preferred_language="Arabic",
                interpreter_needed=True,
                correspondence_language="other",
                correspondence_language_other="Arabic",
            )
        ],
        8,
    ),
    # --- legal gateway -----------------------------------------------------------------
    case(
        "larkspur",
        "riverside",
        0,
        [child("Ruby", "Larkspur", 7)],
        [mother("Jade", "Larkspur"), father("Callum", "Reedling")],
        30,
        refer(2),
    ),
    # Gateway meeting due soon.
    case(
        "oakhollow",
        "hilltop",
        1,
        [child("Ellis", "Oakhollow", 5), child("Maisie", "Oakhollow", 1)],
        [mother("Bethan", "Oakhollow", advocate_needed=True)],
        35,
        assessment(20),
        refer(7),
    ),
    # Gateway meeting overdue.
    case(
        "windlecombe",
        "harbour",
        1,
        [child("Harvey", "Windlecombe", 12)],
        [
            mother("Sian", "Windlecombe", easy_read=True),
            adult("Olwen", "Windlecombe", "grandparent", pr=False),
        ],
        45,
        refer(14),
    ),
    # Escalated from pre-proceedings after a change of circumstances: the assessment is
    # older than the change, so it is no longer current (overdue).
    case(
        "hazelbrook",
        "riverside",
        1,
        [child("Ava", "Hazelbrook", 4), child("Theo", "Hazelbrook", 2)],
        [mother("Lucy", "Hazelbrook"), father("Ryan", "Hazelbrook")],
        140,
        refer(130),
        enter_pre_proceedings(124),
        letter_before_proceedings(121, "declined", 116),
        initial_meeting(112),
        assessment(100),
        review(82),
        change(60, "Father has returned to the home in breach of the safety plan."),
        review(52),
        escalate(
            4,
            "Father's return and two missed core groups: the plan is not working. "
            "The gateway should consider an application to court.",
        ),
    ),
    case(
        "gorseway",
        "hilltop",
        0,
        [child("Rosie", "Gorseway", 10)],
        [mother("Helen", "Gorseway")],
        22,
        refer(9),
    ),
    # --- pre-proceedings ---------------------------------------------------------------
    # Letter before proceedings due soon.
    case(
        "pennyfeather",
        "riverside",
        0,
        [child("Oscar", "Pennyfeather", 8)],
        [mother("Jodie", "Pennyfeather"), father("Marcus", "Pennyfeather")],
        25,
        refer(10),
        enter_pre_proceedings(3),
    ),
    # Letter before proceedings overdue.
    case(
        "cloudberry",
        "hilltop",
        1,
        [child("Lily", "Cloudberry", 5)],
        [
            mother(
                "Nadia",
                "Cloudberry",
                preferred_language="Polish",
                interpreter_needed=True,
                correspondence_language="other",
                correspondence_language_other="Polish",
            )
        ],
        30,
        refer(16),
        enter_pre_proceedings(9),
    ),
    # Letter met on its due day; initial meeting due soon.
    case(
        "ravensmoor",
        "harbour",
        0,
        [child("Mia", "Ravensmoor", 9), child("Jack", "Ravensmoor", 6)],
        [mother("Kerry", "Ravensmoor"), father("Dean", "Ravensmoor")],
        30,
        refer(18),
        enter_pre_proceedings(12),
        letter_before_proceedings(7),
        # The meeting fell through: it is still to be held, and still due soon.
        meeting_not_held(2, "Father was taken ill on the day; the meeting is re-arranged."),
    ),
    case(
        "sorrelby",
        "riverside",
        1,
        [child("Freya", "Sorrelby", 13)],
        [mother("Claire", "Sorrelby")],
        45,
        refer(37),
        enter_pre_proceedings(30),
        letter_before_proceedings(27, "accepted", 24),
        initial_meeting(18, solicitors="none"),
        assessment(10),
    ),
    # An unborn baby: pre-birth pre-proceedings; review meeting due soon.
    case(
        "tansyfield",
        "hilltop",
        0,
        [unborn("Tansyfield", expected_in_days=56)],
        [mother("Grace", "Tansyfield"), father("Liam", "Tansyfield", pr=False)],
        50,
        refer(45),
        enter_pre_proceedings(40),
        letter_before_proceedings(37, "accepted", 33, held_ago=20),
        initial_meeting(28),
        assessment(15, "Pre-birth assessment completed."),
        unborn_baby=True,
    ),
    # More than 12 weeks in pre-proceedings: amber.
    case(
        "mistlebrook",
        "harbour",
        1,
        [child("Ben", "Mistlebrook", 6)],
        [mother("Lauren", "Mistlebrook"), father("Craig", "Mistlebrook")],
        75,
        refer(70),
        enter_pre_proceedings(65),
        letter_before_proceedings(62, "declined", 58),
        meeting_not_held(56, "Neither parent came; the meeting was re-arranged."),
        initial_meeting(53),
        assessment(40),
        review(24),
    ),
    # Past the 16-week decision point with no decision: red.
    case(
        "hollyridge",
        "riverside",
        0,
        [child("Millie", "Hollyridge", 8), child("Archie", "Hollyridge", 5)],
        [mother("Stacey", "Hollyridge"), father("Jordan", "Hollyridge")],
        110,
        refer(105),
        enter_pre_proceedings(100),
        letter_before_proceedings(97, "declined", 95),
        initial_meeting(88, solicitors="mother"),
        assessment(70),
        review(58),
        review(28),
    ),
    # Pre-proceedings extended by the head of service.
    case(
        "kettleby",
        "hilltop",
        1,
        [child("Evie", "Kettleby", 3)],
        [mother("Holly", "Kettleby", advocate_needed=True)],
        100,
        refer(98),
        enter_pre_proceedings(95),
        letter_before_proceedings(92, "accepted", 90, held_ago=75),
        initial_meeting(86),
        review(56),
        assessment(30),
        review(26),
        extend_pre_proceedings(
            10,
            6,
            "Mother has started a residential parenting assessment; "
            "allow it to finish before deciding.",
        ),
    ),
    # The family's second episode (see "thistlewood-1"); initial meeting met late.
    case(
        "thistlewood-2",
        "harbour",
        0,
        [child("Wren", "Thistlewood", 6), child("Fern", "Thistlewood", 1)],
        [mother("Abbie", "Thistlewood"), father("Kieran", "Thistlewood")],
        40,
        refer(35),
        enter_pre_proceedings(30),
        letter_before_proceedings(26),
        initial_meeting(14),
        previous="thistlewood-1",
    ),
    # Initial meeting overdue.
    case(
        "foxglove",
        "riverside",
        1,
        [child("Harley", "Foxglove", 11)],
        [mother("Kim", "Foxglove")],
        35,
        refer(28),
        enter_pre_proceedings(20),
        letter_before_proceedings(18),
    ),
    # A fresh assessment: ready to step down.
    case(
        "bramblewick",
        "hilltop",
        0,
        [child("Layla", "Bramblewick", 7)],
        [mother("Dawn", "Bramblewick"), father("Neil", "Bramblewick")],
        90,
        refer(85),
        enter_pre_proceedings(80),
        letter_before_proceedings(77, "declined", 75),
        initial_meeting(70),
        review(40),
        assessment(12, "Updated parenting assessment: the changes have lasted."),
        review(10),
    ),
    # --- issue ---------------------------------------------------------------------------
    # Urgent (short-notice) issue: Day 1 is due within one working day.
    case(
        "yarrowby",
        "riverside",
        0,
        [child("Orla", "Yarrowby", 0, 2)],
        [mother("Chloe", "Yarrowby"), father("Ashley", "Yarrowby")],
        15,
        refer(3, "Unexplained injuries to the baby found at hospital."),
        decide_issue(
            1,
            urgent=True,
            short_notice_reason="The parents cannot explain the "
            "baby's injuries; the baby cannot safely go home.",
        ),
    ),
    # Application overdue; Day 1 documents incomplete.
    case(
        "wrenfield",
        "hilltop",
        1,
        [child("Ollie", "Wrenfield", 10), child("Lexi", "Wrenfield", 7)],
        [mother("Sophie", "Wrenfield")],
        40,
        refer(15),
        decide_issue(8),
        event(7, "letter_of_issue_sent"),
        documents(5, DAY1_DOCUMENTS[:3]),
    ),
    # Escalated from pre-proceedings, then the gateway decided to issue.
    case(
        "juniperly",
        "harbour",
        1,
        [child("Finn", "Juniperly", 4)],
        [mother("Tara", "Juniperly"), father("Jake", "Juniperly")],
        120,
        refer(115),
        enter_pre_proceedings(110),
        letter_before_proceedings(107, "declined", 104),
        initial_meeting(98),
        review(68),
        assessment(50),
        review(38),
        escalate(20, "No progress on the schedule of expectations after two reviews."),
        decide_issue(3),
        event(2, "letter_of_issue_sent"),
        documents(1),
    ),
    case(
        "lanternby",
        "riverside",
        1,
        [child("Ella", "Lanternby", 15)],
        [mother("Gemma", "Lanternby")],
        30,
        refer(12),
        decide_issue(0),
    ),
    # --- proceedings ---------------------------------------------------------------------
    case(
        "willowbeck",
        "riverside",
        0,
        [child("Jayden", "Willowbeck", 9)],
        [mother("Amy", "Willowbeck"), father("Lee", "Willowbeck")],
        30,
        refer(10),
        court_case(decided=6, day1=2),
    ),
    # Case management hearing listed for next week; advocates' meeting due soon.
    case(
        "pipersgate",
        "hilltop",
        0,
        [child("Lola", "Pipersgate", 6), child("Mason", "Pipersgate", 4)],
        [mother("Kirsty", "Pipersgate")],
        45,
        refer(25),
        court_case(decided=18, day1=12),
        listed(10, "case_management_hearing", Ahead(4)),
    ),
    case(
        "starwort",
        "harbour",
        0,
        [child("Charlie", "Starwort", 12)],
        [mother("Megan", "Starwort"), father("Ross", "Starwort")],
        90,
        refer(75),
        court_case(decided=68, day1=60, cmh=45),
        listed(50, "case_management_hearing", Ago(45)),
    ),
    case(
        "clovermead",
        "riverside",
        1,
        [child("Sienna", "Clovermead", 5)],
        [mother("Bryony", "Clovermead")],
        140,
        refer(130),
        court_case(decided=126, day1=120, cmh=104, irh=22),
    ),
    # Court timetable extended beyond 26 weeks.
    case(
        "harebell",
        "hilltop",
        1,
        [child("Reggie", "Harebell", 2)],
        [mother("Paige", "Harebell"), father("Tyler", "Harebell")],
        150,
        refer(145),
        court_case(decided=140, day1=135, cmh=115, irh=40),
        extend_timetable(
            15, 8, "An independent expert's report is needed on the child's medical needs."
        ),
    ),
    # Past 26 weeks with no extension: red.
    case(
        "nightjar",
        "harbour",
        1,
        [child("Darcy", "Nightjar", 8), child("Tommy", "Nightjar", 6)],
        [mother("Leanne", "Nightjar")],
        160,
        refer(150),
        court_case(decided=145, day1=140, cmh=120, irh=40),
    ),
    # Urgent issue with the s31ZA exception recorded instead of a family meeting.
    case(
        "sandpiper",
        "riverside",
        0,
        [child("Elsie", "Sandpiper", 1)],
        [mother("Kayleigh", "Sandpiper")],
        20,
        refer(13),
        decide_issue(12, urgent=True, short_notice_reason="Mother left the baby alone overnight."),
        event(12, "letter_of_issue_sent"),
        documents(11),
        issue(
            11,
            fgdm_exception_reason="Immediate risk of harm: waiting for a family meeting "
            "is not in the child's best interests.",
        ),
        served(10),
        listed(9, "interim_hearing", Ago(8)),
        held(8, "interim_hearing"),
    ),
    # --- closed --------------------------------------------------------------------------
    case(
        "meadowsweet",
        "hilltop",
        0,
        [child("Lucas", "Meadowsweet", 10)],
        [mother("Joanne", "Meadowsweet")],
        70,
        refer(60),
        gateway(
            52,
            Transition.GATEWAY_CONTINUE_PLAN,
            "Threshold not met; the child protection plan continues with a parenting programme.",
            threshold="not_met",
        ),
    ),
    case(
        "cobbleside",
        "harbour",
        1,
        [child("Imogen", "Cobbleside", 7)],
        [mother("Zoe", "Cobbleside"), father("Aaron", "Cobbleside")],
        140,
        refer(130),
        enter_pre_proceedings(125),
        letter_before_proceedings(122, "declined", 120),
        initial_meeting(115),
        review(85),
        review(55),
        assessment(35),
        step_down(
            30,
            "child_protection_plan",
            "Sustained progress; risks now managed under a child protection plan.",
        ),
    ),
    # The family's earlier episode, stepped down to a child in need plan.
    case(
        "thistlewood-1",
        "harbour",
        0,
        [child("Wren", "Thistlewood", 6)],
        [mother("Abbie", "Thistlewood"), father("Kieran", "Thistlewood")],
        420,
        refer(410),
        enter_pre_proceedings(404),
        letter_before_proceedings(401, "declined", 398),
        initial_meeting(392),
        review(362),
        assessment(330),
        step_down(
            320,
            "child_in_need_plan",
            "Parents completed the programme; support continues under a child in need plan.",
        ),
    ),
    case(
        "lindenfold",
        "riverside",
        0,
        [child("Harper", "Lindenfold", 3)],
        [mother("Nicole", "Lindenfold")],
        220,
        refer(210),
        court_case(decided=205, day1=200, cmh=180, irh=100),
        conclude(80, "care_order"),
    ),
    case(
        "ferncastle",
        "hilltop",
        1,
        [child("Jacob", "Ferncastle", 6)],
        [mother("Rachel", "Ferncastle")],
        190,
        refer(185),
        court_case(decided=182, day1=170, cmh=150, irh=80),
        conclude(40, "supervision_order"),
    ),
    case(
        "rookwood",
        "harbour",
        0,
        [child("Daisy", "Rookwood", 9)],
        [mother("Jess", "Rookwood"), adult("Margaret", "Rookwood", "grandparent", pr=False)],
        175,
        refer(170),
        court_case(decided=165, day1=158, cmh=141, irh=60),
        extend_timetable(45, 8, "Assessment of the grandmother as special guardian."),
        conclude(20, "special_guardianship_order"),
    ),
    case(
        "mossbank",
        "riverside",
        1,
        [child("Arlo", "Mossbank", 1, 6)],
        [mother("Lacey", "Mossbank")],
        260,
        refer(255),
        court_case(decided=252, day1=248, cmh=230, irh=150),
        conclude(125, "placement_order"),
    ),
    case(
        "dunnock",
        "hilltop",
        0,
        [child("Leah", "Dunnock", 14)],
        [mother("Toni", "Dunnock")],
        170,
        refer(165),
        court_case(decided=160, day1=155, cmh=138, irh=70),
        conclude(45, "no_order"),
    ),
    case(
        "greywether",
        "harbour",
        1,
        [child("Max", "Greywether", 5)],
        [mother("Lisa", "Greywether"), father("Sean", "Greywether")],
        200,
        refer(195),
        court_case(decided=190, day1=185, cmh=168, irh=90),
        conclude(60, "other_order", "Child arrangements order to the paternal aunt."),
    ),
    case(
        "tumbleford",
        "riverside",
        0,
        [child("Amber", "Tumbleford", 11)],
        [mother("Kelly", "Tumbleford")],
        80,
        refer(70),
        court_case(decided=66, day1=62, cmh=45),
        close(
            25,
            "withdrawn",
            "Mother's sustained progress in a residential unit: the "
            "application was withdrawn with the court's permission.",
        ),
    ),
    case(
        "quarrymoor",
        "hilltop",
        1,
        [child("Ethan", "Quarrymoor", 8)],
        [mother("Jenna", "Quarrymoor")],
        60,
        refer(55),
        enter_pre_proceedings(50),
        letter_before_proceedings(47),
        initial_meeting(38),
        close(
            20,
            "transferred_out",
            "The family moved to another local authority; the case was handed over in full.",
        ),
    ),
    case(
        "puddlecombe",
        "harbour",
        0,
        [child("Phoebe", "Puddlecombe", 4)],
        [mother("Rebecca", "Puddlecombe")],
        30,
        close(22, "other", "Duplicate referral: the family is already known under another case."),
    ),
]
