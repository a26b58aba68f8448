"""`manage.py demo`: idempotent, built through the services, and a realistic board."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from legaltracker.accounts.models import Role, Team, User
from legaltracker.cases.choices import ExtensionKind, Outcome, Stage
from legaltracker.cases.models import Case, CaseEvent, Extension, Family, RecordedEvent
from legaltracker.cases.selectors import case_list
from legaltracker.deadlines.choices import DeadlineStatus, Rag
from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.selectors import Today, with_deadline_status
from legaltracker.demo.cases import CASES, TEAMS, USERS
from legaltracker.demo.management.commands.demo import DEMO_PASSWORD, URL

from .conftest import run_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def snapshot() -> dict[str, int]:
    return {
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "cases": Case.objects.count(),
        "events": RecordedEvent.objects.count(),
        "audit": CaseEvent.objects.count(),
        "deadlines": Deadline.objects.count(),
        "extensions": Extension.objects.count(),
    }


def test_first_run_builds_every_case(demo):
    assert f"{len(CASES)} case(s) created, 0 already present" in demo
    assert Case.objects.count() == len(CASES) >= 40
    assert User.objects.count() == len(USERS)
    assert Team.objects.count() == len(TEAMS)


def test_second_run_changes_nothing_and_restores_a_changed_password(demo):
    lawyer = User.objects.get(username="lawyer")
    lawyer.set_password("something-else-entirely")
    lawyer.save()
    before = snapshot()

    output = run_demo()

    assert snapshot() == before
    assert f"0 case(s) created, {len(CASES)} already present" in output
    assert authenticate(username="lawyer", password=DEMO_PASSWORD) is not None


def test_prints_the_url_and_every_login_with_its_password(demo):
    assert URL in demo
    for spec in USERS:
        line = next(line for line in demo.splitlines() if line.split()[:1] == [spec.username])
        assert spec.role in line and DEMO_PASSWORD in line
        assert authenticate(username=spec.username, password=DEMO_PASSWORD) is not None


def test_users_cover_every_role_and_only_the_administrator_is_staff(demo):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(role=Role.SOCIAL_WORKER).count() >= 3
    staff = User.objects.filter(is_staff=True)
    assert list(staff.values_list("role", flat=True)) == [Role.ADMINISTRATOR]
    administrator = staff.get()
    # Configuration only: the admin site without any permission on case data.
    assert not administrator.is_superuser
    assert administrator.has_perm("accounts.change_team")
    assert administrator.has_perm("deadlines.change_timescalepolicy")
    assert not administrator.has_perm("cases.view_case")
    for user in User.objects.filter(role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER]):
        assert user.team is not None


def test_cases_cover_every_stage_and_the_situations_a_demo_needs(demo, today):
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    outcomes = set(Case.objects.closed().values_list("outcome", flat=True))
    assert {Outcome.CONTINUE_PLAN, Outcome.STEPPED_DOWN, Outcome.CARE_ORDER} <= outcomes
    assert len(outcomes) >= 6
    assert Case.objects.filter(urgent=True, stage=Stage.ISSUE).exists()
    unborn = Case.objects.get(unborn_baby=True)
    assert unborn.children.get().expected_date_of_birth > today
    assert set(Extension.objects.values_list("kind", flat=True)) == set(ExtensionKind.values)
    assert CaseEvent.objects.filter(details__transition="escalate_to_gateway").exists()
    assert any(family.cases.count() > 1 for family in Family.objects.all())
    amber_before = Today.now(today).pre_proceedings_amber_before
    assert Case.objects.filter(
        stage=Stage.PRE_PROCEEDINGS, pre_proceedings_started_on__lt=amber_before
    ).exists()


def test_deadlines_are_met_due_soon_and_overdue_and_the_board_has_every_colour(demo, today):
    now = Today.now(today)

    statuses = set(
        with_deadline_status(Deadline.objects.all(), now).values_list("status", flat=True)
    )
    assert {DeadlineStatus.MET, DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE} <= statuses
    head_of_service = User.objects.get(role=Role.HEAD_OF_SERVICE)
    rags = set(case_list(user=head_of_service, today=now).values_list("rag", flat=True))
    assert rags == set(Rag.values)


def test_every_case_was_walked_through_the_services(demo, today):
    for case in Case.objects.all():
        trail = list(CaseEvent.objects.filter(case=case).order_by("at", "id"))
        assert trail[0].action == "case_created"
        moves = [event for event in trail if event.action == "transition"]
        last_stage = moves[-1].to_stage if moves else Stage.CONCERN
        assert last_stage == case.stage, case.reference
        # Services refuse future dates, so nothing is dated after the day the demo ran.
        assert all(e.effective_date is None or e.effective_date <= today for e in trail)
