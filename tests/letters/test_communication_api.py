"""An adult's letter language and format needs: the API endpoint and the adult forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from legaltracker.cases.models import Adult, CaseEvent

from .conftest import mother


def _url(case, adult) -> str:
    return f"/api/v1/cases/{case.pk}/adults/{adult.pk}/communication/"


@pytest.mark.django_db
def test_get_and_patch_the_communication_needs(pp_case, staff, client_for):
    client = client_for(staff.social_worker)
    kerry = mother(pp_case)
    read = client.get(_url(pp_case, kerry))
    assert read.status_code == 200
    assert read.json() == {
        "id": kerry.pk,
        "correspondence_language": "en",
        "correspondence_language_other": "",
        "easy_read": False,
        "large_print": False,
        "interpreter_needed": False,
        "preferred_language": "English",
    }
    changed = client.patch(
        _url(pp_case, kerry), {"correspondence_language": "cy", "large_print": True}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["correspondence_language"] == "cy"
    assert changed.json()["large_print"] is True
    assert changed.json()["easy_read"] is False  # not sent: unchanged
    kerry.refresh_from_db()
    assert (kerry.correspondence_language, kerry.large_print) == ("cy", True)
    audit = CaseEvent.objects.filter(case=pp_case).last()
    assert audit.action == "person_changed"
    assert audit.details["changed"]["correspondence_language"] == ["en", "cy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"correspondence_language": "other"}, "correspondence_language_other"),
        ({"correspondence_language": "fr"}, "correspondence_language"),
        ({"easy_read": "perhaps"}, "easy_read"),
        ({"first_name": "Changed"}, "first_name"),
        ({"correspondence_language_other": "x" * 61}, "correspondence_language_other"),
    ],
)
def test_bad_values_are_a_400_naming_the_field(pp_case, staff, client_for, body, field):
    answer = client_for(staff.social_worker).patch(
        _url(pp_case, mother(pp_case)), body, format="json"
    )
    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert Adult.objects.get(pk=mother(pp_case).pk).correspondence_language == "en"


@pytest.mark.django_db
def test_another_language_needs_its_name_and_keeps_it(pp_case, staff, client_for):
    client = client_for(staff.social_worker)
    url = _url(pp_case, mother(pp_case))
    answer = client.patch(
        url,
        {"correspondence_language": "other", "correspondence_language_other": "Polish"},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["correspondence_language_other"] == "Polish"
    back = client.patch(url, {"correspondence_language": "en"}, format="json")
    assert back.json()["correspondence_language_other"] == ""


@pytest.mark.django_db
def test_others_cannot_see_or_change_it(pp_case, staff, other_staff, client_for):
    url = _url(pp_case, mother(pp_case))
    outsider = client_for(other_staff.social_worker)
    assert outsider.get(url).status_code == 404
    assert outsider.patch(url, {"large_print": True}, format="json").status_code == 404
    assert (
        client_for(staff.social_worker)
        .get(f"/api/v1/cases/{pp_case.pk}/adults/999999/communication/")
        .status_code
        == 404
    )
    assert (
        client_for(staff.social_worker)
        .get(f"/api/v1/cases/{pp_case.pk}/adults/x/communication/")
        .status_code
        == 400
    )


@pytest.mark.django_db
def test_the_case_body_shows_the_needs(pp_case, staff, client_for):
    body = client_for(staff.social_worker).get(f"/api/v1/cases/{pp_case.pk}/").json()
    adult = body["adults"][0]
    assert {"correspondence_language", "easy_read", "large_print"} <= set(adult)


@pytest.mark.django_db
def test_the_adult_edit_form_sets_the_language(pp_case, staff, client):
    client.force_login(staff.social_worker)
    kerry = mother(pp_case)
    url = reverse("casework:person_edit", args=[pp_case.pk, "adult", kerry.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Language of their letters" in page.content
    form = {
        "version": pp_case.version,
        "first_name": "Kerry",
        "last_name": "Fletcher",
        "relationship": "mother",
        "parental_responsibility": "on",
        "has_solicitor": "unknown",
        "correspondence_language": "other",
        "correspondence_language_other": "",
    }
    missing = client.post(url, form)
    assert missing.status_code == 400
    assert b"Name the language the letters should be in" in missing.content
    saved = client.post(url, {**form, "correspondence_language_other": "Arabic", "easy_read": "on"})
    assert saved.status_code == 302
    kerry.refresh_from_db()
    assert (kerry.correspondence_language_other, kerry.easy_read) == ("Arabic", True)
