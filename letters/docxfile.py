"""Word files as bytes: a reproducible zip, and the text of a document in reading order.

A .docx is a zip whose entries carry the time they were written, so the same document
saved twice has two different checksums. `reproducible_zip` rewrites the entries with a
fixed time, so that rendering a letter's stored context again gives the same bytes
(and the same SHA-256) as the file the family received.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 and compressed the same way."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


class _FixedTimeZipWriter:
    """python-docx's physical package writer, with fixed entry times."""

    def __init__(self, target: io.BytesIO):
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=FIXED_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16
        self._zip.writestr(entry, blob)

    def close(self) -> None:
        self._zip.close()


def save_reproducible(document: Any) -> bytes:
    """Save a python-docx Document as `reproducible_zip` would, in one pass.

    Mirrors `OpcPackage.save` with python-docx's own `PackageWriter` steps, writing
    through a fixed-time zip writer instead of compressing twice.
    """
    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedTimeZipWriter(out)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    # python-docx annotates the nominal PhysPkgWriter where any writer with `write` and
    # `close` does (the other two helpers take it untyped).
    PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]
    writer.close()
    return out.getvalue()


_P, _TBL, _SDT, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
_SDT_CONTENT, _T, _TAB, _PTAB = qn("w:sdtContent"), qn("w:t"), qn("w:tab"), qn("w:ptab")
_BR, _CR, _NO_BREAK_HYPHEN, _TYPE = qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen"), qn("w:type")


def _run_text(run: Any) -> str:
    # As python-docx's Run.text: text, tabs, line breaks (not page breaks), hyphens.
    parts = []
    for child in run:
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            parts.append("\t")
        elif tag == _CR or (tag == _BR and child.get(_TYPE, "textWrapping") == "textWrapping"):
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
    return "".join(parts)


def paragraph_text(paragraph: Any) -> str:
    """A paragraph's text as python-docx's Paragraph.text reads it (runs and hyperlinks),
    straight from the element tree."""
    return "".join(_run_text(run) for run in paragraph.xpath("./w:r | ./w:hyperlink/w:r"))


def _blocks(element: Any) -> Iterator[str]:
    """Body paragraphs, and table cells row by row, in reading order. Reading the
    table's own rows and cells means a merged cell is read once."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == _P:
            yield paragraph_text(child)
        elif tag == _TBL:
            for row in child.iterchildren(_TR):
                for cell in row.iterchildren(_TC):
                    yield from _blocks(cell)
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def document_blocks(document: Any) -> list[str]:
    """The body's paragraphs and table cells in reading order, one string per line of
    text (a line break inside a paragraph starts a new block); empty lines dropped."""
    lines: list[str] = []
    for block in _blocks(document.element.body):
        for line in block.split("\n"):
            line = line.strip()
            if line:
                lines.append(line)
    return lines


def document_text(document: Any) -> str:
    return "\n".join(document_blocks(document))
