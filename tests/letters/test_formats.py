"""The easy-read letter before proceedings and the letter to a young person: the drawn
pictures, the templates (16 point, a picture with alt text beside each part, rebuilt
byte for byte), what they say, how plain they are, and making them through the service
(docs/letter-formats.md)."""

from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import replace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from legaltracker.cases.models import CaseEvent, Child
from legaltracker.core.errors import InvalidInput
from letters import build_easy_read, builders_variants, conf, pictures, rendering, samples
from letters.choices import LetterKind, LetterVariant
from letters.facts import AdultFacts, ExpectationFacts
from letters.models import Letter
from letters.readability import analyse, jargon_terms
from letters.registry import shipped_template, shipped_template_name
from letters.services import letter_generate_variant, young_people

from .conftest import mother

LBP = LetterKind.LETTER_BEFORE_PROCEEDINGS
UNBORN = LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN
EASY = LetterVariant.EASY_READ
YOUNG = LetterVariant.YOUNG_PERSON
VARIANTS = sorted(builders_variants.VARIANT_BUILDERS)


def render(kind: str, variant: str, facts=None):
    facts = facts or builders_variants.sample_variant_facts(kind, variant)
    context = builders_variants.VARIANT_BUILDERS[(kind, variant)](facts, jargon_terms())
    template = shipped_template(kind, "en", variant).data
    rendered = rendering.render(template, context, logo=conf.DEFAULT_LOGO.read_bytes())
    return context, rendered


def eight_expectations(facts):
    """The invented family with a schedule of eight items."""
    items = []
    for number in range(8):
        base = samples.EXPECTATIONS[number % len(samples.EXPECTATIONS)]
        items.append(
            replace(
                base,
                id=100 + number,
                position=number + 1,
                due_by=dt.date(2026, 4, 17) + dt.timedelta(days=7 * number),
            )
        )
    return replace(facts, expectations=tuple(items))


# --- the pictures -----------------------------------------------------------------------


def test_each_picture_is_a_png_drawn_here_and_shipped_as_built(tmp_path):
    written = {p.name: p for p in build_easy_read.build(tmp_path)}
    shipped = conf.SHIPPED_TEMPLATE_DIR / "pictures"
    seen = set()
    for picture in pictures.PICTURES.values():
        data = pictures.picture_png(picture.name)
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (pictures.SIZE, pictures.SIZE)
        assert (
            data
            == (shipped / picture.file_name).read_bytes()
            == written[picture.file_name].read_bytes()
        )
        assert picture.alt.startswith("A drawing of")
        seen.add(data)
    assert len(seen) == len(pictures.PICTURES) >= 8  # each picture is its own


def test_the_build_script_reproduces_the_committed_templates(tmp_path):
    for name in build_easy_read.TEMPLATES:
        path = tmp_path / name
        if not path.exists():
            build_easy_read.build(tmp_path)
        assert path.read_bytes() == (conf.SHIPPED_TEMPLATE_DIR / name).read_bytes(), name


@pytest.mark.parametrize(("kind", "variant"), VARIANTS)
def test_the_registry_names_each_variant_template(kind, variant):
    assert shipped_template_name(kind, "en", variant) in build_easy_read.TEMPLATES


# --- the templates' look -------------------------------------------------------------------


def _size(paragraph, run) -> float:
    if run.font.size is not None:
        return run.font.size.pt
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return 10.0


def _paragraphs(doc):
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


@pytest.mark.parametrize(("kind", "variant"), VARIANTS)
def test_every_word_is_16_point_or_larger(kind, variant):
    _, rendered = render(kind, variant)
    doc = Document(io.BytesIO(rendered.data))
    sizes = [
        (_size(paragraph, run), run.text)
        for paragraph in _paragraphs(doc)
        for run in paragraph.runs
        if run.text.strip()
    ]
    assert len(sizes) > 50
    assert [(size, text) for size, text in sizes if size < 16] == []


@pytest.mark.parametrize(("kind", "variant"), VARIANTS)
def test_each_part_has_a_picture_beside_it_with_alt_text(kind, variant):
    _, rendered = render(kind, variant)
    doc = Document(io.BytesIO(rendered.data))
    alts = {p.alt for p in pictures.PICTURES.values()}
    parts = [table for table in doc.tables if len(table.columns) == 2]
    assert len(parts) >= 6
    for table in parts:
        picture_cell, words_cell = table.rows[0].cells
        described = [e.get("descr") for e in picture_cell._tc.iter(qn("wp:docPr"))]
        assert len(described) == 1 and described[0] in alts
        assert words_cell.paragraphs[0].style.name == "Heading 2"
        assert not list(words_cell._tc.iter(qn("wp:docPr")))
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        assert caption is not None and caption.get(qn("w:val"))


