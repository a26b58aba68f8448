"""Welsh and bilingual letters: the shipped templates, their language marks, the Welsh
words, hostile names kept literal, and which language a letter is made in."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace

import pytest
from docx import Document
from docx.oxml.ns import qn

from legaltracker.cases.models import Adult
from letters import build_templates_cy, checks, rendering, samples, services, welsh
from letters.choices import LetterKind
from letters.models import CouncilDetails, Letter
from letters.registry import REGISTRY, shipped_template

from .conftest import generate, mother

W_LANG = qn("w:lang")
W_VAL = qn("w:val")


def _document(data: bytes):
    return Document(io.BytesIO(data))


def _default_language(document) -> str:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    return defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(W_LANG).get(W_VAL)


def _run_languages(document) -> set[str]:
    return {
        lang.get(W_VAL)
        for lang in document.element.body.iter(W_LANG)
        if lang.getparent().getparent().tag == qn("w:r")
    }


def _render(kind: str, language: str, facts=None) -> tuple[bytes, list[str]]:
    facts = facts or samples.sample_facts(kind)
    context = welsh.with_language(REGISTRY[kind].context(facts), facts, language)
    rendered = rendering.render(shipped_template(kind, language).data, context, logo=None)
    return rendered.data, rendered.blocks


# --- the shipped files -----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LetterKind.values))
@pytest.mark.parametrize("language", ["cy", "cy_en"])
def test_every_kind_has_welsh_and_bilingual_templates_its_context_provides_for(kind, language):
    template = shipped_template(kind, language)
    assert checks.template_problems(kind, template.data, language) == []


def test_the_welsh_templates_are_built_byte_for_byte_by_the_script(tmp_path):
    written = build_templates_cy.build(tmp_path)
    assert len(written) == 2 * len(LetterKind.values)
    for path in written:
        kind, language = path.name.split(".")[:2]
        assert path.read_bytes() == shipped_template(kind, language).data, path.name


def test_a_welsh_template_with_an_unknown_name_is_refused():
    doc = build_templates_cy.welsh("gateway_outcome")
    doc.add_paragraph("{{ cy.gateway_date }} {{ dyddiad_anhysbys }}")
    buffer = io.BytesIO()
    doc.save(buffer)
    problems = checks.template_problems("gateway_outcome", buffer.getvalue(), "cy")
    assert problems and "dyddiad_anhysbys" in problems[0]


# --- language marks ----------------------------------------------------------------------


def test_a_welsh_letter_is_marked_cy_gb_and_says_it_in_welsh():
    data, blocks = _render("letter_before_proceedings", "cy")
    document = _document(data)
    assert _default_language(document) == "cy-GB"
    assert document.core_properties.language == "cy-GB"
    assert "en-GB" not in _run_languages(document)
    text = "\n".join(blocks)
    # The sample meeting is on Tuesday 17 March 2026 at 10am.
    assert "Dyddiad: dydd Mawrth 17 Mawrth 2026" in text
    assert "Amser: 10 y bore" in text
    assert "cymorth cyfreithiol" in text
    assert "rhywun i'ch cefnogi" in text  # a supporter as well as a solicitor
    assert "Amy Fletcher, dyddiad geni: 12 Mai 2019" in blocks
    assert "Tuesday" not in text and "March" not in text


def test_a_bilingual_letter_has_both_languages_welsh_first():
    data, blocks = _render("letter_of_issue", "cy_en")
    document = _document(data)
    assert _default_language(document) == "cy-GB"
    assert "en-GB" in _run_languages(document)
    welsh_at = blocks.index("Rydym yn gofyn i lys benderfynu")
    english_at = blocks.index("We are asking a court to decide")
    assert welsh_at < english_at
    # Every run of the English half is marked English; the Welsh half is not.
    body = list(document.element.body.iterchildren())
    english_paragraph = next(
        p for p in document.paragraphs if p.text == "We are asking a court to decide"
    )
    start = body.index(english_paragraph._p)
    for element in body[start:]:
        for run in element.iter(qn("w:r")):
            lang = run.find(qn("w:rPr")).find(W_LANG)
            assert lang is not None and lang.get(W_VAL) == "en-GB"
    welsh_paragraph = next(p for p in document.paragraphs if p.text == blocks[welsh_at])
    assert all(
        run._r.find(qn("w:rPr")) is None or run._r.find(qn("w:rPr")).find(W_LANG) is None
        for run in welsh_paragraph.runs
    )


# --- Welsh words ------------------------------------------------------------------------


def test_welsh_dates_times_and_lists():
    assert welsh.long_date(dt.date(2028, 1, 4)) == "dydd Mawrth 4 Ionawr 2028"
    assert welsh.date_text("Tuesday 4 January 2028") == "dydd Mawrth 4 Ionawr 2028"
    assert welsh.date_text("4 January 2028") == "4 Ionawr 2028"
    assert welsh.date_text("not a date") == "not a date"
    assert welsh.time_text("2:30pm") == "2:30 y prynhawn"
    assert welsh.time_text("12 noon") == "12 canol dydd"
    assert welsh.time_text("7pm") == "7 yr hwyr"
    assert welsh.join_words(["Amy", "Ben", "Elis"]) == "Amy, Ben ac Elis"
    assert welsh.join_words(["Amy", "Ben"]) == "Amy a Ben"


def test_the_review_letter_follows_the_statuses_in_welsh():
    # The sample review: one item done, one partly done, one not due yet.
    _, blocks = _render("review_outcome", "cy")
    assert {"Wedi'i wneud", "Wedi'i wneud yn rhannol", "Ddim i'w wneud eto"} <= set(blocks)
    assert "Os bydd pethau'n dal i wella, ni fyddwn yn mynd i'r llys." in blocks
    base = samples.sample_facts("review_outcome")
    undone = [
        replace(e, reviews=tuple(replace(r, status="not_met") for r in e.reviews))
        for e in base.expectations
    ]
    _, blocks = _render("review_outcome", "cy", replace(base, expectations=tuple(undone)))
    assert "Mae rhai pethau heb eu gwneud. Mae angen eu gwneud erbyn y dyddiad yn y tabl." in blocks
    assert "Os bydd pethau'n dal i wella, ni fyddwn yn mynd i'r llys." not in blocks


def test_a_welsh_family_network_meeting_is_offered_in_wales():
    facts = replace(samples.sample_facts("letter_before_proceedings"), nation="wales")
    _, blocks = _render("letter_before_proceedings", "cy", facts)
    assert "Cyfarfod rhwydwaith teulu" in blocks


# --- hostile names --------------------------------------------------------------------

HOSTILE = "Dŵr <b>Ŷd</b> {{ x }} {% if 1 %}"


@pytest.mark.parametrize("language", ["cy", "cy_en"])
def test_a_hostile_name_with_welsh_letters_stays_literal(language):
    base = samples.sample_facts("letter_before_proceedings")
    facts = replace(base, recipient=replace(base.recipient, first_name=HOSTILE))
    data, blocks = _render("letter_before_proceedings", language, facts)
    text = "\n".join(blocks)
    assert f"Annwyl {HOSTILE} Fletcher," in text
    if language == "cy_en":
        assert f"Dear {HOSTILE} Fletcher," in text
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<b>" not in xml and "&lt;b&gt;" in xml


# --- making letters in a language ----------------------------------------------------------


@pytest.mark.django_db
def test_an_adult_who_asked_for_welsh_gets_a_welsh_letter(lbp_case, staff):
    kerry = mother(lbp_case)
    Adult.objects.filter(pk=kerry.pk).update(correspondence_language="cy")
    letter = generate(lbp_case, staff.social_worker)
    assert letter.language == "cy"
    assert letter.readability["scored"] is False and letter.reading_ease == 0.0
    assert "Annwyl Kerry Fletcher," in letter.text
    assert letter.template_source == "shipped:letter_before_proceedings.cy.docx"
    event = lbp_case.audit_events.filter(action="letter_generated").last()
    assert event.details["language"] == "cy"
    # Made again from what it was made from: the same bytes.
    assert services.letter_reproduce(letter).sha256 == letter.file_sha256


@pytest.mark.django_db
def test_a_council_in_wales_writes_bilingually_to_adults_who_did_not_ask_for_welsh(lbp_case, staff):
    CouncilDetails.objects.create(
        name="Cyngor Sir", address="1 Stryd Fawr", phone="01632 960 111", default_language="cy_en"
    )
    assert generate(lbp_case, staff.social_worker).language == "cy_en"
    Adult.objects.filter(pk=mother(lbp_case).pk).update(correspondence_language="cy")
    assert generate(lbp_case, staff.social_worker).language == "cy"


@pytest.mark.django_db
def test_the_language_asked_for_wins_and_an_unknown_one_is_a_400(lbp_case, staff):
    from legaltracker.core.errors import InvalidInput

    assert generate(lbp_case, staff.social_worker, language="cy_en").language == "cy_en"
    assert generate(lbp_case, staff.social_worker).language == "en"
    before = Letter.objects.count()
    with pytest.raises(InvalidInput) as refused:
        generate(lbp_case, staff.social_worker, language="fr")
    assert "language" in refused.value.field_errors
    assert Letter.objects.count() == before


@pytest.mark.django_db
def test_the_api_makes_a_welsh_letter(lbp_case, staff, client_for):
    client = client_for(staff.social_worker)
    answer = client.post(
        f"/api/v1/cases/{lbp_case.pk}/letters/",
        {"kind": "letter_before_proceedings", "recipient": mother(lbp_case).pk, "language": "cy"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["language"] == "cy"
    assert answer.json()["variant"] == "standard"
    assert answer.json()["translation"] is None
    bad = client.post(
        f"/api/v1/cases/{lbp_case.pk}/letters/",
        {"kind": "letter_before_proceedings", "recipient": mother(lbp_case).pk, "variant": "x"},
        format="json",
    )
    assert bad.status_code == 400 and "variant" in bad.json()["errors"]


def test_every_phrase_the_english_builder_writes_has_its_welsh():
    """The timetable's steps and the letter of issue's enclosures are the builder's own
    words, so a Welsh letter must never fall back to them in English."""
    from letters import builders

    issued = samples.sample_facts(LetterKind.LETTER_OF_ISSUE, issued_on=dt.date(2026, 3, 2))
    english = [*builders.TIMETABLE_WORDS.values(), *builders._enclosures(issued)]
    assert len(english) >= 4
    untranslated = [text for text in english if welsh.phrase(text) == text]
    assert untranslated == []
