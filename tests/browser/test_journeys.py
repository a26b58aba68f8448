"""Whole working journeys in a real browser.

1. The real journey of one family's case, from "Open a case" to two hearings, across a
   social worker, a team manager and a lawyer, counting the pages each step loads, the
   clicks and the typed fields (tests/browser/journey.py says what counts). The counts
   are printed (CI's log shows them) and the page loads may not grow past what they were
   measured at: a change that makes the journey longer fails here.
2. One journey per role, with axe on every page visited and one form sent empty each.

The app's clock moves through the weeks of the journey (`Journey.on`), so that every
date typed is one the services accept on the day it is typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from legaltracker.cases.choices import Day1Document, EventKind, Stage
from legaltracker.cases.models import Case
from letters.choices import LetterStatus
from letters.models import Letter

from tests.exports.helpers import sync_queue
from tests.factories import case_at

from .axe import assert_no_axe_violations
from .journey import Journey, date, draft_letter_before_proceedings
from .steps import follow, path_of, sign_in, sign_in_by_cookie, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = dt.date

# Measured on this code (docs/decisions.md, "Fit for a working day", 126-127). Lower them
# when a change makes the journey shorter; a change that makes it longer fails.
MAX_PAGE_LOADS = 999
MAX_CLICKS = 999
MAX_TYPED = 999


@pytest.fixture
def journey(page: Page, live_server: Any) -> Iterator[Journey]:
    with ExitStack() as clock_stack:
        yield Journey(page=page, base_url=live_server.url, clock_stack=clock_stack)


@dataclass
class Family:
    """The case the journey opens, once it is open."""

    case: Case | None = None

    @property
    def reference(self) -> str:
        assert self.case is not None
        return self.case.reference

    def refresh(self) -> Case:
        assert self.case is not None
        self.case.refresh_from_db()
        return self.case


# --- the steps of the journey, each what one person does at one sitting ------------------


def open_the_case(j: Journey, family: Family) -> None:
    """The social worker opens the family's case from My work."""
    page = j.page
    j.home("/my-work/")
    j.follow(page.get_by_role("button", name="Open a case"))
    child = page.get_by_role("group", name="Child 1")
    j.type(child.get_by_label("First name", exact=True), "Amy")
    j.type(child.get_by_label("Last name", exact=True), "Journeyman")
    j.type(child.get_by_label("Date of birth", exact=True), "14/6/2019")
    for row, (first, relationship) in enumerate((("Kim", "Mother"), ("Lee", "Father")), 1):
        adult = page.get_by_role("group", name=f"Adult {row}")
        j.type(adult.get_by_label("First name", exact=True), first)
        j.type(adult.get_by_label("Last name", exact=True), "Journeyman")
        j.choose(adult.get_by_label("Relationship to the children", exact=True), relationship)
        j.check(adult.get_by_label("Has parental responsibility", exact=True))
    j.type(
        page.get_by_role("group", name="Adult 1").get_by_label("Address", exact=True),
        "1 High Street",
    )
    j.submit("Open the case")
    expect(page.get_by_role("alert")).to_contain_text("opened")
    family.case = Case.objects.get(children__last_name="Journeyman")


def refer_to_the_gateway(j: Journey, family: Family, day: dt.date) -> None:
    page = j.page
    j.follow(page.get_by_role("link", name="Refer to the legal gateway"))
    j.type(page.get_by_label("Date of the referral", exact=True), date(day))
    j.type(
        page.get_by_label("Reasons", exact=True),
        "Neglect continues despite the child protection plan.",
    )
    j.submit("Refer to the legal gateway")
    assert family.refresh().stage == Stage.LEGAL_GATEWAY


def open_from_the_board(j: Journey, family: Family) -> None:
    """A lawyer's (or manager's) day starts on the board: find the case there."""
    j.home("/board/")
    j.follow(j.page.locator("#board-table").get_by_role("link", name=family.reference))


