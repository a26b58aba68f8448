"""Structured logs: every line a JSON object with the request id when there is one, and
no personal data. A run of requests that people make, including failed sign-ins, a
lockout, refusals and form errors on a case with a family's names, is logged at DEBUG
through the production formatter, and no line holds a name or an email address."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.conf import settings
from django.test import Client

from legaltracker.core.logging import JsonFormatter
from tests.factories import case_at

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

FAMILY = {
    "children": [{"first_name": "Marigold", "last_name": "Quenby", "date_of_birth": "2020-02-02"}],
    "adults": [
        {
            "first_name": "Rosalind",
            "last_name": "Quenby",
            "relationship": "mother",
            "parental_responsibility": True,
        }
    ],
}


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lambda: [line for line in stream.getvalue().splitlines() if line]
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def test_a_days_requests_log_no_names_or_email_addresses(staff, today, log_lines):
    worker = staff.social_worker
    worker.username = "rosalind.hartwell"
    worker.first_name, worker.last_name = "Rosalind", "Hartwell"
    worker.email = "rosalind.hartwell@eastbrook.example.org"
    worker.set_password(PASSWORD)
    worker.save()
    case = case_at("pre_proceedings", staff, **FAMILY)

    browser = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):  # wrong passwords, then the lockout
        sign_in(browser, worker, "not the password", REMOTE_ADDR="192.0.2.1")
    sign_in(browser, worker)
    browser.get(f"/cases/{case.pk}/")
    browser.post(f"/cases/{case.pk}/record/note/", {"summary": "Marigold Quenby seen"})
    browser.get("/board/")  # refused to a social worker
    browser.get("/cases/999999/")  # not found
    browser.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token not-a-token")
    browser.post("/sign-out/")

    lines = log_lines()
    assert len(lines) >= 8, lines  # the run was logged
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message", "request_id"} <= set(e) for e in entries)
    personal = [
        "Rosalind",
        "Hartwell",
        "rosalind.hartwell",
        "eastbrook.example.org",
        "Marigold",
        "Quenby",
        "@",
    ]
    leaks = [(word, line) for line in lines for word in personal if word in line]
    assert not leaks, leaks


def test_the_request_id_is_written_when_the_record_has_one():
    record = logging.LogRecord("legaltracker", logging.INFO, __file__, 1, "case %s", (7,), None)
    assert json.loads(JsonFormatter().format(record))["request_id"] is None
    record.request_id = "4f1c2a"
    record.request = object()  # what Django attaches: never written out
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "4f1c2a" and entry["message"] == "case 7"
    assert "request" not in entry
