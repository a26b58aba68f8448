"""Opening a case from the web form."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from legaltracker.cases.models import Adult, Case, Child
from tests.factories import case_at

from .helpers import case_url

pytestmark = pytest.mark.django_db

URL = reverse("casework:case_create")


def valid_post(staff, **overrides):
    post = {
        "team": staff.team.code,
        "social_worker": staff.social_worker.username,
        "opened_on": "2/3/2026",
        "child_1_first_name": "Amy",
        "child_1_last_name": "Kowalska",
        "child_1_date_of_birth": "1/4/2019",
        "child_2_first_name": "",
        "child_2_last_name": "",
        "child_3_first_name": "Ben",
        "child_3_last_name": "Kowalski",
        "child_3_date_of_birth": "2021-06-30",
        "adult_1_first_name": "Beata",
        "adult_1_last_name": "Kowalska",
        "adult_1_relationship": "mother",
        "adult_1_parental_responsibility": "on",
        "adult_1_preferred_language": "Polish",
        "adult_1_interpreter_needed": "on",
        "adult_2_first_name": "",
        "adult_2_relationship": "",
    }
    post.update(overrides)
    return post


def test_social_worker_opens_a_case(staff, today, signed_in):
    client = signed_in(staff.social_worker)
    page = client.get(URL)
    assert page.status_code == 200
    form = page.context["form"]
    assert [code for code, _ in form.fields["team"].choices if code] == [staff.team.code]
    assert form.initial["social_worker"] == staff.social_worker.username

    response = client.post(URL, valid_post(staff))

    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == case_url(case)
    assert case.team == staff.team and case.social_worker == staff.social_worker
    assert case.stage == "concern"
    assert str(case.opened_on) == "2026-03-02"
    children = list(Child.objects.filter(case=case).order_by("id"))
    assert [(c.first_name, c.last_name) for c in children] == [
        ("Amy", "Kowalska"),
        ("Ben", "Kowalski"),
    ]
    adult = Adult.objects.get(case=case)
    assert adult.parental_responsibility and adult.interpreter_needed
    assert not adult.advocate_needed
    assert adult.preferred_language == "Polish"
    shown = html.unescape(client.get(response["Location"]).content.decode())
    assert f"Case {case.reference} opened." in shown


def test_field_errors_come_back_on_the_rows(staff, today, signed_in):
    client = signed_in(staff.team_manager)

    no_children = client.post(
        URL,
        valid_post(
            staff,
            child_1_first_name="",
            child_1_last_name="",
            child_1_date_of_birth="",
            child_3_first_name="",
            child_3_last_name="",
            child_3_date_of_birth="",
        ),
    )
    assert no_children.status_code == 400
    assert no_children.context["form"].errors["child_1_last_name"] == ["Add at least one child."]

    # a first name without a last name, on the third row (the second is blank)
    missing = client.post(URL, valid_post(staff, child_3_last_name=""))
    assert missing.status_code == 400
    assert missing.context["form"].errors["child_3_last_name"] == ["Child 3: This cannot be blank."]

    adult = client.post(
        URL, valid_post(staff, adult_1_relationship="", adult_1_email="not-an-email")
    )
    assert adult.status_code == 400
    errors = adult.context["form"].errors
    assert "adult_1_relationship" in errors and "adult_1_email" in errors

    assert client.post(URL, valid_post(staff, opened_on="2/13/2026")).status_code == 400
    assert (
        client.post(URL, valid_post(staff, opened_on="2/3/2099"))
        .context["form"]
        .errors["opened_on"]
    )
    assert not Case.objects.exists()


def test_another_teams_worker_cannot_be_chosen(staff, other_staff, today, signed_in):
    response = signed_in(staff.social_worker).post(
        URL, valid_post(staff, social_worker=other_staff.social_worker.username)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["social_worker"]
    assert not Case.objects.exists()


def test_team_member_cannot_open_for_another_team(staff, other_staff, today, signed_in):
    response = signed_in(staff.social_worker).post(
        URL,
        valid_post(
            staff, team=other_staff.team.code, social_worker=other_staff.social_worker.username
        ),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["team"]
    assert not Case.objects.exists()


def test_head_of_service_opens_for_any_team(staff, other_staff, today, signed_in):
    client = signed_in(staff.head_of_service)
    page = client.get(URL)
    teams = {code for code, _ in page.context["form"].fields["team"].choices if code}
    assert teams == {staff.team.code, other_staff.team.code}

    response = client.post(
        URL,
        valid_post(
            staff, team=other_staff.team.code, social_worker=other_staff.social_worker.username
        ),
    )
    assert response.status_code == 302
    assert Case.objects.get().team == other_staff.team


def test_new_episode_joins_the_family(staff, today, signed_in):
    first = case_at("closed", staff)
    client = signed_in(staff.social_worker)
    page = client.get(URL + f"?previous={first.pk}")
    assert page.context["form"].initial["previous_case"] == first.pk
    assert first.reference in page.content.decode()

    response = client.post(URL, valid_post(staff, previous_case=str(first.pk)))

    assert response.status_code == 302
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.family_id == first.family_id


@pytest.mark.parametrize("role", ["legal", "court_liaison_officer", "administrator"])
def test_roles_that_do_not_open_cases_get_403(role, staff, signed_in):
    client = signed_in(staff.by_role(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, valid_post(staff)).status_code == 403
    assert not Case.objects.exists()
