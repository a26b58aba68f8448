"""Safe rendering: escaping, cleaning, the sandbox, strict variables, reproducible files."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError

from letters import conf, rendering
from letters.docxfile import document_text


def template(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


SIMPLE = template("Name: {{ name }}", "End.")


def test_xml_characters_appear_literally():
    rendered = rendering.render(SIMPLE, {"name": 'A & B <O\'Neil> "quoted"'}, logo=None)
    assert paragraphs(rendered.data)[0] == 'Name: A & B <O\'Neil> "quoted"'


def test_template_code_in_a_value_is_text_not_code():
    value = "{{ 7*7 }} {% for x in [1,2] %}loop{% endfor %} {_{ name }_} {%p if 1 %}"
    rendered = rendering.render(SIMPLE, {"name": value}, logo=None)
    assert paragraphs(rendered.data)[0] == f"Name: {value}"
    assert "49" not in rendered.text and "looploop" not in rendered.text


def test_pasted_control_characters_cannot_break_the_document():
    # docxtpl turns \x0c into a page break and \x07 into a new paragraph; \x00 and a lone
    # surrogate make invalid XML (a lone surrogate cut the rest of a paragraph).
    value = "one\x0ctwo\x07three\x00four\ud800five\x1bsix"
    rendered = rendering.render(SIMPLE, {"name": value}, logo=None)
    assert paragraphs(rendered.data) == ["Name: onetwothreefourfivesix", "End."]
    assert b'w:type="page"' not in zipfile.ZipFile(io.BytesIO(rendered.data)).read(
        "word/document.xml"
    )


def test_line_endings_become_line_breaks_in_the_same_paragraph():
    rendered = rendering.render(SIMPLE, {"name": "line one\r\nline two\rline three"}, logo=None)
    assert paragraphs(rendered.data)[0] == "Name: line one\nline two\nline three"


def test_right_to_left_text_and_emoji_survive():
    value = "مرحبا בעולם \u202eabc 👨‍👩‍👧 ✓"
    rendered = rendering.render(SIMPLE, {"name": value}, logo=None)
    assert paragraphs(rendered.data)[0] == f"Name: {value}"


def test_an_undefined_variable_is_an_error_not_a_blank():
    with pytest.raises(UndefinedError):
        rendering.render(template("Hello {{ missing }}"), {}, logo=None)
    with pytest.raises(UndefinedError):
        rendering.render(template("Hello {{ person.middle_name }}"), {"person": {}}, logo=None)


def test_the_sandbox_stops_a_template_reaching_python_internals():
    hostile = template("{{ name.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(SecurityError):
        rendering.render(hostile, {"name": "x"}, logo=None)
    mutating = template("{{ items.append(1) }}")
    with pytest.raises(SecurityError):
        rendering.render(mutating, {"items": []}, logo=None)


def test_a_none_value_is_refused():
    with pytest.raises(ValueError, match="None"):
        rendering.render(SIMPLE, {"name": None}, logo=None)


def test_the_same_template_and_context_give_the_same_bytes():
    first = rendering.render(SIMPLE, {"name": "Amy"}, logo=conf.DEFAULT_LOGO.read_bytes())
    second = rendering.render(SIMPLE, {"name": "Amy"}, logo=conf.DEFAULT_LOGO.read_bytes())
    assert first.data == second.data and first.sha256 == second.sha256
    times = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first.data)).infolist()}
    assert times == {(1980, 1, 1, 0, 0, 0)}


def test_the_logo_has_alternative_text():
    data = template("{{ logo }}")
    rendered = rendering.render(
        data, {}, logo=conf.DEFAULT_LOGO.read_bytes(), logo_alt="Eastbrook & Co logo"
    )
    document_xml = zipfile.ZipFile(io.BytesIO(rendered.data)).read("word/document.xml").decode()
    assert 'descr="Eastbrook &amp; Co logo"' in document_xml
    assert any(
        n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(rendered.data)).namelist()
    )


def test_text_is_read_in_order_with_table_cells():
    doc = Document()
    doc.add_paragraph("Before")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Left"
    table.rows[0].cells[1].text = "Right"
    merged = doc.add_table(rows=1, cols=2)
    merged.rows[0].cells[0].merge(merged.rows[0].cells[1]).text = "Merged once"
    doc.add_paragraph("After\nsecond line")
    assert document_text(doc).splitlines() == [
        "Before",
        "Left",
        "Right",
        "Merged once",
        "After",
        "second line",
    ]


def test_clean_context_cleans_nested_values():
    assert rendering.clean_context({"a": [" x\x00 ", {"b": "y\x0b"}], "n": 3, "t": True}) == {
        "a": ["x", {"b": "y"}],
        "n": 3,
        "t": True,
    }


def test_text_extraction_agrees_with_python_docx_paragraph_text():
    from letters import samples
    from letters.choices import LetterKind
    from letters.docxfile import paragraph_text
    from letters.registry import REGISTRY, shipped_template

    kind = LetterKind.REVIEW_OUTCOME
    context = REGISTRY[kind].context(samples.sample_facts(kind))
    rendered = rendering.render(shipped_template(kind).data, context, logo=None)
    doc = Document(io.BytesIO(rendered.data))
    paragraphs = list(doc.paragraphs) + [
        p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs
    ]
    assert len(paragraphs) > 50
    assert all(paragraph_text(p._p) == p.text for p in paragraphs)


def as_if_from_another_program(data: bytes) -> bytes:
    """The template with its styles written as another program might (its own XML
    declaration and line endings), which python-docx rewrites when it saves."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "word/styles.xml":
                body = blob.split(b"?>", 1)[1]
                blob = b'<?xml version="1.0" encoding="UTF-8"?>\r\n' + body.replace(
                    b"><", b">\r\n<"
                )
            target.writestr(info, blob)
    return out.getvalue()


