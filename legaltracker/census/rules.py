"""Validation of the census pre-proceedings block: the DfE rules with their intended logic
and our own checks ("LT.."), each finding pointing at the page where it is fixed
(docs/census.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from legaltracker.census.blocks import CensusBlock


@dataclass(frozen=True)
class Finding:
    """One problem with a block (or with the whole return when child_id is None)."""

    code: str  # "9005", "9010Q", or our own e.g. "LT01"
    severity: str  # "error" or "query"
    message: str
    fields: tuple[str, ...]  # XML element names concerned (or our field names)
    child_id: int | None  # None for a return-level finding
    case_id: int | None
    la_child_id: str
    fix_url: str  # the page where it is fixed


@dataclass
class ReturnSummary:
    """Counts accumulated while a return is streamed through `check_return`."""

    year: int
    blocks: int = 0
    children: int = 0
    errors: int = 0
    queries: int = 0


def check_block(block: CensusBlock, year: int) -> list[Finding]:
    """Every finding for one block in the return for the census year starting in `year`."""
    return []


def check_return(
    blocks: Iterable[CensusBlock], year: int, summary: ReturnSummary | None = None
) -> Iterator[tuple[CensusBlock, list[Finding]]]:
    """Stream each block with its findings, filling `summary` as it goes; the return-level
    findings come afterwards from `return_findings(summary)`."""
    for block in blocks:
        findings = check_block(block, year)
        if summary is not None:
            summary.blocks += 1
        yield block, findings


def return_findings(summary: ReturnSummary) -> list[Finding]:
    """The return-level findings (8995Q, 9000Q) from the counts of a streamed return."""
    return []
