"""The census return written out: the `PreProceedingsandFGDM` blocks of a census year as
XML (nested as in the national return, ready to merge into the main case system's file),
CSV or XLSX (one row per block, with the case reference), each written while the blocks
are streamed from `blocks_for_year`, so that memory stays flat at national scale.

How the return is read and checked is the census core's (`blocks.py`, `rules.py`); this
module only writes what it is given, counts the findings, and records each run in the
access log (docs/census-export.md).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from xml.sax.saxutils import escape

from django.urls import reverse

from legaltracker.audit import recording, requestid
from legaltracker.audit.models import AccessOutcome
from legaltracker.core import clock
from legaltracker.exports import registry
from legaltracker.exports.writers import Cell, Layout
from legaltracker.web.access import CENSUS_ROLES, has_role

from .blocks import ELEMENTS, CensusBlock, blocks_for_year, census_year
from .rules import Finding, ReturnSummary, check_return, return_findings

ERROR, QUERY = "error", "query"

# The formats, and the number each is recorded as in the access log (its details hold
# ids only: docs/census-export.md, "The access log").
FORMATS = ("xml", "csv", "xlsx")
FORMAT_CODES = {"check": 0, "xml": 1, "csv": 2, "xlsx": 3}
COMMAND_ACTION = "command cin_census_export"
PAGE_ACTION = "census:return xml"
OBJECT_TYPE = "census_return"

# The census years: the first return with the block is FIRST_YEAR's (2026 to 2027); the
# page offers it and the years since, and any year in range can be asked for.
FIRST_YEAR = 2026
MIN_YEAR, MAX_YEAR = 2000, 2100


def current_year(today: dt.date | None = None) -> int:
    """The census year `today` falls in (1 April to 31 March)."""
    today = today or clock.today()
    return today.year if today >= dt.date(today.year, 4, 1) else today.year - 1


def parse_year(value: Any) -> tuple[int | None, str]:
    """A census year from text: (year, "") or (None, a sentence saying what is wrong)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None, "Enter the census year as four digits, for example 2026 for 2026 to 2027."
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, f"Enter a census year from {MIN_YEAR} to {MAX_YEAR}, for example 2026."
    return year, ""


def year_label(year: int) -> str:
    start, end = census_year(year)
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


# --- the findings, counted ----------------------------------------------------------------