@pytest.mark.parametrize(
    ("kind", "rewrite"),
    [
        ("letter_before_proceedings", False),
        ("letter_of_issue", False),
        ("letter_before_proceedings", True),
    ],
)
def test_parts_kept_per_template_give_the_bytes_a_full_write_gives(kind, rewrite):
    """The renderer reads and writes the parts no letter changes once per template
    (letters/docxfile.py); a letter is byte for byte what reading and writing every part
    through python-docx gives, so a letter made before that change is reproduced."""
    from docx.opc.pkgwriter import PackageWriter

    from letters import docxfile, samples
    from letters.registry import REGISTRY, shipped_template

    data = shipped_template(kind).data
    if rewrite:
        data = as_if_from_another_program(data)
    context = REGISTRY[kind].context(samples.sample_facts(kind))
    logo = conf.DEFAULT_LOGO.read_bytes()
    rendered = rendering.render(data, context, logo=logo, logo_alt="Council logo")

    class Full(rendering._Template):
        def init_docx(self, reload: bool = True) -> None:
            if not self.docx or (self.is_rendered and reload):
                self.docx = Document(io.BytesIO(data))
                self.is_rendered = False

    tpl = Full(data)
    values = rendering.clean_context(dict(context))
    values["logo"] = rendering._Logo(tpl, logo, "Council logo")
    tpl.render(values, jinja_env=rendering.ENVIRONMENT)
    package = tpl.docx.part.package
    parts = list(package.parts)
    out = io.BytesIO()
    writer = docxfile._FixedTimeZipWriter(out)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]
    writer.close()

    kept = list(docxfile.open_template(data).part.package.parts)
    assert any(isinstance(p, docxfile.KeptPart) for p in kept)
    assert rendered.data == out.getvalue()
    # And again, now from the kept entries.
    assert (
        rendering.render(data, context, logo=logo, logo_alt="Council logo").data == out.getvalue()
    )
