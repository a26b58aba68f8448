"""The census return page in a browser: counts, errors told from queries with a link to
each fix, the downloads, and a year that is not one; axe on each state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from legaltracker.accounts.models import Role
from tests.census.census_data import TODAY, census_case
from tests.factories import UserFactory

from .axe import assert_no_axe_violations
from .steps import sign_in_by_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(db):
    return UserFactory(username="perf", role=Role.PERFORMANCE_OFFICER)


@pytest.fixture
def census_day():
    from legaltracker.core import clock

    with clock.frozen(TODAY):
        yield TODAY


def test_the_return_page_lists_errors_with_their_fix(
    page: Page, live_server, staff, officer, census_day
):
    census_case(staff, la_child_id="LA0001")
    failing = census_case(staff, la_child_id="", referral=None)
    sign_in_by_cookie(page, officer, live_server.url)
    page.goto("/census/")
    expect(page).to_have_url(f"{live_server.url}/census/2026/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("CIN census return")
    expect(page.locator("#count-blocks")).to_have_text("2")
    expect(page.locator("#count-errors")).to_contain_text("2 errors")
    table = page.locator("#census-findings")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator(".govuk-tag--red").first).to_have_text("Error")
    assert_no_axe_violations(page)

    # A performance officer opens no case: the row says who fixes it.
    expect(table.get_by_role("link", name="Fix LT01")).to_have_count(0)
    expect(table.locator("tbody tr").first).to_contain_text("Fixed by the case's team")

    # A head of service follows each error's link to the page where it is fixed.
    sign_in_by_cookie(page, staff.head_of_service, live_server.url)
    page.goto("/census/2026/")
    assert_no_axe_violations(page)
    table.get_by_role("link", name="Fix LT01").click()
    expect(page).to_have_url(f"{live_server.url}/cases/{failing.pk}/people/")
    assert_no_axe_violations(page)


def test_a_year_that_is_not_one_says_so(page: Page, live_server, officer, census_day):
    sign_in_by_cookie(page, officer, live_server.url)
    response = page.goto("/census/20x6/")
    assert response is not None and response.status == 400
    expect(page.locator(".govuk-error-summary")).to_contain_text("four digits")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Go to this year\N{RIGHT SINGLE QUOTATION MARK}s return").click()
    expect(page.locator("#census-counts")).to_be_visible()
    # An empty return: a query for the whole return, told apart from errors.
    expect(page.locator("#census-findings .govuk-tag--yellow").first).to_have_text("Query")
    assert_no_axe_violations(page)


def test_the_csv_export_goes_to_its_progress_page(
    page: Page, live_server, staff, officer, census_day
):
    census_case(staff, la_child_id="LA0001")
    sign_in_by_cookie(page, officer, live_server.url)
    page.goto("/census/2026/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Export as CSV").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CIN census return")
    expect(page.get_by_text("Census year: 1 April 2026 to 31 March 2027")).to_be_visible()
    assert_no_axe_violations(page)