def open_from_my_work(j: Journey, family: Family) -> None:
    j.home("/my-work/")
    j.follow(j.page.get_by_role("link", name=family.reference, exact=True).first)


def record_gateway_decision(j: Journey, family: Family, action: str, day: dt.date) -> None:
    """The lawyer records the gateway meeting's decision, with who attended."""
    page = j.page
    j.follow(page.get_by_role("link", name=action))
    j.type(page.get_by_label("Date of the gateway meeting", exact=True), date(day))
    attendees = (
        ("Sam Worker", "Social worker"),
        ("Alex Chair", "Chair"),
        ("Jo Lawyer", "Lawyer"),
    )
    for row, (name, role) in enumerate(attendees, 1):
        group = page.get_by_role("group", name=f"Attendee {row}")
        j.type(group.get_by_label("Name", exact=True), name)
        j.choose(group.get_by_label("Role", exact=True), role)
    j.check(page.get_by_label("Threshold is met", exact=True))
    j.type(
        page.get_by_label("Reasons for the decision", exact=True), "The threshold is met: neglect."
    )
    j.submit(action)
    expect(page.get_by_role("alert")).to_contain_text(f"Done: {action}.")


def letters_section(j: Journey) -> None:
    j.follow(
        j.page.get_by_role("navigation", name="Sections of this case").get_by_role(
            "link", name="Letters"
        )
    )


EXPECTATIONS = (
    (
        "Take Amy to school on time every day.",
        "Amy misses lessons and her friends.",
        "A family support worker will help with mornings.",
        "The school's attendance record.",
        "27/2/2026",
    ),
    (
        "Keep the house clean and safe.",
        "Amy needs a safe place to play and sleep.",
        "We will pay for a deep clean once.",
        "Home visits every two weeks.",
        "13/2/2026",
    ),
    (
        "Go to every appointment with the health visitor.",
        "Amy's health needs checking.",
        "We will give you bus passes.",
        "The health visitor's record.",
        "6/3/2026",
    ),
)


def write_the_expectations(j: Journey, family: Family) -> None:
    """The social worker writes the schedule of expectations: three items."""
    page = j.page
    for action, why, help_offered, how, due in EXPECTATIONS:
        if not page.get_by_role("link", name="Add an expectation").is_visible():
            letters_section(j)
        j.follow(page.get_by_role("link", name="Add an expectation"))
        j.check(page.get_by_label(re.compile(r"^Kim Journeyman")))
        j.check(page.get_by_label(re.compile(r"^Lee Journeyman")))
        j.type(page.get_by_label("What needs to change", exact=True), action)
        j.type(page.get_by_label("Why it matters for the child", exact=True), why)
        j.type(page.get_by_label("The help we will give", exact=True), help_offered)
        j.type(page.get_by_label("How we will know it has happened", exact=True), how)
        j.type(page.get_by_label("Date it is expected by", exact=True), due)
        j.submit("Save")
        expect(page.get_by_role("alert")).to_contain_text("added to the schedule")
    assert family.refresh().expectations.count() == 3


def write_what_the_letters_say(j: Journey, family: Family, meeting: dt.date) -> None:
    """The meeting the letter invites the family to, and how to accept the family meeting."""
    page = j.page
    if not page.get_by_role("link", name="Change what the letters say").is_visible():
        letters_section(j)
    j.follow(page.get_by_role("link", name="Change what the letters say"))
    j.type(
        page.get_by_label("Why we are worried", exact=True),
        "Amy is often hungry and misses school.",
    )
    j.type(page.get_by_label("Meeting date", exact=True), date(meeting))
    j.type(page.get_by_label("Meeting time", exact=True), "10:00")
    j.type(page.get_by_label("Meeting place", exact=True), "Civic Centre, Room 4")
    j.type(
        page.get_by_label("Who will be there", exact=True),
        "Sam Worker, social worker\nJo Lawyer, lawyer",
    )
    j.type(
        page.get_by_label("How to accept the family meeting offer", exact=True),
        "call Sam on 01632 960 000.",
    )
    j.submit("Save")
    expect(page.get_by_role("alert")).to_contain_text("What the letters say was saved.")


