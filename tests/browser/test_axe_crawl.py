"""axe on every page of the web app, in the states people see: with data, empty, with
form errors, refused (403), not found (404), unavailable (400), for each role's variant.

The crawl also checks that it is complete: every HTML page in the URL configuration
must be visited (a new page fails this test until it is added here). JSON endpoints,
downloads and the POST-only sign-out have no page of their own; the Django admin is
Django's own markup, for administrators only (NOT_PAGES, NOT_PAGE_NAMESPACES).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from playwright.sync_api import Page, expect

from legaltracker.alerts import services as alert_services
from legaltracker.alerts.choices import DeliveryStatus
from legaltracker.alerts.models import Alert, Delivery
from legaltracker.cases import services
from legaltracker.cases.choices import EventKind, Stage
from legaltracker.cases.forms import EventForm
from legaltracker.cases.models import Adult, Case
from letters import services as letter_services
from tests.access.routes import all_routes
from tests.access.world import letter_details
from tests.factories import case_at, case_data, move, record

from .axe import describe, run_axe
from .steps import sign_in_by_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date

# Routes with no HTML page to check, and why. (The letter download is visited: a format
# it cannot make answers with the letter's page.)
NOT_PAGES = {
    "web:sign_out": "POST only: the header's Sign out button, on every page checked",
    "board:export_csv": "starts an export and redirects to its page (visited)",
    "board:export_xlsx": "starts an export and redirects to its page (visited)",
    "performance:export_csv": "starts an export and redirects to its page (visited)",
    "performance:export_xlsx": "starts an export and redirects to its page (visited)",
    "exports:download": "a file download (its link is on the export's page, visited)",
    "exports:retry": "POST only: a button on a failed export's page (visited)",
    "letters:letter_plain_language_check": (
        "POST only: a form on a Welsh letter's page; a refusal shows the letter's page again "
        "(visited)"
    ),
    "alerts:mark_read": "POST only: a button on the notifications page, checked there",
    "alerts:dismiss_delivery": "POST only: a button on a failed email, checked there",
    "alerts:retry_delivery": "POST only: a button on a failed email, checked there",
    "alerts:calendar_feed": "an iCalendar file for calendar programs (tests/alerts)",
    "audit:subject_access_export": "a JSON file download (its form is on the search page)",
    "audit:restriction_find": "a redirect to the case's restriction page (visited)",
    "audit:restriction_name": "POST only: a form on the restriction page (visited)",
    "audit:restriction_remove": "POST only: a button on the restriction page (visited)",
    "audit:restriction_lift": "POST only: a form on the restriction page (visited)",
    "security:healthz": "JSON for the load balancer",
    "api_tokens:revoke": "POST only: a button on the API tokens page (visited)",
    "imports:template": "the XLSX template sheet (its link is on the import page, visited)",
    "census:xml": "the census return's XML download (its link is on the return page, visited)",
    "census:export_csv": "POST only: starts an export of the census return (its button visited)",
    "census:export_xlsx": "POST only: starts an export of the census return (its button visited)",
    "court_diary:diary_csv": (
        "a CSV download of the diary's week or day (its button is on the diary, visited; a "
        "filter it cannot use shows the diary with the error, visited too)"
    ),
    "court_diary:diary_xlsx": "an XLSX download of the diary's week or day (its button visited)",
}
NOT_PAGE_NAMESPACES = {
    "api": "JSON API",
    "board_api": "JSON API",
    "inspection_api": "JSON API (the inspection list)",
    "performance_api": "JSON API (the performance figures)",
    "letters_api": "JSON API (the schedule of expectations and letters)",
    "census_api": "JSON API (the census return)",
    "court_api": "JSON API (the court record)",
    "admin": "Django's admin, configuration for administrators only (not the app's templates)",
}
# One event kind of each shape of form.
FORM_SHAPES = (
    EventKind.INITIAL_MEETING_HELD,  # with its two questions (did it go ahead, solicitors)
    EventKind.REVIEW_MEETING_HELD,  # a meeting's date and its non-working-day box alone
    EventKind.FGDM_OFFERED,  # a date that is not a meeting's: no non-working-day box
    EventKind.ASSESSMENT_COMPLETED,
    EventKind.DOCUMENT_READY,
    EventKind.HEARING_LISTED,
    EventKind.HEARING_HELD,
)


@dataclass
class Crawl:
    page: Page
    base_url: str
    visited: set[str] = field(default_factory=set)
    found: list[str] = field(default_factory=list)
    pages: int = 0

    def check(self, what: str, *, scripts: bool = True) -> None:
        """axe on the page shown; `scripts=False` for a page made to print, which has
        none (and must have none)."""
        path = urlsplit(self.page.url).path
        self.visited.add(resolve(path).view_name)
        self.pages += 1
        if scripts:
            # axe checks the page as people get it, with GOV.UK Frontend's scripts running.
            assert self.page.evaluate(
                "() => document.body.classList.contains('govuk-frontend-supported')"
            ), f"{what}: GOV.UK Frontend did not start"
        else:
            assert self.page.locator("script").count() == 0, f"{what}: a page to print runs scripts"
        violations = run_axe(self.page)
        if violations:
            self.found.append(f"[{what}] " + describe(self.page.url, violations))

    def visit(self, path: str, status: int = 200, *, scripts: bool = True) -> None:
        response = self.page.goto(path)
        assert response is not None
        assert response.status == status, f"GET {path}: {response.status}, expected {status}"
        self.check(f"GET {path}", scripts=scripts)

    def submit_blank(self, path: str, status: int = 400) -> None:
        """The form as first shown, then sent with nothing filled in: the error state."""
        self.visit(path)
        with self.page.expect_navigation() as navigation:
            self.page.locator("main form[method=post] button[type=submit]").first.click()
        response = navigation.value
        assert response is not None and response.status == status, f"POST {path}"
        expect(self.page.locator(".govuk-error-summary")).to_be_visible()
        self.check(f"POST {path} with nothing filled in")

    def sign_in_as(self, user: Any) -> None:
        sign_in_by_cookie(self.page, user, self.base_url)


@dataclass
class Cases:
    concern: Case
    gateway: Case
    pre_proceedings: Case
    issue: Case
    proceedings: Case
    closed: Case
    new_episode: Case
    event_id: int


def _cases(staff: Any) -> Cases:
    pre = case_at(Stage.PRE_PROCEEDINGS, staff, start=D(2026, 1, 5))
    record(pre, staff.legal, EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, D(2026, 1, 9))
    record(pre, staff.social_worker, EventKind.FGDM_OFFERED, D(2026, 1, 9))
    record(pre, staff.social_worker, EventKind.FGDM_ACCEPTED, D(2026, 1, 12))
    meeting = record(pre, staff.social_worker, EventKind.INITIAL_MEETING_HELD, D(2026, 1, 20))
    record(
        pre,
        staff.social_worker,
        EventKind.ASSESSMENT_COMPLETED,
        D(2026, 2, 2),
        summary="Parenting assessment",
    )
    record(
        pre,
        staff.team_manager,
        EventKind.MANAGEMENT_OVERSIGHT,
        D(2026, 2, 20),
        summary="Plan reviewed",
    )
    record(pre, staff.social_worker, EventKind.NOTE, D(2026, 2, 24), summary="Home visit")
    move(
        pre,
        "extend_pre_proceedings",
        staff.head_of_service,
        date="2026-03-02",
        reasons="The parenting assessment needs four more weeks.",
        approved_by=staff.head_of_service.username,
        new_end_date="2026-06-09",
    )

    proceedings = case_at(Stage.PROCEEDINGS, staff, start=D(2026, 1, 26))
    record(proceedings, staff.legal, EventKind.PARTIES_SERVED, D(2026, 1, 30))
    record(
        proceedings,
        staff.court_liaison_officer,
        EventKind.HEARING_LISTED,
        D(2026, 2, 2),
        hearing_type="case_management_hearing",
        hearing_date="2026-02-17",
    )
    record(
        proceedings,
        staff.court_liaison_officer,
        EventKind.HEARING_HELD,
        D(2026, 2, 17),
        hearing_type="case_management_hearing",
    )

    closed = case_at(Stage.CLOSED, staff)
    new_episode = services.case_create(
        actor=staff.social_worker, data=case_data(staff, previous_case=closed.pk)
    )
    return Cases(
        concern=case_at(Stage.CONCERN, staff),
        gateway=case_at(Stage.LEGAL_GATEWAY, staff),
        pre_proceedings=Case.objects.get(pk=pre.pk),
        issue=case_at(Stage.ISSUE, staff),
        proceedings=proceedings,
        closed=closed,
        new_episode=new_episode,
        event_id=meeting.pk,
    )


def _html_pages() -> dict[str, str]:
    return {
        route.name: route.pattern
        for route in all_routes()
        if route.name not in NOT_PAGES and route.namespace not in NOT_PAGE_NAMESPACES
    }


def _crawl_exports(crawl: Crawl, people: Any) -> None:
    """An export's page waiting, being made (with its progress), ready, failed (with Try
    again) and expired; the court liaison officer is signed in."""
    from legaltracker.core import clock
    from legaltracker.exports import services as export_services
    from legaltracker.exports.models import ExportJob

    sorts = ["reference", "-reference", "stage", "-stage", "rag"]

    def job(**state: Any) -> int:
        made = export_services.export_request(
            actor=people.court_liaison_officer,
            kind="board",
            file_format="xlsx",
            # A sort of its own each: the same export asked twice is the same job.
            params={"stage": ["pre_proceedings"], "sort": sorts.pop()},
            today=clock.today(),
        )
        if state.pop("build", False):
            export_services.export_build(job_id=made.pk)
        if state:
            ExportJob.objects.filter(pk=made.pk).update(**state)
        return made.pk

    now = clock.now()
    crawl.visit(f"/exports/{job()}/")
    running = job(status="running", rows_total=40, rows_done=10, started_at=now, heartbeat_at=now)
    crawl.visit(f"/exports/{running}/")
    crawl.visit(f"/exports/{job(build=True)}/")
    crawl.visit(f"/exports/{job(status='failed', error=export_services.FAILED_MESSAGE)}/")
    crawl.visit(f"/exports/{job(status='expired', file_name='')}/")


def test_every_page_in_every_state_has_no_axe_violations(
    page: Page, live_server, people, staff, other_staff, today, settings
):
    cases = _cases(staff)
    case_at(Stage.LEGAL_GATEWAY, other_staff)
    crawl = Crawl(page, live_server.url)

    def actions(case: Case, name: str) -> str:
        return f"/cases/{case.pk}/actions/{name}/"

    def record_form(case: Case, kind: str) -> str:
        return f"/cases/{case.pk}/record/{kind}/"

    crawl.submit_blank("/sign-in/", status=200)

    # A social worker: My work, the case pages, opening a case, what they may not see.
    crawl.sign_in_as(people.social_worker)
    for case in (
        cases.concern,
        cases.pre_proceedings,
        cases.proceedings,
        cases.closed,
        cases.new_episode,
    ):
        crawl.visit(f"/cases/{case.pk}/")
    # The sections of the case page, each its own page (the Overview is visited above).
    for section in ("people", "deadlines", "events", "letters", "court", "history"):
        crawl.visit(f"/cases/{cases.pre_proceedings.pk}/{section}/")
    for section in ("people", "court", "history"):
        crawl.visit(f"/cases/{cases.new_episode.pk}/{section}/")  # little recorded yet
    crawl.visit(f"/cases/{cases.closed.pk}/events/")
    for n in range(26):  # a history of two pages
        record(cases.concern, staff.social_worker, EventKind.NOTE, D(2026, 3, 2), summary=f"{n}")
    crawl.visit(f"/cases/{cases.concern.pk}/history/?page=2")
    crawl.submit_blank("/cases/new/")
    crawl.visit(f"/cases/new/?previous={cases.closed.pk}")
    crawl.visit("/board/", status=403)
    crawl.visit("/cases/999999/", status=404)
    crawl.visit(actions(cases.pre_proceedings, "refer_to_gateway"), status=400)
    crawl.visit(record_form(cases.closed, EventKind.NOTE), status=400)
    crawl.visit("/my-work/")
    # Find a case: the empty form, results, none, a query with an error; the team list.
    for query in ("", "?q=a", "?q=nobody-matches-this", "?q=31/02/2026", "?q="):
        crawl.visit(f"/cases/search/{query}")
    crawl.visit("/cases/team/")
    crawl.visit("/cases/team/?closed=on&mine=on&sort=next_deadline")

    # A team manager: their My work, the board and reports for the team, every form.
    crawl.sign_in_as(people.team_manager)
    crawl.visit("/my-work/")
    crawl.visit("/cases/team/?sort=sideways")
    crawl.visit("/board/")
    crawl.visit("/reports/")
    # The performance figures over time: the default period, a chosen one, bad dates.
    crawl.visit("/reports/performance/")
    crawl.visit("/reports/performance/?from=1/4/2025&to=31/1/2026")
    crawl.visit("/reports/performance/?from=31/02/2025&to=soon")
    crawl.visit("/reports/performance/?from=2026-02-01&to=2026-01-01")
    for name in ("step_down", "escalate_to_gateway"):
        crawl.submit_blank(actions(cases.pre_proceedings, name))
    crawl.submit_blank(actions(cases.concern, "refer_to_gateway"))
    # The event forms share one template; these kinds between them have every field
    # (date, optional or required summary, document radios, hearing radios and date).
    for kind in FORM_SHAPES:
        crawl.visit(record_form(cases.pre_proceedings, kind))
    for kind in (EventKind.DOCUMENT_READY, EventKind.HEARING_LISTED, EventKind.NOTE):
        crawl.submit_blank(record_form(cases.pre_proceedings, kind))
    # The initial meeting's questions unanswered: their error state.
    crawl.submit_blank(record_form(cases.pre_proceedings, EventKind.INITIAL_MEETING_HELD))
    # A meeting on a Saturday: the date's message and the box that confirms it.
    crawl.visit(record_form(cases.pre_proceedings, EventKind.INITIAL_MEETING_HELD))
    page.locator("input[name=date]").fill("28/2/2026")
    page.get_by_role("group", name="Did the meeting go ahead").get_by_label("Yes").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_label("Yes, the date is right")).to_be_visible()
    crawl.check("a meeting date on a weekend, asking for the confirmation")
    crawl.visit(f"/cases/events/{cases.event_id}/correct/")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    crawl.check("correcting an event without a reason")
    # The People page's forms and giving the case to another social worker.
    people_case = cases.pre_proceedings
    crawl.submit_blank(f"/cases/{people_case.pk}/people/add/child/")
    crawl.submit_blank(f"/cases/{people_case.pk}/people/add/adult/")
    crawl.visit(f"/cases/{people_case.pk}/people/child/{people_case.children.first().pk}/")
    crawl.visit(f"/cases/{people_case.pk}/people/adult/{people_case.adults.first().pk}/")
    expecting = case_at(
        Stage.CONCERN,
        staff,
        unborn_baby=True,
        children=[{"last_name": "Example", "expected_date_of_birth": "2026-04-20"}],
    )
    crawl.visit(f"/cases/{expecting.pk}/people/")
    crawl.submit_blank(f"/cases/{expecting.pk}/people/child/{expecting.children.get().pk}/born/")
    crawl.submit_blank(f"/cases/{people_case.pk}/reassign/")
    crawl.submit_blank(f"/cases/{people_case.pk}/lawyer/")
    # A child's identifiers, one of them wrong: the UPN's message.
    crawl.visit(f"/cases/{people_case.pk}/people/add/child/")
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("UPN (unique pupil number)").fill("A999000020001")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    crawl.check("a child with a UPN whose check letter is wrong")
    # Approvals, and asking for an extension (the form's errors, then a request waiting).
    crawl.visit("/approvals/")
    crawl.submit_blank(f"/cases/{cases.pre_proceedings.pk}/extension-request/")
    ask = services.extension_request_create(
        case_id=cases.pre_proceedings.pk,
        actor=staff.team_manager,
        data={"new_end_date": "2026-06-30", "reason": "The assessment finishes late."},
    )
    crawl.visit(f"/cases/{cases.pre_proceedings.pk}/")
    crawl.visit(f"/cases/extension-requests/{ask.pk}/")  # with the form to withdraw it

    # The head of service: the gateway and closing.
    crawl.sign_in_as(people.head_of_service)
    crawl.submit_blank(actions(cases.gateway, "gateway_continue_plan"))
    crawl.submit_blank(actions(cases.pre_proceedings, "extend_pre_proceedings"))
    crawl.submit_blank(actions(cases.concern, "close"))
    crawl.visit(f"/reports/?team={staff.team.code}")
    crawl.visit("/approvals/")  # the extension request waiting
    crawl.submit_blank(f"/cases/extension-requests/{ask.pk}/")

    # The lawyer: gateway decisions, issue and the court stages.
    crawl.sign_in_as(people.legal)
    for name in ("gateway_enter_pre_proceedings", "gateway_issue"):
        crawl.submit_blank(actions(cases.gateway, name))
    crawl.submit_blank(actions(cases.issue, "issue_proceedings"))
    for name in ("extend_timetable", "conclude_proceedings"):
        crawl.submit_blank(actions(cases.proceedings, name))
    crawl.visit(f"/cases/{cases.issue.pk}/")
    crawl.visit(f"/cases/{cases.issue.pk}/court/")  # the Day 1 checklist, to complete
    crawl.submit_blank(f"/cases/{cases.issue.pk}/day1-documents/")
    crawl.visit("/approvals/")

    # The court liaison officer: the board in its states, and reports.
    crawl.sign_in_as(people.court_liaison_officer)
    for query in (
        "?stage=pre_proceedings&rag=red",
        "?due_within=abc&page_size=0",
        "?q=nobody-matches-this",
        "?page_size=2&page=2",
        "?sort=-rag",
        f"?team={staff.team.code}",
        "?overdue=1&milestone=final_order&due_within=30",
    ):
        crawl.visit(f"/board/{query}")
    crawl.visit("/reports/")
    crawl.visit(f"/cases/{cases.proceedings.pk}/")
    crawl.visit(f"/cases/{cases.proceedings.pk}/court/")
    crawl.visit("/my-work/", status=403)
    _crawl_exports(crawl, people)

    _crawl_court(crawl, people, staff, cases)
    _crawl_court_diary(crawl, people, staff, cases)
    _crawl_letters(crawl, people, cases, settings)
    _crawl_alerts(crawl, people, today)

    _crawl_audit(crawl, people, cases, settings)
    _crawl_inspection(crawl, staff)

    _crawl_sign_in_security(crawl, people)
    _crawl_passwords(crawl, people)

    # An administrator sees no case: the home page points to the admin.
    crawl.sign_in_as(people.administrator)
    crawl.visit("/")
    crawl.visit(f"/cases/{cases.concern.pk}/", status=404)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    crawl.check("signed out, with the banner that says so")

    assert not crawl.found, f"axe violations on {len(crawl.found)} page(s):\n\n" + "\n\n".join(
        crawl.found
    )
    missing = {name: p for name, p in _html_pages().items() if name not in crawl.visited}
    assert not missing, (
        "pages in the URL configuration that the axe crawl does not visit; add them to "
        f"tests/browser/test_axe_crawl.py (or to NOT_PAGES with the reason): {missing}"
    )
    print(f"\naxe crawl: {crawl.pages} page states checked, {len(crawl.visited)} routes")


def _crawl_inspection(crawl: Crawl, staff: Any) -> None:
    """The inspection list (heads of service, performance officers): its page, a period
    that cannot be used, and the export it starts; the performance officer's home page."""
    crawl.sign_in_as(staff.head_of_service)
    path = "/reports/inspection-list/"
    crawl.visit(path)
    crawl.page.locator("#id_from").fill("")
    crawl.page.locator("#id_to").fill("31/2/2026")
    with crawl.page.expect_navigation() as navigation:
        crawl.page.get_by_role("button", name="Produce it as CSV instead").click()
    assert navigation.value is not None and navigation.value.status == 400
    expect(crawl.page.locator(".govuk-error-summary")).to_be_visible()
    crawl.check(f"POST {path} with a period that cannot be used")
    crawl.sign_in_as(staff.performance_officer)
    crawl.visit("/")
    crawl.visit(path)
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Produce the inspection list").click()
    crawl.check("the inspection list's export, being made")


