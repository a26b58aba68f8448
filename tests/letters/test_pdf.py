"""PDF copies made by LibreOffice headless: every letter kind converts, and the PDF's
text holds each expectation and its date. Conversions run side by side, each with its
own profile (a shared profile failed silently when two ran at once)."""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from legaltracker.cases.models import CaseEvent
from letters import conf, pdf, rendering, samples, services
from letters.choices import LetterKind
from letters.registry import REGISTRY, shipped_template

from .conftest import generate

pytestmark = pytest.mark.slow

needs_libreoffice = pytest.mark.skipif(
    not (pdf.available() and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are installed by .ci/run",
)


def pdf_text(data: bytes, tmp_path, name: str) -> str:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-raw", str(source), "-"], capture_output=True, check=True, timeout=60
    )
    return " ".join(out.stdout.decode("utf-8").split())


def squash(text: str) -> str:
    return " ".join(text.split())


@needs_libreoffice
def test_every_kind_converts_and_keeps_each_expectation_and_date(tmp_path):
    logo = conf.DEFAULT_LOGO.read_bytes()
    jobs = {}
    for kind in LetterKind.values:
        context = REGISTRY[kind].context(samples.sample_facts(kind))
        jobs[kind] = (context, rendering.render(shipped_template(kind).data, context, logo=logo))
    with ThreadPoolExecutor(max_workers=3) as pool:
        pdfs = dict(
            zip(
                jobs, pool.map(lambda job: pdf.docx_to_pdf(job[1].data), jobs.values()), strict=True
            )
        )
    shown = 0
    for kind, (context, _) in jobs.items():
        assert pdfs[kind].startswith(b"%PDF-")
        text = pdf_text(pdfs[kind], tmp_path, kind)
        assert context["letter_date"] in text
        assert squash(context["recipient"]["name"]) in text
        for item in context.get("expectations", []):
            assert squash(item["action"]) in text, (kind, item["action"])
            assert item["due"] in text, (kind, item["due"])
            shown += 1
    assert shown >= 8  # the three letters that show the schedule


@needs_libreoffice
def test_parallel_conversions_each_succeed():
    data = rendering.render(
        shipped_template(LetterKind.LETTER_OF_ISSUE).data,
        REGISTRY[LetterKind.LETTER_OF_ISSUE].context(
            samples.sample_facts(LetterKind.LETTER_OF_ISSUE)
        ),
        logo=None,
    ).data
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: pdf.docx_to_pdf(data), range(4)))
    assert all(r.startswith(b"%PDF-") and len(r) > 1000 for r in results)


@needs_libreoffice
@pytest.mark.django_db
def test_the_pdf_download_is_made_once_and_audited(lbp_case, staff, tmp_path):
    letter = generate(lbp_case, staff.social_worker)
    first = services.letter_download(
        letter_id=letter.pk, actor=staff.social_worker, file_format="pdf"
    )
    assert first.content_type == "application/pdf" and first.file_name.endswith(".pdf")
    made = first.path.stat().st_mtime_ns
    second = services.letter_download(
        letter_id=letter.pk, actor=staff.team_manager, file_format="pdf"
    )
    assert second.path == first.path and second.path.stat().st_mtime_ns == made
    letter.refresh_from_db()
    assert letter.pdf_sha256 and len(letter.pdf_sha256) == 64
    text = pdf_text(first.path.read_bytes(), tmp_path, "download")
    for item in lbp_case.expectations.all():
        assert squash(item.action) in text
    assert (
        CaseEvent.objects.filter(
            case=lbp_case, action="letter_downloaded", details__format="pdf"
        ).count()
        == 2
    )


def test_a_conversion_that_hangs_is_stopped(tmp_path, settings):
    script = tmp_path / "slow-soffice"
    script.write_text("#!/bin/sh\nsleep 30\n")
    script.chmod(0o755)
    settings.LETTERS_SOFFICE = str(script)
    with pytest.raises(pdf.PdfUnavailable, match="longer than 1 seconds"):
        pdf.docx_to_pdf(b"PK", timeout=1)


def test_a_failed_conversion_says_so(tmp_path, settings):
    script = tmp_path / "broken-soffice"
    script.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    script.chmod(0o755)
    settings.LETTERS_SOFFICE = str(script)
    with pytest.raises(pdf.PdfUnavailable, match="could not be loaded"):
        pdf.docx_to_pdf(b"PK")


def test_no_libreoffice_gives_a_clear_message(settings):
    settings.LETTERS_SOFFICE = "definitely-not-installed-soffice"
    assert not pdf.available()
    with pytest.raises(pdf.PdfUnavailable) as refused:
        pdf.docx_to_pdf(b"PK")
    assert "libreoffice-writer-nogui" in refused.value.message
