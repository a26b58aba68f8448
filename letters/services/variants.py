"""The letter variants other than the standard letter: easy read, and the letter to a
young person (a child aged 12 or over). Filled in by the variants' own module."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legaltracker.core.errors import GuardRefused

from ..models import Letter


def letter_generate_variant(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    kind: str,
    language: str,
    variant: str,
) -> Letter:
    """Make a draft letter of a kind in a variant (not the standard one)."""
    raise GuardRefused("This version of the letter is not available yet.")


def young_people(case: Any) -> list[Any]:
    """The children on the case who can have a young person's letter (aged 12 or over)."""
    return []
