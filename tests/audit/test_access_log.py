"""The access audit middleware: which requests get a row, what the row says, one INSERT
per request, and what happens when the row cannot be written."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legaltracker.accounts.models import Team
from legaltracker.audit.models import AccessLog, AccessOutcome
from legaltracker.cases.models import Case, CaseEvent
from tests.factories import case_at, record

pytestmark = pytest.mark.django_db


def only_row() -> AccessLog:
    rows = list(AccessLog.objects.all())
    assert len(rows) == 1, [(r.action, r.status) for r in rows]
    return rows[0]


def no_names_in(row: AccessLog, case: Case) -> None:
    """Names, addresses and typed text never reach the log: only ids and fixed words."""
    text = " ".join(
        str(value)
        for value in (row.action, row.object_type, row.details, row.outcome, row.request_id)
    )
    for person in [*case.children.all(), *case.adults.all()]:
        assert person.last_name not in text
        assert person.first_name not in text


@pytest.fixture
def case(staff, today):
    return case_at("pre_proceedings", staff)


def test_viewing_a_case_is_one_row(case, staff, signed_in):
    response = signed_in(staff.social_worker).get(reverse("casework:case_detail", args=[case.pk]))
    assert response.status_code == 200
    row = only_row()
    assert row.actor_id == staff.social_worker.pk
    assert row.case_id == case.pk
    assert row.action == "casework:case_detail GET"
    assert row.status == 200
    assert row.outcome == AccessOutcome.ALLOWED
    assert row.request_id == uuid.UUID(response["X-Request-ID"])
    no_names_in(row, case)


def test_another_teams_case_is_refused_and_recorded(case, other_staff, signed_in):
    response = signed_in(other_staff.social_worker).get(
        reverse("casework:case_detail", args=[case.pk])
    )
    assert response.status_code == 404
    row = only_row()
    assert (row.actor_id, row.case_id, row.status, row.outcome) == (
        other_staff.social_worker.pk,
        case.pk,
        404,
        AccessOutcome.REFUSED,
    )


def test_a_case_id_that_does_not_exist_is_recorded(staff, signed_in, today):
    response = signed_in(staff.legal).get(reverse("casework:case_detail", args=[987654]))
    assert response.status_code == 404
    row = only_row()
    assert row.case_id == 987654 and row.outcome == AccessOutcome.REFUSED


def test_someone_not_signed_in_is_recorded_as_refused(case, client):
    response = client.get(reverse("casework:case_detail", args=[case.pk]))
    assert response.status_code == 302
    row = only_row()
    assert row.actor_id is None
    assert row.case_id == case.pk
    assert row.outcome == AccessOutcome.REFUSED


@pytest.mark.parametrize("name", ["web:home", "web:my_work", "board:board"])
def test_pages_without_case_ids_are_not_logged(name, staff, signed_in, today):
    client = signed_in(staff.team_manager)
    assert client.get(reverse(name)).status_code in (200, 302)
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("name", ["board:export_csv", "board:export_xlsx"])
def test_board_exports_are_logged(name, case, staff, signed_in):
    response = signed_in(staff.court_liaison_officer).get(reverse(name))
    assert response.status_code == 302  # to the export's page (legaltracker/exports)
    row = only_row()
    assert row.action == f"{name} GET"
    assert row.actor_id == staff.court_liaison_officer.pk
    assert row.case_id is None
    assert row.outcome == AccessOutcome.ALLOWED


@pytest.mark.parametrize(
    "name", ["court_diary:diary_print", "court_diary:diary_csv", "court_diary:diary_xlsx"]
)
def test_the_court_diarys_printed_list_and_downloads_are_logged(name, case, staff, signed_in):
    response = signed_in(staff.court_liaison_officer).get(reverse(name))
    assert response.status_code == 200
    row = only_row()
    assert (row.action, row.actor_id, row.case_id) == (
        f"{name} GET",
        staff.court_liaison_officer.pk,
        None,
    )
    assert row.outcome == AccessOutcome.ALLOWED


def test_a_change_and_its_row(case, staff, signed_in, today):
    client = signed_in(staff.social_worker)
    url = reverse("casework:record_event", args=[case.pk, "note"])
    before = CaseEvent.objects.filter(case=case).count()
    response = client.post(
        url,
        {
            "date": today.strftime("%d/%m/%Y"),
            "summary": "Spoke to Parent Example on the phone.",
            "version": case.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CaseEvent.objects.filter(case=case).count() == before + 1
    row = only_row()
    assert row.action == "casework:record_event POST"
    assert row.case_id == case.pk
    assert row.status == 302
    assert row.outcome == AccessOutcome.ALLOWED
    assert "Spoke" not in str(row.details)
    no_names_in(row, case)


def test_a_refused_change_is_recorded_as_rejected(case, staff, signed_in, today):
    client = signed_in(staff.social_worker)
    url = reverse("casework:record_event", args=[case.pk, "note"])
    response = client.post(url, {"date": "", "summary": ""})
    assert response.status_code == 400
    assert only_row().outcome == AccessOutcome.REJECTED


def test_correcting_an_event_names_the_event(case, staff, signed_in, today):
    event = record(case, staff.social_worker, "note", today, summary="Visit.")
    client = signed_in(staff.social_worker)
    client.get(reverse("casework:correct_event", args=[event.pk]))
    row = only_row()
    assert (row.object_type, row.object_id, row.case_id) == ("event", event.pk, None)


def test_signing_out_is_recorded_against_the_person(staff, signed_in, today):
    client = signed_in(staff.team_manager)
    response = client.post(reverse("web:sign_out"))
    assert response.status_code == 302
    row = only_row()
    assert row.actor_id == staff.team_manager.pk
    assert row.action == "web:sign_out POST"


def test_signing_in_is_not_a_change_by_a_signed_in_person(staff, client, today):
    staff.social_worker.set_password("a long enough password")
    staff.social_worker.save()
    response = client.post(
        reverse("web:sign_in"), {"username": "sw-north", "password": "a long enough password"}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(staff.social_worker.pk)
    assert AccessLog.objects.count() == 0


def test_api_requests_are_logged_with_the_token_user(case, staff, api_for):
    api = api_for(staff.legal)
    assert api.get("/api/v1/cases/").status_code == 200
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    rows = list(AccessLog.objects.order_by("id"))
    assert [(r.action, r.case_id, r.actor_id) for r in rows] == [
        ("api:cases GET", None, staff.legal.pk),
        ("api:case GET", case.pk, staff.legal.pk),
    ]


def test_unauthenticated_api_calls_are_logged_as_refused(case):
    api = Client()
    response = api.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code in (401, 403)
    row = only_row()
    assert row.actor_id is None and row.outcome == AccessOutcome.REFUSED


def test_text_in_an_id_position_is_not_stored(staff, api_for, today):
    api = api_for(staff.legal)
    response = api.get("/api/v1/cases/Smith/")
    assert response.status_code in (400, 404)
    row = only_row()
    assert row.case_id is None
    assert "Smith" not in f"{row.action} {row.details} {row.object_type}"


def test_a_letter_download_is_logged_by_letter_id(staff, signed_in, today):
    client = signed_in(staff.legal)
    url = reverse("letters:letter_download", args=[424242, "docx"])
    assert client.get(url).status_code == 404
    row = only_row()
    assert (row.object_type, row.object_id) == ("letter", 424242)
    assert row.action == "letters:letter_download GET"


def test_an_unknown_http_method_is_one_word(case, staff, signed_in):
    client = signed_in(staff.legal)
    client.generic("BREW", reverse("casework:case_detail", args=[case.pk]))
    assert only_row().action == "casework:case_detail OTHER"


def test_one_insert_per_request_and_no_reads_of_the_audit_tables(case, staff, signed_in):
    client = signed_in(staff.social_worker)
    url = reverse("casework:case_detail", args=[case.pk])
    client.get(url)  # warm the session and per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    audit_sql = [q["sql"] for q in queries.captured_queries if "audit_accesslog" in q["sql"]]
    assert len(audit_sql) == 1, audit_sql
    assert audit_sql[0].lstrip().upper().startswith("INSERT")


def test_request_id_is_new_for_each_request(case, staff, signed_in):
    client = signed_in(staff.social_worker)
    url = reverse("casework:case_detail", args=[case.pk])
    first = client.get(url)["X-Request-ID"]
    second = client.get(url)["X-Request-ID"]
    assert first != second
    assert set(AccessLog.objects.values_list("request_id", flat=True)) == {
        uuid.UUID(first),
        uuid.UUID(second),
    }


# --- failing closed ----------------------------------------------------------------------


@pytest.fixture
def audit_table_gone(db):
    """A real fault: the audit table is missing (renamed inside the test's transaction,
    which the test's rollback undoes)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_accesslog RENAME TO audit_accesslog_away")


def test_a_read_that_cannot_be_audited_is_not_shown(case, staff, signed_in, audit_table_gone):
    child = case.children.first()
    response = signed_in(staff.social_worker).get(reverse("casework:case_detail", args=[case.pk]))
    assert response.status_code == 503
    assert child.last_name.encode() not in response.content
    assert response["X-Request-ID"]


def test_a_change_that_cannot_be_audited_is_undone(case, staff, signed_in, today, audit_table_gone):
    client = signed_in(staff.social_worker)
    before = CaseEvent.objects.filter(case=case).count()
    version = Case.objects.get(pk=case.pk).version
    response = client.post(
        reverse("casework:record_event", args=[case.pk, "note"]),
        {"date": today.strftime("%d/%m/%Y"), "summary": "A visit.", "version": version},
    )
    assert response.status_code == 503
    assert CaseEvent.objects.filter(case=case).count() == before
    assert Case.objects.get(pk=case.pk).version == version


def test_a_change_that_crashes_half_way_keeps_nothing_but_its_row(case, staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff.team_manager)
    response = client.post(f"/test-faults/{case.pk}/")
    assert response.status_code == 500
    assert not Team.objects.filter(code=f"half-written-{case.pk}").exists()
    row = only_row()
    assert (row.case_id, row.status, row.outcome) == (case.pk, 500, AccessOutcome.ERROR)
