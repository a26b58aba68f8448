"""What the letters say: the items the guidance asks the letter before proceedings for,
the review letter's words following the expectations' statuses, the letter of issue's
papers and hearing, the boxes that keep together, the dates that fall on a weekend or
a bank holiday, and every shipped English template's readability with the sample family
and with a family with eight expectations."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from dataclasses import replace
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from legaltracker.calendars.workingdays import WorkingDayCalendar
from legaltracker.cases import services as case_services
from legaltracker.cases.models import Case
from letters import conf, dates, rendering, samples, selectors
from letters.choices import ExpectationStatus, LetterKind, LetterLanguage, LetterVariant
from letters.facts import HearingFacts, ReviewFacts
from letters.readability import analyse, jargon_terms
from letters.registry import REGISTRY, shipped_template

from .conftest import add_expectation, family_case, generate, set_details

LBP = LetterKind.LETTER_BEFORE_PROCEEDINGS
LOGO = conf.DEFAULT_LOGO.read_bytes()


def render_text(kind: str, facts, template: bytes | None = None) -> tuple[dict, str, bytes]:
    context = REGISTRY[kind].context(facts)
    rendered = rendering.render(template or shipped_template(kind).data, context, logo=LOGO)
    return context, "\n".join(str(b) for b in rendered.blocks), rendered.data


def text_of(kind: str, **changes) -> str:
    return render_text(kind, samples.sample_facts(kind, **changes))[1]


# --- readability of every shipped English template on disk -----------------------------


def english_shipped_files() -> list[tuple[str, str, str, Path]]:
    """(kind, variant, file name, path) of each English template in the shipped folder,
    the standard letters and any variant (easy read, young person) found there."""
    stems = {spec.template_name.removesuffix(".docx"): kind for kind, spec in REGISTRY.items()}
    languages = {v for v in LetterLanguage.values if v != LetterLanguage.ENGLISH}
    found = []
    for path in sorted(conf.SHIPPED_TEMPLATE_DIR.glob("*.docx")):
        stem, *rest = path.name.removesuffix(".docx").split(".")
        if stem not in stems or any(part in languages for part in rest):
            continue
        variant = next((p for p in rest if p in LetterVariant.values), LetterVariant.STANDARD)
        found.append((stems[stem], variant, path.name, path))
    return found


def variant_context(kind: str, variant: str, *, eight: bool) -> dict:
    """The sample family's context for a kind in a variant (the variants' own builders
    for easy read and the young person's letter)."""
    if variant == LetterVariant.STANDARD:
        facts = samples.sample_facts(kind)
        build = REGISTRY[kind].context
        if eight:
            facts = samples.with_eight_expectations(facts)
        return build(facts)
    variants = importlib.import_module("letters.builders_variants")
    facts = variants.sample_variant_facts(kind, variant)
    if eight:
        facts = samples.with_eight_expectations(facts)
    return variants.variant_builder(kind, variant)(facts, jargon_terms())


SHIPPED = english_shipped_files()


def test_the_shipped_english_templates_are_all_found():
    names = {name for _, _, name, _ in SHIPPED}
    assert {spec.template_name for spec in REGISTRY.values()} <= names


@pytest.mark.parametrize("eight", [False, True], ids=["sample family", "eight expectations"])
@pytest.mark.parametrize(("kind", "variant", "name", "path"), SHIPPED, ids=[s[2] for s in SHIPPED])
def test_every_shipped_english_template_meets_the_plain_language_targets(
    kind, variant, name, path, eight
):
    context = variant_context(kind, variant, eight=eight)
    if eight and "expectations" in context:
        assert len(context["expectations"]) == 8
    rendered = rendering.render(path.read_bytes(), context, logo=LOGO)
    report = analyse(rendered.blocks, explained=[g["term"] for g in context["glossary"]])
    summary = report.as_dict()
    assert summary["reading_ease"] >= 70, (name, summary["reading_ease"])
    assert summary["grade"] <= 6, (name, summary["grade"])
    assert not summary["long_sentences"], (name, summary["long_sentences"])
    assert summary["unexplained_jargon"] == [], name


