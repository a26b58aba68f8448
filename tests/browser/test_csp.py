"""The Content Security Policy in a real browser: an inline script is refused (and the
browser says so on the console, which the `page` fixture treats as a failure), while the
app's own scripts run (GOV.UK Frontend starts) and axe, evaluated through the DevTools
protocol, still works."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Error

from .axe import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inline_script_is_refused_and_the_apps_scripts_run(chromium: Browser, live_server: Any):
    context = chromium.new_context(base_url=live_server.url)
    try:
        tab = context.new_page()
        console: list[str] = []
        tab.on("console", lambda message: console.append(message.text))
        response = tab.goto("/sign-in/")
        assert (
            response is not None
            and "script-src 'self'" in response.headers["content-security-policy"]
        )
        assert tab.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
        with pytest.raises(Error, match="violates the following Content Security Policy"):
            tab.add_script_tag(content="window.injected = true;")
        assert tab.evaluate("() => window.injected") is None
        assert any("Content Security Policy" in text for text in console), console
        assert run_axe(tab) == []
    finally:
        context.close()
