"""The board page: who may open it, what it shows, and how it reads the URL."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.board import exports as board_exports
from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.selectors import Today, with_deadline_status
from tests.factories import case_at, record

pytestmark = pytest.mark.django_db
BOARD = reverse("board:board")


def get(client, user, query: str = ""):
    client.force_login(user)
    return client.get(BOARD + query)


def references(response) -> list[str]:
    """The case references in the table, in order."""
    table = response.content.decode().split('id="board-table"', 1)
    if len(table) < 2:
        return []
    return re.findall(r'href="/cases/\d+/">(LT-[\d-]+)</a>', table[1])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COURT_LIAISON_OFFICER, 200),
        (Role.LEGAL, 200),
        (Role.HEAD_OF_SERVICE, 200),
        (Role.TEAM_MANAGER, 200),
        (Role.SOCIAL_WORKER, 403),
        (Role.ADMINISTRATOR, 403),
    ],
)
@pytest.mark.parametrize("name", ["board:board", "board:export_csv", "board:export_xlsx"])
def test_who_may_open_the_board_and_its_exports(client, cases, staff, role, status, name):
    client.force_login(staff.by_role(role))
    if name != "board:board" and status == 200:
        status = 302  # an export starts a job and goes to its page (tests/board/test_exports.py)
    assert client.get(reverse(name)).status_code == status


@pytest.mark.parametrize("name", ["board:board", "board:export_csv", "board:export_xlsx"])
def test_signed_out_people_are_sent_to_sign_in(client, today, name):
    response = client.get(reverse(name) + "?stage=issue")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign_in"))


def test_an_inactive_manager_is_refused(client, cases, staff):
    staff.team_manager.is_active = False
    staff.team_manager.save()
    client.force_login(staff.team_manager)
    assert client.get(BOARD).status_code in (302, 403)


def test_team_manager_sees_only_their_team(client, cases, staff, other_staff):
    response = get(client, staff.team_manager)
    assert set(references(response)) == {
        cases.pre_proceedings.reference,
        cases.proceedings.reference,
        cases.gateway_green.reference,
    }
    assert cases.other_team.reference not in response.content.decode()
    response = get(client, other_staff.team_manager)
    assert references(response) == [cases.other_team.reference]


def test_the_board_lists_cases_in_next_deadline_order_with_words_for_status(client, cases, staff):
    response = get(client, staff.court_liaison_officer)
    assert response.status_code == 200
    assert references(response) == [
        cases.other_team.reference,
        cases.pre_proceedings.reference,
        cases.proceedings.reference,
        cases.gateway_green.reference,
    ]
    html = unescape(response.content.decode())
    assert "Tracker board" in html
    assert "Red: overdue or past decision point" in html
    assert "Amber: due soon or over 12 weeks" in html
    assert "Green: on track" in html
    assert "Overdue" in html and "Due soon" in html and "Pending" in html
    assert "Review meeting held" in html  # the pre-proceedings case's next milestone
    assert "3 Mar 2026" in html
    # One line a case: the weeks are shown, what they count is read out with them.
    assert '8 weeks<span class="govuk-visually-hidden"> in pre-proceedings</span>' in html
    assert '2 weeks<span class="govuk-visually-hidden"> since issue</span>' in html
    assert '12 days<span class="govuk-visually-hidden"> ago</span>' in html  # oversight
    assert "Ada Quillfeather" in html
    assert "Unborn baby" in html and "Urgent" in html
    assert "4 cases by stage" in html and "4 cases by RAG status" in html


def test_counts_link_to_the_filtered_board(client, cases, staff):
    html = unescape(get(client, staff.court_liaison_officer).content.decode())
    assert re.search(r'href="\?stage=pre_proceedings">1<span', html)
    assert re.search(r'href="\?rag=red">2<span', html)


def test_filters_in_the_url_narrow_the_board(client, cases, staff):
    response = get(client, staff.court_liaison_officer, "?stage=legal_gateway&rag=red")
    assert references(response) == [cases.other_team.reference]
    html = unescape(response.content.decode())
    # The filters are shown back, checked, with a tag that removes each one.
    assert 'value="legal_gateway" checked' in html
    assert 'value="red" checked' in html
    assert 'href="?rag=red">' in html  # remove "Legal gateway"
    assert 'href="?stage=legal_gateway">' in html  # remove "Red"
    assert "1 case by stage" in html


def test_search_in_the_url(client, cases, staff):
    response = get(client, staff.court_liaison_officer, "?q=Tregarthen")
    assert references(response) == [cases.pre_proceedings.reference]
    assert 'value="Tregarthen"' in response.content.decode()


def sort_header(html: str, label: str) -> tuple[str, str]:
    """(aria-sort, link) of the sortable column headed `label`."""
    match = re.search(r'aria-sort="(\w+)"><a [^>]*href="([^"]*)">' + label + "<", html)
    assert match, label
    return match.group(1), match.group(2)


def test_sort_links_and_aria_sort(client, cases, staff):
    html = unescape(
        get(client, staff.court_liaison_officer, "?sort=-weeks&page=1").content.decode()
    )
    assert sort_header(html, "Weeks") == ("descending", "?sort=weeks")
    assert sort_header(html, "Case") == ("none", "?sort=reference")
    assert sort_header(html, "RAG") == ("none", "?sort=rag")
    assert sort_header(html, "Stage") == ("none", "?sort=stage")
    default = unescape(get(client, staff.court_liaison_officer).content.decode())
    assert sort_header(default, "Next deadline") == ("ascending", "?sort=-next_deadline")


def test_sorting_in_the_url(client, cases, staff):
    response = get(client, staff.court_liaison_officer, "?sort=-weeks")
    assert references(response)[:2] == [
        cases.pre_proceedings.reference,
        cases.proceedings.reference,
    ]


def test_pagination_keeps_the_filters(client, cases, staff):
    response = get(client, staff.court_liaison_officer, "?team=north&page_size=2")
    html = unescape(response.content.decode())
    assert len(references(response)) == 2
    text = " ".join(html.split())
    assert "Showing <strong>1</strong> to <strong>2</strong> of <strong>3</strong> cases" in text
    assert 'href="?team=north&page_size=2&page=2" rel="next"' in html
    assert 'aria-current="page">1</a>' in html
    second = get(client, staff.court_liaison_officer, "?team=north&page_size=2&page=2")
    assert len(references(second)) == 1
    assert 'rel="prev"' in second.content.decode()


def test_export_links_keep_the_filters_but_not_the_page(client, cases, staff):
    html = unescape(
        get(
            client, staff.court_liaison_officer, "?rag=red&sort=-weeks&page=1&page_size=2"
        ).content.decode()
    )
    assert f'href="{reverse("board:export_csv")}?rag=red&sort=-weeks"' in html
    assert f'href="{reverse("board:export_xlsx")}?rag=red&sort=-weeks"' in html


def test_a_tick_box_filter_with_a_stray_value_is_a_form_error(client, cases, staff):
    html = unescape(get(client, staff.court_liaison_officer, "?overdue=2").content.decode())
    assert "There is a problem" in html
    assert "Use true or false." in html


def test_invalid_filters_are_a_form_error_not_a_crash(client, cases, staff):
    response = get(
        client, staff.court_liaison_officer, "?stage=closed&due_within=soon&team=north&page=zz"
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "There is a problem" in html
    assert "Choose a stage from the list" in html
    assert "Enter a number of days from 0 to 366, like 14." in html
    assert 'href="#id_stage_0"' in html and 'href="#id_due_within"' in html
    assert "<title>Error: " in html
    # The valid filter still applies.
    assert set(references(response)) == {
        cases.pre_proceedings.reference,
        cases.proceedings.reference,
        cases.gateway_green.reference,
    }


def test_hostile_query_values_are_escaped(client, cases, staff):
    response = get(client, staff.court_liaison_officer, "?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_social_worker_choices_follow_the_team(client, cases, staff, other_staff):
    html = get(client, staff.court_liaison_officer).content.decode()
    assert f'<option value="{staff.social_worker.pk}"' not in html
    html = get(client, staff.court_liaison_officer, "?team=north").content.decode()
    assert f'<option value="{staff.social_worker.pk}"' in html
    assert f'<option value="{other_staff.social_worker.pk}"' not in html
    html = get(client, staff.team_manager).content.decode()
    assert f'<option value="{staff.social_worker.pk}"' in html


def test_empty_board_says_so(client, today, staff):
    html = get(client, staff.court_liaison_officer).content.decode()
    assert "No cases match these filters" in html


def test_only_get_is_allowed(client, cases, staff):
    client.force_login(staff.court_liaison_officer)
    assert client.post(BOARD).status_code == 405


def test_a_meeting_held_too_early_is_flagged_on_the_board_in_every_form(client, staff, today):
    """An initial meeting held the day after the letter, before the family's notice ran
    out: the deadline is 'Held too early' (not met), and the board says so in the page,
    the JSON and the exports."""
    case = case_at("pre_proceedings", staff, start=today - dt.timedelta(days=20))
    sent = today - dt.timedelta(days=8)
    record(case, staff.social_worker, "letter_before_proceedings_sent", sent)
    record(case, staff.social_worker, "initial_meeting_held", sent + dt.timedelta(days=1))
    initial = Deadline.objects.get(case=case, milestone="initial_meeting")
    assert initial.met_on < initial.not_before
    on_time = case_at("pre_proceedings", staff)
    client.force_login(staff.court_liaison_officer)

    html = client.get(reverse("board:board")).content.decode()
    assert html.count("a meeting or hearing was held too early") == 1
    rows = {r["reference"]: r for r in client.get(reverse("board_api:board")).json()["results"]}
    assert rows[case.reference]["held_too_early"] is True
    assert rows[on_time.reference]["held_too_early"] is False
    status = with_deadline_status(Deadline.objects.filter(pk=initial.pk), Today.now()).get()
    assert status.status == "met_early"
    # The exports read the board through the ORM's twin of the page query.
    flag = board_exports.HEADERS.index("Held too early")
    exported = {
        row[0]: row[flag]
        for row in board_exports.rows(staff.court_liaison_officer, {"sort": "next_deadline"}, today)
    }
    assert (exported[case.reference], exported[on_time.reference]) == ("Yes", "No")