# --- the letter before proceedings ----------------------------------------------------------


def test_the_letter_before_proceedings_says_what_the_guidance_asks():
    text = text_of(LBP)
    # Free legal help, not tested on their money: legal aid.
    assert "legal aid" in text and "It does not matter how much money you have." in text
    # How to reply, and what to do if they cannot come.
    assert "Please call us on 01632 960 000 by Monday 16 March 2026." in text
    assert "Or you can email sam.brookfield@example.org." in text
    assert "If you cannot come on that day, please tell us as soon as you can." in text
    # A supporter as well as a solicitor.
    assert "Please bring your solicitor." in text
    assert "You can also bring a friend or someone from your family to support you." in text
    # The timetable, as dates.
    assert "Tuesday 28 April 2026: A meeting to check how things are going." in text
    assert "Tuesday 9 June 2026: A meeting to check how things are going." in text
    assert "Tuesday 7 July 2026: We decide if we need to go to court." in text
    # Family and friends who could help; the family meeting offer (England).
    assert "Family and friends who could help" in text
    assert "A family meeting" in text and "family network meeting" not in text
    # Other formats.
    assert "easy read or in large print" in text and "another language" in text
    assert "in Welsh" not in text
    # The children's dates of birth.
    assert "Amy Fletcher, born on 12 May 2019" in text
    assert "Ben Fletcher, born on 3 September 2022" in text


def test_in_wales_a_family_network_meeting_and_welsh_are_offered():
    text = text_of(LBP, nation="wales")
    assert "A family network meeting" in text
    assert "family group" not in text.lower() and "How to say yes" not in text
    assert "We can send it in Welsh, or in another language." in text


def test_without_a_meeting_date_there_is_no_reply_by_date_and_no_timetable():
    facts = samples.sample_facts(LBP)
    facts = replace(
        facts,
        details=replace(facts.details, meeting_date=None),
        timetable=(),
        reply_by=None,
    )
    context, text, _ = render_text(LBP, facts)
    assert context["reply"]["by"] == "" and context["timetable"] == []
    assert "Please call us on 01632 960 000." in text and "Our dates" not in text


def test_the_glossary_box_keeps_together_and_the_signature_keeps_with_the_closing():
    _, _, data = render_text(LBP, samples.sample_facts(LBP))
    doc = Document(io.BytesIO(data))
    glossary = next(t for t in doc.tables if "Words we use" in t.rows[0].cells[0].text)
    row = glossary.rows[0]._tr
    assert row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None
    cell_paragraphs = glossary.rows[0].cells[0].paragraphs
    assert all(p.paragraph_format.keep_with_next for p in cell_paragraphs[:-1])
    texts = [p.text for p in doc.paragraphs]
    closing = texts.index("If you have any questions, please call us on 01632 960 000.")
    chain = doc.paragraphs[closing : closing + 3]
    assert [p.text for p in chain][1] == "Yours sincerely,"
    assert all(p.paragraph_format.keep_with_next for p in chain)


def test_the_signatory_from_the_council_details_signs_too():
    council = {**samples.COUNCIL, "signatory_name": "Rhian Ŵyn", "signatory_role": "Head"}
    context, text, _ = render_text(LBP, samples.sample_facts(LBP, council=council))
    assert context["signatory"] == {"has": True, "name": "Rhian Ŵyn", "role": "Head"}
    assert "Rhian Ŵyn" in text and "Head, Eastbrook Borough Council" in text
    assert context["nation"] == "england"


# --- the review outcome letter ----------------------------------------------------------------


def review_text(*statuses: str) -> str:
    facts = samples.sample_facts(LetterKind.REVIEW_OUTCOME)
    reviewed = dt.date(2026, 4, 28)
    items = tuple(
        replace(e, reviews=(ReviewFacts(reviewed, status, "A note."),))
        for e, status in zip(facts.expectations, statuses, strict=True)
    )
    return text_of(LetterKind.REVIEW_OUTCOME, expectations=items)


