"""The daily work in a real browser: the court liaison officer's board and exports, a
social worker recording a meeting and a referral, a refused transition explaining
itself. axe checks every page these visit (the `page` fixture fails a test that loads a
page without a check)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from legaltracker.cases.choices import EventKind, Stage
from legaltracker.cases.day1 import SHIPPED as DAY1_CHECKLIST
from legaltracker.cases.models import Case
from legaltracker.cases.selectors import case_list
from legaltracker.deadlines.selectors import Today
from tests.exports.helpers import sync_queue
from tests.factories import case_at, record

from .axe import assert_no_axe_violations
from .steps import follow, path_of, sign_in, sign_out, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date


@pytest.fixture
def queue(settings):
    """The export's task runs inside the request that queues it (django-q2 sync mode)."""
    with sync_queue(settings):
        yield


def _rag(case: Case, user) -> str:
    return case_list(user=user, today=Today.now(), filters={}).get(pk=case.pk).rag


def test_court_liaison_officer_filters_the_board_opens_a_case_and_exports(
    page: Page, people, staff, other_staff, today, queue
):
    # Referred Mon 2 Feb: the gateway meeting was due 16 Feb, so both are red.
    red_gateway = case_at(Stage.LEGAL_GATEWAY, staff, start=D(2026, 2, 1))
    red_gateway_other_team = case_at(Stage.LEGAL_GATEWAY, other_staff, start=D(2026, 2, 1))
    # Referred Tue 3 March: the meeting is due 17 March (green).
    green_gateway = case_at(Stage.LEGAL_GATEWAY, staff, start=D(2026, 3, 2))
    # Pre-proceedings since 3 Feb, no letter sent: red, but the wrong stage.
    red_pre_proceedings = case_at(Stage.PRE_PROCEEDINGS, staff, start=D(2026, 2, 1))
    concern = case_at(Stage.CONCERN, staff)
    clo = people.court_liaison_officer
    assert [_rag(c, clo) for c in (red_gateway, red_gateway_other_team, green_gateway)] == [
        "red",
        "red",
        "green",
    ]
    assert _rag(red_pre_proceedings, clo) == "red"
    wanted = {red_gateway.reference, red_gateway_other_team.reference}

    sign_in(page, clo.username, lands_on="/board/")
    table = page.locator("#board-table")
    on_board = {red_gateway, red_gateway_other_team, green_gateway, red_pre_proceedings}
    for case in on_board:
        expect(table.get_by_role("link", name=case.reference, exact=True)).to_be_visible()
    expect(table.get_by_role("link", name=concern.reference, exact=True)).to_have_count(0)

    page.locator("#board-filters summary").click()  # the filters are folded at first
    filters = page.locator(".moj-filter__options form")
    filters.get_by_label("Legal gateway", exact=True).check()
    filters.get_by_label("Red", exact=True).check()
    follow(page, filters.get_by_role("button", name="Apply filters").last)
    assert path_of(page) == "/board/"
    assert "stage=legal_gateway" in page.url and "rag=red" in page.url
    shown = set(table.locator("tbody tr td:first-child a").all_inner_texts())
    assert shown == wanted
    expect(page.locator("#board-summary")).to_contain_text("of 2 cases")
    # The summary says how many filters apply; unfolded, they are tags that remove them.
    expect(page.locator("#board-filters summary")).to_contain_text("2 filters applied")
    page.locator("#board-filters summary").click()
    expect(page.locator(".moj-filter__selected")).to_be_visible()
    expect(page.locator(".moj-filter__selected")).to_contain_text("Legal gateway")
    expect(page.locator(".moj-filter__selected")).to_contain_text("Red")

    follow(page, table.get_by_role("link", name=red_gateway.reference, exact=True))
    assert path_of(page) == f"/cases/{red_gateway.pk}/"
    expect(page.locator(".app-case-header")).to_contain_text(f"Case {red_gateway.reference}")
    expect(page.locator("#case-stage")).to_contain_text("Legal gateway")

    page.go_back()
    assert_no_axe_violations(page)
    assert set(table.locator("tbody tr td:first-child a").all_inner_texts()) == wanted

    # An export goes to its job's page; the queue runs in sync mode here, so the file is
    # made by the time the page shows (tests/exports covers the waiting and the progress).
    page.get_by_role("link", name=re.compile(r"^Export as CSV")).click()
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download the file")).click()
    download = download_info.value
    assert download.suggested_filename == "tracker-board-2026-03-04.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["Reference"] for row in rows} == wanted
    assert {row["Stage"] for row in rows} == {"Legal gateway"}
    assert {row["RAG"].split(":")[0] for row in rows} == {"Red"}

    page.go_back()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile(r"^Export as Excel")).click()
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download the file")).click()
    assert download_info.value.suggested_filename == "tracker-board-2026-03-04.xlsx"
    workbook = io.BytesIO(download_info.value.path().read_bytes())
    sheet = load_workbook(workbook, read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    references = values[0].index("Reference")
    assert {row[references] for row in values[1:]} == wanted

    sign_out(page)


def test_social_worker_records_a_meeting_and_refers_a_case_to_the_gateway(
    page: Page, people, staff, today
):
    # Pre-proceedings from Tue 3 Feb; the letter went on Wed 4 Feb.
    pre_proceedings = case_at(Stage.PRE_PROCEEDINGS, staff, start=D(2026, 2, 1))
    record(pre_proceedings, staff.legal, EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, D(2026, 2, 4))
    concern = case_at(Stage.CONCERN, staff)

    sign_in(page, people.social_worker.username, lands_on="/my-work/")

    follow(page, page.get_by_role("link", name=pre_proceedings.reference, exact=True).first)
    follow(page, page.get_by_role("link", name="Record an initial pre-proceedings meeting"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record an initial pre-proceedings meeting"
    )
    page.get_by_label("Date of the meeting").fill("2/3/2026")
    page.get_by_role("group", name="Did the meeting go ahead").get_by_label("Yes").check()
    page.get_by_label("Summary (optional)").fill("Both parents attended with their solicitors.")
    submit(page, "Save")
    assert path_of(page) == f"/cases/{pre_proceedings.pk}/events/"
    expect(page.get_by_role("alert")).to_contain_text("Recorded: Initial")
    meetings = page.locator("#events-meetings + table")
    expect(meetings).to_contain_text("Monday 2 March 2026")
    expect(meetings).to_contain_text("Both parents attended with their solicitors.")
    met = pre_proceedings.recorded_events.get(kind=EventKind.INITIAL_MEETING_HELD)
    assert (met.date, met.recorded_by) == (D(2026, 3, 2), people.social_worker)

    # Back to My work through the navigation, then the case still in concern.
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="My work"))
    follow(page, page.get_by_role("link", name=concern.reference, exact=True).first)
    expect(page.locator("#case-stage")).to_contain_text("Concern")
    follow(page, page.get_by_role("link", name="Refer to the legal gateway"))
    page.get_by_label("Date of the referral").fill("3/3/2026")
    page.get_by_label("Reasons").fill("Neglect continues despite the child protection plan.")
    submit(page, "Refer to the legal gateway")
    assert path_of(page) == f"/cases/{concern.pk}/"
    expect(page.get_by_role("alert")).to_contain_text("Done: Refer to the legal gateway.")
    expect(page.locator("#case-stage")).to_contain_text("Legal gateway")
    concern.refresh_from_db()
    assert concern.stage == Stage.LEGAL_GATEWAY

    sign_out(page)