@pytest.mark.parametrize(("kind", "variant"), VARIANTS)
def test_the_signature_and_the_glossary_are_never_left_alone_on_a_page(kind, variant):
    _, rendered = render(kind, variant)
    doc = Document(io.BytesIO(rendered.data))
    # The signature is the end of the last part, whose row is kept on one page.
    last = doc.tables[-1]
    words = [p.text for p in last.rows[0].cells[-1].paragraphs if p.text.strip()]
    assert words[-2:] == ["Sam Brookfield", "Your social worker"]
    assert len(words) > 6
    assert last._tbl.find(qn("w:tr")).find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
    [box] = [t for t in doc.tables if len(t.columns) == 1]
    assert box.rows[0].cells[0].paragraphs[0].text == "Words we use in this letter"
    assert box._tbl.find(qn("w:tr")).find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
    assert not [p for p in doc.paragraphs if p.text.strip() == "Sam Brookfield"]


@pytest.mark.parametrize(("kind", "variant"), VARIANTS)
def test_each_builder_provides_what_its_template_uses(kind, variant):
    used = rendering.undeclared_variables(shipped_template(kind, "en", variant).data)
    context, _ = render(kind, variant)
    assert used <= set(context)
    assert "glossary" in used


# --- plain enough ----------------------------------------------------------------------------


@pytest.mark.parametrize("family", ["sample", "eight expectations"])
@pytest.mark.parametrize(("kind", "variant"), VARIANTS)
def test_the_variants_meet_the_plain_language_targets(kind, variant, family):
    facts = builders_variants.sample_variant_facts(kind, variant)
    if family == "eight expectations":
        facts = eight_expectations(facts)
    context, rendered = render(kind, variant, facts)
    report = analyse(rendered.blocks, explained=[g["term"] for g in context["glossary"]])
    assert report.reading_ease >= 70, report.as_dict()
    assert report.grade <= 6, report.as_dict()
    assert report.long_sentences == []
    assert report.unexplained_jargon == []
    if family == "eight expectations" and variant == EASY:
        assert len(context["easy"]["expectations"]) >= 8 or kind == UNBORN


# --- what they say ---------------------------------------------------------------------------


def test_the_easy_read_letter_says_the_same_facts_one_idea_a_line():
    context, rendered = render(LBP, EASY)
    blocks = rendered.blocks
    text = rendered.text
    assert "Amy Fletcher, born on 12 May 2019" in blocks
    assert "Ben Fletcher, born on 3 September 2022" in blocks
    # The concerns, one sentence on each line.
    for sentence in (
        "Amy and Ben have been left at home on their own at night.",
        "The house has not been safe for them.",
        "Amy has missed a lot of school.",
    ):
        assert sentence in blocks
    for row in context["expectations"]:
        assert f"Do this by: {row['due']}." in blocks
    assert "1. Keep the home clean and safe." in blocks
    assert "Keep the floors clear of rubbish." in blocks
    assert "Date: Tuesday 17 March 2026" in blocks and "Time: 10am" in blocks
    for solicitor in samples.SOLICITORS:
        assert solicitor["name"] in blocks
    for words in (
        "This is called legal aid.",
        "Their help is free for you.",
        "You can bring a friend or someone from your family too.",
        "If you cannot come, please call us on 01632 960 000.",
        "Your social worker is Sam Brookfield.",
        "How to say yes: call Sam Brookfield on 01632 960 000 or reply to this letter.",
        "For example, in bigger print, or in another language.",
    ):
        assert words in text, words
    assert "a family meeting" in text and "family network meeting" not in text


def test_the_easy_read_letter_in_wales_offers_a_family_network_meeting():
    facts = builders_variants.sample_variant_facts(LBP, EASY, nation="wales")
    _, rendered = render(LBP, EASY, facts)
    assert "We would like to help you hold a family network meeting." in rendered.blocks


def test_no_family_meeting_part_when_an_exception_is_recorded():
    facts = builders_variants.sample_variant_facts(LBP, EASY)
    facts = replace(facts, fgdm_exception_on_case="Not safe for the child.")
    _, rendered = render(LBP, EASY, facts)
    assert "Family and friends who could help" not in rendered.text


def test_the_easy_read_letter_to_someone_without_parental_responsibility():
    facts = builders_variants.sample_variant_facts(LBP, EASY, recipient=samples.GRANDMOTHER)
    _, rendered = render(LBP, EASY, facts)
    assert "You may want to talk to a solicitor about it." in rendered.blocks
    assert "This is called legal aid." not in rendered.blocks


