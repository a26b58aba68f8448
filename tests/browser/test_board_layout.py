"""The board a court liaison officer can scan: one line a case, at least twenty cases in
view at 1366x768, the words kept beside every colour."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import case_at

from .axe import assert_no_axe_violations
from .steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAGES = ["legal_gateway", "pre_proceedings", "issue", "proceedings"]
CASES = 26


def test_twenty_cases_fit_on_a_laptop_screen_one_line_each(page: Page, people, staff):
    # A long team name and long names must be cut short on screen, not wrap the row.
    staff.team.name = "Riverside Family Safeguarding and Early Help Partnership Team"
    staff.team.save()
    cases = [case_at(STAGES[n % len(STAGES)], staff) for n in range(CASES)]
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, people.court_liaison_officer.username, lands_on="/board/")

    table = page.locator("#board-table")
    expect(table.locator("tbody tr")).to_have_count(CASES)
    page.evaluate("document.querySelector('#board-table').scrollIntoView()")
    layout = page.evaluate(
        """() => {
            const rows = [...document.querySelectorAll('#board-table tbody tr')];
            const box = r => r.getBoundingClientRect();
            return {
                visible: rows.filter(r => box(r).top >= 0 && box(r).bottom <= innerHeight).length,
                heights: rows.map(r => Math.round(box(r).height)),
                tableWidth: Math.round(box(document.querySelector('#board-table')).width),
                pageWidth: document.documentElement.clientWidth,
            };
        }"""
    )
    assert layout["visible"] >= 20, layout
    # One line a case: every row as tall as the others (to a pixel of border), and no
    # taller than a line of text with a tag in it.
    assert max(layout["heights"]) <= 36 and max(layout["heights"]) - min(layout["heights"]) <= 1
    assert layout["tableWidth"] <= layout["pageWidth"]  # nothing scrolls sideways

    first = table.locator("tbody tr").first
    # The RAG keeps its colour's name on screen, and its reason for screen readers.
    rag = first.locator(".app-tag--rag")
    words = {
        "Red": "Red: overdue or past decision point",
        "Amber": "Amber: due soon or over 12 weeks",
        "Green": "Green: on track",
    }
    shown = rag.evaluate("e => e.firstChild.textContent")
    assert rag.text_content() == words[shown]
    expect(rag.locator(".govuk-visually-hidden")).to_have_count(1)
    # A long name is whole in the page (and in a tooltip), only cut on screen.
    team_cell = first.locator("td").nth(1)
    expect(team_cell).to_contain_text(staff.team.name)
    assert team_cell.locator(".app-line__cut").evaluate("e => e.scrollWidth > e.clientWidth")
    assert {case.reference for case in cases} == set(
        table.locator("tbody tr td:first-child a").all_inner_texts()
    )
    assert_no_axe_violations(page)
