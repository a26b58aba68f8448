"""Fixtures for the access tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def letters_storage(settings, tmp_path):
    """Letter files go to a temporary folder, not the project's private storage."""
    settings.LETTERS_STORAGE_ROOT = str(tmp_path / "private" / "letters")
    return tmp_path / "private" / "letters"