def test_the_unborn_babys_easy_read_letter():
    _, rendered = render(UNBORN, EASY)
    assert "The baby is due on Friday 19 June 2026." in rendered.blocks


def test_the_young_persons_letter_speaks_to_them_without_blame():
    context, rendered = render(LBP, YOUNG)
    text = rendered.text
    assert rendered.blocks[0] == "Jade Fletcher"
    assert "Dear Jade," in rendered.blocks
    assert context["young"]["age"] == 14 and context["recipient"]["has_pr"] is False
    for words in (
        "This is not your fault.",
        "You have not done anything wrong.",
        "We are also thinking about Amy and Ben.",
        "You can ask for an advocate.",
        "If we go to court, you will have a children's guardian.",
        "They do not work for us. They work for Cafcass.",
        "You can call Childline on 0800 1111.",
        "Your social worker is Sam Brookfield.",
        "We will meet your family on Tuesday 17 March 2026.",
    ):
        assert words in text, words
    # The parents' letter's words are not repeated to the child.
    assert samples.DETAILS.concerns.split(".")[0] not in text
    assert "drink" not in text
    assert {g["term"] for g in context["glossary"]} >= {"Advocate", "Children's guardian"}


def test_the_young_persons_letter_in_wales_names_cafcass_cymru():
    facts = builders_variants.sample_variant_facts(LBP, YOUNG, nation="wales")
    _, rendered = render(LBP, YOUNG, facts)
    assert "They do not work for us. They work for Cafcass Cymru." in rendered.blocks


def test_a_hostile_name_and_note_stay_literal():
    hostile = builders_variants.ChildFacts(
        "Ŵyn {{ x }}", "<b>Pŷr</b> {% if %}", date_of_birth=dt.date(2012, 1, 20)
    )
    facts = builders_variants.sample_variant_facts(
        LBP, YOUNG, note="A note with {{ secret }} & <i>markup</i>."
    )
    facts = replace(facts, extra={"young_person": hostile})
    _, rendered = render(LBP, YOUNG, facts)
    assert "Dear Ŵyn {{ x }}," in rendered.blocks
    assert "Ŵyn {{ x }} <b>Pŷr</b> {% if %}" in rendered.blocks
    assert "A note with {{ secret }} & <i>markup</i>." in rendered.blocks
    adult = AdultFacts(9, "Ŵil {{ y }}", "<b>Lŷn</b>", "mother", True, "1 Stryd & <Fawr>")
    facts = builders_variants.sample_variant_facts(LBP, EASY, recipient=adult)
    _, rendered = render(LBP, EASY, facts)
    assert "Ŵil {{ y }} <b>Lŷn</b>" in rendered.blocks
    assert "1 Stryd & <Fawr>" in rendered.blocks


def test_age_counts_whole_years():
    born = dt.date(2014, 3, 4)
    assert builders_variants.age_on(born, dt.date(2026, 3, 3)) == 11
    assert builders_variants.age_on(born, dt.date(2026, 3, 4)) == 12
    assert builders_variants.age_on(dt.date(2012, 2, 29), dt.date(2024, 2, 28)) == 11
    assert builders_variants.age_on(dt.date(2012, 2, 29), dt.date(2024, 2, 29)) == 12


def test_expectation_facts_with_one_sentence_have_no_more_lines():
    facts = builders_variants.sample_variant_facts(LBP, EASY)
    single = ExpectationFacts(
        9, 1, (1,), "Go to every meeting", "Why.", "Help one. Help two.", "How.", facts.today
    )
    context = builders_variants.easy_read_letter_before_proceedings(
        replace(facts, expectations=(single,)), jargon_terms()
    )
    [row] = context["easy"]["expectations"]
    assert row["first"] == "Go to every meeting" and row["more"] == []
    assert row["help"] == ["Help one.", "Help two."]


# --- making them ------------------------------------------------------------------------------


@pytest.fixture
def jade(lbp_case, today):
    return Child.objects.create(
        case=lbp_case, first_name="Jade", last_name="Fletcher", date_of_birth=dt.date(2012, 1, 20)
    )


def make(case, actor, variant, **data):
    return letter_generate_variant(
        case_id=case.pk, actor=actor, data=data, kind=LBP, language="en", variant=variant
    )


