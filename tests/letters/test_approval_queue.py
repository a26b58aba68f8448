"""The Approvals page: the draft letters a person may approve, oldest first, with the
count in the navigation (decision 114)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from legaltracker.web import selectors as web_selectors
from letters import permissions
from letters import services as letter_services
from letters.models import Letter
from letters.selectors import letters_to_approve

from .conftest import add_expectation, family_case, generate, set_details

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ready(case, staff):
    add_expectation(case, staff.social_worker)
    set_details(case, staff.social_worker)


@pytest.fixture
def letters(lbp_case, staff, other_staff, today):
    """Two drafts on team A's case (a day apart), one approved there, and a draft on
    team B's case."""
    older = generate(lbp_case, staff.social_worker)
    newer = generate(lbp_case, staff.social_worker)
    # The clock's `now` is not pinned with `today`: date the two drafts by hand.
    at = dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)
    Letter.objects.filter(pk=older.pk).update(generated_at=at - dt.timedelta(days=3))
    Letter.objects.filter(pk=newer.pk).update(generated_at=at)
    done = generate(lbp_case, staff.social_worker)
    letter_services.letter_approve(letter_id=done.pk, actor=staff.team_manager, data={})
    other_case = family_case("pre_proceedings", other_staff)
    _ready(other_case, other_staff)
    other = generate(other_case, other_staff.social_worker)
    return {"older": older, "newer": newer, "done": done, "other": other}


def _ids(user) -> list[int]:
    return [letter.pk for letter in letters_to_approve(user)]


def test_a_team_manager_sees_their_teams_drafts_oldest_first(letters, staff, other_staff):
    assert _ids(staff.team_manager) == [letters["older"].pk, letters["newer"].pk]
    assert _ids(other_staff.team_manager) == [letters["other"].pk]


@pytest.mark.parametrize("role", ["legal", "head_of_service"])
def test_a_lawyer_or_head_of_service_sees_every_teams_drafts(letters, staff, role):
    expected = {letters["older"].pk, letters["newer"].pk, letters["other"].pk}
    assert set(_ids(staff.by_role(role))) == expected


@pytest.mark.parametrize("role", ["social_worker", "court_liaison_officer", "administrator"])
def test_roles_that_do_not_approve_letters_have_none_queued(letters, staff, role):
    assert _ids(staff.by_role(role)) == []


def test_the_queue_is_exactly_the_drafts_may_approve_allows(letters, staff, other_staff):
    people = [staff.by_role(r) for r in ("social_worker", "team_manager", "head_of_service")]
    people += [staff.legal, staff.court_liaison_officer, other_staff.team_manager]
    for person in people:
        expected = {
            letter.pk
            for letter in Letter.objects.select_related("case")
            if letter.status == "draft" and permissions.may_approve(person, letter.case)
        }
        assert set(_ids(person)) == expected, person.username


def test_the_page_lists_what_waits_with_its_details(letters, staff, today):
    page = browser(staff.team_manager).get(reverse("web:approvals"))
    assert page.status_code == 200
    body = page.content.decode()
    older = letters["older"]
    assert older.case.reference in body
    assert "Amy Fletcher" in body
    assert older.get_kind_display() in body
    assert reverse("letters:letter_detail", args=[older.pk]) in body
    assert reverse("letters:letter_detail", args=[letters["done"].pk]) not in body
    assert reverse("letters:letter_detail", args=[letters["other"].pk]) not in body
    assert body.index(f"/letters/{older.pk}/") < body.index(f"/letters/{letters['newer'].pk}/")
    rows = web_selectors.approvals(user=staff.team_manager, today=today).letters
    assert [r.days_waiting for r in rows] == [3, 0]
    assert "Passes" in body
    # The navigation counts what waits: "Approvals (2)".
    assert "Approvals (2)" in body


def test_a_failed_check_the_queue_says_a_fix_or_an_override_is_needed(
    letters, staff, settings, today
):
    settings.READABILITY_TARGETS = {"reading_ease": 99}
    body = browser(staff.team_manager).get(reverse("web:approvals")).content.decode()
    assert "1 failed: needs a fix or a manager's override" in body
    assert "Passes every check" not in body
    rows = web_selectors.approvals(user=staff.team_manager, today=today).letters
    assert all(
        any("reading ease" in failure.lower() for failure in row.failed_checks) for row in rows
    )


@pytest.mark.parametrize("role", ["social_worker", "court_liaison_officer", "administrator"])
def test_the_page_is_refused_to_roles_that_approve_nothing(staff, role):
    assert browser(staff.by_role(role)).get(reverse("web:approvals")).status_code == 403


def test_the_team_managers_my_work_links_to_the_queue(letters, staff):
    body = browser(staff.team_manager).get(reverse("web:my_work")).content.decode()
    assert "2 letters waiting for your approval" in body
    assert reverse("web:approvals") in body
