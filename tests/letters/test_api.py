"""The letters API under /api/v1/: the schedule of expectations, the letter details,
letters (make, approve, sent, download), its errors and its OpenAPI schema."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from drf_spectacular import plumbing
from drf_spectacular.settings import patched_settings, spectacular_settings

from legaltracker.cases.models import CaseEvent, RecordedEvent
from legaltracker.settings.base import SPECTACULAR_SETTINGS

from .conftest import DETAILS, add_expectation, generate, mother

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.letters.urls")]
ENUM_NAME_OVERRIDES = SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]


def new_item(case, **changes):
    return {
        "adults": [mother(case).pk],
        "action": "Take Amy to school on time every day.",
        "why_it_matters": "Amy needs to learn.",
        "help_offered": "A bus pass.",
        "how_judged": "The school tells us.",
        "due_by": "2026-04-03",
        **changes,
    }


def test_the_schedule_is_listed_and_added_to(pp_case, staff, client_for):
    api = client_for(staff.social_worker)
    url = f"/api/v1/cases/{pp_case.pk}/expectations/"
    assert api.get(url).json() == []
    answer = api.post(url, new_item(pp_case), format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["position"] == 1 and body["adults"] == [mother(pp_case).pk]
    assert body["due_by"] == "2026-04-03" and body["latest_status"] is None
    assert body["case_version"] > 1
    [listed] = api.get(url).json()
    assert listed["id"] == body["id"] and listed["reviews"] == []


def test_errors_are_detail_bodies_with_field_errors(pp_case, staff, client_for):
    api = client_for(staff.social_worker)
    url = f"/api/v1/cases/{pp_case.pk}/expectations/"
    answer = api.post(url, new_item(pp_case, due_by="2026-01-01", action=""), format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"detail", "errors"}
    assert set(answer.json()["errors"]) == {"due_by", "action"}
    assert api.post(url, [1, 2], format="json").status_code == 400
    assert api.get("/api/v1/cases/abc/expectations/").status_code == 400
    assert api.get("/api/v1/cases/999999/expectations/").json() == {
        "detail": "There is no case with that id that you can see."
    }
    assert client_for(staff.legal).post(url, new_item(pp_case), format="json").status_code == 403


def test_a_stale_version_is_409(pp_case, staff, client_for):
    api = client_for(staff.social_worker)
    url = f"/api/v1/cases/{pp_case.pk}/expectations/"
    version = api.post(url, new_item(pp_case), format="json").json()["case_version"]
    api.post(url, new_item(pp_case), format="json")
    stale = api.post(url, {**new_item(pp_case), "version": version}, format="json")
    assert stale.status_code == 409 and "changed this case" in stale.json()["detail"]


def test_an_expectation_is_changed_and_reviewed(pp_case, staff, client_for):
    api = client_for(staff.team_manager)
    item = add_expectation(pp_case, staff.social_worker)
    changed = api.patch(
        f"/api/v1/expectations/{item.pk}/",
        {"due_by": "2026-04-24", "action": "Walk Amy to school."},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["due_by"] == "2026-04-24"
    review = api.post(
        f"/api/v1/cases/{pp_case.pk}/expectations/review/",
        {
            "date": "2026-03-04",
            "items": [{"expectation": item.pk, "status": "partly_met", "note": "Most days."}],
        },
        format="json",
    )
    assert review.status_code == 200
    assert review.json()[0]["latest_status"] == "partly_met"
    assert review.json()[0]["reviews"][0]["note"] == "Most days."
    assert api.patch("/api/v1/expectations/999999/", {}, format="json").status_code == 404


def test_letter_details_are_set_and_read(pp_case, staff, client_for):
    api = client_for(staff.legal)
    url = f"/api/v1/cases/{pp_case.pk}/letter-details/"
    assert api.get(url).status_code == 404
    answer = api.patch(url, DETAILS, format="json")
    assert answer.status_code == 200, answer.json()
    body = api.get(url).json()
    assert body["meeting_time"] == "10:00" and body["meeting_attendees"][0].startswith("Sam")
    assert body["assessments"][0]["when"] == "2026-04-10"
    bad = api.patch(
        url, {"meeting_video_link": "javascript:alert(1)", "meeting_time": "25:00"}, format="json"
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"meeting_video_link", "meeting_time"}


def test_a_letter_is_made_approved_sent_and_downloaded(lbp_case, staff, client_for):
    writer, manager = client_for(staff.social_worker), client_for(staff.team_manager)
    made = writer.post(
        f"/api/v1/cases/{lbp_case.pk}/letters/",
        {"kind": "letter_before_proceedings", "recipient": mother(lbp_case).pk},
        format="json",
    )
    assert made.status_code == 201, made.json()
    letter = made.json()
    assert letter["status"] == "draft" and letter["readability"]["reading_ease"] >= 70
    assert letter["readability"]["meets_targets"] is True
    assert letter["approval_gate"] == 70 and letter["approval_problems"] == []
    assert letter["download"]["docx"].endswith(
        f"/api/v1/letters/{letter['id']}/download/?format=docx"
    )
    assert (
        writer.post(f"/api/v1/letters/{letter['id']}/approve/", {}, format="json").status_code
        == 403
    )
    approved = manager.post(f"/api/v1/letters/{letter['id']}/approve/", {}, format="json")
    assert (
        approved.status_code == 200
        and approved.json()["approved_by"] == staff.team_manager.username
    )
    sent = writer.post(
        f"/api/v1/letters/{letter['id']}/sent/",
        {"date": "2026-03-04", "method": "post"},
        format="json",
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert RecordedEvent.objects.filter(
        case=lbp_case, kind="letter_before_proceedings_sent"
    ).exists()
    download = writer.get(letter["download"]["docx"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert CaseEvent.objects.filter(case=lbp_case, action="letter_downloaded").count() == 1
    assert [row["id"] for row in writer.get(f"/api/v1/cases/{lbp_case.pk}/letters/").json()] == [
        letter["id"]
    ]


def test_refusals_of_letters(pp_case, staff, other_staff, client_for):
    api = client_for(staff.social_worker)
    unborn = api.post(
        f"/api/v1/cases/{pp_case.pk}/letters/",
        {"kind": "letter_before_proceedings_unborn", "recipient": mother(pp_case).pk},
        format="json",
    )
    assert unborn.status_code == 400 and "unborn baby" in unborn.json()["detail"]
    draft = generate(pp_case, staff.social_worker)
    refused = client_for(staff.team_manager).post(
        f"/api/v1/letters/{draft.pk}/approve/", {}, format="json"
    )
    assert refused.status_code == 400 and "no expectations" in refused.json()["detail"]
    assert api.get(f"/api/v1/letters/{draft.pk}/").json()["approval_problems"]
    outsider = client_for(other_staff.social_worker)
    assert outsider.get(f"/api/v1/letters/{draft.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/letters/{draft.pk}/download/?format=docx").status_code == 404
    bad_format = api.get(f"/api/v1/letters/{draft.pk}/download/?format=exe")
    assert bad_format.status_code == 400 and bad_format.json()["errors"] == {
        "format": ["Choose docx or pdf."]
    }


def test_no_libreoffice_is_503_with_a_message(lbp_case, staff, client_for, settings):
    settings.LETTERS_SOFFICE = "not-installed-soffice"
    letter = generate(lbp_case, staff.social_worker)
    answer = client_for(staff.social_worker).get(
        f"/api/v1/letters/{letter.pk}/download/?format=pdf"
    )
    assert answer.status_code == 503 and "LibreOffice" in answer.json()["detail"]


def test_anonymous_requests_are_refused(pp_case, anonymous):
    assert anonymous.get(f"/api/v1/cases/{pp_case.pk}/expectations/").status_code == 401


@pytest.fixture
def letters_enum_names():
    with patched_settings(
        {"ENUM_NAME_OVERRIDES": {**spectacular_settings.ENUM_NAME_OVERRIDES, **ENUM_NAME_OVERRIDES}}
    ):
        plumbing._load_enum_name_overrides.cache_clear()
        yield
    plumbing._load_enum_name_overrides.cache_clear()


def test_the_schema_documents_the_letters_api_without_warnings(letters_enum_names, anonymous):
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())
    schema = anonymous.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = {
        ("/api/v1/cases/{case_id}/expectations/", "get"),
        ("/api/v1/cases/{case_id}/expectations/", "post"),
        ("/api/v1/expectations/{expectation_id}/", "patch"),
        ("/api/v1/cases/{case_id}/letters/", "post"),
        ("/api/v1/letters/{letter_id}/approve/", "post"),
        ("/api/v1/letters/{letter_id}/sent/", "post"),
        ("/api/v1/letters/{letter_id}/download/", "get"),
    }
    for path, method in operations:
        responses = schema["paths"][path][method]["responses"]
        for code, answer in responses.items():
            if code.startswith("4"):
                assert (
                    answer["content"]["application/json"]["schema"]["$ref"]
                    == "#/components/schemas/Error"
                )
    components = schema["components"]["schemas"]
    assert components["LetterKindEnum"]["enum"][0] == "letter_before_proceedings"
    assert components["ExpectationStatusEnum"]["enum"] == [
        "met",
        "partly_met",
        "not_met",
        "not_yet_due",
    ]
    download = schema["paths"]["/api/v1/letters/{letter_id}/download/"]["get"]
    assert set(download["responses"]["200"]["content"]) == {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/pdf",
    }