def _crawl_audit(crawl: Crawl, people: Any, cases: Cases, settings: Any) -> None:
    """Restricted records and retention reviews (heads of service), subject access
    requests (administrators): each page, empty, filled in and with errors."""
    crawl.sign_in_as(people.head_of_service)
    crawl.visit("/audit/restrictions/")
    restrict = f"/audit/restrictions/{cases.concern.pk}/"
    crawl.submit_blank(restrict)
    crawl.visit(restrict)
    crawl.page.get_by_label("Why is this case restricted?").fill(
        "A parent works in the council's children's services."
    )
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Restrict this case").click()
    crawl.check("a restricted case, with the people named on it")
    crawl.visit("/audit/restrictions/")
    # Every closed case is due for review when the period is 0 years.
    settings.RETENTION_YEARS_AFTER_CLOSURE = 0
    crawl.visit("/audit/retention/")
    crawl.submit_blank(f"/audit/retention/{cases.closed.pk}/")

    # Importing a tracker (heads of service): the page with no file (its error), and the
    # check's report on a sheet with a row to create and a row with problems.
    crawl.submit_blank("/imports/")
    worker = people.social_worker
    sheet = (
        "Reference,Team,Social worker,Opened on,Child last name,Stage\n"
        f"AXE-1,{worker.team.code},{worker.username},02/02/2026,Axecase,concern\n"
        f"AXE-2,{worker.team.code},{worker.username},31/02/2026,,pre-proc\n"
    )
    crawl.page.locator("input[type=file]").set_input_files(
        {"name": "tracker.csv", "mimeType": "text/csv", "buffer": sheet.encode()}
    )
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Check the file").click()
    expect(crawl.page.get_by_text("31/02/2026").first).to_be_visible()
    crawl.check("an import's check: one row to create, one with problems")

    # The census return (heads of service and the performance team): the year's page,
    # and a year that is not one.
    crawl.visit("/census/2026/")
    crawl.visit("/census/20x6/", status=400)

    crawl.sign_in_as(people.administrator)
    crawl.submit_blank("/audit/subject-access/")
    crawl.page.get_by_label("Last name").fill(cases.concern.children.first().last_name[:4])
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Search").click()
    crawl.check("subject access search results")

    # The API tokens page (anyone signed in): empty, with errors, and with a new key shown.
    crawl.submit_blank("/account/api-tokens/")
    crawl.page.get_by_label("Name", exact=True).fill("Case import")
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Make a token").click()
    crawl.check("a new API token, its key shown once, in the list of tokens")


