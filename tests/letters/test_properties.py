"""Hostile text in every free-text field a letter uses: the result is always a valid
Word document, the text appears literally (after cleaning), and nothing in it is run as
template code. A sample also goes through LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from legaltracker.core.text import clean_text
from letters import conf, pdf, rendering, samples, services
from letters.choices import LetterKind
from letters.facts import AssessmentFacts, ExtensionFacts, StaffFacts
from letters.registry import REGISTRY, shipped_template

from .conftest import ADULTS, add_expectation, family_case, generate, set_details

NASTY = [
    "A & B <O'Neil> \"quoted\" 'single'",
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{{ council.__class__.__mro__[1].__subclasses__() }}",
    "{%p if true %} {%tr endfor %} {%tc x %}",
    "{_{ name }_} {_% x %_}",
    "]]> <![CDATA[ x ]]> <!-- comment -->",
    "</w:t></w:r><w:r><w:t>injected</w:t>",
    "bell\x07form\x0cfeed\x0bnull\x00esc\x1bdel\x7f",
    "line1\r\nline2\rline3\nline4\u2028line5\x85line6",
    "مرحبا بالعالم",
    "שלום \u202etxet\u202c עולם \u200f",
    "👨\u200d👩\u200d👧\u200d👦 🎉 ✓",
    "lone \ud800 high and \udfff low",
    "\ufeffbom \ufffe \uffff",
    "tab\there",
    "%s %d {0} ${x} #{x}",
    "&amp; &#123; &lt;tag&gt;",
    "x" * 5000,
]
HOSTILE_CHARS = list("\x00\x07\x0b\x0c\x1b\x7f\ud800\udfff\ufffe\r\n\t&<>\"'{}%_#\u202e\u200f")
hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARS)), max_size=200),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=50)),
)
LOGO = conf.DEFAULT_LOGO.read_bytes()


def full_text(data: bytes) -> str:
    """Every paragraph's text (body, table cells, headers and footers), as Word reads it."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    for section in doc.sections:
        for story in (section.first_page_header, section.header, section.footer):
            parts.extend(p.text for p in story.paragraphs)
    return "\n".join(parts)


def hostile_facts(kind: str, t: list[str]):
    """The sample family with every free-text field replaced by hostile text."""
    facts = samples.sample_facts(kind)
    d = facts.details
    details = replace(
        d,
        concerns=t[0],
        history=t[1],
        help_given=t[2],
        meeting_place=t[3],
        meeting_video_link="https://example.org/" + t[4],
        meeting_attendees=(t[5], t[6]),
        fgdm_how_to_accept=t[7],
        legal_contact_name=t[8],
        legal_contact_phone=t[9],
        legal_contact_email=t[10],
        legal_reference=t[11],
        assessments=(AssessmentFacts(t[12], t[13], t[14], d.assessments[0].when),)
        if d.assessments
        else (),
    )
    recipient = replace(
        facts.recipient,
        first_name=t[15],
        last_name=t[16],
        address=t[17],
        preferred_language=t[18],
        interpreter_needed=True,
    )
    expectations = tuple(
        replace(
            e,
            action=t[19],
            why_it_matters=t[20],
            help_offered=t[21],
            how_judged=t[22],
            reviews=tuple(replace(r, note=t[23]) for r in e.reviews),
        )
        for e in facts.expectations
    )
    return replace(
        facts,
        details=details,
        recipient=recipient,
        expectations=expectations,
        note=t[24],
        team_name=t[25],
        social_worker=StaffFacts(t[26], t[27]),
        adults=tuple(recipient if a.id == recipient.id else a for a in facts.adults),
        extension=ExtensionFacts(facts.extension.decided_on, facts.extension.new_end, t[28])
        if facts.extension
        else None,
        court_reference=t[29],
    )