@pytest.mark.django_db
def test_an_easy_read_letter_is_made_recorded_and_audited(lbp_case, staff, today):
    letter = make(lbp_case, staff.social_worker, EASY, recipient=mother(lbp_case).pk)
    assert (letter.variant, letter.language) == (EASY, "en")
    assert letter.recipient == mother(lbp_case) and letter.recipient_child is None
    assert letter.template_source == "shipped:letter_before_proceedings.easy_read.docx"
    assert "Do this by:" in letter.text and letter.reading_ease >= 70
    assert letter.file_name.endswith("-letter-before-proceedings-easy-read-2026-03-04")
    event = CaseEvent.objects.filter(case=lbp_case, action="letter_generated").latest("id")
    assert event.details["letter_id"] == letter.pk
    assert event.details["variant"] == EASY and event.details["recipient_child_id"] is None


@pytest.mark.django_db
def test_a_young_persons_letter_goes_to_the_child(lbp_case, staff, jade):
    letter = make(lbp_case, staff.social_worker, YOUNG, child=str(jade.pk), note="See you soon.")
    assert letter.recipient is None and letter.recipient_child == jade
    assert letter.addressee_name == "Jade Fletcher"
    assert letter.context["recipient"]["name"] == "Jade Fletcher"
    assert "Dear Jade," in letter.text and "See you soon." in letter.text
    event = CaseEvent.objects.filter(case=lbp_case, action="letter_generated").latest("id")
    assert event.details["recipient_child_id"] == jade.pk and event.details["recipient_id"] is None
    assert young_people(lbp_case) == [jade]


@pytest.mark.django_db
def test_sending_a_young_persons_letter_starts_no_clock(lbp_case, staff, jade):
    from letters.services import letter_approve, letter_record_sent

    letter = make(lbp_case, staff.social_worker, YOUNG, child=str(jade.pk))
    letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    sent = letter_record_sent(
        letter_id=letter.pk,
        actor=staff.social_worker,
        data={"date": letter.dated.isoformat(), "method": "hand"},
    )
    assert sent.status == "sent" and sent.sent_event is None
    assert not lbp_case.recorded_events.filter(
        kind__in=["letter_before_proceedings_sent", "fgdm_offered"]
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("born", "allowed"),
    [(dt.date(2014, 3, 4), True), (dt.date(2014, 3, 5), False), (None, False)],
)
def test_the_young_person_must_be_12_or_over_today(lbp_case, staff, today, born, allowed):
    child = Child.objects.create(
        case=lbp_case, first_name="Cal", last_name="Fletcher", date_of_birth=born
    )
    assert (child in young_people(lbp_case)) is allowed
    if allowed:
        assert make(lbp_case, staff.social_worker, YOUNG, child=child.pk).recipient_child == child
        return
    with pytest.raises(InvalidInput) as refused:
        make(lbp_case, staff.social_worker, YOUNG, child=child.pk)
    assert "12 or over" in refused.value.message
    assert "child" in refused.value.field_errors
    assert not Letter.objects.filter(case=lbp_case).exists()


@pytest.mark.django_db
def test_refusals_name_what_to_fix(lbp_case, staff, jade, other_staff):
    from tests.factories import case_at

    worker = staff.social_worker
    elsewhere = case_at("pre_proceedings", other_staff)
    stranger = Child.objects.create(
        case=elsewhere, first_name="Kim", last_name="Lee", date_of_birth=dt.date(2010, 1, 1)
    )
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"variant": YOUNG, "data": {}}, "child", "Choose the young person"),
        ({"variant": YOUNG, "data": {"child": "x1"}}, "child", "id of a child"),
        ({"variant": YOUNG, "data": {"child": stranger.pk}}, "child", "not a child on this case"),
        ({"variant": EASY, "data": {}}, "recipient", "Choose who the letter is for"),
        ({"variant": EASY, "data": {"recipient": jade.pk + 10_000}}, "recipient", "not an adult"),
        ({"variant": "standard", "data": {}}, "variant", "easy_read or young_person"),
        (
            {"variant": EASY, "kind": LetterKind.GATEWAY_OUTCOME, "data": {"recipient": 1}},
            "variant",
            "has no 'easy read' version",
        ),
        (
            {"variant": YOUNG, "language": "cy", "data": {"child": jade.pk}},
            "variant",
            "not available in Welsh",
        ),
    ]
    for request, field, words in cases:
        with pytest.raises(InvalidInput) as refused:
            letter_generate_variant(
                case_id=lbp_case.pk,
                actor=worker,
                data=request["data"],
                kind=request.get("kind", LBP),
                language=request.get("language", "en"),
                variant=request["variant"],
            )
        found = " ".join([refused.value.message, *refused.value.field_errors.get(field, [])])
        assert field in refused.value.field_errors, (request, refused.value.field_errors)
        assert words in found, (request, found)
    assert not Letter.objects.filter(case=lbp_case).exists()


