"""Adding and changing the children and adults on the People page, and recording the
birth of an unborn baby: who may, the audit row listing the fields changed, the search
text following the names, optimistic concurrency, bad input as form errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from legaltracker.cases.models import Adult, Case, CaseEvent, Child
from legaltracker.cases.search import search_cases
from tests.factories import case_at

pytestmark = pytest.mark.django_db


def _add(case, who):
    return reverse("casework:person_add", args=[case.pk, who])


def _edit(case, who, pk):
    return reverse("casework:person_edit", args=[case.pk, who, pk])


def _born(case, child):
    return reverse("casework:child_born", args=[case.pk, child.pk])


def _people(case):
    return reverse("casework:case_people", args=[case.pk])


def _dmy(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _version(case) -> int:
    return Case.objects.get(pk=case.pk).version


def _found(case, words: str) -> bool:
    return search_cases(Case.objects.filter(pk=case.pk), words, max_terms=5).exists()


ADULT = {
    "first_name": "Dana",
    "last_name": "Okafor",
    "relationship": "father",
    "parental_responsibility": "on",
    "address": "1 High Street",
    "email": "dana@example.org",
    "phone": "0700 000000",
    "preferred_language": "Igbo",
    "interpreter_needed": "on",
    "has_solicitor": "yes",
}


def test_add_a_child_and_an_adult(staff, client, today):
    case = case_at("pre_proceedings", staff)
    client.force_login(staff.social_worker)
    people = client.get(_people(case)).content.decode()
    assert f'href="{_add(case, "child")}"' in people
    assert f'href="{_add(case, "adult")}"' in people

    response = client.post(
        _add(case, "child"),
        {
            "version": _version(case),
            "first_name": "Zoë",
            "last_name": "Brightwater",
            "date_of_birth": _dmy(today - dt.timedelta(days=900)),
            "la_child_id": "A123456",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    child = Child.objects.get(case=case, last_name="Brightwater")
    assert child.la_child_id == "A123456"
    assert _found(case, "zoe brightwater")
    row = CaseEvent.objects.filter(case=case).latest("id")
    assert (row.action, row.details) == (
        "person_added",
        {"person": "child", "person_id": child.pk},
    )

    response = client.post(_add(case, "adult"), {"version": _version(case), **ADULT})
    assert response.status_code == 302, response.content.decode()[:2000]
    adult = Adult.objects.get(case=case, last_name="Okafor")
    assert adult.parental_responsibility and adult.interpreter_needed
    assert not adult.advocate_needed
    assert adult.has_solicitor is True
    assert adult.preferred_language == "Igbo"
    assert _found(case, "okafor")
    page = client.get(_people(case)).content.decode()
    assert "Brightwater" in page and "Okafor" in page and "A123456" in page


def test_edit_an_adult_lists_the_fields_changed_without_personal_details(staff, client):
    case = case_at("pre_proceedings", staff)
    adult = case.adults.get()
    old_last = adult.last_name
    client.force_login(staff.team_manager)
    form = client.get(_edit(case, "adult", adult.pk)).content.decode()
    assert f'value="{old_last}"' in form  # the current details are filled in

    response = client.post(
        _edit(case, "adult", adult.pk),
        {
            "version": _version(case),
            "first_name": "Parent",
            "last_name": "Renamed",
            "relationship": "mother",
            "address": "2 Secret Lane",
            "advocate_needed": "on",
            "parental_responsibility": "on",
            "has_solicitor": "no",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    adult.refresh_from_db()
    assert (adult.last_name, adult.address, adult.advocate_needed) == (
        "Renamed",
        "2 Secret Lane",
        True,
    )
    assert adult.has_solicitor is False
    row = CaseEvent.objects.filter(case=case).latest("id")
    assert row.action == "person_changed"
    changed = row.details["changed"]
    assert changed["last_name"] is None and changed["address"] is None  # named, not copied
    assert changed["advocate_needed"] == [False, True]
    assert changed["has_solicitor"] == [None, False]
    assert "first_name" not in changed  # unchanged
    assert "Renamed" not in str(row.details) and "Secret" not in str(row.details)
    history = client.get(reverse("casework:case_history", args=[case.pk])).content.decode()
    assert (
        "Changed an adult&#x27;s details: last name, address, advocate from no to yes, "
        "solicitor from not known to no" in history
    )
    assert _found(case, "parent renamed")


def test_saving_unchanged_details_writes_nothing(staff, client):
    case = case_at("concern", staff)
    child = case.children.get()
    client.force_login(staff.social_worker)
    before = (_version(case), CaseEvent.objects.count())
    response = client.post(
        _edit(case, "child", child.pk),
        {
            "version": _version(case),
            "first_name": child.first_name,
            "last_name": child.last_name,
            "date_of_birth": _dmy(child.date_of_birth),
        },
    )
    assert response.status_code == 302
    assert (_version(case), CaseEvent.objects.count()) == before


def test_record_the_birth_clears_the_unborn_flag(staff, client, today):
    expected = today + dt.timedelta(days=20)
    case = case_at(
        "pre_proceedings",
        staff,
        unborn_baby=True,
        children=[
            {
                "first_name": "",
                "last_name": "Example",
                "expected_date_of_birth": expected.isoformat(),
            }
        ],
    )
    child = case.children.get()
    client.force_login(staff.social_worker)
    people = client.get(_people(case)).content.decode()
    assert f'href="{_born(case, child)}"' in people

    response = client.post(
        _born(case, child),
        {"version": _version(case), "date_of_birth": _dmy(today), "first_name": "Ada"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert (child.date_of_birth, child.first_name) == (today, "Ada")
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.unborn_baby is False
    row = CaseEvent.objects.filter(case=case).latest("id")
    assert row.action == "child_born" and row.effective_date == today
    assert row.details["unborn_flag_cleared"] is True
    assert _found(case, "ada")
    assert "Record the birth" not in client.get(_people(case)).content.decode()
    # A second birth of the same child is refused, as a page, not a crash.
    assert client.get(_born(case, child)).status_code == 400
    response = client.post(
        _born(case, child), {"version": _version(case), "date_of_birth": _dmy(today)}
    )
    assert response.status_code == 400


def test_birth_of_one_twin_keeps_the_flag(staff, client, today):
    expected = (today + dt.timedelta(days=20)).isoformat()
    case = case_at(
        "concern",
        staff,
        unborn_baby=True,
        children=[
            {"last_name": "Twin", "expected_date_of_birth": expected},
            {"last_name": "Twin", "expected_date_of_birth": expected},
        ],
    )
    first = case.children.order_by("id").first()
    client.force_login(staff.social_worker)
    response = client.post(
        _born(case, first), {"version": _version(case), "date_of_birth": _dmy(today)}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).unborn_baby is True


@pytest.mark.parametrize(
    "post, field",
    [
        ({"date_of_birth": ""}, "date_of_birth"),
        ({"date_of_birth": "32/1/2026"}, "date_of_birth"),
        ({"date_of_birth": "1/1/2099"}, "date_of_birth"),  # in the future
        ({"date_of_birth": "1/1/1800"}, "date_of_birth"),
        ({"date_of_birth": "4/3/2026", "first_name": "x" * 101}, "first_name"),
    ],
)
def test_a_bad_birth_is_a_form_error(staff, client, post, field):
    case = case_at(
        "concern",
        staff,
        children=[{"last_name": "Example", "expected_date_of_birth": "2026-04-01"}],
    )
    child = case.children.get()
    client.force_login(staff.social_worker)
    response = client.post(_born(case, child), {"version": _version(case), **post})
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()
    child.refresh_from_db()
    assert child.date_of_birth is None


@pytest.mark.parametrize(
    "post, field",
    [
        ({"last_name": ""}, "last_name"),
        ({"last_name": "X", "la_child_id": "12345678901"}, "la_child_id"),
        ({"last_name": "X", "date_of_birth": "1/1/1990"}, "date_of_birth"),  # over 18
        ({"last_name": "X", "expected_date_of_birth": "1/1/2030"}, "expected_date_of_birth"),
        ({"last_name": "X" * 101}, "last_name"),
    ],
)
def test_a_bad_child_is_a_form_error(staff, client, post, field):
    case = case_at("concern", staff)
    client.force_login(staff.social_worker)
    before = Child.objects.count()
    response = client.post(_add(case, "child"), {"version": _version(case), **post})
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()
    assert Child.objects.count() == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"relationship": "aunt"}, "relationship"),
        ({"email": "not-an-address"}, "email"),
        ({"has_solicitor": "maybe"}, "has_solicitor"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_a_bad_adult_is_a_form_error(staff, client, change, field):
    case = case_at("concern", staff)
    client.force_login(staff.social_worker)
    response = client.post(_add(case, "adult"), {"version": _version(case), **ADULT, **change})
    assert response.status_code == 400
    assert f'href="#id_{field}' in response.content.decode()
    assert not Adult.objects.filter(last_name="Okafor").exists()


def test_a_stale_version_is_a_conflict(staff, client):
    case = case_at("concern", staff)
    child = case.children.get()
    client.force_login(staff.social_worker)
    response = client.post(
        _edit(case, "child", child.pk),
        {"version": _version(case) + 3, "last_name": "Changed"},
    )
    assert response.status_code == 409
    child.refresh_from_db()
    assert child.last_name != "Changed"


@pytest.mark.parametrize(
    "role_name, status",
    [
        ("social_worker", 200),
        ("team_manager", 200),
        ("head_of_service", 200),
        ("legal", 403),
        ("court_liaison_officer", 403),
    ],
)
def test_who_may_edit_people(staff, client, role_name, status):
    case = case_at("concern", staff)
    child = case.children.get()
    client.force_login(staff.by_role(role_name))
    for url in (_add(case, "child"), _add(case, "adult"), _edit(case, "child", child.pk)):
        assert client.get(url).status_code == status, url
    offered = f'href="{_add(case, "child")}"' in client.get(_people(case)).content.decode()
    assert offered == (status == 200)
    response = client.post(
        _edit(case, "child", child.pk), {"version": _version(case), "last_name": "Changed"}
    )
    assert response.status_code == (302 if status == 200 else 403)
    child.refresh_from_db()
    assert (child.last_name == "Changed") == (status == 200)


def test_other_team_and_other_case_are_not_found(staff, other_staff, client):
    case = case_at("concern", staff)
    other = case_at("concern", staff)
    child = other.children.get()
    client.force_login(other_staff.social_worker)
    assert client.get(_add(case, "child")).status_code == 404
    client.force_login(staff.social_worker)
    # A child of another case, addressed through this case: not found.
    assert client.get(_edit(case, "child", child.pk)).status_code == 404
    assert client.get(_born(case, child)).status_code == 404
    assert client.get(reverse("casework:person_add", args=[case.pk, "dog"])).status_code == 404


def test_closed_case_people_are_not_changed(staff, client):
    case = case_at("closed", staff)
    client.force_login(staff.head_of_service)
    assert client.get(_add(case, "child")).status_code == 400
    response = client.post(_add(case, "child"), {"version": _version(case), "last_name": "New"})
    assert response.status_code == 400
    assert not Child.objects.filter(case=case, last_name="New").exists()
