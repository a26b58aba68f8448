"""Cleaning of text typed by users before it is stored.

PostgreSQL rejects NUL characters that SQLite stores, and Word documents cannot hold
XML-illegal control characters: both are removed at input so that what is stored can
go anywhere (database, letters, exports).
"""

from __future__ import annotations

import re

# XML 1.0 allows tab, newline and carriage return; other C0 controls, lone surrogates and
# the two non-characters U+FFFE/U+FFFF are illegal in a document.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Remove characters that cannot be stored or put in a document; trim the ends."""
    return _ILLEGAL.sub("", value).strip()
