""" "Find a case" (`/cases/search/?q=`): each thing a case is found by, every stage, who
sees what (team, role, restriction), bad queries, pagination and the access log."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from legaltracker.audit import services as audit_services
from legaltracker.audit.models import AccessLog
from legaltracker.cases.models import Case
from legaltracker.cases.search import Query, QueryError, find_cases, parse_query
from tests.factories import case_at

from .conftest import Cases

pytestmark = pytest.mark.django_db

URL = "/cases/search/"


def _found(client, q: str) -> list[str]:
    """The references listed on the results page (in order)."""
    response = client.get(URL, {"q": q})
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return re.findall(r'<a class="govuk-link" href="/cases/\d+/">([^<]+)</a>', html)


def _ids(user, q: str) -> set[int]:
    return set(
        find_cases(Case.objects.visible_to(user), parse_query(q)).values_list("pk", flat=True)
    )


# --- parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "3/4/2026",
        "03/04/2026",
        "3 April 2026",
        "3 Apr 2026",
        "3rd April 2026",
        "2026-04-03",
        "3.4.2026",
        "3-4-2026",
        "03 APRIL 2026",
    ],
)
def test_the_usual_uk_date_forms_are_one_date(typed):
    assert parse_query(typed) == Query(dates=(dt.date(2026, 4, 3),))


def test_words_and_a_date_together():
    assert parse_query("Zoë  3 April 2019") == Query(terms=("zoe",), dates=(dt.date(2019, 4, 3),))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "not a real date"),
        ("2026-13-01", "not a real date"),
        ("3/4/26", "year of '3/4/26' in full"),
        ("a b c d e f", "5 words or fewer"),
        ("x" * 101, "100 characters or fewer"),
    ],
)
def test_queries_that_cannot_be_searched_say_why(typed, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query(typed)


def test_a_reference_is_not_taken_for_a_date():
    assert parse_query("LT-2026-000403") == Query(terms=("lt-2026-000403",))


# --- each thing a case is found by -----------------------------------------------------


def test_found_by_reference_whole_or_in_part(cases: Cases, staff):
    hos = staff.head_of_service
    assert _ids(hos, cases.closed.reference) == {cases.closed.pk}
    assert _ids(hos, cases.closed.reference.lower()[-6:]) == {cases.closed.pk}


def test_found_by_child_or_adult_name_with_or_without_accents(cases: Cases, staff):
    hos = staff.head_of_service
    assert _ids(hos, "zoe suilleabhain") == {cases.gateway.pk}
    assert _ids(hos, "Finn Ó") == {cases.gateway.pk}
    assert _ids(hos, "brackwater") == {cases.concern.pk}
    # Every case made by case_at has a parent "Parent ExampleN".
    assert cases.closed.pk in _ids(hos, "parent")


def test_found_by_a_childs_date_of_birth_in_each_form(cases: Cases, staff):
    hos = staff.head_of_service
    for typed in ("3/4/2019", "03/04/2019", "3 April 2019", "2019-04-03"):
        assert _ids(hos, typed) == {cases.gateway.pk}, typed
    # The second child of the same case.
    assert _ids(hos, "30 Nov 2021") == {cases.gateway.pk}
    # A leap day, on a closed case.
    assert _ids(hos, "29/2/2016") == {cases.closed.pk}


def test_found_by_an_expected_date_of_birth(cases: Cases, staff):
    assert _ids(staff.head_of_service, "20 June 2026") == {cases.unborn.pk}


def test_a_date_and_a_name_must_both_match(cases: Cases, staff):
    hos = staff.head_of_service
    assert _ids(hos, "Quillfeather 1/5/2018") == {cases.pre_proceedings.pk, cases.other_team.pk}
    assert _ids(hos, "Brackwater 1/5/2018") == set()


def test_found_by_la_child_id(cases: Cases, staff):
    assert _ids(staff.head_of_service, "a1234567") == {cases.pre_proceedings.pk}
    assert _ids(staff.head_of_service, "A1234") == {cases.pre_proceedings.pk}


def test_found_by_court_case_number_once_issued(cases: Cases, staff):
    assert _ids(staff.head_of_service, "ZW26C04711") == {cases.proceedings.pk}
    assert _ids(staff.head_of_service, "zw26c0471") == {cases.proceedings.pk}


def test_every_stage_is_searched_concern_and_closed_included(cases: Cases, staff):
    found = _ids(staff.head_of_service, "parent")
    assert {c.pk for c in cases.all()} <= found
    assert {c.stage for c in Case.objects.filter(pk__in=found)} == {
        "concern",
        "legal_gateway",
        "pre_proceedings",
        "proceedings",
        "closed",
    }


# --- who sees what ---------------------------------------------------------------------


def test_a_social_worker_does_not_find_another_teams_case(cases: Cases, staff, other_staff):
    assert _ids(staff.social_worker, "Quillfeather") == {cases.pre_proceedings.pk}
    assert _ids(other_staff.social_worker, "Quillfeather") == {cases.other_team.pk}
    assert _ids(other_staff.team_manager, "ZW26C04711") == set()
    assert _ids(staff.legal, "Quillfeather") == {cases.pre_proceedings.pk, cases.other_team.pk}


def test_a_restricted_case_is_found_only_by_the_people_named(cases: Cases, staff, client):
    hos = staff.head_of_service
    audit_services.case_restrict(
        case_id=cases.closed.pk,
        actor=hos,
        reason="A member of staff is related to the family.",
        named_user_ids=[staff.team_manager.pk],
    )
    assert _ids(staff.team_manager, "Harrowgate") == {cases.closed.pk}
    assert _ids(hos, "Harrowgate") == {cases.closed.pk}  # named: they restricted it
    for person in (staff.social_worker, staff.legal, staff.court_liaison_officer):
        assert _ids(person, "Harrowgate") == set()
        client.force_login(person)
        response = client.get(URL, {"q": cases.closed.reference})
        assert response.status_code == 200
        assert "No cases match" in response.content.decode()
        assert "Harrowgate" not in response.content.decode()


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "head_of_service", "legal", "court_liaison_officer"]
)
def test_every_role_that_sees_cases_has_the_header_box_and_the_page(client, staff, role):
    client.force_login(staff.by_role(role))
    html = client.get(URL).content.decode()
    assert 'action="/cases/search/"' in html and 'id="header-find"' in html


def test_the_administrator_sees_no_case_and_gets_no_search(client, staff, cases):
    client.force_login(staff.administrator)
    assert client.get(URL, {"q": "Quillfeather"}).status_code == 403
    assert 'id="header-find"' not in client.get("/").content.decode()


def test_signed_out_goes_to_sign_in(client, cases):
    response = client.get(URL, {"q": "Quillfeather"})
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- the page --------------------------------------------------------------------------


def test_the_results_table(cases: Cases, staff, client):
    client.force_login(staff.legal)
    response = client.get(URL, {"q": "Quillfeather"})
    html = response.content.decode()
    assert "<strong>2</strong> cases found" in html
    row = re.search(rf"{cases.pre_proceedings.reference}</a>.*?</tr>", html, re.S).group(0)
    assert "Ada Quillfeather" in row
    assert "Pre-proceedings" in row
    assert "North Family Support" in row
    assert staff.social_worker.display_name in row
    assert "5 Jan 2026" in row


def test_a_closed_case_shows_its_closing_date(cases: Cases, staff, client):
    client.force_login(staff.head_of_service)
    html = client.get(URL, {"q": "Harrowgate"}).content.decode()
    assert "Closed" in html
    assert cases.closed.closed_on is not None
    assert cases.closed.closed_on.strftime("%-d %b %Y") in html


def test_no_match_says_so(cases, staff, client):
    client.force_login(staff.legal)
    response = client.get(URL, {"q": "Nobodyhasthisname"})
    assert response.status_code == 200
    assert "No cases match" in response.content.decode()


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Enter a case reference, a name"),
        ("   ", "Enter a case reference, a name"),
        ("'", "Enter a case reference, a name"),
        ("x" * 101, "100 characters or fewer"),
        ("x" * 5000, "100 characters or fewer"),
        ("a b c d e f", "5 words or fewer"),
        ("31/02/2026", "is not a real date"),
        ("3/4/26", "in full"),
    ],
)
def test_a_query_that_cannot_be_searched_is_a_message_not_an_error(
    cases, staff, client, q, message
):
    client.force_login(staff.legal)
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "cases found" not in html


def test_the_page_without_a_query_asks_for_one(staff, client, db):
    client.force_login(staff.legal)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" not in html and "No cases match" not in html


def test_a_whole_reference_with_one_match_opens_the_case(cases: Cases, staff, client):
    client.force_login(staff.legal)
    response = client.get(URL, {"q": f" {cases.closed.reference.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case_detail", args=[cases.closed.pk])
    response = client.get(URL, {"q": "zw26c04711"})
    assert response["Location"] == reverse("casework:case_detail", args=[cases.proceedings.pk])
    # Part of a reference lists the one case instead.
    assert client.get(URL, {"q": cases.closed.reference[:-1]}).status_code == 200


def test_results_are_paginated(staff, client, today):
    made = [
        case_at(
            "concern",
            staff,
            children=[{"first_name": "Page", "last_name": "Turner", "date_of_birth": "2019-01-01"}],
        )
        for _ in range(27)
    ]
    client.force_login(staff.team_manager)
    first = client.get(URL, {"q": "Turner"}).content.decode()
    assert "Showing <strong>1</strong> to <strong>25</strong> of <strong>27</strong>" in first
    assert 'aria-label="Pages of the cases found"' in first
    assert "page=2" in first
    second = client.get(URL, {"q": "Turner", "page": "2"}).content.decode()
    assert "Showing <strong>26</strong> to <strong>27</strong> of" in second
    listed = set(re.findall(r'href="/cases/(\d+)/"', first + second))
    assert listed == {str(c.pk) for c in made}
    # A page past the end, or not a number, shows the nearest page, never an error.
    for page in ("99", "x", "-1", "x" * 50):
        html = client.get(URL, {"q": "Turner", "page": page}).content.decode()
        assert "There is a problem" not in html, page
        assert "of <strong>27</strong>" in html, page


def test_each_search_is_in_the_access_log_with_the_cases_shown(cases: Cases, staff, client):
    client.force_login(staff.legal)
    before = AccessLog.objects.count()
    client.get(URL, {"q": "Quillfeather"})
    row = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1
    assert row.action == "find:search GET"
    assert row.actor_id == staff.legal.pk
    assert row.details == {"cases": sorted([cases.pre_proceedings.pk, cases.other_team.pk])}
    # Never the words searched for.
    assert "quillfeather" not in str(row.__dict__).lower()
    client.get(URL, {"q": cases.closed.reference})
    row = AccessLog.objects.order_by("-id").first()
    assert row.case_id == cases.closed.pk and row.status == 302
