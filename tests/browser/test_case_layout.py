"""The case page's Overview on a laptop screen: a typical case in pre-proceedings, with a
few events and letters, fits in two screens at 1366x768 and names the family at the top."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from legaltracker.cases.choices import EventKind, Stage
from letters import services as letter_services
from tests.access.world import letter_details
from tests.factories import case_at, record

from .axe import assert_no_axe_violations
from .steps import sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date
SCREEN = {"width": 1366, "height": 768}


def typical_case(staff):
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=D(2026, 1, 5))
    record(case, staff.legal, EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, D(2026, 1, 9))
    record(case, staff.social_worker, EventKind.FGDM_OFFERED, D(2026, 1, 9))
    record(case, staff.social_worker, EventKind.INITIAL_MEETING_HELD, D(2026, 1, 20))
    record(case, staff.social_worker, EventKind.ASSESSMENT_COMPLETED, D(2026, 2, 2), summary="A")
    record(case, staff.team_manager, EventKind.MANAGEMENT_OVERSIGHT, D(2026, 2, 20), summary="B")
    record(case, staff.social_worker, EventKind.NOTE, D(2026, 2, 24), summary="Home visit")
    letter_services.letter_details_update(
        case_id=case.pk, actor=staff.social_worker, data=letter_details()
    )
    for adult in case.adults.all():
        letter_services.letter_generate(
            case_id=case.pk,
            actor=staff.social_worker,
            data={"kind": "letter_before_proceedings", "recipient": adult.pk},
        )
    return case


@pytest.mark.parametrize("role", ["social_worker", "team_manager"])
def test_the_overview_fits_in_two_screens(role, page: Page, people, staff):
    case = typical_case(staff)
    assert case.recorded_events.count() >= 6 and case.letters.count() >= 1
    page.set_viewport_size(SCREEN)
    landing = "/my-work/"
    sign_in(page, getattr(people, role).username, lands_on=landing)
    visit(page, f"/cases/{case.pk}/")

    child = case.children.first()
    expect(page.get_by_role("heading", level=1)).to_contain_text(child.last_name)
    expect(page.locator(".app-case-header")).to_contain_text(f"Case {case.reference}")
    expect(page.get_by_role("navigation", name="Sections of this case")).to_be_visible()
    expect(page.locator("#whats-next")).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\n{role}: Overview of a pre-proceedings case is {height}px tall at 1366x768")
    assert height <= 2 * SCREEN["height"], height
    # What's next is in the first screen, without scrolling.
    box = page.locator("#whats-next").bounding_box()
    assert box is not None and box["y"] < SCREEN["height"], box
    assert_no_axe_violations(page)
