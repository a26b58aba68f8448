"""PDF copies of letters, made by LibreOffice headless.

Each conversion runs `soffice --headless --convert-to pdf` with its own user profile in
its own temporary directory: LibreOffice conversions that share a profile fail silently
when they run at the same time (2 in 4 in a measured run). A conversion that takes
longer than LETTERS_PDF_TIMEOUT seconds is killed with its whole process group.

The conversion runs inside the web request that first asks for the PDF (later requests
read the stored file), so its limit sits under the web server's (system check
letters.E005; docs/decisions.md, entry 91): the person gets a message, not a worker
killed by gunicorn and a 502 from the proxy.

The PDF is tagged (PDF/UA's structure: a structure tree of headings, paragraphs, lists,
tables and figures with their alternative text, `/MarkInfo` marked, and the document's
language in `/Lang`, which LibreOffice takes from the Word file's default language:
en-GB, or cy-GB for a Welsh letter), so that screen readers read it in order and in the
right voice (docs/letter-formats.md).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from legaltracker.core.errors import DomainError

from . import conf


class PdfUnavailable(DomainError):
    """The server cannot make PDFs (LibreOffice is not installed) or the conversion
    failed; the Word file is still there."""

    status = 503


NOT_INSTALLED = (
    "PDF copies are not available on this server: LibreOffice (the 'soffice' program) is "
    "not installed. Download the Word file instead, or ask an administrator to install "
    "the Debian package libreoffice-writer-nogui."
)


def soffice() -> str | None:
    return shutil.which(conf.soffice_binary())


def available() -> bool:
    return soffice() is not None


# LibreOffice's PDF export options (JSON form, LibreOffice 7.4 and later): a tagged PDF.
PDF_EXPORT_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def docx_to_pdf(data: bytes, *, timeout: int | None = None) -> bytes:
    """The tagged PDF of a .docx file's bytes."""
    return docx_to_pdfs([data], timeout=timeout)[0]


def docx_to_pdfs(documents: list[bytes], *, timeout: int | None = None) -> list[bytes]:
    """The tagged PDFs of several .docx files, made by one LibreOffice run (it starts
    once: most of a conversion's time is the start)."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable(NOT_INSTALLED)
    limit = timeout or conf.pdf_timeout_seconds()
    with tempfile.TemporaryDirectory(prefix="letters-pdf-") as work:
        folder = Path(work)
        sources = []
        for number, data in enumerate(documents, start=1):
            source = folder / f"letter{number}.docx"
            source.write_bytes(data)
            sources.append(source)
        profile = folder / "profile"
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            PDF_EXPORT_FILTER,
            "--outdir",
            str(folder),
            *(str(source) for source in sources),
        ]
        environment = {**os.environ, "HOME": str(folder)}
        process = subprocess.Popen(  # noqa: S603 - a fixed command on our own temporary files
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        try:
            _, errors = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfUnavailable(
                f"Making the PDF took longer than {limit} seconds and was stopped. "
                "Try again, or download the Word file."
            ) from None
        results = [source.with_suffix(".pdf") for source in sources]
        if process.returncode != 0 or any(
            not result.exists() or result.stat().st_size == 0 for result in results
        ):
            detail = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise PdfUnavailable(
                "LibreOffice could not make a PDF of this letter "
                f"({detail[0][:200]}). Download the Word file instead."
            )
        return [result.read_bytes() for result in results]
