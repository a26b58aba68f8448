"""My work: a social worker's cases and what is due; a team manager's team."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.cases.choices import Stage
from tests.factories import UserFactory, case_at, record

from . import data


@pytest.fixture
def second_worker(staff):
    return UserFactory(username="sw2-north", role=Role.SOCIAL_WORKER, team=staff.team)


@pytest.mark.parametrize(
    "role", ["head_of_service", "legal", "court_liaison_officer", "administrator"]
)
def test_my_work_is_for_team_roles(client, staff, role):
    client.force_login(staff.by_role(role))
    assert client.get(reverse("web:my_work")).status_code == 403


def test_signed_out_my_work_goes_to_sign_in(client, db):
    response = client.get(reverse("web:my_work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign_in"))


def test_social_worker_sees_their_open_cases_and_what_is_due(
    client, staff, other_staff, second_worker, today
):
    overdue_case = case_at(Stage.PRE_PROCEEDINGS, staff)  # letter before proceedings overdue
    # Referred 2026-02-24: the gateway meeting is due 2026-03-10, within 5 working days.
    due_soon_case = case_at(Stage.LEGAL_GATEWAY, staff, start=today - dt.timedelta(days=9))
    closed_case = case_at(Stage.CLOSED, staff)
    other_team_case = case_at(Stage.PRE_PROCEEDINGS, other_staff)
    colleagues_case = case_at(Stage.PRE_PROCEEDINGS, staff, social_worker=second_worker.username)

    client.force_login(staff.social_worker)
    response = client.get(reverse("web:my_work"))
    assert response.status_code == 200
    work = response.context["work"]
    assert {c.pk for c in work.cases} == {overdue_case.pk, due_soon_case.pk}
    html = response.content.decode()
    for hidden in (closed_case, other_team_case, colleagues_case):
        assert hidden.reference not in html

    due = {(d.case_id, d.milestone): d.status for d in work.due}
    assert due[(overdue_case.pk, "letter_before_proceedings")] == "overdue"
    assert due[(due_soon_case.pk, "gateway_meeting")] == "due_soon"
    assert {case_id for case_id, _ in due} == {overdue_case.pk, due_soon_case.pk}
    assert all(status in {"overdue", "due_soon"} for status in due.values())

    assert f'href="/cases/{overdue_case.pk}/"' in html
    assert "Letter before proceedings sent" in html
    assert ">Overdue</strong>" in html and ">Due soon</strong>" in html
    assert "Red: overdue" in html  # the overdue case's RAG, in words
    assert overdue_case.children.first().last_name in html


def test_social_worker_with_nothing_due(client, staff, today):
    client.force_login(staff.social_worker)
    html = client.get(reverse("web:my_work")).content.decode()
    assert "You have no open cases." in html
    assert "Nothing on your cases is overdue" in html


def test_team_manager_sees_caseload_per_worker_and_flags_high_caseloads(
    client, staff, other_staff, second_worker, today
):
    for _ in range(18):
        case_at(Stage.CONCERN, staff, start=today, social_worker=second_worker.username)
    case_at(Stage.PRE_PROCEEDINGS, staff)
    case_at(Stage.CLOSED, staff)  # closed: not caseload
    for _ in range(20):  # another team's worker: not in this team's list
        case_at(Stage.CONCERN, other_staff, start=today)

    client.force_login(staff.team_manager)
    response = client.get(reverse("web:my_work"))
    assert response.status_code == 200
    workers = {w.username: w for w in response.context["work"].workers}
    assert set(workers) == {
        staff.social_worker.username,
        second_worker.username,
        staff.team_manager.username,
    }
    assert workers[second_worker.username].open_cases == 18
    assert workers[second_worker.username].over_limit
    assert workers[staff.social_worker.username].open_cases == 1
    assert workers[staff.social_worker.username].red_cases == 1
    assert not workers[staff.social_worker.username].over_limit
    assert workers[staff.team_manager.username].open_cases == 0
    html = response.content.decode()
    assert html.count(">Over 17</strong>") == 1
    assert other_staff.social_worker.display_name not in html


def test_team_manager_sees_what_awaits_their_decision_or_oversight(
    client, staff, other_staff, today
):
    # Initial meeting 2025-09-15: the decision point was 2026-01-05. Oversight is recent.
    past_decision = data.pre_proceedings(
        staff, dt.date(2025, 9, 1), letter=dt.date(2025, 9, 5), meeting=dt.date(2025, 9, 15)
    )
    record(past_decision, staff.team_manager, "management_oversight", today, summary="Reviewed.")
    # Opened 30 days ago, never overseen: 20 working days have passed.
    no_oversight = case_at(Stage.LEGAL_GATEWAY, staff)
    # Opened today and overseen: needs nothing.
    fine = case_at(Stage.CONCERN, staff, start=today)
    other_team = data.pre_proceedings(
        other_staff, dt.date(2025, 9, 1), letter=dt.date(2025, 9, 5), meeting=dt.date(2025, 9, 15)
    )

    client.force_login(staff.team_manager)
    response = client.get(reverse("web:my_work"))
    attention = {c.pk: c for c in response.context["work"].attention}
    assert set(attention) == {past_decision.pk, no_oversight.pk}
    assert attention[past_decision.pk].past_decision_point
    assert not attention[past_decision.pk].oversight_overdue
    assert attention[past_decision.pk].decision_due == dt.date(2026, 1, 5)
    assert attention[no_oversight.pk].oversight_overdue
    assert not attention[no_oversight.pk].past_decision_point
    html = response.content.decode()
    assert "Past the pre-proceedings decision point (5 January 2026)" in html
    assert "No management oversight recorded" in html
    assert fine.reference not in html
    assert other_team.reference not in html
    due_cases = {d.case_id for d in response.context["work"].due}
    assert other_team.pk not in due_cases
    assert no_oversight.pk in due_cases


def test_team_manager_without_a_team(client, staff):
    staff.team_manager.team = None
    staff.team_manager.save()
    client.force_login(staff.team_manager)
    html = client.get(reverse("web:my_work")).content.decode()
    assert "You are not in a team" in html


@pytest.mark.parametrize("role", ["social_worker", "team_manager"])
def test_my_work_starts_a_new_case_in_one_click(client, staff, role):
    client.force_login(staff.by_role(role))
    page = client.get(reverse("web:my_work")).content.decode()
    new_case = reverse("casework:case_create")
    assert f'href="{new_case}"' in page and "Open a case" in page
    form = client.get(new_case)
    assert form.status_code == 200
    assert staff.team.code in form.content.decode()  # their team, chosen already
