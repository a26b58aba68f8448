"""The request id: in the response header, in log lines written during the request, and
taken from the proxy's header only when the settings trust it."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.urls import reverse

from legaltracker.audit import requestid
from legaltracker.audit.models import AccessLog
from tests.factories import case_at

pytestmark = pytest.mark.django_db


def test_every_response_carries_an_id(client):
    response = client.get(reverse("web:sign_in"))
    assert uuid.UUID(response["X-Request-ID"]).version == 4


def test_log_lines_during_a_request_carry_its_id(staff, signed_in, today, caplog):
    case = case_at("concern", staff)
    log_filter = requestid.RequestIdLogFilter()
    caplog.handler.addFilter(log_filter)
    try:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            response = signed_in(staff.social_worker).get(
                reverse("casework:record_event", args=[case.pk, "no_such_kind"])
            )
    finally:
        caplog.handler.removeFilter(log_filter)
    assert response.status_code == 404
    ids = {getattr(record, "request_id", None) for record in caplog.records}
    assert response["X-Request-ID"] in ids
    # After the response is closed, log lines carry no id.
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "after", None, None)
    log_filter.filter(record)
    assert record.request_id == "-"


def test_an_incoming_id_is_ignored_by_default(client):
    sent = str(uuid.uuid4())
    response = client.get(reverse("web:sign_in"), headers={"X-Request-ID": sent})
    assert response["X-Request-ID"] != sent


def test_a_trusted_proxy_id_is_kept_when_it_is_a_uuid(client, settings, staff, today):
    settings.AUDIT_TRUST_REQUEST_ID_HEADER = True
    case = case_at("concern", staff)
    sent = str(uuid.uuid4())
    client.force_login(staff.social_worker)
    response = client.get(
        reverse("casework:case_detail", args=[case.pk]), headers={"X-Request-ID": sent}
    )
    assert response["X-Request-ID"] == sent
    assert AccessLog.objects.get().request_id == uuid.UUID(sent)


def test_a_trusted_header_that_is_not_a_uuid_is_replaced(client, settings):
    settings.AUDIT_TRUST_REQUEST_ID_HEADER = True
    response = client.get(reverse("web:sign_in"), headers={"X-Request-ID": "Jane Smith"})
    assert uuid.UUID(response["X-Request-ID"])