def _without_then_with_a_reason(
    crawl: Crawl, button: str, label: str, reason: str, states: tuple[str, str]
) -> None:
    """Press a button whose form needs a reason: first with none (the error is checked),
    then with one (the page it leads to is checked)."""
    for state, typed in zip(states, (None, reason), strict=True):
        if typed is not None:
            crawl.page.get_by_label(label).fill(typed)
        with crawl.page.expect_navigation():
            crawl.page.get_by_role("button", name=button).click()
        crawl.check(state)


def _crawl_letters(crawl: Crawl, people: Any, cases: Cases, settings: Any) -> None:
    """The schedule of expectations and the letters: empty, filled in, with errors, and
    each letter page in the states its readers see."""
    case = cases.pre_proceedings
    base = f"/letters/cases/{case.pk}"
    adults = [a.pk for a in case.adults.all()]
    item = {
        "adults": adults,
        "action": "Take the children to school on time every day.",
        "why_it_matters": "The children need to learn and to see their friends.",
        "help_offered": "We will pay for a bus pass.",
        "how_judged": "The school will tell us that the children are there on time.",
        "due_by": "2026-04-03",
    }

    # The social worker: an empty schedule, then one item, the details, a draft letter.
    crawl.sign_in_as(people.social_worker)
    crawl.visit(f"{base}/")
    crawl.submit_blank(f"{base}/expectations/new/")
    crawl.submit_blank(f"{base}/new/")
    crawl.visit(f"{base}/details/")
    expectation = letter_services.expectation_create(
        case_id=case.pk, actor=people.social_worker, data=item
    )
    letter_services.letter_details_update(
        case_id=case.pk, actor=people.social_worker, data=letter_details()
    )
    crawl.visit(f"{base}/")
    crawl.visit(f"/letters/expectations/{expectation.pk}/edit/")
    crawl.submit_blank(f"{base}/expectations/review/")
    crawl.visit(f"{base}/details/")
    crawl.visit(f"/letters/cases/{cases.concern.pk}/new/")  # no letter this case can have
    draft = letter_services.letter_generate(
        case_id=case.pk,
        actor=people.social_worker,
        data={"kind": "letter_before_proceedings", "recipient": adults[0]},
    )
    crawl.visit(f"/letters/{draft.pk}/")
    crawl.visit(f"/letters/{draft.pk}/download/odt/", status=400)
    # A letter to an adult who reads Polish, with its translation request: attaching
    # nothing shows the error on the letter's page.
    Adult.objects.filter(pk=adults[-1]).update(
        correspondence_language="other", correspondence_language_other="Polish"
    )
    translated = letter_services.letter_generate(
        case_id=case.pk,
        actor=people.social_worker,
        data={"kind": "letter_before_proceedings", "recipient": adults[-1]},
    )
    crawl.visit(f"/letters/{translated.pk}/")
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Attach the translation").click()
    crawl.check("attaching a translation without a file")

    # The team manager approves a letter that fails a check (a reading ease target set
    # out of reach): the override asks for a reason, then records it. Then the lawyer
    # records the approved letter as sent.
    crawl.sign_in_as(people.team_manager)
    settings.READABILITY_TARGETS = {"reading_ease": 100}
    crawl.visit(f"/letters/{draft.pk}/")
    _without_then_with_a_reason(
        crawl,
        "Approve with an override",
        "Reason for approving a letter that failed the checks",
        "Agreed with the family's solicitor.",
        (
            "approving a letter that failed a check without a reason",
            "an approved letter, with its override",
        ),
    )
    # The manager records why the translated letter goes without its translation: no
    # reason first, then one.
    crawl.visit(f"/letters/{translated.pk}/")
    _without_then_with_a_reason(
        crawl,
        "Record why it goes without",
        "Why it goes without a translation",
        "The mother asked for the English letter.",
        ("a translation waived without a reason", "a letter that goes without its translation"),
    )
    crawl.sign_in_as(people.legal)
    crawl.visit(f"/letters/{draft.pk}/")
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Record as sent").click()
    crawl.check("recording as sent without a date or method")
    crawl.sign_in_as(people.court_liaison_officer)
    crawl.visit(f"/letters/{draft.pk}/")
    crawl.visit(f"{base}/details/", status=403)


