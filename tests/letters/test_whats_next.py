"""The Overview's What's next links "Write the letter of issue" (docs/decisions.md 134):
once the case may have it and has none, to whoever may write letters on it, with the
kind chosen on the form it leads to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from letters.choices import LetterKind

from .conftest import family_case, generate

pytestmark = pytest.mark.django_db

LINK = "Write the letter of issue"


def _overview(client, case, user) -> str:
    client.force_login(user)
    response = client.get(reverse("casework:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _url(case) -> str:
    return f"{reverse('letters:letter_create', args=[case.pk])}?kind=letter_of_issue"


def test_at_issue_the_lawyer_is_linked_to_the_letter_of_issue(client, staff, today):
    case = family_case("issue", staff)
    html = _overview(client, case, staff.legal)
    assert LINK in html
    assert f'href="{_url(case)}"' in html
    form = client.get(_url(case))
    assert form.status_code == 200
    assert form.context["form"].initial["kind"] == LetterKind.LETTER_OF_ISSUE


def test_not_once_the_case_has_one(client, staff, today):
    case = family_case("issue", staff)
    generate(case, staff.legal, kind="letter_of_issue")
    assert LINK not in _overview(client, case, staff.legal)


def test_not_before_the_decision_to_issue(client, staff, today):
    case = family_case("pre_proceedings", staff)
    assert LINK not in _overview(client, case, staff.legal)


def test_not_for_who_may_not_write_letters(client, staff, today):
    case = family_case("issue", staff)
    assert LINK not in _overview(client, case, staff.court_liaison_officer)


def test_a_kind_the_case_cannot_have_is_not_chosen(client, staff, today):
    case = family_case("pre_proceedings", staff)
    client.force_login(staff.legal)
    form = client.get(_url(case))
    assert form.status_code == 200
    assert form.context["form"].initial.get("kind") != LetterKind.LETTER_OF_ISSUE
