"""Letters' PDFs are tagged, so that screen readers can read them: a structure tree, marked
content, the document's language (en-GB, or cy-GB from a Welsh Word file), and the
pictures' alternative text. The easy-read and young person's letters open in LibreOffice.
One LibreOffice run converts the three files (docs/letter-formats.md)."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from letters import builders_variants, conf, pdf, pictures, rendering
from letters.choices import LetterKind, LetterVariant
from letters.readability import jargon_terms
from letters.registry import shipped_template

pytestmark = pytest.mark.slow

LBP = LetterKind.LETTER_BEFORE_PROCEEDINGS


def variant_docx(variant: str) -> bytes:
    facts = builders_variants.sample_variant_facts(LBP, variant)
    context = builders_variants.VARIANT_BUILDERS[(LBP, variant)](facts, jargon_terms())
    template = shipped_template(LBP, "en", variant).data
    return rendering.render(template, context, logo=conf.DEFAULT_LOGO.read_bytes()).data


def welsh_docx() -> bytes:
    """A small Word file whose default language is Welsh."""
    doc = Document()
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "cy-GB")
    doc.core_properties.language = "cy-GB"
    doc.add_heading("Llythyr pwysig", level=1)
    doc.add_paragraph("Annwyl Siân, dyma lythyr i chi. Darllenwch ef yn ofalus.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def pdfs() -> dict[str, Any]:
    # Required behaviour: no skip. `bash scripts/test` installs LibreOffice before the run.
    assert pdf.available(), "LibreOffice (soffice) is missing: run the tests with bash scripts/test"
    names = ["easy_read", "young_person", "welsh"]
    made = pdf.docx_to_pdfs(
        [
            variant_docx(LetterVariant.EASY_READ),
            variant_docx(LetterVariant.YOUNG_PERSON),
            welsh_docx(),
        ]
    )
    return {name: pypdf.PdfReader(io.BytesIO(data)) for name, data in zip(names, made, strict=True)}


def structure(node: Any) -> list[Any]:
    """Every structure element under a node of the structure tree."""
    found: list[Any] = []
    kids = node.get("/K")
    if kids is None:
        return found
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict) and "/S" in kid:
            found.append(kid)
            found.extend(structure(kid))
    return found


@pytest.mark.parametrize(
    ("name", "language"), [("easy_read", "en-GB"), ("young_person", "en-GB"), ("welsh", "cy-GB")]
)
def test_the_pdf_is_tagged_with_its_language(pdfs, name, language):
    root = pdfs[name].trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert root["/Lang"] == language
    tree = root["/StructTreeRoot"]
    # LibreOffice names its own kinds ("/Standard") and maps them to PDF's ("/P").
    roles = {str(k): str(v) for k, v in (tree.get("/RoleMap") or {}).items()}
    kinds = {roles.get(str(e["/S"]), str(e["/S"])) for e in structure(tree)}
    assert {"/P", "/H1"} <= kinds


@pytest.mark.parametrize("name", ["easy_read", "young_person"])
def test_the_variants_open_with_their_pictures_described(pdfs, name):
    reader = pdfs[name]
    assert 2 <= len(reader.pages) <= 12
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Sam Brookfield" in " ".join(text.split())
    # No page holds only the signature: the last page starts with the last part.
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Your social worker" in last and ("Who to talk to" in last or "Who you can" in last)
    root = reader.trailer["/Root"]
    figures = [e for e in structure(root["/StructTreeRoot"]) if e["/S"] == "/Figure"]
    alts = {str(f.get("/Alt", "")) for f in figures}
    drawn = {p.alt for p in pictures.PICTURES.values()}
    assert len(alts & drawn) >= 6, alts


def test_the_conversion_asks_libreoffice_for_a_tagged_pdf():
    assert "UseTaggedPDF" in pdf.PDF_EXPORT_FILTER and '"value":"true"' in pdf.PDF_EXPORT_FILTER
