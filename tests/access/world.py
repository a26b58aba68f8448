"""The people and cases the access tests act on, built through the services.

Team A ("north") owns every case the matrix acts on; team B ("south") has its own social
worker and team manager, who must not see team A's cases. The children and adults have
distinctive invented names so that a test can look for them where they must not be
(URLs, links, logs).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from legaltracker.accounts.models import User
from legaltracker.api.tokens import token_issue
from legaltracker.cases import services as case_services
from legaltracker.cases.choices import EventKind, ExtensionKind, Stage
from legaltracker.cases.models import Case, ExtensionRequest, RecordedEvent
from legaltracker.cases.transitions import current_end
from legaltracker.core import clock
from legaltracker.court import services as court_services
from legaltracker.court.models import Direction, ExpertAssessment, Hearing
from letters import services as letter_services
from letters.models import Expectation, Letter
from letters.services import translations
from tests.factories import Staff, case_at, gateway_data, move, ready_for_issue, record

ANON = "anonymous"
SW, TM, HOS = "social_worker", "team_manager", "head_of_service"
LEGAL, CLO, ADMIN = "legal", "court_liaison_officer", "administrator"
SW_B, TM_B = "other_team_social_worker", "other_team_manager"
PERFORMANCE = "performance_officer"
ACTORS = (ANON, SW, TM, HOS, LEGAL, CLO, ADMIN, SW_B, TM_B, PERFORMANCE)

PASSWORD = "An invented test password 42"

# Invented names, unlike any word in a URL, so that finding one means personal data leaked.
CHILD_NAMES = ["Quillonette", "Brackenridge", "Marisoleth", "Thistlewood", "Orvandel"]
ADULT_NAMES = ["Pellinore", "Gwendaline", "Castellane", "Ambrosine", "Wetherall"]
DATE_OF_BIRTH = "2017-11-23"
_names = itertools.count()


def family() -> dict[str, Any]:
    n = next(_names)
    child = CHILD_NAMES[n % len(CHILD_NAMES)]
    adult = ADULT_NAMES[n % len(ADULT_NAMES)]
    return {
        "children": [
            {"first_name": child, "last_name": f"{adult}son", "date_of_birth": DATE_OF_BIRTH}
        ],
        "adults": [
            {
                "first_name": adult,
                "last_name": f"{adult}son",
                "relationship": "mother",
                "parental_responsibility": True,
            }
        ],
    }


def personal_words() -> list[str]:
    return [*CHILD_NAMES, *ADULT_NAMES, DATE_OF_BIRTH]


# Where each transition starts, and where it leaves the case.
TRANSITION_FROM = {
    "refer_to_gateway": "concern",
    "gateway_continue_plan": "gateway",
    "gateway_enter_pre_proceedings": "gateway",
    "gateway_issue": "gateway",
    "extend_pre_proceedings": "pre_proceedings",
    "step_down": "pre_proceedings",
    "escalate_to_gateway": "pre_proceedings",
    "issue_proceedings": "issue",
    "extend_timetable": "proceedings",
    "conclude_proceedings": "proceedings",
    "close": "concern",
}
TRANSITION_TO = {
    "refer_to_gateway": Stage.LEGAL_GATEWAY,
    "gateway_continue_plan": Stage.CLOSED,
    "gateway_enter_pre_proceedings": Stage.PRE_PROCEEDINGS,
    "gateway_issue": Stage.ISSUE,
    "extend_pre_proceedings": Stage.PRE_PROCEEDINGS,
    "step_down": Stage.CLOSED,
    "escalate_to_gateway": Stage.LEGAL_GATEWAY,
    "issue_proceedings": Stage.PROCEEDINGS,
    "extend_timetable": Stage.PROCEEDINGS,
    "conclude_proceedings": Stage.CLOSED,
    "close": Stage.CLOSED,
}


@dataclass
class World:
    staff: Staff
    other: Staff
    users: dict[str, User | None] = field(default_factory=dict)
    shared: dict[tuple[str, str], Case] = field(default_factory=dict)
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)

    @classmethod
    def build(cls, staff: Staff, other: Staff) -> World:
        world = cls(staff, other)
        world.users = {
            ANON: None,
            SW: staff.social_worker,
            TM: staff.team_manager,
            HOS: staff.head_of_service,
            LEGAL: staff.legal,
            CLO: staff.court_liaison_officer,
            ADMIN: staff.administrator,
            SW_B: other.social_worker,
            TM_B: other.team_manager,
            PERFORMANCE: staff.performance_officer,
        }
        for user in world.users.values():
            if user is not None:
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
        case_at(Stage.LEGAL_GATEWAY, other, **family())  # team B has a case of its own
        return world

    @property
    def today(self) -> dt.date:
        return clock.today()

    # --- cases ---------------------------------------------------------------------------

    def fresh(self, where: str) -> Case:
        """A new team A case where `where` says, ready for the transitions from there."""
        staff = self.staff
        if where == "concern":
            return case_at(Stage.CONCERN, staff, **family())
        if where == "gateway":
            return case_at(Stage.LEGAL_GATEWAY, staff, **family())
        if where == "pre_proceedings":
            # Pre-proceedings from Wed 7 Jan, initial meeting 20 Jan, assessment 2 Feb:
            # there is a decision point to extend and an assessment to step down on.
            case = case_at(Stage.PRE_PROCEEDINGS, staff, start=dt.date(2026, 1, 5), **family())
            record(case, staff.legal, EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, dt.date(2026, 1, 9))
            record(case, staff.social_worker, EventKind.FGDM_OFFERED, dt.date(2026, 1, 9))
            record(case, staff.social_worker, EventKind.INITIAL_MEETING_HELD, dt.date(2026, 1, 20))
            record(
                case,
                staff.social_worker,
                EventKind.ASSESSMENT_COMPLETED,
                dt.date(2026, 2, 2),
                summary="Parenting assessment",
            )
            return Case.objects.get(pk=case.pk)
        if where == "issue":
            case = case_at(Stage.ISSUE, staff, **family())
            ready_for_issue(case, staff, self.today)
            return Case.objects.get(pk=case.pk)
        if where == "proceedings":
            return case_at(Stage.PROCEEDINGS, staff, **family())
        if where == "events":
            # At issue after pre-proceedings: every kind of event can be recorded on it
            # (a letter before proceedings needs pre-proceedings, a letter of issue the
            # decision to issue).
            case = case_at(Stage.PRE_PROCEEDINGS, staff, **family())
            day = self.today - dt.timedelta(days=3)
            move(
                case,
                "escalate_to_gateway",
                staff.social_worker,
                date=day.isoformat(),
                reasons="Risk increased.",
            )
            move(case, "gateway_issue", staff.legal, **gateway_data(day + dt.timedelta(days=1)))
            return Case.objects.get(pk=case.pk)
        raise ValueError(where)

    def case(self, where: str, key: str = "") -> Case:
        """A team A case shared by the cells that do not change it (GETs and refusals);
        `key` keeps one apart (each kind of event has its own case, so that no case
        grows long enough to slow every request on it)."""
        if (where, key) not in self.shared:
            self.shared[where, key] = self.fresh(where)
        return Case.objects.get(pk=self.shared[where, key].pk)

    def event_of_kind(self, kind: str) -> RecordedEvent:
        """An event of each kind on that kind's case, to be corrected."""
        case = self.case("events", kind)
        event = case.recorded_events.filter(kind=kind).order_by("pk").first()
        if event is None:
            event = record(
                case, self.staff.head_of_service, kind, self.today, **event_details(kind)
            )
        return event

    # --- extension requests --------------------------------------------------------------

    def extension_request_data(self, case: Case) -> dict[str, Any]:
        end = current_end(case, ExtensionKind.PRE_PROCEEDINGS)
        assert end is not None, "the case has no decision date to extend"
        return {
            "new_end_date": (end + dt.timedelta(weeks=3)).isoformat(),
            "reason": "The parenting assessment needs three more weeks.",
        }

    def extension_request(self, *, shared: bool = True) -> ExtensionRequest:
        """A request waiting for a decision on a team A case of its own, asked for by team
        A's manager; `shared` for the one the refused cells try, else a new one."""
        if shared and ("extension_request", "") in self.shared:
            case = self.case("extension_request")
            return ExtensionRequest.objects.get(case=case, status="pending")
        case = self.fresh("pre_proceedings")
        request = case_services.extension_request_create(
            case_id=case.pk, actor=self.staff.team_manager, data=self.extension_request_data(case)
        )
        if shared:
            self.shared["extension_request", ""] = case
        return request

    # --- the court record -------------------------------------------------------------------

    def court_case(self) -> Case:
        """The team A case in proceedings whose court record the court cells act on."""
        return self.case("proceedings", "court")

    def hearing(self, status: str = "listed", *, shared: bool = True) -> Hearing:
        """A hearing on the court case, listed for today (so that it can be held) and held
        if asked; `shared` for the one the refused cells try, else a new one."""
        key = ("hearing", status)
        if shared and key in self.shared:
            return Hearing.objects.get(pk=self.shared[key].pk)
        case = self.court_case()
        hearing = court_services.hearing_list(
            case_id=case.pk,
            actor=self.staff.legal,
            data={"kind": "other", "date": self.today.isoformat(), "time": "10:00"},
        )
        if status == "held":
            hearing = court_services.hearing_hold(
                hearing_id=hearing.pk,
                actor=self.staff.legal,
                data={"orders_made": ["directions_only"]},
            )
        if shared:
            self.shared[key] = hearing
        return Hearing.objects.get(pk=hearing.pk)

    def direction(self, *, shared: bool = True) -> Direction:
        """A council direction on the court case, owned by team A's social worker."""
        if shared and ("direction", "") in self.shared:
            return Direction.objects.get(pk=self.shared["direction", ""].pk)
        direction = court_services.direction_add(
            case_id=self.court_case().pk,
            actor=self.staff.legal,
            data={
                "text": "File the social work evidence.",
                "party": "council",
                "due_on": (self.today + dt.timedelta(days=14)).isoformat(),
                "owner": self.staff.social_worker.pk,
            },
        )
        if shared:
            self.shared["direction", ""] = direction
        return direction

    def expert(self) -> ExpertAssessment:
        if ("expert", "") not in self.shared:
            self.shared["expert", ""] = court_services.expert_add(
                case_id=self.court_case().pk,
                actor=self.staff.legal,
                data={"assessment_type": "parenting", "expert": "Dr Rowan"},
            )
        return ExpertAssessment.objects.get(pk=self.shared["expert", ""].pk)

    # --- the schedule of expectations and letters --------------------------------------------

    def letters_case(self) -> Case:
        """A pre-proceedings case with one expectation and the letter details filled in:
        its letter before proceedings can be approved as soon as it is drafted."""
        if ("letters", "") not in self.shared:
            case = self.fresh("pre_proceedings")
            letter_services.expectation_create(
                case_id=case.pk, actor=self.staff.social_worker, data=self.expectation_data(case)
            )
            letter_services.letter_details_update(
                case_id=case.pk, actor=self.staff.social_worker, data=letter_details()
            )
            self.shared["letters", ""] = case
        return self.case("letters")

    def expectation(self) -> Expectation:
        return Expectation.objects.filter(case=self.letters_case()).order_by("pk").first()

    def letter(self, status: str = "draft", *, shared: bool = True) -> Letter:
        """A letter before proceedings on the letters case, drafted (and approved) by the
        lawyer; `shared` for the one the refused cells try, else a new one."""
        key = ("letter", status)
        if shared and key in self.shared:
            return Letter.objects.get(pk=self.shared[key].pk)
        case = self.letters_case()
        adult = case.adults.order_by("pk").first()
        letter = letter_services.letter_generate(
            case_id=case.pk,
            actor=self.staff.legal,
            data={"kind": "letter_before_proceedings", "recipient": adult.pk},
        )
        if status == "approved":
            letter = letter_services.letter_approve(letter_id=letter.pk, actor=self.staff.legal)
        if shared:
            self.shared[key] = letter
        return Letter.objects.get(pk=letter.pk)

    def translation_letter(self, *, shared: bool = True) -> Letter:
        """A draft letter with a translation request still open (into Polish)."""
        key = ("translation", "")
        if shared and key in self.shared:
            return Letter.objects.get(pk=self.shared[key].pk)
        letter = self.letter("draft", shared=False)
        translations.request_create(letter=letter, language="Polish", actor=self.staff.legal)
        if shared:
            self.shared[key] = letter
        return letter

    def expectation_data(self, case: Case, action: str = "") -> dict[str, Any]:
        return {
            "adults": [a.pk for a in case.adults.all()],
            "action": action or "Take the children to school on time every day.",
            "why_it_matters": "The children need to learn and to see their friends.",
            "help_offered": "We will pay for a bus pass.",
            "how_judged": "The school will tell us that the children are there on time.",
            "due_by": (self.today + dt.timedelta(days=30)).isoformat(),
        }

    def review_data(self, case: Case) -> dict[str, Any]:
        items = Expectation.objects.filter(case=case, withdrawn=False)
        return {
            "date": self.today.isoformat(),
            "items": [{"expectation": e.pk, "status": "partly_met"} for e in items],
        }

    # --- what a valid request says ---------------------------------------------------------

    def transition_data(self, name: str, case: Case) -> dict[str, Any]:
        today = self.today.isoformat()
        if name in ("refer_to_gateway", "escalate_to_gateway"):
            return {"date": today, "reasons": "Concerns persist despite the plan."}
        if name.startswith("gateway_"):
            return gateway_data(self.today)
        if name in ("extend_pre_proceedings", "extend_timetable"):
            kind = (
                ExtensionKind.PRE_PROCEEDINGS
                if name == "extend_pre_proceedings"
                else ExtensionKind.TIMETABLE
            )
            approver = (
                self.staff.head_of_service
                if kind == ExtensionKind.PRE_PROCEEDINGS
                else (self.staff.legal)
            )
            end = current_end(case, kind)
            assert end is not None, f"{name}: the case has no end date to extend"
            return {
                "date": today,
                "reasons": "The assessment needs four more weeks.",
                "approved_by": approver.username,
                "new_end_date": (end + dt.timedelta(weeks=4)).isoformat(),
            }
        if name == "step_down":
            return {
                "date": today,
                "step_down_to": "child_protection_plan",
                "reasons": "The risk has reduced: a child protection plan is enough.",
            }
        if name == "issue_proceedings":
            return {"date": today, "court_reference": "ZW26C00099"}
        if name == "conclude_proceedings":
            return {"date": today, "outcome": "care_order"}
        if name == "close":
            return {"date": today, "outcome": "withdrawn", "reasons": "The family moved away."}
        raise ValueError(name)

    def event_data(self, kind: str) -> dict[str, Any]:
        return {"kind": kind, "date": self.today.isoformat(), **event_details(kind)}

    def correction_data(self, kind: str) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "reason_for_change": "The date was typed wrongly.",
            **event_details(kind),
        }

    # --- clients ---------------------------------------------------------------------------

    def web(self, actor: str, *, new: bool = False, csrf: bool = False) -> Client:
        """The actor's browser (signed in unless anonymous); `new` for one of its own, for
        the cells that sign in or out, `csrf` for one that checks CSRF tokens as a real
        browser's requests are checked."""
        if not new and not csrf and ("web", actor) in self._clients:
            return self._clients["web", actor]
        client = Client(enforce_csrf_checks=csrf)
        user = self.users[actor]
        if user is not None:
            client.force_login(user)
        if not new and not csrf:
            self._clients["web", actor] = client
        return client

    def api(self, actor: str) -> APIClient:
        """The actor's API client, authenticated by token (anonymous: none)."""
        if ("api", actor) not in self._clients:
            client = APIClient()
            user = self.users[actor]
            if user is not None:
                _, key = token_issue(user=user, name="test")
                client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            self._clients["api", actor] = client
        return self._clients["api", actor]


