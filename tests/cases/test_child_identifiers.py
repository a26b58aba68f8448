"""The child's census identifiers (UPN, CIN referral date, CIN episode id) on the People
page's forms and through the service: checked, kept, shown and audited without their
values (docs/decisions.md, 151 and 152)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from legaltracker.cases import services
from legaltracker.cases.models import Case, CaseEvent, Child
from legaltracker.core.errors import InvalidInput
from legaltracker.core.upn import check_letter
from tests.factories import case_at

pytestmark = pytest.mark.django_db

GOOD_UPN = check_letter("999000020001") + "999000020001"
WRONG_LETTER = ("A" if GOOD_UPN[0] != "A" else "B") + GOOD_UPN[1:]


def _add(case):
    return reverse("casework:person_add", args=[case.pk, "child"])


def _edit(case, child):
    return reverse("casework:person_edit", args=[case.pk, "child", child.pk])


def _version(case) -> int:
    return Case.objects.get(pk=case.pk).version


def _child_post(case, **extra):
    return {"version": _version(case), "last_name": "Example", **extra}


def test_a_child_is_added_with_their_identifiers_and_the_people_page_shows_them(
    staff, client, today
):
    case = case_at("pre_proceedings", staff)
    client.force_login(staff.social_worker)
    referral = today - dt.timedelta(days=40)
    response = client.post(
        _add(case),
        _child_post(
            case,
            first_name="Nell",
            la_child_id="LA12345",
            upn=" " + GOOD_UPN[:5].lower() + " " + GOOD_UPN[5:] + " ",
            cin_referral_date=f"{referral.day}/{referral.month}/{referral.year}",
            cin_episode_id="EP-0042",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    child = Child.objects.get(case=case, first_name="Nell")
    assert child.upn == GOOD_UPN  # spaces gone, capitals
    assert child.cin_referral_date == referral
    assert child.cin_episode_id == "EP-0042"
    assert child.la_child_id == "LA12345"
    people = client.get(reverse("casework:case_people", args=[case.pk])).content.decode()
    assert GOOD_UPN in people
    assert "EP-0042" in people
    assert f"{referral.day} {referral:%B %Y}" in people


def test_a_wrong_check_letter_is_a_form_error_and_nothing_is_saved(staff, client):
    case = case_at("pre_proceedings", staff)
    client.force_login(staff.social_worker)
    before = Child.objects.filter(case=case).count()
    response = client.post(_add(case), _child_post(case, upn=WRONG_LETTER))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"it would be {GOOD_UPN[0]}" in page
    assert Child.objects.filter(case=case).count() == before


def test_bad_cin_values_are_form_errors(staff, client, today):
    case = case_at("pre_proceedings", staff)
    client.force_login(staff.social_worker)
    ahead = today + dt.timedelta(days=3)
    future = client.post(
        _add(case), _child_post(case, cin_referral_date=f"{ahead.day}/{ahead.month}/{ahead.year}")
    )
    assert future.status_code == 400
    assert "future" in future.context["form"].errors["cin_referral_date"][0]
    too_long = client.post(_add(case), _child_post(case, cin_episode_id="X" * 21))
    assert too_long.status_code == 400
    assert too_long.context["form"].errors["cin_episode_id"]
    assert case.children.count() == 1


def test_changing_the_upn_is_audited_without_its_value(staff, client):
    case = case_at("pre_proceedings", staff)
    child = case.children.get()
    client.force_login(staff.social_worker)
    page = client.get(_edit(case, child))
    assert page.status_code == 200
    assert 'name="upn"' in page.content.decode()
    response = client.post(
        _edit(case, child),
        _child_post(
            case,
            last_name=child.last_name,
            first_name=child.first_name,
            date_of_birth="1/4/2019",
            upn=GOOD_UPN,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert child.upn == GOOD_UPN
    row = CaseEvent.objects.filter(case=case).latest("id")
    assert row.action == "person_changed"
    assert row.details["changed"] == {"upn": None}
    assert GOOD_UPN not in str(row.details)
    history = client.get(reverse("casework:case_history", args=[case.pk])).content.decode()
    assert (
        "Changed a child&#x27;s details: UPN" in history
        or "Changed a child's details: UPN" in history
    )


def test_the_service_names_the_field_of_each_problem(staff):
    case = case_at("concern", staff)
    with pytest.raises(InvalidInput) as refused:
        services.person_add(
            case_id=case.pk,
            who="child",
            actor=staff.social_worker,
            data={"last_name": "Example", "upn": "B12", "cin_referral_date": "soon"},
        )
    assert set(refused.value.field_errors) == {"upn", "cin_referral_date"}
    assert "13 characters" in refused.value.field_errors["upn"][0]


def test_a_case_opened_with_identifiers_keeps_them(staff):
    case = case_at(
        "concern",
        staff,
        children=[
            {
                "last_name": "Example",
                "date_of_birth": "2015-03-01",
                "upn": GOOD_UPN,
                "cin_referral_date": "2025-11-03",
                "cin_episode_id": "CIN-7",
                "la_child_id": "LA-7",
            }
        ],
    )
    child = case.children.get()
    assert (child.upn, child.cin_episode_id, child.la_child_id) == (GOOD_UPN, "CIN-7", "LA-7")
    assert child.cin_referral_date == dt.date(2025, 11, 3)