@pytest.mark.django_db
@pytest.mark.urls("tests.letters.urls")
def test_pages_and_api_show_a_child_recipient(lbp_case, staff, jade, client_for):
    letter = make(lbp_case, staff.social_worker, YOUNG, child=jade.pk)
    browser = Client()
    browser.force_login(staff.social_worker)
    page = browser.get(reverse("letters:letter_detail", args=[letter.pk]))
    assert page.status_code == 200
    assert "(for a young person) for Jade Fletcher" in page.content.decode()
    listing = browser.get(reverse("casework:case_letters", args=[lbp_case.pk]))
    assert listing.status_code == 200
    assert "Jade Fletcher (for a young person)" in listing.content.decode()
    body = client_for(staff.social_worker).get(f"/api/v1/letters/{letter.pk}/").json()
    assert body["recipient"] is None and body["recipient_child"] == jade.pk
    assert body["recipient_name"] == "Jade Fletcher"


@pytest.mark.parametrize("variant", [EASY, YOUNG])
def test_a_variant_template_is_checked_against_its_own_builder(variant):
    """An administrator's replacement easy-read or young person's template is checked
    (and sample-rendered) with the variant's builder, as the shipped one is."""
    from letters.checks import template_problems, validate_template

    data = shipped_template(LBP, "en", variant).data
    assert validate_template(LBP, data, "en", variant)["problems"] == []
    # Against the standard letter's builder its own keys are unknown.
    assert template_problems(LBP, data, "en", LetterVariant.STANDARD) != []
    # A variant the kind does not have is refused with a sentence.
    gateway = shipped_template(LetterKind.GATEWAY_OUTCOME).data
    assert template_problems(LetterKind.GATEWAY_OUTCOME, gateway, "en", variant) == [
        f"The gateway outcome letter (plan continues) has no {variant.replace('_', ' ')} version."
    ]


@pytest.mark.django_db
def test_an_easy_read_letter_to_an_adult_with_another_language_asks_for_its_translation(
    lbp_case, staff
):
    adult = mother(lbp_case)
    adult.correspondence_language, adult.correspondence_language_other = "other", "Polish"
    adult.save()
    letter = make(lbp_case, staff.social_worker, EASY, recipient=adult.pk)
    assert letter.translation.language == "Polish" and not letter.translation.settled
    event = CaseEvent.objects.filter(case=lbp_case, action="letter_generated").latest("id")
    assert event.details["translation_requested"] == "Polish"
    assert event.details["variant"] == EASY


@pytest.mark.django_db
def test_an_adult_who_asked_for_easy_read_gets_it_unless_another_version_is_asked(lbp_case, staff):
    from letters.services import letter_generate, letters_generate_for_recipients

    adult = mother(lbp_case)
    adult.easy_read = True
    adult.save()
    kind = {"kind": LBP}
    chosen = letter_generate(
        case_id=lbp_case.pk, actor=staff.social_worker, data={**kind, "recipient": adult.pk}
    )
    assert chosen.variant == EASY
    asked = letter_generate(
        case_id=lbp_case.pk,
        actor=staff.social_worker,
        data={**kind, "recipient": adult.pk, "variant": "standard"},
    )
    assert asked.variant == "standard"
    # For every adult with parental responsibility: each gets their own version, in order.
    each = letters_generate_for_recipients(
        case_id=lbp_case.pk, actor=staff.social_worker, data=kind
    )
    versions = {letter.recipient_id: letter.variant for letter in each}
    assert versions[adult.pk] == EASY
    assert set(versions.values()) == {EASY, "standard"}
    assert [letter.recipient_id for letter in each] == [
        a.pk for a in lbp_case.adults.all() if a.parental_responsibility
    ]


@pytest.mark.django_db
def test_the_letter_page_reminds_that_an_adult_asked_for_large_print(lbp_case, staff):
    from letters.services import letter_generate

    adult = mother(lbp_case)
    letter = letter_generate(
        case_id=lbp_case.pk, actor=staff.social_worker, data={"kind": LBP, "recipient": adult.pk}
    )
    client = Client()
    client.force_login(staff.social_worker)
    url = reverse("letters:letter_detail", args=[letter.pk])
    assert "asked for large print" not in client.get(url).content.decode()
    adult.large_print = True
    adult.save()
    body = client.get(url).content.decode()
    assert f"{adult} asked for large print" in body
