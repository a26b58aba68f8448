"""Word files as bytes: a reproducible zip, and the text of a document in reading order.

A .docx is a zip whose entries carry the time they were written, so the same document
saved twice has two different checksums. `reproducible_zip` rewrites the entries with a
fixed time, so that rendering a letter's stored context again gives the same bytes
(and the same SHA-256) as the file the family received.

`open_template` and `save_reproducible` also skip the work that depends only on the
template (docs/performance.md, "Letters"): the parts a letter never changes (styles,
numbering, theme, fonts: about 800 KB of XML in the shipped templates, most of a
letter's reading and writing) are read once per template and written from the zip
entry made the first time, byte for byte what writing them again would give.
"""

from __future__ import annotations

import copy
import hashlib
import io
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import serialize_part_xml
from docx.opc.package import Unmarshaller
from docx.opc.part import Part, PartFactory, XmlPart
from docx.opc.pkgreader import PackageReader, _SerializedPart
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.package import Package

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


# Parts that docxtpl never renders (it renders the body, headers, footers, footnotes and
# core properties) and that no letter changes otherwise.
KEPT_CONTENT_TYPES = frozenset(
    {
        CT.WML_STYLES,
        "application/vnd.ms-word.stylesWithEffects+xml",
        CT.WML_NUMBERING,
        CT.WML_FONT_TABLE,
        CT.WML_WEB_SETTINGS,
        CT.OFC_THEME,
    }
)


class KeptPart(Part):
    """A part a letter never changes, held as the bytes python-docx would write for it
    (its XML parsed and serialised once), shared by every letter of the template."""


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    return entry


class _Cache:
    """A small most-recently-used map shared by the threads of a process."""

    def __init__(self, limit: int):
        self.limit = limit
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.limit:
                self._items.popitem(last=False)


_READERS = _Cache(limit=16)  # template digest -> its PackageReader
_ENTRIES = _Cache(limit=128)  # (name, id of a kept part's bytes) -> (bytes, entry, raw)


def _reader(data: bytes) -> PackageReader:
    """The template's parts as python-docx reads them, with the kept parts' bytes
    already in their written form; read once per template."""
    key = hashlib.blake2b(data, digest_size=20).digest()
    found: PackageReader | None = _READERS.get(key)
    if found is not None:
        return found
    reader = PackageReader.from_file(io.BytesIO(data))
    sparts = []
    for spart in reader._sparts:
        if spart.content_type in KEPT_CONTENT_TYPES:
            blob = spart.blob
            if issubclass(PartFactory._part_cls_for(spart.content_type), XmlPart):
                blob = serialize_part_xml(parse_xml(blob))
            spart = _SerializedPart(
                spart.partname, spart.content_type, spart.reltype, blob, spart.srels
            )
        sparts.append(spart)
    reader._sparts = tuple(sparts)
    _READERS.put(key, reader)
    return reader


def _part(partname: Any, content_type: str, reltype: str, blob: bytes, package: Any) -> Any:
    if content_type in KEPT_CONTENT_TYPES:
        return KeptPart.load(partname, content_type, blob, package)
    return PartFactory(partname, content_type, reltype, blob, package)


def open_template(data: bytes) -> Any:
    """A python-docx Document of a .docx file's bytes, as `docx.Document` would give,
    except that the parts in KEPT_CONTENT_TYPES are `KeptPart`s."""
    package = Package()
    Unmarshaller.unmarshal(_reader(data), package, _part)
    return package.main_document_part.document


class _FixedTimeZipWriter:
    """python-docx's physical package writer, with fixed entry times."""

    def __init__(self, target: io.BytesIO):
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self._zip.writestr(_entry(pack_uri.membername), blob)

    def write_kept(self, pack_uri: Any, blob: bytes) -> None:
        """Write a kept part from the entry compressed the first time: the same bytes
        `write` gives (an entry's local header does not depend on where it lies)."""
        name = pack_uri.membername
        found = _ENTRIES.get((name, id(blob)))
        if found is None or found[0] is not blob:
            scratch = io.BytesIO()
            with zipfile.ZipFile(scratch, "w", compression=zipfile.ZIP_DEFLATED) as single:
                single.writestr(_entry(name), blob)
                raw = scratch.getvalue()[: single.start_dir]
                found = (blob, single.getinfo(name), raw)
            _ENTRIES.put((name, id(blob)), found)
        _, template, raw = found
        target = self._zip
        assert target.fp is not None  # open for writing until close()
        entry = copy.copy(template)
        entry.header_offset = target.start_dir
        target.fp.seek(target.start_dir)
        target.fp.write(raw)
        target.start_dir = target.fp.tell()
        target.filelist.append(entry)
        target.NameToInfo[name] = entry
        target._didModify = True  # type: ignore[attr-defined] # so that close() writes the index

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
    # As PackageWriter._write_parts, with the kept parts written from their entries.
    for part in parts:
        if isinstance(part, KeptPart):
            writer.write_kept(part.partname, part.blob)
        else:
            writer.write(part.partname, part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    writer.close()
    return out.getvalue()


_P, _TBL, _SDT, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
_SDT_CONTENT, _T, _TAB, _PTAB = qn("w:sdtContent"), qn("w:t"), qn("w:tab"), qn("w:ptab")
_BR, _CR, _NO_BREAK_HYPHEN, _TYPE = qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen"), qn("w:type")
_R, _HYPERLINK = qn("w:r"), qn("w:hyperlink")


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
    # The runs of `./w:r | ./w:hyperlink/w:r`, in document order, without XPath (it
    # cost more than the rest of the reading).
    parts = []
    for child in paragraph.iterchildren(_R, _HYPERLINK):
        if child.tag == _R:
            parts.append(_run_text(child))
        else:
            parts.extend(_run_text(run) for run in child.iterchildren(_R))
    return "".join(parts)


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