def displayed(kind: str, context: dict) -> list[str]:
    """Values each kind's template always shows (given the sample family's facts)."""
    values = [
        context["recipient"]["name"],
        context["recipient"]["address"],
        context["team_name"],
        context["social_worker"]["name"],
        context["note"]["text"],
    ]
    if kind in (LetterKind.LETTER_BEFORE_PROCEEDINGS, LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN):
        values += [
            context["concerns"],
            context["history"],
            context["help_given"],
            context["meeting"]["place"],
            context["fgdm"]["how_to_accept"],
            *context["meeting"]["attendees"],
        ]
        if context["legal"]["has"]:
            values += [context["legal"]["name"], context["legal"]["reference"]]
        values += [a[k] for a in context["assessments"] for k in ("what", "why", "who")]
        values += [e[k] for e in context["expectations"] for k in ("action", "why", "help", "how")]
    if kind == LetterKind.REVIEW_OUTCOME:
        values += [e[k] for e in context["expectations"] for k in ("action", "review_note")]
        values.append(context["extension"]["reason"])
    if kind == LetterKind.LETTER_OF_ISSUE:
        values.append(context["concerns"])
    return values


def check_kind(kind: str, texts: list[str]) -> bytes:
    context = REGISTRY[kind].context(hostile_facts(kind, texts))
    rendered = rendering.render(shipped_template(kind).data, context, logo=LOGO)
    text = full_text(rendered.data)  # python-docx opens it: a valid document
    for value in displayed(kind, context):
        expected = rendering.clean_value(value)
        if expected:
            assert expected in text, (kind, value[:80])
    assert "loooploop" not in text and "<class" not in text
    return rendered.data


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.lists(hostile_text, min_size=30, max_size=30))
def test_hostile_text_in_a_letter_before_proceedings(texts):
    check_kind(LetterKind.LETTER_BEFORE_PROCEEDINGS, texts)


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind", [k for k in LetterKind.values if k != LetterKind.LETTER_BEFORE_PROCEEDINGS]
)
@settings(max_examples=12, deadline=None)
@given(texts=st.lists(hostile_text, min_size=30, max_size=30))
def test_hostile_text_in_every_other_kind(kind, texts):
    check_kind(kind, texts)


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARS))))
def test_cleaning_leaves_only_characters_a_document_can_hold(value):
    cleaned = rendering.clean_value(value)
    assert cleaned == clean_text(cleaned)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in cleaned)
    assert not any(ord(c) < 32 and c not in "\t\n" for c in cleaned)
    assert "\r" not in cleaned


@pytest.mark.slow
def test_a_hostile_sample_opens_in_libreoffice(tmp_path):
    if not (pdf.available() and shutil.which("pdftotext")):
        pytest.fail(
            "LibreOffice and pdftotext are needed: `bash scripts/test` installs them "
            "(apt-get install libreoffice-writer-nogui poppler-utils)",
            pytrace=False,
        )
    texts = (NASTY * 2)[:30]
    data = check_kind(LetterKind.LETTER_BEFORE_PROCEEDINGS, texts)
    converted = pdf.docx_to_pdf(data)
    source = tmp_path / "hostile.pdf"
    source.write_bytes(converted)
    out = subprocess.run(
        ["pdftotext", "-raw", str(source), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    squashed = " ".join(out.split())
    assert "A & B <O'Neil> \"quoted\" 'single'" in squashed
    assert "{{ 7*7 }}" in squashed and "49" not in squashed.replace("01632", "")


@pytest.mark.django_db
@pytest.mark.parametrize("value", [*NASTY[:12], NASTY[-1][:1500]])
def test_hostile_text_through_the_services(value, staff, today):
    """The same text typed into the case record, end to end through the services."""
    case = family_case(
        "pre_proceedings",
        staff,
        adults=[{**ADULTS[0], "first_name": value[:100], "address": value[:1000]}],
    )
    add_expectation(
        case,
        staff.social_worker,
        action=value,
        why_it_matters=value,
        help_offered=value,
        how_judged=value,
    )
    set_details(
        case,
        staff.social_worker,
        concerns=value,
        history=value,
        help_given=value,
        meeting_place=value[:500],
        fgdm_how_to_accept=value[:1000],
    )
    letter = generate(case, staff.social_worker, recipient=case.adults.get(), note=value[:3000])
    expected = rendering.clean_value(value)
    text = full_text(
        services.letter_download(letter_id=letter.pk, actor=staff.social_worker).path.read_bytes()
    )
    if expected:
        assert text.count(expected) >= 6
