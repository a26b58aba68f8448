"""A private file handed to the one person who may have it (a letter, an export): always
an attachment, never kept by a browser or a proxy (docs/security.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.http import FileResponse


@dataclass(frozen=True)
class Download:
    path: Path
    file_name: str
    content_type: str


def attachment(download: Download) -> FileResponse:
    response = FileResponse(
        download.path.open("rb"),
        as_attachment=True,
        filename=download.file_name,
        content_type=download.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response
