"""Private file storage for letters, uploaded templates and logos.

Files live under `conf.storage_root()` (LETTERS_STORAGE_ROOT), which is outside
STATIC_ROOT and any media URL: the only way to read a letter is the download view,
which checks that the person may see the case and writes the download to the audit
trail. Files are named by their SHA-256 (content-addressed), never by a person's name,
and are written once: a name that exists already holds the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from . import conf


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_once(path: Path, data: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Write beside the target and rename, so that nobody ever reads half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def letter_path(case_id: int, digest: str, extension: str) -> Path:
    return conf.storage_root() / f"case-{case_id}" / f"{digest}.{extension}"


def save_letter_file(case_id: int, data: bytes, extension: str = "docx") -> tuple[str, Path]:
    digest = sha256(data)
    path = letter_path(case_id, digest, extension)
    _write_once(path, data)
    return digest, path


def save_pdf(path: Path, data: bytes) -> str:
    _write_once(path, data)
    return sha256(data)


def read_verified(path: Path, digest: str) -> bytes:
    """The file's bytes, if they still match the checksum recorded for them."""
    data = path.read_bytes()
    if sha256(data) != digest:
        raise OSError(f"The file {path.name} does not match its recorded checksum.")
    return data


def template_path(digest: str) -> Path:
    return conf.storage_root() / "templates" / f"{digest}.docx"


def save_template(data: bytes) -> str:
    digest = sha256(data)
    _write_once(template_path(digest), data)
    return digest


def asset_path(digest: str, extension: str = "png") -> Path:
    return conf.storage_root() / "assets" / f"{digest}.{extension}"


def save_asset(data: bytes, extension: str = "png") -> str:
    """A logo used by a letter, kept so that the letter can be rendered again after the
    council changes its logo."""
    digest = sha256(data)
    _write_once(asset_path(digest, extension), data)
    return digest
