"""The shipped Word templates: present, reproducible, accessible, fitted to their
builders, and plain enough with demo-like data (the targets in docs/domain/letters.md)."""

from __future__ import annotations

import io
from dataclasses import replace
from itertools import pairwise

import pytest
from django.core import checks as django_checks
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from letters import build_templates, builders, checks, conf, rendering, samples
from letters.choices import LetterKind
from letters.readability import analyse, jargon_terms
from letters.registry import REGISTRY, shipped_template

KINDS = list(LetterKind.values)


def render_sample(kind: str, **changes):
    facts = samples.sample_facts(kind, **changes)
    context = REGISTRY[kind].context(facts)
    rendered = rendering.render(
        shipped_template(kind).data, context, logo=conf.DEFAULT_LOGO.read_bytes()
    )
    return context, rendered


def test_every_letter_kind_is_registered_with_a_shipped_template():
    assert set(REGISTRY) == set(KINDS)
    for spec in REGISTRY.values():
        assert (conf.SHIPPED_TEMPLATE_DIR / spec.template_name).is_file()


def test_the_build_script_reproduces_the_committed_files(tmp_path):
    for path in build_templates.build(tmp_path):
        assert path.read_bytes() == (conf.SHIPPED_TEMPLATE_DIR / path.name).read_bytes(), path.name


def test_the_system_check_passes_for_the_shipped_templates():
    assert checks.letter_templates_check() == []
    assert not [m for m in django_checks.run_checks(tags=["letters"]) if m.is_serious()]


def test_the_system_check_fails_when_a_template_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(conf, "SHIPPED_TEMPLATE_DIR", tmp_path)
    errors = checks.letter_templates_check()
    assert {e.id for e in errors} == {"letters.E001"} and len(errors) == len(KINDS)


def test_the_system_check_fails_when_a_template_uses_an_unknown_variable(monkeypatch, tmp_path):
    for spec in REGISTRY.values():
        (tmp_path / spec.template_name).write_bytes(
            (conf.SHIPPED_TEMPLATE_DIR / spec.template_name).read_bytes()
        )
    doc = Document(io.BytesIO((tmp_path / "letter_of_issue.docx").read_bytes()))
    doc.add_paragraph("Your threshold is {{ threshold_reasons }} and {{ council.name }}.")
    doc.save(tmp_path / "letter_of_issue.docx")
    monkeypatch.setattr(conf, "SHIPPED_TEMPLATE_DIR", tmp_path)
    errors = checks.letter_templates_check()
    assert [e.id for e in errors] == ["letters.E002"]
    assert "threshold_reasons" in errors[0].msg and "letter_of_issue" in errors[0].msg


@pytest.mark.parametrize("kind", KINDS)
def test_each_builder_provides_what_its_template_uses(kind):
    used = rendering.undeclared_variables(shipped_template(kind).data)
    assert used <= checks.provided_variables(kind)
    assert "glossary" in used and "council" in used


@pytest.mark.parametrize("kind", KINDS)
def test_each_template_renders_every_sample_variant(kind):
    report = checks.validate_template(kind, shipped_template(kind).data)
    assert report["problems"] == []
    assert report["readability"]["words"] > 100


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_letters_meet_the_plain_language_targets(kind):
    context, rendered = render_sample(kind)
    report = analyse(rendered.blocks, explained=[g["term"] for g in context["glossary"]])
    assert report.reading_ease >= 70, report.as_dict()
    assert report.grade <= 6, report.as_dict()
    assert report.long_sentences == []
    assert report.unexplained_jargon == []
    assert report.meets_targets


def _size(paragraph, run) -> float:
    if run.font.size is not None:
        return run.font.size.pt
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return 10.0  # Word's own default when nothing says otherwise


def _all_paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.footer,
            section.first_page_footer,
        ):
            yield from part.paragraphs


@pytest.mark.parametrize("kind", KINDS)
def test_letters_are_12_point_or_larger_with_heading_styles(kind):
    _, rendered = render_sample(kind)
    doc = Document(io.BytesIO(rendered.data))
    sizes = [_size(p, r) for p in _all_paragraphs(doc) for r in p.runs if r.text.strip()]
    assert sizes and min(sizes) >= 12
    headings = [p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Heading 1" and "Heading 2" in headings
    assert doc.styles["Normal"].font.size == Pt(12)
    assert doc.styles["Normal"].font.name == "Arial"


def test_the_expectations_are_a_table_with_a_repeating_header_row():
    context, rendered = render_sample(LetterKind.LETTER_BEFORE_PROCEEDINGS)
    doc = Document(io.BytesIO(rendered.data))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "What needs to happen")
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "What needs to happen",
        "Why it matters",
        "The help we will give",
        "How we will know",
        "By when",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == 1 + len(context["expectations"])
    for row, item in zip(table.rows[1:], context["expectations"], strict=True):
        cells = [c.text for c in row.cells]
        assert cells[0] == f"{item['who']}\n{item['action']}"
        assert cells[4] == item["due"]
    assert table._tbl.tblPr.find(qn("w:tblCaption")) is not None


