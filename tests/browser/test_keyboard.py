"""The board and a transition by keyboard alone (WCAG 2.1.1): Tab, Shift+Tab, Enter,
Space, arrow keys and typing; no mouse clicks and no filling fields by script. Every
element the test moves to must be reachable with Tab and show that it has the focus."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from tests.factories import case_at

from .conftest import PASSWORD
from .steps import is_focused, path_of, press_and_load, tab_to, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date


def test_the_lawyer_filters_the_board_and_records_a_gateway_decision_by_keyboard(
    page: Page, people, staff, today
):
    at_gateway = case_at(Stage.LEGAL_GATEWAY, staff, start=D(2026, 2, 23))
    in_pre_proceedings = case_at(Stage.PRE_PROCEEDINGS, staff, start=D(2026, 2, 1))

    visit(page, "/sign-in/")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(people.legal.username)
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    press_and_load(page, "Enter")
    assert path_of(page) == "/board/"

    # The first Tab reaches the skip link, which takes the focus past the navigation.
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_role("link", name="Skip to main content"))
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    # The filters are folded above the table: Enter on their summary unfolds them.
    tab_to(page, page.locator("#board-filters summary"))
    page.keyboard.press("Enter")
    expect(page.locator("#board-filters")).to_have_attribute("open", "")
    filters = page.locator(".moj-filter__options form")
    tab_to(page, filters.get_by_label("Legal gateway", exact=True))
    page.keyboard.press("Space")
    expect(filters.get_by_label("Legal gateway", exact=True)).to_be_checked()
    tab_to(page, filters.get_by_role("button", name="Apply filters").last)
    press_and_load(page, "Enter")
    assert "stage=legal_gateway" in page.url
    table = page.locator("#board-table")
    expect(table.get_by_role("link", name=in_pre_proceedings.reference)).to_have_count(0)

    tab_to(page, table.get_by_role("link", name=at_gateway.reference, exact=True))
    press_and_load(page, "Enter")
    assert path_of(page) == f"/cases/{at_gateway.pk}/"

    tab_to(page, page.get_by_role("link", name="Gateway decision: enter pre-proceedings"))
    press_and_load(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gateway decision: enter pre-proceedings"
    )

    tab_to(page, page.get_by_label("Date of the gateway meeting"))
    page.keyboard.type("4/3/2026")
    attendees = [
        ("Sam Worker", "Soc", "social_worker"),
        ("Alex Chair", "Chai", "chair"),
        ("Jo Lawyer", "Law", "legal"),
    ]
    for row, (name, typed, role) in enumerate(attendees, start=1):
        group = page.get_by_role("group", name=f"Attendee {row}", exact=True)
        tab_to(page, group.get_by_label("Name"))
        page.keyboard.type(name)
        page.keyboard.press("Tab")
        role_select = group.get_by_label("Role")
        assert is_focused(role_select)
        # A closed select chooses the option whose label starts with what is typed.
        page.keyboard.type(typed)
        expect(role_select).to_have_value(role)

    threshold = page.get_by_role("group", name="The meeting's view on threshold")
    tab_to(page, threshold.get_by_label("Threshold is met"))
    page.keyboard.press("Space")
    expect(threshold.get_by_label("Threshold is met")).to_be_checked()
    # Arrow keys move within a set of radios, choosing as they go.
    page.keyboard.press("ArrowDown")
    expect(threshold.get_by_label("Threshold is not met")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(threshold.get_by_label("Threshold is met")).to_be_checked()

    tab_to(page, page.get_by_label("Reasons for the decision"))
    page.keyboard.type("Neglect continues despite a child protection plan.")
    tab_to(page, page.get_by_role("button", name="Gateway decision: enter pre-proceedings"))
    press_and_load(page, "Enter")

    assert path_of(page) == f"/cases/{at_gateway.pk}/"
    expect(page.get_by_role("alert")).to_contain_text(
        "Done: Gateway decision: enter pre-proceedings."
    )
    expect(page.locator("#case-stage")).to_contain_text("Pre-proceedings")
    decided = Case.objects.get(pk=at_gateway.pk)
    assert decided.stage == Stage.PRE_PROCEEDINGS
    decision = decided.gateway_decisions.get()
    assert [a["role"] for a in decision.attendees] == ["social_worker", "chair", "legal"]
    assert decision.threshold_view == "met"

    # Signing out is a button in a form: Enter on it works as a click would.
    tab_to(page, page.get_by_role("button", name="Sign out"), backwards=True)
    press_and_load(page, "Enter")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert re.search(r"/sign-in/$", page.url)
