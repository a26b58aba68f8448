"""The inspection list in the browser: a head of service produces it in one click from
the period already filled in, and the page and its error state have no axe violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from legaltracker.exports.models import ExportJob

from .axe import describe, run_axe
from .steps import sign_in_by_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_violations(page: Page) -> None:
    violations = run_axe(page)
    assert not violations, describe(page.url, violations)


def test_one_click_from_the_default_period_to_the_export(page: Page, live_server, staff):
    sign_in_by_cookie(page, staff.head_of_service, live_server.url)
    page.goto(f"{live_server.url}/reports/inspection-list/")
    expect(page.get_by_role("heading", name="Inspection list", level=1)).to_be_visible()
    expect(page.get_by_label("Start of the period")).not_to_have_value("")
    no_violations(page)
    page.get_by_role("button", name="Produce the inspection list").click()
    expect(page).to_have_url(re.compile(r"/exports/\d+/$"))
    expect(page.get_by_role("heading", name="Inspection list", level=1)).to_be_visible()
    no_violations(page)
    job = ExportJob.objects.get()
    assert (job.kind, job.requested_by_id, job.file_format) == (
        "inspection_list",
        staff.head_of_service.pk,
        "xlsx",
    )


def test_a_period_that_cannot_be_used_shows_its_errors(page: Page, live_server, staff):
    sign_in_by_cookie(page, staff.performance_officer, live_server.url)
    page.goto(f"{live_server.url}/reports/inspection-list/")
    no_violations(page)
    page.get_by_label("Start of the period").fill("1/9/2026")
    page.get_by_label("End of the period").fill("1/3/2026")
    page.get_by_role("button", name="Produce the inspection list").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The end of the period must be the same as or after its start")
    expect(page).to_have_title(re.compile(r"^Error: Inspection list"))
    no_violations(page)
    assert not ExportJob.objects.exists()
