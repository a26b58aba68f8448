"""The case page's header, its What's next panel and its sections, each on its own page."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legaltracker.cases import services
from legaltracker.cases.choices import Day1Document
from tests.factories import case_at, record

from .helpers import case_url, event_url, section_urls, transition_url
from .test_case_page import case_with_history

pytestmark = pytest.mark.django_db

ACTION_LINK = re.compile(r'href="(/cases/\d+/(?:actions|record)/[^"]*)"')


def text_of(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_every_section_has_the_same_header_and_sub_navigation(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)
    client = signed_in(staff.social_worker)
    urls = section_urls(case)
    for url in urls:
        text = text_of(client.get(url))
        child = case.children.first()
        assert f"{child.first_name} {child.last_name}" in text
        assert f"Case {case.reference}" in text
        assert "Pre-proceedings" in text and "Next deadline" in text
        assert 'class="moj-sub-navigation"' in text
        for other in urls:
            assert f'href="{other}"' in text
        # the section in view is the current one
        assert re.search(rf'href="{re.escape(url)}" aria-current="page"', text)


def test_the_header_names_only_this_case_s_children(staff, other_staff, today, signed_in):
    """An earlier episode held by another team is listed, but its children are not named."""
    first = services.case_create(
        actor=other_staff.social_worker,
        data={
            "team": other_staff.team.code,
            "social_worker": other_staff.social_worker.username,
            "children": [{"first_name": "Zofia", "last_name": "Hidden"}],
        },
    )
    second = services.case_create(
        actor=staff.head_of_service,  # who may see the other team's earlier case
        data={
            "team": staff.team.code,
            "social_worker": staff.social_worker.username,
            "children": [{"first_name": "Amy", "last_name": "Kowalska"}],
            "previous_case": first.pk,
        },
    )
    client = signed_in(staff.social_worker)
    for url in section_urls(second):
        text = text_of(client.get(url))
        assert "Amy Kowalska" in text
        assert "Zofia" not in text and "Hidden" not in text
    # the page title carries the reference, never a name
    title = re.search(r"<title>(.*?)</title>", text_of(client.get(case_url(second))), re.S)[1]
    assert second.reference in title and "Amy" not in title


def test_what_s_next_offers_only_what_the_guard_allows_and_says_why_not(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)
    client = signed_in(staff.team_manager)

    text = text_of(client.get(case_url(case)))
    # the step down is the manager's, but no assessment is recorded: not a link, and the
    # guard's own sentence says why
    assert transition_url(case, "step_down") not in text
    assert "Not yet: Step down from pre-proceedings" in text
    assert "A step down needs an assessment completed since pre-proceedings began" in text
    assert transition_url(case, "escalate_to_gateway") in text

    record(case, staff.social_worker, "assessment_completed", today, summary="Updated.")
    text = text_of(client.get(case_url(case)))
    assert transition_url(case, "step_down") in text
    assert "Not yet: Step down" not in text


def test_issue_is_blocked_with_the_missing_day_1_documents(staff, today, signed_in):
    case = case_at("issue", staff)
    text = text_of(signed_in(staff.legal).get(case_url(case)))
    assert transition_url(case, "issue_proceedings") not in text
    assert "Not yet: Record the application as issued" in text
    assert "Still missing: " + Day1Document.CHRONOLOGY.label in text


def test_every_action_link_on_every_section_is_one_the_person_may_open(staff, today, signed_in):
    """Nothing that would be refused is offered: each action link on any section answers
    200 (a form) for the person who sees it."""
    case = case_at("pre_proceedings", staff)
    for role in ("social_worker", "team_manager", "head_of_service", "legal"):
        client = signed_in(staff.by_role(role))
        links = set()
        for url in section_urls(case):
            links |= set(ACTION_LINK.findall(client.get(url).content.decode()))
        assert links, role
        for link in sorted(links):
            assert client.get(html.unescape(link)).status_code == 200, (role, link)


def test_a_team_manager_s_overview_offers_a_short_list(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)
    body = signed_in(staff.team_manager).get(case_url(case)).content.decode()
    links = ACTION_LINK.findall(body)
    assert 1 <= len(links) <= 10, links


def test_a_closed_case_offers_nothing(staff, today, signed_in):
    case = case_at("closed", staff)
    text = text_of(signed_in(staff.head_of_service).get(case_url(case)))
    assert not ACTION_LINK.findall(text)
    assert "This case is closed: nothing more can be done on it." in text
    assert "None: the case is closed" in text


def test_court_says_when_nothing_is_recorded(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)
    text = text_of(signed_in(staff.legal).get(section_urls(case)[5]))
    assert "Nothing about court is recorded on this case yet" in text
    assert "No hearings are recorded." in text


def test_court_shows_the_issue_date_and_court_reference(staff, today, signed_in):
    case = case_at("proceedings", staff)
    case.refresh_from_db()
    text = text_of(signed_in(staff.court_liaison_officer).get(section_urls(case)[5]))
    assert case.court_reference and case.court_reference in text
    assert f"{case.issued_on:%A} {case.issued_on.day} {case.issued_on:%B %Y}" in text
    # the court liaison officer records hearings from here
    assert event_url(case, "hearing_listed") in text


def history_url(case, page: str | int | None = None) -> str:
    url = reverse("casework:case_history", args=[case.pk])
    return f"{url}?page={page}" if page is not None else url


def test_history_is_paged_25_at_a_time(staff, today, signed_in):
    case = case_at("concern", staff)
    for n in range(30):
        record(case, staff.social_worker, "note", today, summary=f"Call number {n}.")
    client = signed_in(staff.social_worker)

    first = text_of(client.get(history_url(case)))
    assert "31 entries, oldest first: showing 1 to 25." in first
    assert history_rows(first) == 25
    assert "Case opened" in first
    assert 'href="?page=2"' in first

    second = text_of(client.get(history_url(case, 2)))
    assert "showing 26 to 31" in second
    assert history_rows(second) == 6
    assert "Case opened" not in second


def history_rows(text: str) -> int:
    body = text[text.index('id="history"') :]
    body = body[body.index("<tbody") : body.index("</tbody>")]
    return body.count("<tr ")


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", "%00", "9" * 40])
def test_a_bad_page_number_shows_a_page_not_an_error(page, staff, today, signed_in):
    case = case_at("concern", staff)
    response = signed_in(staff.social_worker).get(history_url(case, page))
    assert response.status_code == 200
    assert "Case opened" in html.unescape(response.content.decode())


@pytest.mark.parametrize("index", range(7))
def test_sections_of_another_team_s_case_are_not_found(index, staff, other_staff, today, client):
    case = case_at("pre_proceedings", staff)
    client.force_login(other_staff.social_worker)
    assert client.get(section_urls(case)[index]).status_code == 404


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.slow
@pytest.mark.parametrize("index", range(7))
def test_each_section_s_query_count_does_not_grow_with_history(index, staff, today, signed_in):
    small = case_with_history(staff, 4)
    large = case_with_history(staff, 90)
    client = signed_in(staff.team_manager)
    queries_for(client, section_urls(small)[index])  # warm the session and caches

    assert queries_for(client, section_urls(small)[index]) == queries_for(
        client, section_urls(large)[index]
    )
    # and a later page of a long history costs what the first does
    if index == 6:
        assert queries_for(client, section_urls(large)[6] + "?page=3") == queries_for(
            client, section_urls(large)[6]
        )


def test_a_restricted_case_s_sections_only_for_the_people_named(staff, today, signed_in):
    from legaltracker.audit import services as audit_services

    case = case_at("pre_proceedings", staff)
    audit_services.case_restrict(
        case_id=case.pk,
        actor=staff.head_of_service,
        reason="A parent works in the council's children's services.",
        named_user_ids=[staff.team_manager.pk],
    )
    for url in section_urls(case):
        assert signed_in(staff.team_manager).get(url).status_code == 200, url
        assert signed_in(staff.social_worker).get(url).status_code == 404, url
        assert signed_in(staff.court_liaison_officer).get(url).status_code == 404, url