def test_a_refused_transition_shows_its_reason_in_the_error_summary(
    page: Page, people, staff, today
):
    """The lawyer tries to record the issue before the Day 1 documents are ready: the case
    page offers no link and says why; the form, reached by its address, refuses with the
    same sentence."""
    at_issue = case_at(Stage.ISSUE, staff)
    version = at_issue.version

    sign_in(page, people.legal.username, lands_on="/board/")
    follow(page, page.locator("#board-table").get_by_role("link", name=at_issue.reference))
    whats_next = page.locator("#whats-next")
    expect(whats_next).to_contain_text("Not yet: Record the application as issued")
    expect(whats_next).to_contain_text("The Day 1 documents are not all ready. Still missing:")
    expect(page.get_by_role("link", name="Record the application as issued")).to_have_count(0)
    visit(page, f"/cases/{at_issue.pk}/actions/issue_proceedings/")
    page.get_by_label("Date the application was issued").fill("4/3/2026")
    page.get_by_label("Court reference").fill("ZW26C00077")
    page.get_by_role("button", name="Record the application as issued").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert_no_axe_violations(page)
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_contain_text("The Day 1 documents are not all ready. Still missing:")
    for _code, label in DAY1_CHECKLIST:
        expect(summary).to_contain_text(label)
    # What the lawyer typed is kept, and nothing changed on the case.
    expect(page.get_by_label("Court reference")).to_have_value("ZW26C00077")
    at_issue.refresh_from_db()
    assert (at_issue.stage, at_issue.version) == (Stage.ISSUE, version)
