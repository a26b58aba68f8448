"""Export files in private storage: one file per finished job, named by a random token
(never by a person's or a case's name), readable by this process's user only."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

from . import conf


def root() -> Path:
    path = conf.storage_root()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def new_name(job_id: int, extension: str) -> str:
    return f"export-{job_id}-{secrets.token_hex(16)}.{extension}"


def path_of(name: str) -> Path:
    # Names are made here; a stored name with a separator would be a bug, not a path.
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("Not an export file name.")
    return conf.storage_root() / name


def temporary(extension: str) -> Path:
    """An empty file beside the exports, to write into and then rename."""
    handle, name = tempfile.mkstemp(dir=root(), prefix=".part-", suffix=f".{extension}")
    os.close(handle)
    os.chmod(name, 0o600)
    return Path(name)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def remove(name: str) -> None:
    if name:
        path_of(name).unlink(missing_ok=True)