def test_the_review_letter_is_hopeful_only_when_everything_is_done():
    met = ExpectationStatus.MET
    done = review_text(met, met, met)
    assert "If things keep getting better, we will not go to court." in done
    assert "You have done all the things we asked." in done


@pytest.mark.parametrize(
    ("statuses", "said"),
    [
        (("met", "not_met", "met"), "Some things have not been done."),
        (("met", "partly_met", "met"), "Some things are only partly done."),
        (("met", "met", "not_yet_due"), "Some things are not due yet."),
    ],
)
def test_the_review_letter_follows_the_statuses(statuses, said):
    text = review_text(*statuses)
    assert said in text
    assert "keep getting better" not in text
    assert "Each thing needs to be done by the date in the table." in text


# --- the letter of issue ----------------------------------------------------------------------


def test_the_letter_of_issue_says_we_serve_the_papers_and_an_urgent_hearing_may_come_first():
    text = text_of(LetterKind.LETTER_OF_ISSUE)
    assert "We will send you a copy of our papers when we send them to the court." in text
    assert "We do this, not the court." in text
    assert "The court will send you" not in text
    assert "The court will write to tell you the date, the time and the place." in text
    assert "This is an urgent hearing." in text
    assert "What comes with this letter" not in text


def test_the_letter_of_issue_gives_the_listed_hearing_and_the_enclosures():
    hearing = HearingFacts(dt.date(2026, 3, 20), dt.time(10, 30), "Eastbrook Family Court")
    text = text_of(LetterKind.LETTER_OF_ISSUE, issued_on=dt.date(2026, 3, 9), hearing=hearing)
    assert "The first hearing is on Friday 20 March 2026." in text
    assert "It starts at 10:30am." in text and "It is at Eastbrook Family Court." in text
    assert "With this letter, we send you a copy of our papers to the court." in text
    assert "What comes with this letter" in text
    assert "A copy of our application to the court" in text
    without_court = text_of(LetterKind.LETTER_OF_ISSUE, hearing=HearingFacts(dt.date(2026, 3, 20)))
    assert "The court will tell you where it is." in without_court
    assert "It starts at" not in without_court


# --- facts from the case ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_timetable_is_planned_from_the_meeting_by_the_timescale_policy(lbp_case, staff, today):
    letter = generate(lbp_case, staff.social_worker)
    steps = [(s["kind"], s["date_iso"]) for s in letter.context["timetable"]]
    # The meeting is on Tuesday 17 March 2026: reviews every 6 weeks, the decision at 16.
    assert steps == [
        ("review", "2026-04-28"),
        ("review", "2026-06-09"),
        ("decision", "2026-07-07"),
    ]
    assert letter.context["reply"]["by"] == "Monday 16 March 2026"
    assert "Tuesday 7 July 2026: We decide if we need to go to court." in letter.text


def test_a_planned_review_on_a_bank_holiday_moves_to_the_working_day_before():
    calendar = WorkingDayCalendar("england")
    # Six weeks after Monday 20 April 2026 is Monday 1 June; four weeks after Friday
    # 1 May 2026 is Friday 29 May; and Monday 25 May 2026 is the spring bank holiday.
    steps = selectors.planned_timetable(
        dt.date(2026, 4, 13), review_weeks=6, decision_weeks=20, calendar=calendar
    )
    assert dt.date(2026, 5, 25) not in [s.day for s in steps]
    assert steps[0].day == dt.date(2026, 5, 22)  # Friday before the bank holiday


@pytest.mark.django_db
def test_the_letter_of_issue_reads_the_listed_hearing_from_the_case(staff, today):
    case = family_case("issue", staff)
    case_services.event_record(
        case_id=case.pk,
        actor=staff.legal,
        data={
            "kind": "hearing_listed",
            "date": today.isoformat(),
            "hearing_type": "case_management_hearing",
            "hearing_date": "2026-03-20",
        },
    )
    set_details(
        Case.objects.get(pk=case.pk),
        staff.legal,
        hearing_time="10:30",
        hearing_court="Eastbrook Family Court",
    )
    letter = generate(Case.objects.get(pk=case.pk), staff.legal, kind="letter_of_issue")
    assert letter.context["hearing"] == {
        "has": True,
        "date": "Friday 20 March 2026",
        "date_iso": "2026-03-20",
        "time": "10:30am",
        "court": "Eastbrook Family Court",
    }
    assert "It is at Eastbrook Family Court." in letter.text


