"""The performance reports page in a browser: every figure drawn and tabled, axe clean,
and bad dates typed into the filters come back as an error summary that is axe clean."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.performance import data

from .axe import assert_no_axe_violations
from .steps import sign_in_by_cookie, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date


def test_the_page_and_its_error_state(page: Page, live_server, people, staff, today):
    case = data.pre_proceedings(
        staff, D(2025, 10, 1), letter=D(2025, 10, 8), meeting=D(2025, 10, 20)
    )
    data.meeting_details(case, solicitor_present_for=data.parent_ids(case))
    data.concluded(staff, D(2025, 5, 1), D(2025, 9, 1))
    sign_in_by_cookie(page, people.head_of_service, live_server.url)

    visit(page, "/reports/performance/")
    expect(page.get_by_role("heading", name="Performance over time", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Reports")
    expect(nav.get_by_role("link", name="Performance over time")).to_have_attribute(
        "aria-current", "page"
    )
    # Every figure with data has a chart and a table (no case left pre-proceedings, so
    # its weeks have neither); the hearings are counted from the court record (none here).
    expect(page.locator("svg.app-chart")).to_have_count(11)
    expect(page.locator("table.govuk-table")).to_have_count(11)
    expect(page.locator("#weeks-in-pre-proceedings ~ p").first).to_contain_text("No cases")
    expect(page.locator("#hearings ~ p").first).to_contain_text(
        "Of 0 hearings dated in the period, 0 were adjourned and 0 vacated."
    )
    assert case.reference not in page.content()

    page.get_by_label("From", exact=True).fill("31/02/2025")
    page.get_by_label("To", exact=True).fill("01/01/2025")
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the start of the period as a real date")
    expect(page.locator("svg.app-chart")).to_have_count(0)
    assert_no_axe_violations(page)
    page.get_by_label("From", exact=True).fill("01/06/2025")
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    expect(summary).to_contain_text("The end of the period must be on or after its start")
    assert_no_axe_violations(page)
