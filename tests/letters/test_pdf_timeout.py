"""The PDF conversion runs inside a web request: its time limit sits under the web
server's, by a system check, and the shipped settings agree with the deployment
documented in docs/operations.md (docs/decisions.md, entry 91)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from letters import checks, conf

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def pdf_timeout_errors() -> list[str]:
    return [e.msg for e in checks.letter_templates_check() if e.id == "letters.E005"]


def test_the_shipped_limits_pass_the_check():
    assert django_settings.LETTERS_PDF_TIMEOUT == 45
    assert django_settings.WEB_TIMEOUT == 60
    assert pdf_timeout_errors() == []


@pytest.mark.parametrize("pdf_timeout", [46, 60, 120, 0])
def test_a_conversion_limit_too_close_to_the_web_timeout_stops_start_up(settings, pdf_timeout):
    settings.LETTERS_PDF_TIMEOUT = pdf_timeout
    [message] = pdf_timeout_errors()
    assert f"LETTERS_PDF_TIMEOUT ({pdf_timeout} s)" in message
    assert "WEB_TIMEOUT (60 s)" in message


def test_a_longer_web_timeout_allows_a_longer_conversion(settings):
    settings.WEB_TIMEOUT = 180
    settings.LETTERS_PDF_TIMEOUT = 120
    assert pdf_timeout_errors() == []
    assert conf.pdf_timeout_seconds() == 120


def test_the_documented_web_server_gives_the_request_longer_than_the_conversion():
    text = OPERATIONS.read_text(encoding="utf-8")
    [gunicorn] = re.findall(
        r"gunicorn legaltracker\.wsgi:application.*?--timeout (\d+)", text, re.S
    )
    [nginx] = re.findall(r"proxy_read_timeout (\d+)s;", text)
    assert int(gunicorn) == django_settings.WEB_TIMEOUT
    assert int(nginx) > int(gunicorn)
    assert int(gunicorn) >= django_settings.LETTERS_PDF_TIMEOUT + conf.PDF_REQUEST_MARGIN_SECONDS