def event_details(kind: str) -> dict[str, Any]:
    details: dict[str, Any] = {"summary": "Recorded for the access matrix."}
    if kind == EventKind.DOCUMENT_READY:
        details["document"] = "chronology"
    if kind in (EventKind.HEARING_LISTED, EventKind.HEARING_HELD):
        details["hearing_type"] = "case_management_hearing"
    if kind == EventKind.HEARING_LISTED:
        details["hearing_date"] = "2026-03-20"
    if kind == EventKind.INITIAL_MEETING_HELD:
        details["effective"] = "yes"  # the form's radio and the API's answer alike
    return details


def letter_details(concerns: str = "") -> dict[str, Any]:
    """Everything a letter before proceedings needs beyond the case record."""
    return {
        "concerns": concerns or "The children have been left at home on their own at night.",
        "history": "We have worked with the family since May 2025.",
        "help_given": "A family support worker has visited each week.",
        "meeting_date": "2026-03-17",
        "meeting_time": "10:00",
        "meeting_place": "The Family Centre, 5 Grove Road",
        "meeting_attendees": ["Sam Brookfield, social worker", "Leonie Quillon, lawyer"],
        "fgdm_how_to_accept": "call Sam Brookfield on 01632 960 000.",
        "legal_contact_name": "Leonie Quillon",
        "legal_reference": "LEG/2026/0412",
    }