def test_the_letter_before_proceedings_follows_domain_section_6_order():
    _, rendered = render_sample(LetterKind.LETTER_BEFORE_PROCEEDINGS)
    text = rendered.text
    order = [
        "Do not ignore this letter. Take it to a solicitor now.",  # 1 banner
        "Legal advice is free for you.",
        "Why we are writing to you",  # 2 children, court, what a court could decide
        "What a court could decide",
        "Why we are worried",  # 3 concerns, history, help
        "What has happened so far",
        "The help we have given you",
        "What needs to change",  # 4 the schedule as a table
        "Checks we want to make",  # 5 assessments
        "A family meeting",  # 6 the family meeting offer
        "How to say yes:",
        "Come to a meeting with us",  # 7 the meeting
        "Please bring your solicitor.",
        "interpreter",
        "What happens next",  # 8
        "Who to talk to",  # 9 contacts and solicitors
        "Our lawyer is",
        "Solicitors near you",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_a_recipient_without_parental_responsibility_gets_no_free_legal_advice_promise():
    _, rendered = render_sample(LetterKind.LETTER_BEFORE_PROCEEDINGS, recipient=samples.GRANDMOTHER)
    assert "Legal advice is free for you." not in rendered.text
    assert "Please read this letter with care." in rendered.text
    # Another chosen recipient with no items of their own sees the whole schedule.
    assert "For Kerry Fletcher and Dean Marsh" in rendered.text


def test_the_family_meeting_offer_is_left_out_in_wales_and_with_the_exception():
    _, wales = render_sample(LetterKind.LETTER_BEFORE_PROCEEDINGS, nation="wales")
    assert "A family meeting" not in wales.text
    facts = samples.sample_facts(LetterKind.LETTER_BEFORE_PROCEEDINGS)
    facts = replace(facts, details=replace(facts.details, fgdm_exception_reason="Risk of harm."))
    context = builders.letter_before_proceedings(facts, jargon_terms())
    assert context["fgdm"] == {"offer": False, "how_to_accept": "", "exception": True}


def test_the_unborn_baby_letter_talks_about_the_baby():
    _, rendered = render_sample(LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN)
    assert (
        "This letter is about your baby. The baby is due on Friday 19 June 2026." in rendered.text
    )


def test_dates_are_written_out():
    assert builders.long_date(samples.SAMPLE_TODAY) == "Wednesday 4 March 2026"
    context, _ = render_sample(LetterKind.LETTER_BEFORE_PROCEEDINGS)
    assert context["meeting"]["date"] == "Tuesday 17 March 2026"
    assert [e["due"] for e in context["expectations"]] == [
        "Friday 17 April 2026",
        "Friday 1 May 2026",
        "Friday 29 May 2026",
    ]


def test_jargon_typed_by_a_person_is_explained_in_the_glossary():
    facts = samples.sample_facts(LetterKind.LETTER_BEFORE_PROCEEDINGS, note="Contact stays weekly.")
    context = REGISTRY[facts.kind].context(facts)
    assert "Contact" in [g["term"] for g in context["glossary"]]


def test_the_system_check_fails_when_the_configured_logo_is_missing(settings, tmp_path):
    settings.LEGALTRACKER_COUNCIL_LOGO = str(tmp_path / "no-logo.png")
    assert [e.id for e in checks.letter_templates_check()] == ["letters.E004"]
    text = tmp_path / "logo.png"
    text.write_text("not an image")
    settings.LEGALTRACKER_COUNCIL_LOGO = str(text)
    assert [e.id for e in checks.letter_templates_check()] == ["letters.E004"]
    settings.LEGALTRACKER_COUNCIL_LOGO = str(conf.DEFAULT_LOGO)
    assert checks.letter_templates_check() == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_listed_item_never_breaks_across_two_pages(kind):
    """Each item of a list table (a requirement with its date and status) is kept on one
    page: the row repeated for the items cannot split."""
    document = Document(io.BytesIO(shipped_template(kind).data))
    item_rows = []
    for table in document.tables:
        for opener, item in pairwise(table.rows):
            if "{%tr for " in opener._tr.xml:
                item_rows.append(item)
    for item in item_rows:
        properties = item._tr.trPr
        assert properties is not None and properties.find(qn("w:cantSplit")) is not None
    if kind in {"letter_before_proceedings", "review_outcome"}:
        assert item_rows  # these letters list the schedule of expectations