def _crawl_alerts(crawl: Crawl, people: Any, today: dt.date) -> None:
    """Notifications empty, then with alerts and a failed email; alert settings; the
    calendar feed off, just turned on (its address shown once) and on."""
    crawl.sign_in_as(people.legal)
    crawl.visit("/alerts/")
    crawl.visit("/alerts/settings/")
    crawl.visit("/alerts/calendar/")
    alert_services.alerts_scan(today=today, dispatch=False)
    assert Alert.objects.filter(recipient=people.legal).exists(), "no alerts to show"
    Delivery.objects.filter(recipient=people.legal).update(
        status=DeliveryStatus.FAILED,
        attempts=3,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    crawl.visit("/alerts/")
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Mark all as read").click()
    crawl.check("notifications marked as read")
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Dismiss").first.click()
    crawl.check("a failed email dismissed")
    crawl.visit("/alerts/settings/")
    crawl.page.locator("input[name=mode]").last.check()
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Save", exact=True).click()
    crawl.check("alert settings saved")
    crawl.visit("/alerts/calendar/")
    with crawl.page.expect_navigation():
        crawl.page.get_by_role("button", name="Turn on my calendar feed").click()
    crawl.check("the calendar feed just turned on, its address shown once")
    crawl.visit("/alerts/calendar/")


def _crawl_sign_in_security(crawl: Crawl, people: Any) -> None:
    """Two-step verification: setting it up (empty and with a wrong code), the code page
    after the password (with a wrong code), and the page shown while a sign-in is locked
    out."""
    from django.conf import settings
    from django.test import Client

    from legaltracker.core import clock
    from legaltracker.security.models import TotpDevice

    from .conftest import PASSWORD

    page = crawl.page
    # The administrator signs in with the form: they must set up an app first.
    page.context.clear_cookies()
    crawl.visit("/sign-in/")
    page.get_by_label("Username").fill(people.administrator.username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert urlsplit(page.url).path == "/account/two-step-verification/"
    crawl.check("an administrator asked to set up two-step verification")
    page.get_by_label("Code from your authenticator app").fill("000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-step verification").click()
    crawl.check("setting up two-step verification with a wrong code")

    # With an app set up: the code page after the password, and a wrong code.
    TotpDevice.objects.filter(user=people.administrator).update(confirmed_at=clock.now())
    page.context.clear_cookies()
    crawl.visit("/sign-in/")
    page.get_by_label("Username").fill(people.administrator.username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert urlsplit(page.url).path == "/sign-in/code/"
    crawl.check("the code page after the password")
    crawl.submit_blank("/sign-in/code/")

    # A social worker's own settings: the optional set-up, then with it turned on.
    crawl.sign_in_as(people.social_worker)
    crawl.visit("/account/two-step-verification/")
    TotpDevice.objects.filter(user=people.social_worker).update(confirmed_at=clock.now())
    crawl.visit("/account/two-step-verification/")
    TotpDevice.objects.filter(user=people.social_worker).delete()

    # Too many wrong passwords from this browser's address: the lockout page.
    page.context.clear_cookies()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/sign-in/",
            {"username": people.legal.username, "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
        )
    crawl.visit("/sign-in/")
    page.get_by_label("Username").fill(people.legal.username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Sign in").click()
    assert navigation.value is not None and navigation.value.status == 429
    crawl.check("signing in while locked out")


def _crawl_passwords(crawl: Crawl, people: Any) -> None:
    """Changing a password (empty), asking for a reset (empty, then sent), and the reset
    link's page: a link that does not work, and the new password form (empty)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    crawl.sign_in_as(people.social_worker)
    crawl.submit_blank("/account/password/")
    crawl.page.context.clear_cookies()
    crawl.submit_blank("/sign-in/forgotten-password/")
    crawl.visit("/sign-in/forgotten-password/sent/")
    uid = urlsafe_base64_encode(force_bytes(people.social_worker.pk))
    crawl.visit(f"/sign-in/reset/{uid}/not-a-token/")
    token = default_token_generator.make_token(people.social_worker)
    crawl.submit_blank(f"/sign-in/reset/{uid}/{token}/")


def _shape(kind: str) -> tuple[tuple[str, bool], ...]:
    form = EventForm(kind=kind)
    return tuple(sorted((name, field.required) for name, field in form.fields.items()))


def test_the_crawl_checks_every_shape_of_event_form():
    """A new kind of event with fields of its own must join FORM_SHAPES."""
    every = {_shape(kind) for kind in EventKind}
    assert every == {_shape(kind) for kind in FORM_SHAPES}


def _crawl_court(crawl: Crawl, people: Any, staff: Any, cases: Cases) -> None:
    """The court record: a case before the decision to issue (no record yet), a record
    with a hearing of each status, an overdue direction and a repeat expert assessment,
    as the lawyer, the court liaison officer and the direction's owner see it; each form,
    sent with nothing filled in where that is an error."""
    from legaltracker.court import services as court
    from legaltracker.court.models import StandardDirection

    # The seeded list is emptied between transactional tests: one of the council's own.
    StandardDirection.objects.get_or_create(text="File the updated chronology")
    case = case_at(Stage.PROCEEDINGS, staff, start=D(2026, 2, 2))
    lawyer = people.legal

    def hearing(kind: str, day: str) -> Any:
        data = {"kind": kind, "date": day, "time": "10:00"}
        return court.hearing_list(case_id=case.pk, actor=lawyer, data=data)

    held = hearing("case_management_hearing", "2026-02-23")
    court.hearing_hold(
        hearing_id=held.pk,
        actor=lawyer,
        data={
            "orders_made": ["interim_care_order"],
            "next_hearing": {
                "kind": "issues_resolution_hearing",
                "date": "2026-06-15",
                "time": "10:00",
            },
        },
    )
    vacated = hearing("directions_hearing", "2026-03-03")
    court.hearing_vacate(
        hearing_id=vacated.pk,
        actor=lawyer,
        data={
            "reason_code": "LA1",
            "relist": {"kind": "directions_hearing", "date": "2026-03-10", "time": "14:00"},
        },
    )
    listed = hearing("urgent_hearing", "2026-03-02")
    direction = court.direction_add(
        case_id=case.pk,
        actor=lawyer,
        data={
            "text": "File the parenting assessment.",
            "party": "council",
            "made_on": "2026-02-23",
            "due_on": "2026-03-02",
            "owner": people.social_worker.pk,
        },
    )
    expert = court.expert_add(
        case_id=case.pk,
        actor=lawyer,
        data={
            "assessment_type": "parenting",
            "expert": "Dr Example",
            "done_in_pre_proceedings": True,
        },
    )
    base = f"/cases/{case.pk}/court"
    crawl.sign_in_as(lawyer)
    crawl.visit(f"/cases/{cases.pre_proceedings.pk}/court/record/")
    crawl.visit(f"{base}/record/")
    crawl.visit(f"{base}/proceedings/")
    crawl.visit(f"/cases/court/directions/{direction.pk}/")
    crawl.visit(f"/cases/court/experts/{expert.pk}/")
    for path in (
        f"{base}/parties/{case.adults.first().pk}/",
        f"{base}/hearings/new/",
        f"{base}/directions/new/",
        f"{base}/directions/standard/",
        f"{base}/experts/new/",
        f"{base}/timetable/extension/",
        f"{base}/timetable/{case.children.first().pk}/joined/",
        f"/cases/court/hearings/{listed.pk}/held/",
        f"/cases/court/hearings/{listed.pk}/adjourned/",
        f"/cases/court/hearings/{listed.pk}/vacated/",
        f"/cases/court/hearings/{held.pk}/draft-order-sent/",
    ):
        crawl.submit_blank(path)
    crawl.visit(f"/cases/court/hearings/{vacated.pk}/held/", status=400)  # not listed now
    crawl.sign_in_as(people.court_liaison_officer)
    crawl.visit(f"{base}/record/")
    crawl.visit(f"{base}/proceedings/", status=403)
    crawl.sign_in_as(people.social_worker)
    crawl.visit(f"{base}/record/")
    crawl.visit(f"/cases/court/directions/{direction.pk}/")  # its owner updates it


def _crawl_court_diary(crawl: Crawl, people: Any, staff: Any, cases: Cases) -> None:
    """The court diary (the hearings _crawl_court listed, in the week of 2 March 2026): a
    week and a day with filters, an empty week, filters it cannot use, the printed court
    list; a lawyer's My cases, empty and with a case; those refused; the application pack
    before and after the decision to issue."""
    from legaltracker.cases import services as case_services

    lawyer = people.legal
    team = staff.team.code
    crawl.sign_in_as(lawyer)
    crawl.visit("/court/diary/")
    crawl.visit("/court/diary/?date=2026-03-04")
    expect(crawl.page.locator("#diary-summary strong")).not_to_have_text("0")
    crawl.visit(f"/court/diary/?view=day&date=2026-03-02&team={team}")
    expect(crawl.page.locator("#diary-summary strong")).not_to_have_text("0")
    crawl.visit("/court/diary/?view=week&date=2026-03-02&cancelled=on")  # the vacated one too
    crawl.visit("/court/diary/?date=2026-05-04")  # a week with no hearings
    bad = "?view=month&date=2026-02-31&court_centre=NOPE&lawyer=abc&cancelled=maybe"
    crawl.visit(f"/court/diary/{bad}")
    expect(crawl.page.locator(".govuk-error-summary")).to_be_visible()
    crawl.visit(f"/court/diary/export.csv{bad}", status=400)
    expect(crawl.page.locator(".govuk-error-summary")).to_be_visible()
    crawl.visit(f"/court/diary/print/?date=2026-03-02&team={team}", scripts=False)
    crawl.visit("/court/my-cases/")  # nothing allocated yet
    case_services.case_allocate_lawyer(
        case_id=cases.proceedings.pk,
        actor=staff.head_of_service,
        data={"allocated_lawyer": lawyer.pk},
    )
    crawl.visit("/court/my-cases/")
    expect(crawl.page.locator("main")).to_contain_text(cases.proceedings.reference)
    crawl.visit(f"/cases/{cases.concern.pk}/application-pack/")  # before the decision
    crawl.visit(f"/cases/{cases.concern.pk}/application-pack.pdf", status=400)
    crawl.visit(f"/cases/{cases.issue.pk}/application-pack/")

    # A team manager's diary (their team only); refused: My cases for the court liaison
    # officer, the diary and My cases for a social worker.
    crawl.sign_in_as(people.team_manager)
    crawl.visit(f"/court/diary/?team={team}")
    crawl.sign_in_as(people.court_liaison_officer)
    crawl.visit("/court/my-cases/", status=403)
    crawl.sign_in_as(people.social_worker)
    crawl.visit("/court/diary/", status=403)
    crawl.visit("/court/my-cases/", status=403)