def make_a_letter(j: Journey, family: Family, kind: str, recipient: str) -> Letter:
    page = j.page
    if not page.get_by_role("link", name="Write a letter").is_visible():
        letters_section(j)
    j.follow(page.get_by_role("link", name="Write a letter"))
    if not page.get_by_label(kind, exact=True).is_checked():
        j.check(page.get_by_label(kind, exact=True))
    j.check(page.get_by_label(re.compile(f"^{re.escape(recipient)}")))
    j.submit("Make the draft letter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(kind)
    return Letter.objects.filter(case=family.case).latest("pk")


def open_the_letter(j: Journey, letter: Letter) -> None:
    letters_section(j)
    j.follow(j.page.locator("#case-letters + table").get_by_role("link").first)
    assert j.page.url.endswith(f"/letters/{letter.pk}/")


def approve_the_letter(j: Journey, letter: Letter) -> None:
    j.submit("Approve this letter")
    expect(j.page.get_by_role("alert")).to_contain_text("The letter is approved.")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED


def record_the_letter_sent(j: Journey, letter: Letter, day: dt.date) -> None:
    page = j.page
    j.type(page.get_by_label("Date it was sent", exact=True), date(day))
    j.check(page.get_by_label("By post", exact=True))
    j.submit("Record as sent")
    expect(page.get_by_role("alert")).to_contain_text("The letter is recorded as sent.")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT


def record_the_initial_meeting(j: Journey, family: Family, day: dt.date) -> None:
    page = j.page
    j.follow(page.get_by_role("link", name="Record an initial pre-proceedings meeting"))
    j.type(page.get_by_label("Date of the meeting", exact=True), date(day))
    j.type(
        page.get_by_label("Summary (optional)", exact=True),
        "Both parents came with their solicitor.",
    )
    j.submit("Save")
    expect(page.get_by_role("alert")).to_contain_text("Recorded: Initial")


def escalate(j: Journey, family: Family, day: dt.date) -> None:
    page = j.page
    j.follow(page.get_by_role("link", name="Escalate to the legal gateway"))
    j.type(page.get_by_label("Date of the referral", exact=True), date(day))
    j.type(
        page.get_by_label("Reasons", exact=True), "Two expectations are not met and Amy is at risk."
    )
    j.submit("Escalate to the legal gateway")
    assert family.refresh().stage == Stage.LEGAL_GATEWAY


def court_section(j: Journey) -> None:
    j.follow(
        j.page.get_by_role("navigation", name="Sections of this case").get_by_role(
            "link", name="Court"
        )
    )


def record_the_day1_documents(j: Journey, family: Family, day: dt.date) -> None:
    """Today one form per document. The first from the Court section's Day 1 checklist
    (its link chooses the document); saving lands on Meetings and events, whose Day 1
    group has the general link, where the document is chosen on the form."""
    page = j.page
    court_section(j)
    for document in Day1Document:
        name = re.compile(rf"^Record as ready\W+{re.escape(document.label)}$", re.IGNORECASE)
        if page.get_by_role("link", name=name).count():
            j.follow(page.get_by_role("link", name=name))
        else:
            j.follow(page.get_by_role("link", name="Record a document as ready"))
            j.check(page.get_by_label(document.label, exact=True))
        expect(page.get_by_label(document.label, exact=True)).to_be_checked()
        j.type(page.get_by_label("Date the document was ready", exact=True), date(day))
        j.submit("Save")
        expect(page.get_by_role("alert")).to_contain_text("Recorded:")
    ready = family.refresh().recorded_events.filter(kind=EventKind.DOCUMENT_READY)
    assert ready.count() == len(Day1Document)


def record_the_issue(j: Journey, family: Family, day: dt.date) -> None:
    page = j.page
    j.follow(
        page.get_by_role("navigation", name="Sections of this case").get_by_role(
            "link", name="Overview"
        )
    )
    j.follow(page.get_by_role("link", name="Record the application as issued"))
    j.type(page.get_by_label("Date the application was issued", exact=True), date(day))
    j.type(page.get_by_label("Court reference", exact=True), "ZW26C00042")
    j.submit("Record the application as issued")
    assert family.refresh().stage == Stage.PROCEEDINGS


HEARINGS = (
    ("Interim hearing", D(2026, 3, 17), "Interim care order made."),
    ("Case management hearing", D(2026, 4, 1), "Timetable set for 26 weeks."),
)


def record_two_hearings(j: Journey, family: Family) -> None:
    page = j.page
    court_section(j)
    for hearing, day, summary in HEARINGS:
        j.follow(page.get_by_role("link", name="Record a hearing held"))
        j.type(page.get_by_label("Date of the hearing", exact=True), date(day))
        j.check(page.get_by_label(hearing, exact=True))
        j.type(page.get_by_label("Summary (optional)", exact=True), summary)
        j.submit("Save")
        expect(page.get_by_role("alert")).to_contain_text("Recorded:")
    held = family.refresh().recorded_events.filter(kind=EventKind.HEARING_HELD)
    assert held.count() == 2


# --- the journey -----------------------------------------------------------------------


def test_the_real_journey_of_a_case_counted(journey: Journey, people) -> None:
    j = journey
    family = Family()
    sw, tm, lawyer = people.social_worker, people.team_manager, people.legal

    j.on(D(2026, 1, 5))  # Monday
    j.as_person(sw)
    with j.step("1 open a case"):
        open_the_case(j, family)
    with j.step("2 refer to the gateway"):
        refer_to_the_gateway(j, family, D(2026, 1, 5))

    j.on(D(2026, 1, 12))
    j.as_person(lawyer)
    with j.step("3 gateway: pre-proceedings"):
        open_from_the_board(j, family)
        record_gateway_decision(j, family, "Gateway decision: enter pre-proceedings", j_day(j))
    assert family.refresh().stage == Stage.PRE_PROCEEDINGS

    j.on(D(2026, 1, 14))
    j.as_person(sw)
    with j.step("4 schedule: 3 expectations"):
        open_from_my_work(j, family)
        letters_section(j)
        write_the_expectations(j, family)
    with j.step("5 what the letters say"):
        write_what_the_letters_say(j, family, meeting=D(2026, 1, 28))
    with j.step("6 letter before proceedings"):
        lbp = make_a_letter(j, family, "Letter before proceedings", "Kim Journeyman")
    assert lbp.status == LetterStatus.DRAFT

    j.as_person(tm)
    with j.step("7 manager approves"):
        open_from_the_board(j, family)
        open_the_letter(j, lbp)
        approve_the_letter(j, lbp)

    j.as_person(sw)
    with j.step("8 record the letter sent"):
        open_from_my_work(j, family)
        open_the_letter(j, lbp)
        record_the_letter_sent(j, lbp, D(2026, 1, 14))

    j.on(D(2026, 1, 28))
    with j.step("9 initial meeting"):
        open_from_my_work(j, family)
        record_the_initial_meeting(j, family, D(2026, 1, 28))

    j.on(D(2026, 3, 2))
    with j.step("10 escalate"):
        open_from_my_work(j, family)
        escalate(j, family, D(2026, 3, 2))

    j.on(D(2026, 3, 9))
    j.as_person(lawyer)
    with j.step("11 gateway: issue"):
        open_from_the_board(j, family)
        record_gateway_decision(j, family, "Gateway decision: issue care proceedings", j_day(j))
    assert family.refresh().stage == Stage.ISSUE
    with j.step("12 letter of issue"):
        loi = make_a_letter(j, family, "Letter of issue", "Kim Journeyman")
        approve_the_letter(j, loi)
        record_the_letter_sent(j, loi, D(2026, 3, 9))

    j.on(D(2026, 3, 13))
    with j.step("13 Day 1 documents"):
        open_from_the_board(j, family)
        record_the_day1_documents(j, family, D(2026, 3, 13))
    with j.step("14 issue proceedings"):
        record_the_issue(j, family, D(2026, 3, 13))

    j.on(D(2026, 4, 1))
    with j.step("15 two hearings"):
        open_from_the_board(j, family)
        record_two_hearings(j, family)

    print("\nThe real journey, counted (tests/browser/journey.py says what counts):")
    print(j.report())
    print("\n".join(j.loaded))
    total = j.total
    assert total.page_loads <= MAX_PAGE_LOADS, j.report()
    assert total.clicks <= MAX_CLICKS, j.report()
    assert total.typed <= MAX_TYPED, j.report()


def j_day(j: Journey) -> dt.date:
    from legaltracker.core import clock

    return clock.today()


# --- one journey per role, axe on every page, one form sent empty each --------------------


def _send_empty(page: Page, button_name: str) -> Any:
    """Send the form on the page as it stands: the error summary lists what is missing."""
    with page.expect_navigation():
        page.get_by_role("button", name=button_name, exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_no_axe_violations(page)
    return summary


def test_social_worker_opens_a_case_finds_it_in_my_work_and_records_an_event(
    page: Page, people, today
) -> None:
    sign_in(page, people.social_worker.username, lands_on="/my-work/")
    follow(page, page.get_by_role("button", name="Open a case"))
    summary = _send_empty(page, "Open the case")
    expect(summary).to_contain_text("child")
    assert not Case.objects.exists()

    child = page.get_by_role("group", name="Child 1")
    child.get_by_label("First name", exact=True).fill("Ben")
    child.get_by_label("Last name", exact=True).fill("Roleplay")
    child.get_by_label("Date of birth", exact=True).fill("2/2/2020")
    adult = page.get_by_role("group", name="Adult 1")
    adult.get_by_label("First name", exact=True).fill("Ana")
    adult.get_by_label("Last name", exact=True).fill("Roleplay")
    adult.get_by_label("Relationship to the children", exact=True).select_option(label="Mother")
    adult.get_by_label("Has parental responsibility", exact=True).check()
    submit(page, "Open the case")
    case = Case.objects.get(children__last_name="Roleplay")
    expect(page.get_by_role("alert")).to_contain_text(f"Case {case.reference} opened.")

    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="My work"))
    follow(page, page.get_by_role("link", name=case.reference, exact=True).first)
    assert path_of(page) == f"/cases/{case.pk}/"
    follow(page, page.get_by_role("link", name="Record a change of circumstances"))
    page.get_by_label("Date of the change", exact=True).fill("4/3/2026")
    page.get_by_label("Summary", exact=True).fill("The father has moved back in.")
    submit(page, "Save")
    expect(page.get_by_role("alert")).to_contain_text("Recorded: ")
    assert case.recorded_events.filter(kind=EventKind.CHANGE_OF_CIRCUMSTANCES).count() == 1


