"""Replacing a letter template in the admin: the same checks as the shipped templates
and a sample render before it is accepted; letters made before stay reproducible."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document

from legaltracker.core.errors import InvalidInput, NotPermitted
from letters import services
from letters.models import Letter, LetterTemplate
from letters.registry import current_template, shipped_template

from .conftest import generate

pytestmark = pytest.mark.django_db

KIND = "letter_before_proceedings"


def edited(extra: str) -> bytes:
    doc = Document(io.BytesIO(shipped_template(KIND).data))
    doc.add_paragraph(extra)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def administrator(staff):
    user = staff.administrator
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_an_accepted_template_is_used_for_new_letters(lbp_case, staff, administrator):
    before = generate(lbp_case, staff.social_worker)
    upload = services.letter_template_upload(
        kind=KIND,
        data=edited("Eastbrook opens its family centre on Saturdays."),
        file_name="lbp-eastbrook.docx",
        actor=administrator,
    )
    assert upload.active and upload.check_report["readability"]["reading_ease"] > 60
    assert current_template(KIND).source == f"uploaded:{upload.pk}"
    after = generate(lbp_case, staff.social_worker)
    assert "Eastbrook opens its family centre on Saturdays." in after.text
    assert after.template_sha256 == upload.sha256 != before.template_sha256
    again = services.letter_reproduce(Letter.objects.get(pk=before.pk))
    assert again.sha256 == before.file_sha256


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("Your threshold: {{ threshold_reasons }}", "threshold_reasons"),
        ("{{ council.__class__.__mro__[1].__subclasses__() }}", "sandbox"),
        ("{{ council.missing_attribute }}", "Rendering sample 1 failed"),
        ("{% if %}", "do not make sense"),
    ],
)
def test_a_template_that_does_not_fit_is_refused(administrator, extra, message):
    with pytest.raises(InvalidInput) as refused:
        services.letter_template_upload(
            kind=KIND, data=edited(extra), file_name="x.docx", actor=administrator
        )
    assert message in refused.value.message
    assert not LetterTemplate.objects.exists()


def test_a_file_that_is_not_a_word_document_is_refused(administrator):
    with pytest.raises(InvalidInput, match="not a Word document"):
        services.letter_template_upload(
            kind=KIND, data=b"%PDF-1.4 nope", file_name="x.pdf", actor=administrator
        )


def test_only_an_administrator_may_upload(staff):
    with pytest.raises(NotPermitted):
        services.letter_template_upload(
            kind=KIND, data=edited("x"), file_name="x.docx", actor=staff.team_manager
        )


def test_the_admin_form_shows_the_problems_or_accepts(administrator):
    client = Client()
    client.force_login(administrator)
    url = "/admin/letters/lettertemplate/add/"
    refused = client.post(
        url, {"kind": KIND, "file": SimpleUploadedFile("bad.docx", edited("{{ not_provided }}"))}
    )
    assert refused.status_code == 200 and "not_provided" in refused.content.decode()
    accepted = client.post(
        url,
        {
            "kind": KIND,
            "file": SimpleUploadedFile("good.docx", edited("A line the council added.")),
        },
    )
    assert accepted.status_code == 302
    upload = LetterTemplate.objects.get()
    assert upload.uploaded_by == administrator and upload.file_name == "good.docx"
    second = client.post(
        url, {"kind": KIND, "file": SimpleUploadedFile("newer.docx", edited("A newer line."))}
    )
    assert second.status_code == 302
    assert list(LetterTemplate.objects.filter(active=True).values_list("file_name", flat=True)) == [
        "newer.docx"
    ]
    client.post(
        "/admin/letters/lettertemplate/",
        {"action": "deactivate", "_selected_action": [t.pk for t in LetterTemplate.objects.all()]},
    )
    assert current_template(KIND).source == "shipped:letter_before_proceedings.docx"


def test_an_upload_can_be_looked_at_but_not_changed_or_deleted(administrator):
    upload = services.letter_template_upload(
        kind=KIND, data=edited("A council line."), file_name="mine.docx", actor=administrator
    )
    client = Client()
    client.force_login(administrator)
    page = client.get(f"/admin/letters/lettertemplate/{upload.pk}/change/")
    assert page.status_code == 200 and upload.sha256 in page.content.decode()
    assert client.get(f"/admin/letters/lettertemplate/{upload.pk}/delete/").status_code == 403
    assert client.get("/admin/letters/lettertemplate/").status_code == 200