# --- weekends and bank holidays: warnings, not refusals ----------------------------------


def test_a_weekend_or_bank_holiday_date_gets_a_warning():
    calendar = WorkingDayCalendar("england")
    saturday = dates.day_warning(dt.date(2026, 3, 21), "The meeting", calendar=calendar)
    assert saturday and "Saturday" in saturday and "Saturday 21 March 2026" in saturday
    holiday = dates.day_warning(dt.date(2026, 5, 25), "Item 1's date", calendar=calendar)
    assert holiday and "bank holiday" in holiday
    assert dates.day_warning(dt.date(2026, 3, 17), "The meeting", calendar=calendar) is None
    context = {
        "expectations": [{"number": 1, "due_iso": "2026-04-06"}],  # Easter Monday
        "meeting": {"has": True, "date_iso": "2026-03-22"},  # a Sunday
        "timetable": [{"what": "A review", "date_iso": "2026-03-24"}],
    }
    found = dates.letter_date_warnings(context, calendar=calendar)
    assert len(found) == 2 and "Item 1" in found[0] and "The meeting" in found[1]


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.urls("tests.letters.urls")
def test_the_forms_save_a_weekend_date_and_warn(pp_case, staff, today):
    client = browser(staff.social_worker)
    url = reverse("letters:expectation_create", args=[pp_case.pk])
    form = {
        "version": pp_case.version,
        "adults": [str(pp_case.adults.get(first_name="Kerry").pk)],
        "action": "Keep the home safe.",
        "why_it_matters": "Amy and Ben need it.",
        "help_offered": "A support worker.",
        "how_judged": "We will visit.",
        "due_by": "6/4/2026",  # Easter Monday
    }
    answer = client.post(url, form, follow=True)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Item 1&#x27;s date is on a bank holiday (Monday 6 April 2026, Easter Monday)" in page

    details_url = reverse("letters:details_edit", args=[pp_case.pk])
    case = Case.objects.get(pk=pp_case.pk)
    answer = client.post(
        details_url,
        {"version": case.version, "concerns": "Worries.", "meeting_date": "21/3/2026"},
        follow=True,
    )
    assert answer.status_code == 200
    assert "The meeting is on a Saturday (Saturday 21 March 2026)" in answer.content.decode()

    letter = generate(Case.objects.get(pk=pp_case.pk), staff.social_worker)
    page = client.get(reverse("letters:letter_detail", args=[letter.pk])).content.decode()
    assert "Dates to check" in page and "Easter Monday" in page


@pytest.mark.django_db
def test_only_the_dates_on_a_holiday_or_weekend_are_named(lbp_case, staff, today):
    # The shared fixture's first item is due 30 days after 4 March 2026: Good Friday.
    add_expectation(lbp_case, staff.social_worker, due_by="2026-04-21")
    letter = generate(Case.objects.get(pk=lbp_case.pk), staff.social_worker)
    found = dates.letter_date_warnings(letter.context)
    assert len(found) == 1 and "Good Friday" in found[0] and "Item 1" in found[0]


def test_the_letter_of_issue_with_a_hearing_and_enclosures_still_reads_plainly():
    hearing = HearingFacts(dt.date(2026, 3, 20), dt.time(10, 30), "Eastbrook Family Court")
    facts = samples.sample_facts(
        LetterKind.LETTER_OF_ISSUE, issued_on=dt.date(2026, 3, 9), hearing=hearing
    )
    context, _, _ = render_text(LetterKind.LETTER_OF_ISSUE, facts)
    rendered = rendering.render(
        shipped_template(LetterKind.LETTER_OF_ISSUE).data, context, logo=LOGO
    )
    report = analyse(rendered.blocks, explained=[g["term"] for g in context["glossary"]])
    assert report.meets_targets, report.as_dict()