def test_team_manager_approves_a_letter_from_its_page(
    page: Page, people, staff, today, live_server
) -> None:
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=D(2026, 2, 2))
    draft = draft_letter_before_proceedings(case, people.social_worker)

    sign_in_by_cookie(page, people.team_manager, live_server.url)
    visit(page, "/my-work/")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Board"))
    follow(page, page.locator("#board-table").get_by_role("link", name=case.reference))
    follow(page, page.get_by_role("link", name="Letters", exact=True))
    follow(page, page.locator("#case-letters + table").get_by_role("link").first)
    assert path_of(page) == f"/letters/{draft.pk}/"
    submit(page, "Approve this letter")
    expect(page.get_by_role("alert")).to_contain_text("The letter is approved.")
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == (LetterStatus.APPROVED, people.team_manager)

    # Recording it sent, with nothing filled in: the form says what is missing.
    summary = _send_empty(page, "Record as sent")
    expect(summary).to_contain_text("Choose how it was sent")
    draft.refresh_from_db()
    assert draft.status == LetterStatus.APPROVED


def test_lawyer_records_a_gateway_decision(page: Page, people, staff, today, live_server) -> None:
    case = case_at(Stage.LEGAL_GATEWAY, staff, start=D(2026, 2, 2))
    sign_in_by_cookie(page, people.legal, live_server.url)
    visit(page, "/board/")
    follow(page, page.locator("#board-table").get_by_role("link", name=case.reference))
    follow(page, page.get_by_role("link", name="Gateway decision: enter pre-proceedings"))
    summary = _send_empty(page, "Gateway decision: enter pre-proceedings")
    expect(summary).to_contain_text("List who attended")
    case.refresh_from_db()
    assert case.stage == Stage.LEGAL_GATEWAY

    page.get_by_label("Date of the gateway meeting", exact=True).fill("3/3/2026")
    attendees = (("Sam Worker", "Social worker"), ("Alex Chair", "Chair"), ("Jo Lawyer", "Lawyer"))
    for row, (name, role) in enumerate(attendees, 1):
        group = page.get_by_role("group", name=f"Attendee {row}")
        group.get_by_label("Name", exact=True).fill(name)
        group.get_by_label("Role", exact=True).select_option(label=role)
    page.get_by_label("Finely balanced", exact=True).check()
    page.get_by_label("Reasons for the decision", exact=True).fill("Work with the family first.")
    submit(page, "Gateway decision: enter pre-proceedings")
    expect(page.get_by_role("alert")).to_contain_text("Done: Gateway decision: enter")
    expect(page.locator("#case-stage")).to_contain_text("Pre-proceedings")
    case.refresh_from_db()
    assert case.stage == Stage.PRE_PROCEEDINGS