def details_as_form(data: dict[str, Any], version: int) -> dict[str, str]:
    """The letter details as their form posts them (it sends every field)."""
    post = {key: str(value) for key, value in data.items() if isinstance(value, str)}
    day = dt.date.fromisoformat(data["meeting_date"])
    post["meeting_date"] = f"{day.day}/{day.month}/{day.year}"
    post["meeting_attendees"] = "\n".join(data["meeting_attendees"])
    post["version"] = str(version)
    return post


def expectation_as_form(data: dict[str, Any], version: int) -> dict[str, Any]:
    post: dict[str, Any] = {k: v for k, v in data.items() if k not in ("adults", "due_by")}
    post["adults"] = [str(pk) for pk in data["adults"]]
    day = dt.date.fromisoformat(data["due_by"])
    post["due_by"] = f"{day.day}/{day.month}/{day.year}"
    post["version"] = str(version)
    return post


def as_form(data: dict[str, Any], version: int | None = None) -> dict[str, str]:
    """A service's values as the case forms post them: dates as day/month/year, the
    gateway's attendees as rows, ticked boxes as "on"."""
    post: dict[str, str] = {}
    if version is not None:
        post["version"] = str(version)
    for key, value in data.items():
        if key == "attendees":
            for row, attendee in enumerate(value, start=1):
                post[f"attendee_{row}_name"] = attendee["name"]
                post[f"attendee_{row}_role"] = attendee["role"]
        elif key in ("date", "new_end_date", "hearing_date", "opened_on") and value:
            day = dt.date.fromisoformat(value)
            post[key] = f"{day.day}/{day.month}/{day.year}"
        elif key in ("children", "adults"):
            prefix = "child" if key == "children" else "adult"
            for row, person in enumerate(value, start=1):
                for name, item in person.items():
                    if isinstance(item, bool):
                        if item:
                            post[f"{prefix}_{row}_{name}"] = "on"
                    elif name in ("date_of_birth", "expected_date_of_birth"):
                        day = dt.date.fromisoformat(item)
                        post[f"{prefix}_{row}_{name}"] = f"{day.day}/{day.month}/{day.year}"
                    else:
                        post[f"{prefix}_{row}_{name}"] = str(item)
        elif isinstance(value, bool):
            if value:
                post[key] = "on"
        elif value is not None:
            post[key] = str(value)
    return post
