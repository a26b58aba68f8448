"""Translation requests: an adult whose language has no template gets the English letter
with a request; the translation is attached (a .docx or .pdf) or a manager records why it
goes without one, through the services, the letter page and the API."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from legaltracker.cases.models import Adult, CaseEvent
from legaltracker.core.errors import GuardRefused, InvalidInput, NotPermitted
from letters.models import TranslationRequest
from letters.services import translations

from .conftest import generate, mother

PDF = b"%PDF-1.4\n% a translated letter\n"


@pytest.fixture
def polish_letter(lbp_case, staff):
    Adult.objects.filter(pk=mother(lbp_case).pk).update(
        correspondence_language="other", correspondence_language_other="Polish"
    )
    return generate(lbp_case, staff.social_worker)


@pytest.mark.django_db
def test_another_language_gets_the_english_letter_and_a_request(polish_letter, staff):
    assert polish_letter.language == "en"
    request = polish_letter.translation
    assert request.language == "Polish"
    assert request.requested_by == staff.social_worker
    assert not request.settled
    made = CaseEvent.objects.filter(case=polish_letter.case, action="letter_generated").last()
    assert made.details["translation_requested"] == "Polish"


@pytest.mark.django_db
def test_a_welsh_letter_to_an_adult_with_another_language_needs_no_request(lbp_case, staff):
    Adult.objects.filter(pk=mother(lbp_case).pk).update(
        correspondence_language="other", correspondence_language_other="Polish"
    )
    letter = generate(lbp_case, staff.social_worker, language="cy")
    assert not TranslationRequest.objects.filter(letter=letter).exists()
    assert not TranslationRequest.objects.filter(
        letter=generate(
            lbp_case, staff.social_worker, recipient=lbp_case.adults.get(first_name="Dean")
        )
    ).exists()


@pytest.mark.django_db
def test_attach_a_pdf_translation(polish_letter, staff, letters_storage):
    translations.translation_attach(
        letter_id=polish_letter.pk, actor=staff.social_worker, file_name="list.pdf", data=PDF
    )
    request = TranslationRequest.objects.get(letter=polish_letter)
    assert request.settled and request.attached_name == "list.pdf"
    assert request.attached_by == staff.social_worker
    stored = list(letters_storage.rglob(f"{request.attached_sha256}.pdf"))
    assert len(stored) == 1 and stored[0].read_bytes() == PDF
    audit = CaseEvent.objects.filter(case=polish_letter.case).last()
    assert audit.details["translation"] == "attached"
    with pytest.raises(GuardRefused):
        translations.translation_attach(
            letter_id=polish_letter.pk, actor=staff.social_worker, file_name="b.pdf", data=PDF
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("list.txt", b"plain text"),
        ("list.pdf", b"not really a pdf"),
        ("list.docx", PDF),
        ("list.pdf", b""),
    ],
)
def test_a_translation_that_is_not_a_docx_or_pdf_is_refused(polish_letter, staff, name, data):
    with pytest.raises(InvalidInput) as refused:
        translations.translation_attach(
            letter_id=polish_letter.pk, actor=staff.social_worker, file_name=name, data=data
        )
    assert "file" in refused.value.field_errors
    assert not TranslationRequest.objects.get(letter=polish_letter).settled


@pytest.mark.django_db
def test_a_too_large_translation_is_refused(polish_letter, staff, monkeypatch):
    monkeypatch.setattr(translations, "MAX_TRANSLATION_BYTES", 20)
    with pytest.raises(InvalidInput, match="10 MB"):
        translations.translation_attach(
            letter_id=polish_letter.pk, actor=staff.social_worker, file_name="a.pdf", data=PDF
        )


@pytest.mark.django_db
def test_only_a_manager_waives_with_a_reason(polish_letter, staff):
    with pytest.raises(NotPermitted):
        translations.translation_waive(
            letter_id=polish_letter.pk,
            actor=staff.social_worker,
            data={"reason": "She reads English."},
        )
    with pytest.raises(InvalidInput) as refused:
        translations.translation_waive(
            letter_id=polish_letter.pk, actor=staff.team_manager, data={"reason": "  "}
        )
    assert "reason" in refused.value.field_errors
    translations.translation_waive(
        letter_id=polish_letter.pk,
        actor=staff.head_of_service,
        data={"reason": "She reads English well and asked for it in English."},
    )
    request = TranslationRequest.objects.get(letter=polish_letter)
    assert request.settled and request.waived_by == staff.head_of_service
    audit = CaseEvent.objects.filter(case=polish_letter.case).last()
    assert audit.details["translation"] == "waived"
    assert audit.reasons == "She reads English well and asked for it in English."


@pytest.mark.django_db
def test_the_letter_page_shows_the_request_and_attaches(polish_letter, staff, client):
    client.force_login(staff.social_worker)
    page = client.get(f"/letters/{polish_letter.pk}/")
    assert page.status_code == 200
    assert b"Translation into Polish" in page.content
    assert b"Attach the translation" in page.content
    assert b"Record why it goes without" not in page.content  # a manager's decision
    wrong = client.post(
        f"/letters/{polish_letter.pk}/translation/attach/",
        {"file": SimpleUploadedFile("list.txt", b"text")},
    )
    assert wrong.status_code == 400
    assert b"Word document (.docx) or a PDF" in wrong.content
    done = client.post(
        f"/letters/{polish_letter.pk}/translation/attach/",
        {"file": SimpleUploadedFile("list.pdf", PDF)},
    )
    assert done.status_code == 302
    assert TranslationRequest.objects.get(letter=polish_letter).attached_name == "list.pdf"


@pytest.mark.django_db
def test_the_letter_page_waive_form(polish_letter, staff, client):
    client.force_login(staff.team_manager)
    empty = client.post(f"/letters/{polish_letter.pk}/translation/waive/", {"reason": ""})
    assert empty.status_code == 400
    done = client.post(
        f"/letters/{polish_letter.pk}/translation/waive/", {"reason": "Read to her by phone."}
    )
    assert done.status_code == 302
    assert TranslationRequest.objects.get(letter=polish_letter).waived_reason


@pytest.mark.django_db
def test_the_api_attaches_or_waives(polish_letter, staff, client_for):
    url = f"/api/v1/letters/{polish_letter.pk}/translation/"
    worker = client_for(staff.social_worker)
    assert worker.post(url, {"action": "burn"}, format="json").status_code == 400
    bad = worker.post(
        url, {"action": "attach", "file_name": "a.pdf", "content_base64": "@@@"}, format="json"
    )
    assert bad.status_code == 400 and "content_base64" in bad.json()["errors"]
    assert worker.post(url, {"action": "waive", "reason": "x"}, format="json").status_code == 403
    answer = worker.post(
        url,
        {
            "action": "attach",
            "file_name": "a.pdf",
            "content_base64": base64.b64encode(PDF).decode(),
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["translation"]["settled"] is True
    assert answer.json()["translation"]["attached_name"] == "a.pdf"


@pytest.mark.django_db
def test_a_letter_without_a_request_answers_400_and_others_cannot_see_it(
    lbp_case, staff, other_staff, client_for, polish_letter
):
    english = generate(
        lbp_case, staff.social_worker, recipient=lbp_case.adults.get(first_name="Dean")
    )
    url = f"/api/v1/letters/{english.pk}/translation/"
    answer = client_for(staff.team_manager).post(
        url, {"action": "waive", "reason": "x"}, format="json"
    )
    assert answer.status_code == 400
    outsider = client_for(other_staff.social_worker)
    hidden = outsider.post(
        f"/api/v1/letters/{polish_letter.pk}/translation/",
        {"action": "waive", "reason": "x"},
        format="json",
    )
    assert hidden.status_code == 404