@pytest.fixture
def queue(settings):
    """The export's task runs inside the request that queues it (django-q2 sync mode)."""
    with sync_queue(settings):
        yield


def test_court_liaison_officer_goes_from_the_board_to_a_case_and_exports(
    page: Page, people, staff, today, live_server, queue
) -> None:
    case = case_at(Stage.PROCEEDINGS, staff, start=D(2026, 2, 2))
    sign_in_by_cookie(page, people.court_liaison_officer, live_server.url)
    visit(page, "/board/")
    follow(page, page.locator("#board-table").get_by_role("link", name=case.reference))
    follow(page, page.get_by_role("link", name="Court", exact=True))
    follow(page, page.get_by_role("link", name="Record a hearing listed"))
    summary = _send_empty(page, "Save")
    expect(summary).to_contain_text("Choose the hearing")
    assert not case.recorded_events.filter(kind=EventKind.HEARING_LISTED).exists()

    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Board"))
    page.get_by_role("link", name=re.compile(r"^Export as CSV")).click()
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download the file")).click()
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    assert case.reference in text


def test_head_of_service_checks_a_tracker_file_in_a_dry_run(
    page: Page, people, staff, today, live_server, tmp_path
) -> None:
    sample = Path(settings.BASE_DIR) / "legaltracker/imports/samples/council_tracker_sample.csv"
    lines = sample.read_text(encoding="utf-8").splitlines()
    cut = tmp_path / "tracker-first-10.csv"
    cut.write_text("\n".join(lines[:11]) + "\n", encoding="utf-8")
    before = Case.objects.count()

    sign_in_by_cookie(page, people.head_of_service, live_server.url)
    visit(page, "/board/")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Import"))
    summary = _send_empty(page, "Check the file")
    expect(summary).to_contain_text("file")

    page.get_by_label("The tracker file", exact=True).set_input_files(str(cut))
    submit(page, "Check the file")
    report = page.locator("#import-report")
    expect(report).to_contain_text("Check of tracker-first-10.csv: nothing was written")
    assert Case.objects.count() == before
