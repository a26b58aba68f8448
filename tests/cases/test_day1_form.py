"""The Day 1 documents page: every document still to record, ticked and dated on one page,
recorded in one POST (all or none), one "document ready" event and audit row each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from legaltracker.cases import guards
from legaltracker.cases.choices import EventKind
from legaltracker.cases.day1 import SHIPPED
from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from tests.factories import case_at, record

pytestmark = pytest.mark.django_db

# The checklist as seeded: the five PD12A documents and the threshold document.
CODES = [code for code, _label in SHIPPED]


def _url(case):
    return reverse("casework:day1_documents", args=[case.pk])


def _dmy(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _post(case, ticked: dict[str, dt.date | str], *, version=None) -> dict[str, str]:
    data = {"version": str(version if version is not None else case.version)}
    for doc, day in ticked.items():
        data[f"{doc}_ready"] = "on"
        data[f"{doc}_date"] = _dmy(day) if isinstance(day, dt.date) else day
    return data


def _ready(case) -> set[str]:
    return {
        e.details["document"]
        for e in RecordedEvent.objects.filter(case=case, kind=EventKind.DOCUMENT_READY)
    }


def test_all_the_documents_in_one_post_let_the_guard_pass(staff, today, client):
    case = case_at("issue", staff)
    client.force_login(staff.legal)
    page = client.get(_url(case))
    assert page.status_code == 200
    body = page.content.decode()
    for doc in CODES:
        assert f'name="{doc}_ready"' in body
        # Each date is today's unless changed.
        assert f'name="{doc}_date" value="{today:%d/%m/%Y}"' in body
    audit_before = CaseEvent.objects.filter(case=case).count()

    response = client.post(_url(case), _post(case, dict.fromkeys(CODES, today)))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.pk}/court/#day1")
    assert _ready(case) == set(CODES)
    # One audit row per document, through the same writer as a single one.
    rows = CaseEvent.objects.filter(case=case).order_by("id")[audit_before:]
    assert [r.action for r in rows] == ["event_recorded"] * len(CODES)
    assert sorted(r.details["document"] for r in rows) == sorted(CODES)
    fresh = Case.objects.get(pk=case.pk)
    assert guards.day1_checklist_complete.explain(fresh, on=today) is None
    banner = client.get(response["Location"]).content.decode()
    assert "Recorded as ready: Social work chronology" in banner


def test_recorded_documents_are_shown_as_done_and_not_offered(staff, today, client):
    case = case_at("issue", staff)
    record(case, staff.legal, "document_ready", today - dt.timedelta(days=1), document="care_plan")
    client.force_login(staff.legal)
    body = client.get(_url(case)).content.decode()
    assert 'name="care_plan_ready"' not in body
    assert 'name="chronology_ready"' in body
    assert "Ready</strong> since" in body

    case.refresh_from_db()
    response = client.post(_url(case), _post(case, {"chronology": today}))
    assert response.status_code == 302
    assert _ready(case) == {"care_plan", "chronology"}


def test_one_bad_date_records_nothing(staff, today, client):
    case = case_at("issue", staff)
    client.force_login(staff.legal)
    before = (RecordedEvent.objects.count(), CaseEvent.objects.count(), case.version)
    future = today + dt.timedelta(days=3)
    response = client.post(
        _url(case),
        _post(
            case, {"chronology": today, "care_plan": future, "index_of_checklist_documents": today}
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Care plan: The date cannot be in the future" in body
    assert 'href="#id_care_plan_date"' in body  # the error summary points at the field
    after = (
        RecordedEvent.objects.count(),
        CaseEvent.objects.count(),
        Case.objects.get(pk=case.pk).version,
    )
    assert after == before


@pytest.mark.parametrize(
    "post",
    [
        {},  # nothing ticked
        {"chronology_ready": "on", "chronology_date": ""},  # ticked, no date
        {"chronology_ready": "on", "chronology_date": "31/2/2026"},  # not a date
        {"chronology_ready": "on", "chronology_date": "x" * 5000},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(staff, client, post):
    case = case_at("issue", staff)
    client.force_login(staff.legal)
    response = client.post(_url(case), {"version": str(case.version), **post})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert _ready(case) == set()


def test_a_stale_version_is_a_conflict(staff, today, client):
    case = case_at("issue", staff)
    client.force_login(staff.legal)
    response = client.post(_url(case), _post(case, {"chronology": today}, version=case.version - 1))
    assert response.status_code == 409
    assert _ready(case) == set()


def test_who_may_use_it(staff, other_staff, client):
    case = case_at("issue", staff)
    for user, status in (
        (staff.court_liaison_officer, 403),  # records court events, not documents
        (other_staff.social_worker, 404),  # another team's case
        (staff.social_worker, 200),
        (staff.head_of_service, 200),
    ):
        client.force_login(user)
        assert client.get(_url(case)).status_code == status, user.username


def test_linked_from_whats_next_and_court(staff, client):
    case = case_at("issue", staff)
    client.force_login(staff.legal)
    overview = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert f'href="{_url(case)}"' in overview
    court = client.get(reverse("casework:case_court", args=[case.pk])).content.decode()
    assert f'href="{_url(case)}"' in court


def test_a_closed_case_offers_no_form(staff, client):
    case = case_at("closed", staff)
    client.force_login(staff.legal)
    response = client.get(_url(case))
    assert response.status_code == 400
    assert "This case is closed" in response.content.decode()


def test_once_every_document_is_ready_the_court_page_offers_the_issue(staff, today, client):
    """Decision 132: the page the Day 1 form lands on offers recording the issue, to
    whoever What's next offers it, once the checklist is complete."""
    case = case_at("issue", staff)
    issue = reverse("casework:transition", args=[case.pk, "issue_proceedings"])
    court = reverse("casework:case_court", args=[case.pk])
    client.force_login(staff.legal)
    assert f'href="{issue}"' not in client.get(court).content.decode()

    record(case, staff.social_worker, "fgdm_offered", today)
    record(case, staff.social_worker, "fgdm_declined", today)
    case.refresh_from_db()
    response = client.post(_url(case), _post(case, dict.fromkeys(CODES, today)))
    assert response.status_code == 302 and response["Location"].startswith(court)
    page = client.get(court).content.decode()
    assert f'href="{issue}"' in page
    assert "Every Day 1 document is ready" in page

    client.force_login(staff.court_liaison_officer)
    assert f'href="{issue}"' not in client.get(court).content.decode()
