"""A person's working journey through the app, counted: every page they see, every click
and every field they type into, step by step.

`Journey` wraps the shared steps (tests/browser/steps.py) so that each action is counted
in the step it belongs to, and checks every page it loads with axe like those steps do.

What counts (docs/decisions.md, "Fit for a working day", 126):
- a *page load* is a page the person sees: a document the main frame receives that is
  not a redirect and not a file download. A form POST answered by a redirect to the
  case page is one load (the page shown), a form shown again with its errors is one load.
  Switching person is not a load (each works in their own browser, already signed in):
  their first load is their start page, opened with `home`.
- a *click* is one press on a link, button, radio, checkbox, folded section or one
  choice from a list (a `<select>`, counted once: pick the option).
- a *typed field* is one text, date or text-area field the person types into. A date is
  one field (the app's dates are one box: 4/3/2026).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, Response

from legaltracker.accounts.models import User
from legaltracker.cases.models import Case
from legaltracker.core import clock
from letters import services as letter_services
from letters.models import Letter
from tests.access.world import letter_details

from .axe import assert_no_axe_violations
from .steps import sign_in_by_cookie


@dataclass
class Counts:
    page_loads: int = 0
    clicks: int = 0
    typed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.page_loads + other.page_loads,
            self.clicks + other.clicks,
            self.typed + other.typed,
        )


@dataclass
class Journey:
    """One tab driven by several people in turn, counting what each step costs."""

    page: Page
    base_url: str
    clock_stack: ExitStack
    steps: dict[str, Counts] = field(default_factory=dict)
    who: dict[str, str] = field(default_factory=dict)
    current: str = "(before the first step)"
    person: str = ""
    loaded: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("response", self._on_response)

    # --- counting -------------------------------------------------------------------

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.resource_type != "document" or request.frame != self.page.main_frame:
            return
        if 300 <= response.status < 400:
            return  # a redirect: the person sees the page it leads to, counted then
        if "attachment" in (response.headers.get("content-disposition") or ""):
            return  # a download: no page changes
        self._counts().page_loads += 1
        first = request
        while first.redirected_from is not None:
            first = first.redirected_from
        via = f"{first.method} {_path(first.url)} -> " if first is not request else ""
        self.loaded.append(f"{self.current}: {via}{request.method} {_path(response.url)}")

    def _counts(self) -> Counts:
        return self.steps.setdefault(self.current, Counts())

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Count what happens inside under `name` (a step of the journey)."""
        previous = self.current
        self.current = name
        self.steps.setdefault(name, Counts())
        self.who[name] = self.person
        try:
            yield
        finally:
            self.current = previous

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.steps.values():
            total = total + counts
        return total

    def report(self) -> str:
        width = max(len(name) for name in self.steps)
        lines = [
            f"{'step':<{width}}  {'who':<22} {'loads':>5} {'clicks':>6} {'typed':>5}",
        ]
        for name, c in self.steps.items():
            lines.append(
                f"{name:<{width}}  {self.who.get(name, ''):<22} "
                f"{c.page_loads:>5} {c.clicks:>6} {c.typed:>5}"
            )
        t = self.total
        lines.append(f"{'total':<{width}}  {'':<22} {t.page_loads:>5} {t.clicks:>6} {t.typed:>5}")
        return "\n".join(lines)

    # --- who and when ---------------------------------------------------------------

    def as_person(self, user: User) -> None:
        """Hand the journey to `user`, in their own browser, already signed in (no load)."""
        sign_in_by_cookie(self.page, user, self.base_url)
        self.person = f"{user.get_role_display()}"

    def on(self, day: dt.date) -> None:
        """The working day the next steps happen on (the app's clock is pinned to it)."""
        self.clock_stack.enter_context(clock.frozen(day))

    # --- what the person does -----------------------------------------------------------

    def home(self, path: str) -> None:
        """The person opens their start page (My work, the board)."""
        response = self.page.goto(path)
        assert response is not None and response.status == 200, f"GET {path}"
        assert_no_axe_violations(self.page)

    def follow(self, link: Locator) -> None:
        """Click a link (or a button that loads a page)."""
        with self.page.expect_navigation():
            link.click()
        self._counts().clicks += 1
        assert_no_axe_violations(self.page)

    def submit(self, button_name: str | re.Pattern[str]) -> None:
        """Press a form's button (its exact name, or a pattern) and wait for the page."""
        exact = True if isinstance(button_name, str) else None
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button_name, exact=exact).click()
        self._counts().clicks += 1
        assert_no_axe_violations(self.page)

    def click(self, target: Locator) -> None:
        """A click that loads nothing (unfold a section)."""
        target.click()
        self._counts().clicks += 1

    # A field the page already holds the wanted value in (pre-filled, chosen by a link)
    # costs the person nothing: these leave it as it is and count nothing.

    def check(self, box: Locator) -> None:
        """Tick a checkbox or choose a radio."""
        if box.is_checked():
            return
        box.check()
        self._counts().clicks += 1

    def choose(self, select: Locator, label: str) -> None:
        """Pick one option of a list by its label."""
        if select.evaluate("(s) => s.selectedOptions.length ? s.selectedOptions[0].label : ''") == (
            label
        ):
            return
        select.select_option(label=label)
        self._counts().clicks += 1

    def type(self, box: Locator, text: str) -> None:
        if box.input_value() == text:
            return
        box.fill(text)
        self._counts().typed += 1

    def type_date(self, box: Locator, day: dt.date) -> None:
        if parse_date(box.input_value()) == day:
            return
        box.fill(date(day))
        self._counts().typed += 1


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def date(day: dt.date) -> str:
    """A date as people type it in the app's date boxes: 4/3/2026."""
    return f"{day.day}/{day.month}/{day.year}"


def parse_date(text: str) -> dt.date | None:
    """A date box's value as a date (4/3/2026, 04/03/2026 or 2026-03-04), else None."""
    text = text.strip()
    with contextlib.suppress(ValueError):
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(text)
    return None


def draft_letter_before_proceedings(case: Case, author: User) -> Letter:
    """A draft letter before proceedings that can be approved: one expectation, the
    meeting and the family meeting offer, made through the letters' services."""
    adults = [a.pk for a in case.adults.all()]
    letter_services.expectation_create(
        case_id=case.pk,
        actor=author,
        data={
            "adults": adults,
            "action": "Take the children to school on time every day.",
            "why_it_matters": "The children need to learn and to see their friends.",
            "help_offered": "We will pay for a bus pass.",
            "how_judged": "The school will tell us that the children are there on time.",
            "due_by": (clock.today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    letter_services.letter_details_update(case_id=case.pk, actor=author, data=letter_details())
    return letter_services.letter_generate(
        case_id=case.pk,
        actor=author,
        data={"kind": "letter_before_proceedings", "recipient": adults[0]},
    )
