"""The axe check can fail: on a page with known faults it names each rule, its impact
and the element, so a clean run elsewhere means something."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAULTY = """<!DOCTYPE html>
<html><head><title>Faulty</title></head>
<body><main>
  <h1>Faulty page</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt">
  <input type="text" id="no-label">
  <p style="color:#bbb;background:#fff">Too pale to read</p>
</main></body></html>"""


def test_the_axe_check_reports_each_violation_with_its_element(page: Page):
    page.set_content(FAULTY)
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message and "at #no-alt" in message
    assert "label (critical)" in message and "at #no-label" in message
    assert "html-has-lang (serious)" in message
    assert "color-contrast (serious)" in message
