"""Who may do what, written out by hand from docs/domain/roles.md and
legaltracker/cases/permissions.py, as the answers the access matrix expects.

This is deliberately a second, literal copy of the rules rather than a call into
permissions.py: a change to who may do what has to be made in both places, on purpose.

| role                    | reads team A's case | board, reports | My work | opens cases |
| ----------------------- | ------------------- | -------------- | ------- | ----------- |
| social worker (A)       | yes (own team)      | no             | yes     | team A      |
| team manager (A)        | yes (own team)      | own team       | yes     | team A      |
| head of service         | yes (all)           | yes            | no      | any team    |
| lawyer                  | yes (all)           | yes            | no      | no          |
| court liaison officer   | yes (all)           | yes            | no      | no          |
| administrator           | no (configuration)  | no             | no      | no          |
| social worker (B)       | no (other team)     | no             | yes     | team B      |
| team manager (B)        | no (other team)     | own team       | yes     | team B      |
| performance officer     | no (figures only)   | no             | no      | no          |

The schedule of expectations and letters (docs/domain/roles.md, letters/permissions.py),
on team A's case; whoever cannot read the case gets a 404 first:

| role                  | schedule | letter details | draft | approve | record sent | download |
| --------------------- | -------- | -------------- | ----- | ------- | ----------- | -------- |
| social worker (A)     | yes      | yes            | yes   | no      | yes         | yes      |
| team manager (A)      | yes      | yes            | yes   | yes     | yes         | yes      |
| head of service       | yes      | yes            | yes   | yes     | yes         | yes      |
| lawyer                | no       | yes            | yes   | yes     | yes         | yes      |
| court liaison officer | no       | no             | no    | no      | no          | yes      |

The court record (docs/court.md, "Who does what", legaltracker/court/permissions.py), on
team A's case in proceedings; whoever reads the case reads its court record:

| role                  | keeps the record | records hearings | updates its own direction |
| --------------------- | ---------------- | ---------------- | ------------------------- |
| social worker (A)     | no               | no               | yes                       |
| team manager (A)      | no               | no               | no                        |
| head of service       | no               | no               | no                        |
| lawyer                | yes              | yes              | yes                       |
| court liaison officer | no               | yes              | no                        |

(The record: proceedings, parties, directions, experts and the 26 weeks.) A form on the
record answers 403 to a role that reads the case but may not use it, 404 to one that does
not read the case.

The court diary (its week and day, the printed court list, CSV and XLSX) is for the roles
that use the tracker board (legaltracker.accounts.models.BOARD_ROLES), each seeing only the
hearings of cases they may read; "My cases" lists a lawyer's allocated cases and is for the
legal team alone (anyone else: 403, with a sentence saying what to use instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from legaltracker.cases.choices import EventKind

from .world import ADMIN, ANON, CLO, HOS, LEGAL, PERFORMANCE, SW, SW_B, TM, TM_B


@dataclass(frozen=True)
class Answer:
    status: int
    location: str | None = None  # what the Location header must start with

    def __str__(self) -> str:
        return f"{self.status}" + (f" to {self.location}" if self.location else "")


OK = Answer(200)
CREATED = Answer(201)
INVALID = Answer(400)
UNAUTHENTICATED = Answer(401)
FORBIDDEN = Answer(403)
NOT_FOUND = Answer(404)
NOT_ALLOWED = Answer(405)
TO_SIGN_IN = Answer(302, "/sign-in/?next=")

# The case's team, the legal team, the court liaison officer and senior managers.
CASE_READERS = frozenset({SW, TM, HOS, LEGAL, CLO})
BOARD_USERS = frozenset({TM, TM_B, HOS, LEGAL, CLO})
REPORT_USERS = BOARD_USERS
# The performance reports: figures only, for the performance officer, managers and the
# legal team (a team manager of either team: their own team's figures).
PERFORMANCE_USERS = frozenset({TM, TM_B, HOS, LEGAL, PERFORMANCE})
# The census return (its page, downloads and JSON): the performance team and heads of
# service (docs/census-export.md).
CENSUS_USERS = frozenset({HOS, PERFORMANCE})
MY_WORK_USERS = frozenset({SW, TM, SW_B, TM_B})
# "Find a case": everyone whose role sees cases (each finds only what they may see).
FIND_USERS = frozenset({SW, TM, HOS, LEGAL, CLO, SW_B, TM_B})
# The team case list: social workers and team managers, their own team's cases.
TEAM_LIST_USERS = MY_WORK_USERS
OPENS_TEAM_A_CASES = frozenset({SW, TM, HOS})
OPENS_SOME_CASES = frozenset({SW, TM, HOS, SW_B, TM_B})

# The schedule of expectations and letters on a team A case.
EDITS_EXPECTATIONS = frozenset({SW, TM, HOS})
EDITS_LETTER_DETAILS = frozenset({SW, TM, HOS, LEGAL})
DRAFTS_LETTERS = frozenset({SW, TM, HOS, LEGAL})
APPROVES_LETTERS = frozenset({TM, HOS, LEGAL})
# Record that a person checked the Welsh of a Welsh or bilingual draft: whoever drafts.
CHECKS_WELSH_LETTERS = DRAFTS_LETTERS
# A letter's translation: whoever drafts letters attaches it; the case's team manager or
# a head of service records why a letter goes without one.
ATTACHES_TRANSLATIONS = DRAFTS_LETTERS
WAIVES_TRANSLATIONS = frozenset({TM, HOS})
# The Approvals page: who approves letters or decides extension requests.
APPROVALS_USERS = frozenset({TM, TM_B, LEGAL, HOS})
# A pre-proceedings extension: team A's manager asks (and may withdraw), a head of
# service decides.
ASKS_FOR_EXTENSIONS = frozenset({TM})
DECIDES_EXTENSIONS = frozenset({HOS})
# A letter before proceedings: whoever records the "letter before proceedings sent" event.
SENDS_LETTERS = frozenset({SW, TM, HOS, LEGAL})

# The court record on a team A case: the legal team keeps it; the court liaison officer and
# the legal team record hearings and their outcomes; a council direction is updated by the
# legal team and its owner (team A's social worker in the matrix).
KEEPS_COURT_RECORD = frozenset({LEGAL})
RECORDS_HEARINGS = frozenset({LEGAL, CLO})
UPDATES_OWN_DIRECTION = frozenset({LEGAL, SW})
# The court diary: the board's roles (BOARD_ROLES); My cases: the legal team.
DIARY_USERS = frozenset({TM, TM_B, HOS, LEGAL, CLO})
MY_CASES_USERS = frozenset({LEGAL})

# Who may make each transition on a team A case.
TRANSITION_ACTORS: dict[str, frozenset[str]] = {
    "refer_to_gateway": frozenset({SW, TM, HOS}),
    "gateway_continue_plan": frozenset({HOS, LEGAL}),
    "gateway_enter_pre_proceedings": frozenset({HOS, LEGAL}),
    "gateway_issue": frozenset({HOS, LEGAL}),
    "extend_pre_proceedings": frozenset({HOS}),
    "step_down": frozenset({TM, HOS}),
    "escalate_to_gateway": frozenset({SW, TM, HOS, LEGAL}),
    "issue_proceedings": frozenset({LEGAL}),
    "extend_timetable": frozenset({LEGAL}),
    "conclude_proceedings": frozenset({LEGAL}),
    "close": frozenset({HOS}),
}

# Court events: the lawyer and the court liaison officer record them on any case.
_COURT = {
    EventKind.HEARING_LISTED,
    EventKind.HEARING_HELD,
    EventKind.PARTIES_SERVED,
    EventKind.NOTE,
}
_LEGAL = _COURT | {
    EventKind.DOCUMENT_READY,
    EventKind.LETTER_BEFORE_PROCEEDINGS_SENT,
    EventKind.LETTER_OF_ISSUE_SENT,
}


def event_actors(kind: str) -> frozenset[str]:
    """Who may record (and correct) an event of this kind on a team A case: the team
    records everything except that only its manager records management oversight; the
    head of service anything; the lawyer court events, Day 1 documents and the letters;
    the court liaison officer court events."""
    actors = {TM, HOS}
    if kind != EventKind.MANAGEMENT_OVERSIGHT:
        actors.add(SW)
    if kind in _LEGAL:
        actors.add(LEGAL)
    if kind in _COURT:
        actors.add(CLO)
    return frozenset(actors)


def post_only(actor: str) -> Answer:
    """GET on a web URL that only takes POST: signing in comes first."""
    return TO_SIGN_IN if actor == ANON else NOT_ALLOWED


def page(actor: str, allowed: frozenset[str], ok: Answer = OK) -> Answer:
    """A page of the web app that is not about one case."""
    if actor == ANON:
        return TO_SIGN_IN
    return ok if actor in allowed else FORBIDDEN


def on_case(actor: str, allowed: frozenset[str], ok: Answer = OK, *, api: bool = False) -> Answer:
    """Something done on team A's case: a case the actor may not read is not there
    for them (404), before any question of role (403)."""
    if actor == ANON:
        return UNAUTHENTICATED if api else TO_SIGN_IN
    if actor not in CASE_READERS:
        return NOT_FOUND
    return ok if actor in allowed else FORBIDDEN


def api(actor: str, allowed: frozenset[str], ok: Answer = OK) -> Answer:
    """An API endpoint that is not about one case."""
    if actor == ANON:
        return UNAUTHENTICATED
    return ok if actor in allowed else FORBIDDEN


EVERYONE_SIGNED_IN = frozenset({SW, TM, HOS, LEGAL, CLO, ADMIN, SW_B, TM_B, PERFORMANCE})
# The inspection list (legaltracker/inspection): heads of service and performance officers.
INSPECTION_LIST_USERS = frozenset({HOS, PERFORMANCE})

# Audit pages (legaltracker.audit): heads of service restrict cases, name the people who
# may see them and record retention decisions; administrators answer subject access
# requests (a data protection task: they still see no case page).
MANAGES_RESTRICTIONS = frozenset({HOS})
REVIEWS_RETENTION = frozenset({HOS})
HANDLES_SUBJECT_ACCESS = frozenset({ADMIN})


# Alerts (legaltracker/alerts): every signed-in person has their own notifications, alert
# settings and calendar feed. A failed alert email can be retried or dismissed by the
# person it was for and by an administrator (who looks after the mail set-up); for anyone
# else it is not there (404). The calendar feed needs no session: its secret address is
# the key, so it answers the same to everyone, and a revoked address is not there.
ALERT_DELIVERY_HANDLERS = frozenset({LEGAL, ADMIN})


def own_delivery(actor: str) -> Answer:
    """A POST on another person's (the lawyer's) failed alert email."""
    if actor == ANON:
        return TO_SIGN_IN
    return Answer(302, "/alerts/") if actor in ALERT_DELIVERY_HANDLERS else NOT_FOUND


def home(actor: str) -> Answer:
    """Each person's day starts on their own page."""
    if actor == ANON:
        return TO_SIGN_IN
    if actor in MY_WORK_USERS:
        return Answer(302, "/my-work/")
    if actor in (HOS, LEGAL, CLO):
        return Answer(302, "/board/")
    if actor == PERFORMANCE and _resolves("performance:reports"):
        return Answer(302, "/reports/performance/")
    # The administrator: a page pointing to the admin; the performance officer, while the
    # performance reports are not built: a page pointing to the figures there are.
    return OK


def _resolves(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True
