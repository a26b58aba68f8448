"""What a person does in the browser, as small steps the tests share. Every step that
loads a page checks it with axe before handing back."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from playwright.sync_api import Locator, Page, expect

from legaltracker.accounts.models import User

from .axe import assert_no_axe_violations
from .conftest import PASSWORD


def visit(page: Page, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"GET {path}: {response.status}, expected {status}"
    assert_no_axe_violations(page)


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def sign_in(page: Page, username: str, *, lands_on: str) -> None:
    """Sign in through the form with the mouse; `lands_on` is the path the person's day
    starts on."""
    visit(page, "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(lands_on) + r"$"))
    assert_no_axe_violations(page)


def sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert_no_axe_violations(page)


def follow(page: Page, link: Locator) -> None:
    with page.expect_navigation():
        link.click()
    assert_no_axe_violations(page)


def submit(page: Page, button_name: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button_name, exact=True).click()
    assert_no_axe_violations(page)


# --- keyboard only ------------------------------------------------------------------------


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("(el) => el === document.activeElement"))


def tab_to(page: Page, target: Locator, *, limit: int = 150, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus: the element is reachable by
    keyboard in a sensible number of steps."""
    key = "Shift+Tab" if backwards else "Tab"
    expect(target).to_have_count(1)
    element = target.element_handle()
    for _ in range(limit):
        page.keyboard.press(key)
        if element.evaluate("(el) => el === document.activeElement"):
            assert_focus_visible(page)
            return
    raise AssertionError(f"{limit} presses of {key} did not reach {target}")


def assert_focus_visible(page: Page) -> None:
    """WCAG 2.4.7: the focused link, button or field shows that it has the focus (GOV.UK
    Frontend draws a yellow outline, box shadow or background)."""
    shown = page.evaluate(
        """() => {
          let el = document.activeElement;
          if (!el || el === document.body) return false;
          let s = getComputedStyle(el);
          if (el.type === 'checkbox' || el.type === 'radio') {
            // The input itself is invisible; its label's box shows the focus.
            el = el.nextElementSibling;
            s = getComputedStyle(el, '::before');
          }
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
            && s.outlineColor !== 'rgba(0, 0, 0, 0)' && s.outlineColor !== 'transparent';
          const shadow = s.boxShadow && s.boxShadow !== 'none';
          const yellow = s.backgroundColor === 'rgb(255, 221, 0)';
          return outline || shadow || yellow;
        }"""
    )
    if not shown:
        html = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
        raise AssertionError(f"the focused element shows no focus indicator: {html}")


def press_and_load(page: Page, key: str) -> None:
    """Press a key that loads a page (Enter on a link or button), then check that page."""
    with page.expect_navigation():
        page.keyboard.press(key)
    assert_no_axe_violations(page)


def sign_in_by_cookie(page: Page, user: User, base_url: str) -> None:
    """Start a session for `user` without the sign-in form (the flows test the form): the
    crawl changes role often, and each form sign-in would load and check two pages."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