@dataclass
class Counts:
    """What a run found: blocks (the core's summary), children (as the XML nests them:
    one per LAchildID), errors and queries (from every finding, the return-level ones
    included)."""

    year: int
    blocks: int = 0
    children: int = 0
    errors: int = 0
    queries: int = 0
    return_level: list[Finding] = field(default_factory=list)

    def add(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            if finding.severity == ERROR:
                self.errors += 1
            else:
                self.queries += 1


# Children read per chunk of `blocks_for_year`: the candidate query runs once whatever
# the chunk; each chunk costs two queries (its cases' events and gateway decisions), and
# memory stays bounded by the chunk (docs/performance.md, "The census export").
CHUNK_SIZE = 5000


def checked_blocks(
    year: int, counts: Counts, *, chunk_size: int = CHUNK_SIZE
) -> Iterator[tuple[CensusBlock, list[Finding]]]:
    """Each block of the year with its findings, counting as it goes; once the blocks
    are done, `counts` holds the totals and the return-level findings."""
    summary = ReturnSummary()
    current: tuple[str, int | None] | None = None
    for block, findings in check_return(
        blocks_for_year(year, chunk_size=chunk_size), year, summary
    ):
        counts.add(findings)
        # Children as the XML has them: one `<Child>` per LAchildID (blocks come ordered
        # by it), whatever the number of cases (episodes) the child is on.
        key = _child_key(block)
        if key != current:
            counts.children += 1
            current = key
        yield block, findings
    counts.blocks = summary.blocks
    counts.return_level = return_findings(summary)
    counts.add(counts.return_level)


# --- XML ----------------------------------------------------------------------------------


def element_text(value: Any) -> str:
    """An element's text as the schema writes it: dates YYYY-MM-DD, yes/no 1/0."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def block_elements(block: CensusBlock) -> list[tuple[str, str]]:
    """The block's elements in schema order, empty ones left out."""
    pairs = []
    for name, attribute in ELEMENTS:
        value = getattr(block, attribute)
        if value is None or value == "":
            continue
        pairs.append((name, element_text(value)))
    return pairs


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def _child_key(block: CensusBlock) -> tuple[str, int | None]:
    """Blocks of the same child share a `<Child>`: by LAchildID, or by our child row
    when the LAchildID is missing (an error the checks report)."""
    return (block.la_child_id, None) if block.la_child_id else ("", block.child_id)


# Characters XML 1.0 cannot hold, even escaped: a value typed with one would make the
# whole file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _comment(text: str) -> str:
    # "--" may not appear in a comment; the text is an id or a reference.
    return f"<!-- {_text(text).replace('--', '- -')} -->"


def _header(year: int) -> list[str]:
    return [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<Message>",
        "  <Header>",
        "    <CollectionDetails>",
        "      <Collection>CIN</Collection>",
        # The collection is named by the year of its reference date, 31 March.
        f"      <Year>{year + 1}</Year>",
        f"      <ReferenceDate>{census_year(year)[1].isoformat()}</ReferenceDate>",
        "    </CollectionDetails>",
        "  </Header>",
        "  <Children>",
    ]


def xml_chunks(year: int, blocks: Iterable[CensusBlock], *, every: int = 200) -> Iterator[str]:
    """The return as XML text, a piece every `every` blocks, nested as in the national
    return: Message/Header/CollectionDetails, then Children/Child with its
    ChildIdentifiers (LAchildID, UPN) and one CINdetails per episode (CINreferralDate,
    then the block), two spaces an indent. Only what we hold is written; blocks arrive
    ordered by child. Written as text with every value escaped: faster than a SAX
    writer, which the figures of bench/census.py showed to cost more than the checks."""
    lines = _header(year)
    current: tuple[str, int | None] | None = None
    for written, block in enumerate(blocks, start=1):
        key = _child_key(block)
        if key != current:
            if current is not None:
                lines.append("    </Child>")
            current = key
            lines.append("    <Child>")
            if block.la_child_id or block.upn:
                lines.append("      <ChildIdentifiers>")
                if block.la_child_id:
                    lines.append(f"        <LAchildID>{_text(block.la_child_id)}</LAchildID>")
                if block.upn:
                    lines.append(f"        <UPN>{_text(block.upn)}</UPN>")
                lines.append("      </ChildIdentifiers>")
            else:
                # An error the checks report; the comment says where to add the id.
                lines.append("      " + _comment(f"No LAchildID: case {block.case_reference}"))
        lines.append("      <CINdetails>")
        if block.cin_episode_id:
            lines.append("        " + _comment(f"CIN episode {block.cin_episode_id}"))
        if block.cin_referral_date:
            referral = block.cin_referral_date.isoformat()
            lines.append(f"        <CINreferralDate>{referral}</CINreferralDate>")
        lines.append("        <PreProceedingsandFGDM>")
        for name, text in block_elements(block):
            lines.append(f"          <{name}>{_text(text)}</{name}>")
        lines.append("        </PreProceedingsandFGDM>")
        lines.append("      </CINdetails>")
        if written % every == 0:
            yield "\n".join(lines) + "\n"
            lines = []
    if current is not None:
        lines.append("    </Child>")
    lines += ["  </Children>", "</Message>"]
    yield "\n".join(lines) + "\n"


def write_xml(out: _Writable, year: int, blocks: Iterable[CensusBlock]) -> None:
    """`xml_chunks` written to `out` as they come."""
    for chunk in xml_chunks(year, blocks):
        out.write(chunk)


# --- CSV and XLSX -------------------------------------------------------------------------

# (header, value of the block): the identifiers, then the block's elements in schema
# order under their XML names, so that a column maps to an element one for one.
COLUMNS: list[tuple[str, Callable[[CensusBlock], Cell]]] = [
    ("Case reference", lambda b: b.case_reference),
    ("LAchildID", lambda b: b.la_child_id),
    ("UPN", lambda b: b.upn),
    ("CIN episode id", lambda b: b.cin_episode_id),
    ("CINreferralDate", lambda b: b.cin_referral_date),
]
HEADERS = [header for header, _ in COLUMNS] + [name for name, _ in ELEMENTS]
LAYOUT = Layout(widths={"Case reference": 16, "LAchildID": 14, "UPN": 16})


def row_values(block: CensusBlock) -> list[Cell]:
    values: list[Cell] = [value(block) for _, value in COLUMNS]
    for _, attribute in ELEMENTS:
        value = getattr(block, attribute)
        # The file says what the XML says: 1/0 for the yes/no elements.
        values.append(element_text(value) if isinstance(value, bool) else value)
    return values


def block_rows(blocks: Iterable[CensusBlock]) -> Iterator[Sequence[Cell]]:
    for block in blocks:
        yield row_values(block)


# --- the export kind (the page's CSV and XLSX downloads) ----------------------------------

REFUSED = "The census return is for the performance team and the heads of service."


def may_use(user: Any) -> bool:
    return has_role(user, CENSUS_ROLES)


def _parse(user: Any, data: Any) -> registry.Parsed:
    year, error = parse_year(data.get("year"))
    if year is None:
        return {}, {"year": [error]}
    return {"year": year}, {}


def _count(user: Any, params: dict[str, Any], day: dt.date) -> int:
    # A pass of its own over the blocks (streamed, so memory stays flat): the progress
    # page needs the total before the first row.
    return sum(1 for _ in blocks_for_year(int(params["year"]), chunk_size=CHUNK_SIZE))


def _rows(user: Any, params: dict[str, Any], day: dt.date) -> Iterator[Sequence[Cell]]:
    return block_rows(blocks_for_year(int(params["year"]), chunk_size=CHUNK_SIZE))


KIND = registry.ExportKind(
    name="census",
    label="CIN census return (pre-proceedings and FGDM)",
    headers=HEADERS,
    may_use=may_use,
    refused_message=REFUSED,
    parse=_parse,
    count=_count,
    rows=_rows,
    file_stem=lambda day: f"cin-census-pre-proceedings-{day.isoformat()}",
    back_url=lambda params: (
        reverse("census:return", kwargs={"year": params.get("year")})
        if params.get("year")
        else reverse("census:return")
    ),
    describe=lambda params: (
        [f"Census year: {year_label(int(params['year']))}"] if params.get("year") else []
    ),
    sheet_title="CIN census",
    layout=LAYOUT,
)


def register() -> None:
    registry.register(KIND)


# --- the access log -----------------------------------------------------------------------


def record_run(*, actor: Any, year: int, file_format: str, action: str, status: int) -> None:
    """One access log row for a run of the export: who (or nobody, for a command run
    without --user), the census year (the object id and `census_year`) and the format
    (`format`, its number in FORMAT_CODES): ids only, as the log requires."""
    details = {"census_year": year}
    code = FORMAT_CODES[file_format]
    if code:
        details["format"] = code
    recording.access_record(
        actor=actor,
        action=action,
        status=status,
        outcome=AccessOutcome.ALLOWED,
        request_id=requestid.current() or uuid.uuid4(),
        object_type=OBJECT_TYPE,
        object_id=year,
        details=details,
    )


# --- the return's findings, for the page and the API --------------------------------------


@dataclass(frozen=True)
class FindingRow:
    """One finding with the case it concerns (blank for a return-level finding)."""

    finding: Finding
    case_reference: str

    @property
    def is_error(self) -> bool:
        return self.finding.severity == ERROR


@dataclass
class ReturnReport:
    counts: Counts
    rows: list[FindingRow]


def return_report(year: int) -> ReturnReport:
    """Every finding of the year's return, in the order of the blocks (by child), the
    return-level ones last. Only the findings are kept: a pass over the blocks, in
    memory as flat as the export's."""
    counts = Counts(year=year)
    rows = [
        FindingRow(finding, block.case_reference)
        for block, findings in checked_blocks(year, counts)
        for finding in findings
    ]
    rows += [FindingRow(finding, "") for finding in counts.return_level]
    return ReturnReport(counts, rows)
