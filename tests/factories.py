"""Test data built through the services, so that every case in a test got where it is
the way a real one would. `case_at(stage)` is the one trait per stage."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory

from legaltracker.accounts.models import Role, Team, User
from legaltracker.cases import day1, services
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.core import clock

_counter = itertools.count(1)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"team-{n}")
    name = factory.LazyAttribute(lambda o: f"Team {o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    role = Role.SOCIAL_WORKER
    team = None


class Staff:
    """One user per role; the team roles belong to `team`."""

    def __init__(self, team: Team):
        self.team = team
        self.social_worker = UserFactory(
            username=f"sw-{team.code}", role=Role.SOCIAL_WORKER, team=team
        )
        self.team_manager = UserFactory(
            username=f"tm-{team.code}", role=Role.TEAM_MANAGER, team=team
        )
        self.head_of_service = UserFactory(username="hos", role=Role.HEAD_OF_SERVICE)
        self.legal = UserFactory(username="lawyer", role=Role.LEGAL)
        self.court_liaison_officer = UserFactory(username="clo", role=Role.COURT_LIAISON_OFFICER)
        self.administrator = UserFactory(username="admin-user", role=Role.ADMINISTRATOR)
        self.performance_officer = UserFactory(
            username="performance-user", role=Role.PERFORMANCE_OFFICER
        )

    def by_role(self, role: str) -> User:
        return getattr(self, role)


ATTENDEES = [
    {"name": "Sam Worker", "role": "social_worker"},
    {"name": "Alex Chair", "role": "chair"},
    {"name": "Jo Lawyer", "role": "legal"},
]


def case_data(staff: Staff, **overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    data = {
        "team": staff.team.code,
        "social_worker": staff.social_worker.username,
        "children": [
            {"first_name": "Child", "last_name": f"Example{n}", "date_of_birth": "2019-04-01"}
        ],
        "adults": [
            {
                "first_name": "Parent",
                "last_name": f"Example{n}",
                "relationship": "mother",
                "parental_responsibility": True,
            },
        ],
    }
    data.update(overrides)
    return data


def gateway_data(day: dt.date, **extra: Any) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "attendees": ATTENDEES,
        "threshold_view": "met",
        "reasons": "Neglect continues despite a child protection plan.",
        **extra,
    }


def move(case: Case, transition: str, actor: User, **data: Any) -> Case:
    return services.case_transition(case_id=case.pk, transition=transition, actor=actor, data=data)


def record(case: Case, actor: User, kind: str, day: dt.date, **data: Any) -> Any:
    if kind == "initial_meeting_held":
        # The question every new initial meeting answers; a test about it says otherwise.
        data.setdefault("effective", True)
    return services.event_record(
        case_id=case.pk, actor=actor, data={"kind": kind, "date": day.isoformat(), **data}
    )


def ready_for_issue(case: Case, staff: Staff, day: dt.date) -> None:
    """Every item of the council's Day 1 checklist ready, and the FGDM duty met."""
    for code in day1.required_codes():
        record(case, staff.legal, "document_ready", day, document=code)
    record(case, staff.social_worker, "fgdm_offered", day)
    record(case, staff.social_worker, "fgdm_declined", day)


def case_at(stage: str, staff: Staff, *, start: dt.date | None = None, **create: Any) -> Case:
    """A case walked through the services to `stage`, one day per step from `start`."""
    today = clock.today()
    day = start or today - dt.timedelta(days=30)
    step = dt.timedelta(days=1)
    case = services.case_create(
        actor=staff.social_worker, data=case_data(staff, opened_on=day.isoformat(), **create)
    )
    if stage == Stage.CONCERN:
        return case
    day += step
    move(
        case,
        "refer_to_gateway",
        staff.social_worker,
        date=day.isoformat(),
        reasons="Concerns persist.",
    )
    if stage == Stage.LEGAL_GATEWAY:
        return Case.objects.get(pk=case.pk)
    day += step
    if stage == Stage.PRE_PROCEEDINGS:
        move(case, "gateway_enter_pre_proceedings", staff.legal, **gateway_data(day))
        return Case.objects.get(pk=case.pk)
    if stage == Stage.CLOSED:
        move(case, "gateway_continue_plan", staff.legal, **gateway_data(day))
        return Case.objects.get(pk=case.pk)
    move(case, "gateway_issue", staff.legal, **gateway_data(day))
    if stage == Stage.ISSUE:
        return Case.objects.get(pk=case.pk)
    day += step
    ready_for_issue(case, staff, day)
    move(case, "issue_proceedings", staff.legal, date=day.isoformat(), court_reference="ZW26C00001")
    return Case.objects.get(pk=case.pk)
