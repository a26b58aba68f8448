"""The court record in a real browser: a lawyer lists a hearing, the court liaison officer
records it held with an order and the next hearing, and a vacated hearing is re-listed
in the same step; axe checks the record, each form and their error states."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from legaltracker.cases.choices import Stage
from legaltracker.court.choices import LONDON, HearingStatus
from legaltracker.court.models import Hearing, StandardDirection
from tests.factories import case_at

from .steps import follow, sign_in_by_cookie, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hearing_listed_held_with_its_next_hearing_then_vacated_and_relisted(
    page: Page, live_server, people, staff, today
):
    case = case_at(Stage.PROCEEDINGS, staff, start=today - dt.timedelta(days=30))
    record = f"/cases/{case.pk}/court/record/"

    # The lawyer lists the case management hearing; a first try with no time is refused.
    sign_in_by_cookie(page, people.legal, live_server.url)
    visit(page, record)
    follow(page, page.get_by_role("link", name="List a hearing"))
    page.get_by_label("Type of hearing").select_option("case_management_hearing")
    page.get_by_label("Date of the hearing").fill("2/3/2026")
    page.get_by_label("Hybrid").check()
    page.get_by_label("Courtroom").fill("3")
    submit(page, "Save")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the time")
    page.get_by_label("Time", exact=True).fill("10:30")
    submit(page, "Save")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Hearing listed: Case management hearing on Monday 2 March 2026 at 10:30"
    )
    expect(page.locator("#hearings ~ .govuk-summary-card").first).to_contain_text("Listed")

    # The court liaison officer records it held: an interim care order, the next hearing.
    sign_in_by_cookie(page, people.court_liaison_officer, live_server.url)
    visit(page, record)
    follow(page, page.get_by_role("link", name="Record the outcome (hearing 1)"))
    submit(page, "Save")  # nothing ticked: what did it order?
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what the hearing ordered")
    page.get_by_label("Interim care order", exact=True).check()
    page.get_by_label("Type of the next hearing").select_option("issues_resolution_hearing")
    page.get_by_label("Date of the next hearing").fill("12/5/2026")
    page.get_by_label("Time of the next hearing").fill("14:00")
    submit(page, "Save")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Hearing held")
    held = page.locator("#hearing-" + str(Hearing.objects.get(case=case, number=1).pk))
    expect(held).to_contain_text("Interim care order")
    expect(held).to_contain_text("not sent yet")

    # The issues resolution hearing is vacated and re-listed in one step, on a Saturday
    # the first time (asked about), then confirmed.
    follow(page, page.get_by_role("link", name="Vacate (hearing 2)"))
    page.get_by_label("HMCTS reason").select_option("LA1")
    page.get_by_label("Type of the new hearing").select_option("issues_resolution_hearing")
    page.get_by_label("Date of the new hearing").fill("16/5/2026")
    page.get_by_label("Time of the new hearing").fill("10:00")
    submit(page, "Save")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Saturday 16 May 2026 is a weekend"
    )
    page.get_by_label("Yes, the date is right").check()
    submit(page, "Save")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Re-listed")
    vacated = Hearing.objects.get(case=case, number=2)
    assert vacated.status == HearingStatus.VACATED and vacated.relisted_as is not None
    relisted = vacated.relisted_as.starts_at.astimezone(LONDON)
    assert (relisted.date(), relisted.hour) == (dt.date(2026, 5, 16), 10)
    card = page.locator(f"#hearing-{vacated.pk}")
    expect(card).to_contain_text("Reason: LA1:")
    expect(card.get_by_role("link", name="hearing 3")).to_have_attribute(
        "href", f"#hearing-{vacated.relisted_as.pk}"
    )


def test_the_lawyer_s_forms_and_their_errors_have_no_axe_violations(
    page: Page, live_server, people, staff, today
):
    case = case_at(Stage.PROCEEDINGS, staff, start=today - dt.timedelta(days=30))
    # The seeded list is emptied between transactional tests: one of the council's own.
    StandardDirection.objects.get_or_create(text="File the updated chronology")
    base = f"/cases/{case.pk}/court"
    sign_in_by_cookie(page, people.legal, live_server.url)
    for path in (
        "proceedings/",
        f"parties/{case.adults.get().pk}/",
        "directions/new/",
        "directions/standard/",
        "experts/new/",
        "timetable/extension/",
        f"timetable/{case.children.get().pk}/joined/",
    ):
        visit(page, f"{base}/{path}")
        submit(page, "Add the directions ticked" if "standard" in path else "Save")
    # An extension over 8 weeks: the sentence that says what to fix.
    visit(page, f"{base}/timetable/extension/")
    page.get_by_label("Weeks").fill("9")
    page.get_by_label("Reasons").fill("The parenting assessment finishes late.")
    page.get_by_label("Judge who approved it").fill("HHJ Example")
    page.get_by_label("Date of the decision").fill("2/3/2026")
    submit(page, "Save")
    expect(page.locator(".govuk-error-summary")).to_contain_text("at most 8 weeks at a time")
    visit(page, f"{base}/record/")
