"""The approval gate (docs/letters-approval.md): each check refuses a letter that fails it
with a sentence a manager can act on; only a team manager or a head of service may approve
such a letter anyway, with a reason that is kept on the letter and in the audit."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps

from legaltracker.cases.models import Case, CaseEvent
from legaltracker.core import clock
from legaltracker.core.errors import GuardRefused, NotPermitted
from letters import gate, services
from letters.models import JargonTerm, Letter, TemplateTranslationReview, TranslationRequest
from letters.readability import find_jargon, jargon_terms

from .conftest import generate, set_details

pytestmark = pytest.mark.django_db

# The terms the jargon list must hold from the start (seeded by a data migration).
REQUIRED_TERMS = [
    "PLO",
    "s31",
    "section 31",
    "s20",
    "section 20",
    "threshold",
    "significant harm",
    "Part 4",
    "accommodated",
    "ICO",
    "interim care order",
    "CP",
    "CIN",
    "LAC",
    "contact",
    "respite",
    "statutory",
]

# Long words in sentences of about twenty words: it reads hard without any one sentence
# being over the limit.
HARD = (
    "Considerable deterioration regarding environmental circumstances necessitates "
    "comprehensive multidisciplinary intervention, particularly concerning educational "
    "attendance, nutritional adequacy, and supervisory responsibilities. "
)
HARD_DETAILS = {"concerns": HARD * 18, "history": HARD * 18, "help_given": HARD * 18}


def failed_codes(letter: Letter) -> set[str]:
    return {check.code for check in gate.failed_checks(letter)}


def refusal(letter: Letter, actor, **data) -> GuardRefused:
    with pytest.raises(GuardRefused) as refused:
        services.letter_approve(letter_id=letter.pk, actor=actor, data=data)
    assert Letter.objects.get(pk=letter.pk).status == "draft"
    return refused.value


def test_the_jargon_list_is_seeded_with_plain_meanings():
    # A transactional test run earlier empties every table, seeded rows included: run the
    # data migration's step again (it only adds what is missing) and read what it stored.
    migration = importlib.import_module("letters.migrations.0004_gate_jargon")
    migration.seed(django_apps, None)
    stored = dict(JargonTerm.objects.filter(active=True).values_list("term", "meaning"))
    assert set(REQUIRED_TERMS) <= set(stored)
    assert all(stored[term] for term in REQUIRED_TERMS)


def test_a_complete_letter_passes_every_check(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    checks = gate.approval_checks(letter)
    assert {c.code for c in checks} >= {
        "concerns",
        "expectations",
        "meeting_details",
        "meeting_not_past",
        "meeting_working_day",
        "meeting_notice",
        "family_meeting",
        "legal_contact",
        "solicitors",
        "reading_ease",
        "grade",
        "sentence_length",
        "jargon",
    }
    assert [c.failure for c in checks if not c.passed] == []
    approved = services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    assert approved.overridden_by is None and approved.gate_report == []


@pytest.mark.parametrize(
    ("details", "code", "words"),
    [
        ({"concerns": ""}, "concerns", "does not say why we are worried"),
        ({"meeting_date": "2026-03-03"}, "meeting_not_past", "Tuesday 3 March 2026, has passed"),
        ({"meeting_date": "2026-03-05"}, "meeting_notice", "Wednesday 11 March 2026 or later"),
        ({"meeting_date": "2026-03-21"}, "meeting_working_day", "a Saturday"),
        ({"meeting_date": "2026-04-03"}, "meeting_working_day", "a bank holiday (Good Friday)"),
        ({"legal_contact_name": ""}, "legal_contact", "does not name the council's legal"),
        (
            {"concerns": " ".join(["Amy"] * 13 + ["and", "Ben"] * 7) + "."},
            "sentence_length",
            "has 27 words",
        ),
        (HARD_DETAILS, "reading_ease", "below the 70 needed"),
        (HARD_DETAILS, "grade", "above the 6 allowed"),
    ],
    ids=[
        "empty-concerns",
        "meeting-in-the-past",
        "meeting-next-working-day",
        "meeting-on-a-weekend",
        "meeting-on-a-bank-holiday",
        "no-legal-contact",
        "a-27-word-sentence",
        "reading-ease-below-70",
        "grade-above-6",
    ],
)
def test_each_failure_is_refused_with_a_sentence(lbp_case, staff, details, code, words):
    set_details(lbp_case, staff.social_worker, **details)
    letter = generate(lbp_case, staff.social_worker)
    assert code in failed_codes(letter)
    refused = refusal(letter, staff.team_manager)
    assert any(words in sentence for sentence in refused.field_errors["checks"]), refused.message
    assert words in refused.message
    assert "override_reason" in refused.field_errors


def test_the_lawyer_allocated_to_the_case_is_the_legal_contact_when_none_is_named(lbp_case, staff):
    set_details(lbp_case, staff.social_worker, legal_contact_name="", legal_contact_email="")
    Case.objects.filter(pk=lbp_case.pk).update(allocated_lawyer=staff.legal)
    letter = generate(lbp_case, staff.social_worker)
    assert "legal_contact" not in failed_codes(letter)
    legal = letter.context["legal"]
    assert legal["name"] == staff.legal.display_name and legal["email"] == staff.legal.email
    # A contact named in the letter details comes first.
    set_details(lbp_case, staff.social_worker, legal_contact_name="Pat Counsel")
    assert generate(lbp_case, staff.social_worker).context["legal"]["name"] == "Pat Counsel"


def test_a_letter_before_proceedings_needs_an_expectation(pp_case, staff):
    set_details(pp_case, staff.social_worker)
    letter = generate(pp_case, staff.social_worker)
    assert "expectations" in failed_codes(letter)
    assert "no expectations" in refusal(letter, staff.team_manager).message


def test_the_young_persons_letter_is_checked_for_how_it_reads_only(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    bare = {**letter.context, "expectations": [], "meeting": {}, "legal": {}, "solicitors": []}
    Letter.objects.filter(pk=letter.pk).update(variant="young_person", context=bare)
    letter.refresh_from_db()
    assert {c.code for c in gate.approval_checks(letter)} == {
        "reading_ease",
        "grade",
        "sentence_length",
        "jargon",
    }
    Letter.objects.filter(pk=letter.pk).update(variant="easy_read")
    letter.refresh_from_db()
    assert {"expectations", "meeting_details", "legal_contact", "solicitors"} <= failed_codes(
        letter
    )


def test_a_letter_with_no_local_solicitors_is_refused(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    # What the letter says is what is checked: a letter made while the list was empty.
    Letter.objects.filter(pk=letter.pk).update(context={**letter.context, "solicitors": []})
    letter.refresh_from_db()
    assert failed_codes(letter) == {"solicitors"}
    assert "lists no local solicitors" in refusal(letter, staff.team_manager).message


def test_the_notice_follows_the_timescale_policy(lbp_case, staff):
    from legaltracker.deadlines.models import TimescalePolicy

    set_details(lbp_case, staff.social_worker, meeting_date="2026-03-12")  # 6 working days
    letter = generate(lbp_case, staff.social_worker)
    assert "meeting_notice" not in failed_codes(letter)
    TimescalePolicy.objects.update_or_create(
        pk=1, defaults={"initial_meeting_notice_working_days": 7}
    )
    assert "meeting_notice" in failed_codes(letter)


def test_jargon_added_in_the_admin_holds_back_a_letter_and_is_explained_in_new_ones(
    lbp_case, staff
):
    set_details(
        lbp_case,
        staff.social_worker,
        concerns="Amy and Ben were left alone at night. The core group met on Monday.",
    )
    before = generate(lbp_case, staff.social_worker)
    assert "jargon" not in failed_codes(before)
    JargonTerm.objects.create(term="core group", meaning="the people who work with your family")
    refused = refusal(before, staff.team_manager)
    assert "\u201ccore group\u201d without explaining it" in refused.message
    after = generate(lbp_case, staff.social_worker)
    assert {"term": "Core group", "meaning": "the people who work with your family"} in (
        after.context["glossary"]
    )
    assert "jargon" not in failed_codes(after)
    # A term switched off in the admin is no longer held against a letter.
    JargonTerm.objects.filter(term="core group").update(active=False)
    assert "jargon" not in failed_codes(before)


def test_short_terms_match_whole_words_and_acronyms_only_in_capitals():
    terms = jargon_terms(stored={"CP": "a plan to keep a child safe", "contact": "family time"})
    found = {
        j["term"]
        for j in find_jargon("Her CPR was fine. Call cp. A contactless card.", terms=terms)
    }
    assert found == set()
    found = {j["term"] for j in find_jargon("The CP plan. Contact with Amy.", terms=terms)}
    assert found == {"CP", "contact"}


def test_with_no_stored_terms_the_defaults_apply():
    JargonTerm.objects.all().delete()
    assert {"PLO", "s31"} <= {term.term for term in jargon_terms()}


# --- the override ---------------------------------------------------------------------------


@pytest.fixture
def failing(lbp_case, staff) -> Letter:
    set_details(lbp_case, staff.social_worker, meeting_date="2026-03-05", legal_contact_name="")
    return generate(lbp_case, staff.social_worker)


@pytest.mark.parametrize("role", ["team_manager", "head_of_service"])
def test_a_manager_overrides_with_a_reason_and_it_is_recorded(failing, staff, role):
    manager = staff.by_role(role)
    reason = "The family asked for the meeting this week; our lawyer will call them."
    approved = services.letter_approve(
        letter_id=failing.pk, actor=manager, data={"override_reason": reason}
    )
    assert approved.status == "approved" and approved.overridden_by == manager
    assert approved.override_reason == reason
    assert [c["code"] for c in approved.gate_report] == ["meeting_notice", "legal_contact"]
    event = CaseEvent.objects.get(case=failing.case, action="letter_approved")
    assert event.reasons == reason and event.details["override"] is True
    assert event.details["failed_checks"] == ["meeting_notice", "legal_contact"]
    assert len(event.details["failures"]) == 2


def test_a_lawyer_cannot_override(failing, staff):
    refused = refusal(failing, staff.legal, override_reason="I think it is fine.")
    assert "team manager or a head of service" in refused.message
    assert "override_reason" not in refused.field_errors
    assert len(refused.field_errors["checks"]) == 2


def test_a_social_worker_cannot_approve_at_all(failing, staff):
    with pytest.raises(NotPermitted):
        services.letter_approve(
            letter_id=failing.pk, actor=staff.social_worker, data={"override_reason": "Please."}
        )


def test_the_override_needs_a_written_reason(failing, staff):
    refused = refusal(failing, staff.team_manager, override_reason="   ")
    assert refused.field_errors["override_reason"] == [
        "Give the reason for approving a letter that failed the checks."
    ]
    assert not CaseEvent.objects.filter(case=failing.case, action="letter_approved").exists()


def test_the_api_answers_400_with_each_failed_check(failing, staff, client_for):
    manager = client_for(staff.team_manager)
    url = f"/api/v1/letters/{failing.pk}/approve/"
    draft = manager.get(f"/api/v1/letters/{failing.pk}/").json()
    assert [c["code"] for c in draft["approval_checks"] if not c["passed"]] == [
        "meeting_notice",
        "legal_contact",
    ]
    refused = manager.post(url, {}, format="json")
    body = refused.json()
    assert refused.status_code == 400
    assert body["errors"]["checks"] == draft["approval_problems"]
    assert len(body["errors"]["checks"]) == 2 and "override_reason" in body["errors"]
    approved = manager.post(url, {"override_reason": "Agreed with the family."}, format="json")
    assert approved.status_code == 200
    body = approved.json()
    assert body["overridden_by"] == staff.team_manager.username
    assert [c["code"] for c in body["gate_report"]] == ["meeting_notice", "legal_contact"]
    assert body["approval_problems"] == []


# --- sending ----------------------------------------------------------------------------------


def test_a_letter_is_not_sent_before_approval_nor_before_its_translation(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    sent = {"date": "2026-03-04", "method": "post"}
    with pytest.raises(GuardRefused, match="not been approved"):
        services.letter_record_sent(letter_id=letter.pk, actor=staff.social_worker, data=sent)
    services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    request = TranslationRequest.objects.create(
        letter=letter, language="Polish", requested_by=staff.social_worker, requested_at=clock.now()
    )
    with pytest.raises(GuardRefused, match="translation into Polish has not been attached"):
        services.letter_record_sent(letter_id=letter.pk, actor=staff.social_worker, data=sent)
    assert Letter.objects.get(pk=letter.pk).status == "approved"
    request.waived_reason = "Kerry asked for the English letter; her sister will read it with her."
    request.waived_by, request.waived_at = staff.team_manager, clock.now()
    request.save()
    done = services.letter_record_sent(letter_id=letter.pk, actor=staff.social_worker, data=sent)
    assert done.status == "sent"


# --- Welsh letters -----------------------------------------------------------------------------


def test_a_welsh_letter_needs_a_persons_check_and_a_reviewed_template(lbp_case, staff, client_for):
    letter = generate(lbp_case, staff.social_worker)
    # The gate reads the letter's language: mark this one Welsh, with English scores that
    # would fail (they do not apply to Welsh).
    Letter.objects.filter(pk=letter.pk).update(language="cy", reading_ease=20.0, grade=14.0)
    letter.refresh_from_db()
    codes = {c.code for c in gate.approval_checks(letter)}
    assert not codes & {"reading_ease", "grade", "sentence_length", "jargon"}
    assert failed_codes(letter) == {"plain_language_check", "translation_review"}

    writer = client_for(staff.social_worker)
    answer = writer.post(
        f"/api/v1/letters/{letter.pk}/plain-language-check/",
        {"note": "Read it through twice."},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["plain_language_checked_by"] == staff.social_worker.username
    letter.refresh_from_db()
    assert failed_codes(letter) == {"translation_review"}
    event = CaseEvent.objects.filter(case=lbp_case).latest("pk")
    assert event.details["plain_language_checked"] is True

    TemplateTranslationReview.objects.create(
        kind=letter.kind,
        language="cy",
        variant=letter.variant,
        template_sha256=letter.template_sha256,
        reviewer_name="Megan Pritchard",
        reviewed_on=dt.date(2026, 3, 1),
        recorded_by=staff.administrator,
    )
    assert failed_codes(letter) == set()
    assert services.letter_approve(letter_id=letter.pk, actor=staff.legal).status == "approved"


def test_the_plain_language_check_is_for_welsh_drafts_only(lbp_case, staff, client_for):
    letter = generate(lbp_case, staff.social_worker)
    answer = client_for(staff.social_worker).post(
        f"/api/v1/letters/{letter.pk}/plain-language-check/", {}, format="json"
    )
    assert answer.status_code == 400 and "in English" in answer.json()["detail"]
    answer = client_for(staff.court_liaison_officer).post(
        f"/api/v1/letters/{letter.pk}/plain-language-check/", {}, format="json"
    )
    assert answer.status_code in (403, 404)


def test_the_letter_page_lists_the_checks_and_the_override(failing, staff):
    from django.test import Client
    from django.urls import reverse

    manager = Client()
    manager.force_login(staff.team_manager)
    url = reverse("letters:letter_detail", args=[failing.pk])
    page = manager.get(url).content.decode()
    assert "This letter failed 2 of" in page and "Approve with an override" in page
    assert "Wednesday 11 March 2026 or later" in page
    answer = manager.post(reverse("letters:letter_approve", args=[failing.pk]), {})
    assert answer.status_code == 400
    manager.post(
        reverse("letters:letter_approve", args=[failing.pk]),
        {"override_reason": "Agreed with the family by phone."},
    )
    page = manager.get(url).content.decode()
    assert "Approved with an override" in page and "Agreed with the family by phone." in page
