"""The letters' pages: the section on the case page, the schedule forms, writing a
letter, the readability report, approving (with the override), recording it sent and
downloading it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from legaltracker.cases.models import CaseEvent, RecordedEvent
from letters.models import Expectation, ExpectationReview, Letter, LetterDetails

from .conftest import add_expectation, generate, mother

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.letters.urls")]


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_page_shows_the_schedule_details_and_letters(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    # The case page's Letters section.
    page = browser(staff.social_worker).get(reverse("casework:case_letters", args=[lbp_case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Schedule of expectations" in html and "Take Amy to school on time every day." in html
    assert "Friday 3 April 2026" in html and "Not reviewed yet" in html
    assert reverse("letters:expectation_create", args=[lbp_case.pk]) in html
    assert reverse("letters:letter_detail", args=[letter.pk]) in html
    assert reverse("letters:letter_create", args=[lbp_case.pk]) in html
    assert "Tuesday 17 March 2026" in html


def test_the_court_liaison_officer_reads_but_gets_no_edit_links(lbp_case, staff):
    html = (
        browser(staff.court_liaison_officer)
        .get(reverse("casework:case_letters", args=[lbp_case.pk]))
        .content.decode()
    )
    assert "Take Amy to school" in html
    assert reverse("letters:expectation_create", args=[lbp_case.pk]) not in html
    assert reverse("letters:letter_create", args=[lbp_case.pk]) not in html


def test_adding_an_expectation_through_the_form(pp_case, staff):
    client = browser(staff.social_worker)
    url = reverse("letters:expectation_create", args=[pp_case.pk])
    assert client.get(url).status_code == 200
    form = {
        "version": pp_case.version,
        "adults": [str(mother(pp_case).pk)],
        "action": "Keep the home safe.",
        "why_it_matters": "Amy and Ben need it.",
        "help_offered": "A support worker.",
        "how_judged": "We will visit.",
        "due_by": "17/4/2026",
    }
    answer = client.post(url, form)
    assert answer.status_code == 302 and answer["Location"].endswith("#expectations")
    assert Expectation.objects.get(case=pp_case).due_by.isoformat() == "2026-04-17"


def test_a_refused_form_comes_back_with_the_errors(pp_case, staff):
    client = browser(staff.social_worker)
    url = reverse("letters:expectation_create", args=[pp_case.pk])
    form = {
        "version": pp_case.version,
        "adults": [str(mother(pp_case).pk)],
        "action": "x",
        "why_it_matters": "y",
        "help_offered": "z",
        "how_judged": "w",
        "due_by": "1/1/2026",
    }
    answer = client.post(url, form)
    assert answer.status_code == 400
    assert "Choose a date after today" in answer.content.decode()
    stale = client.post(url, {**form, "due_by": "17/4/2026", "version": pp_case.version - 1})
    assert stale.status_code == 409 and "Someone else changed this case" in stale.content.decode()


def test_editing_and_withdrawing_an_item(pp_case, staff):
    item = add_expectation(pp_case, staff.social_worker)
    client = browser(staff.team_manager)
    url = reverse("letters:expectation_edit", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Take Amy to school" in page.content.decode()
    form = {
        "version": pp_case.__class__.objects.get(pk=pp_case.pk).version,
        "adults": [str(a.pk) for a in item.adults.all()],
        "action": "Walk Amy to school.",
        "why_it_matters": item.why_it_matters,
        "help_offered": item.help_offered,
        "how_judged": item.how_judged,
        "due_by": item.due_by.strftime("%d/%m/%Y"),
        "withdrawn": "on",
        "withdrawn_reason": "Amy now gets the school bus.",
    }
    assert client.post(url, form).status_code == 302
    item.refresh_from_db()
    assert item.action == "Walk Amy to school." and item.withdrawn


def test_recording_a_review_through_the_form(pp_case, staff):
    item = add_expectation(pp_case, staff.social_worker)
    client = browser(staff.social_worker)
    url = reverse("letters:expectation_review", args=[pp_case.pk])
    assert "Item 1" in client.get(url).content.decode()
    version = pp_case.__class__.objects.get(pk=pp_case.pk).version
    answer = client.post(
        url,
        {
            "version": version,
            "date": "4/3/2026",
            f"status_{item.pk}": "met",
            f"note_{item.pk}": "Every day.",
        },
    )
    assert answer.status_code == 302
    assert ExpectationReview.objects.get().note == "Every day."


def test_the_letter_details_form(pp_case, staff):
    client = browser(staff.legal)
    url = reverse("letters:details_edit", args=[pp_case.pk])
    assert client.get(url).status_code == 200
    version = pp_case.__class__.objects.get(pk=pp_case.pk).version
    answer = client.post(
        url,
        {
            "version": version,
            "concerns": "We are worried.",
            "meeting_date": "17/3/2026",
            "meeting_time": "14:30",
            "meeting_place": "Family Centre",
            "meeting_attendees": "Sam, social worker\nLeonie, lawyer",
            "fgdm_how_to_accept": "call Sam.",
            "assessment_1_what": "Parenting",
            "assessment_1_why": "To help",
            "assessment_1_who": "Jo",
            "assessment_1_when": "10/4/2026",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    details = LetterDetails.objects.get(case=pp_case)
    assert details.meeting_attendees == ["Sam, social worker", "Leonie, lawyer"]
    assert details.assessments == [
        {"what": "Parenting", "why": "To help", "who": "Jo", "when": "2026-04-10"}
    ]
    page = client.get(url).content.decode()
    assert "Parenting" in page and "14:30" in page


def test_writing_a_letter_shows_its_readability_report(lbp_case, staff):
    client = browser(staff.social_worker)
    url = reverse("letters:letter_create", args=[lbp_case.pk])
    page = client.get(url).content.decode()
    assert "Letter before proceedings" in page and "Letters not available" in page
    answer = client.post(
        url,
        {"kind": "letter_before_proceedings", "recipient": str(mother(lbp_case).pk), "note": ""},
    )
    letter = Letter.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "letters:letter_detail", args=[letter.pk]
    )
    report = client.get(answer["Location"]).content.decode()
    assert "Reading ease (Flesch)" in report and str(letter.reading_ease) in report
    assert "Care order" in report or "care order" in report
    assert "A team manager, a head of service or a lawyer approves letters." in report
    assert "This letter passed all" in report


def test_one_letter_for_each_adult_with_parental_responsibility(lbp_case, staff):
    answer = browser(staff.social_worker).post(
        reverse("letters:letter_create", args=[lbp_case.pk]),
        {"kind": "letter_before_proceedings", "recipient": "each_with_pr"},
    )
    assert answer.status_code == 302
    assert sorted(str(letter.recipient) for letter in Letter.objects.all()) == [
        "Dean Marsh",
        "Kerry Fletcher",
    ]


def test_a_letter_the_case_cannot_have_is_not_offered(pp_case, staff):
    client = browser(staff.social_worker)
    answer = client.post(
        reverse("letters:letter_create", args=[pp_case.pk]),
        {"kind": "letter_of_issue", "recipient": str(mother(pp_case).pk)},
    )
    assert answer.status_code == 400 and not Letter.objects.exists()


def test_approve_and_record_sent_from_the_letter_page(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    manager = browser(staff.team_manager)
    page = manager.get(reverse("letters:letter_detail", args=[letter.pk])).content.decode()
    assert "Approve this letter" in page
    assert manager.post(reverse("letters:letter_approve", args=[letter.pk])).status_code == 302
    page = manager.get(reverse("letters:letter_detail", args=[letter.pk])).content.decode()
    assert "Record as sent" in page
    answer = browser(staff.social_worker).post(
        reverse("letters:letter_sent", args=[letter.pk]), {"date": "4/3/2026", "method": "post"}
    )
    assert answer.status_code == 302
    assert RecordedEvent.objects.filter(kind="letter_before_proceedings_sent").count() == 1


def test_below_the_gate_the_manager_sees_the_override_form(lbp_case, staff, settings):
    settings.READABILITY_TARGETS = {"reading_ease": 99}
    letter = generate(lbp_case, staff.social_worker)
    manager = browser(staff.team_manager)
    page = manager.get(reverse("letters:letter_detail", args=[letter.pk])).content.decode()
    assert "below the 99 needed" in page
    assert "Reason for approving a letter that failed the checks" in page
    refused = manager.post(reverse("letters:letter_approve", args=[letter.pk]), {})
    body = refused.content.decode()
    assert refused.status_code == 400 and "Give the reason" in body and "below the 99" in body
    lawyer_page = browser(staff.legal).get(reverse("letters:letter_detail", args=[letter.pk]))
    assert "Only the case's team manager or a head of service can approve" in (
        lawyer_page.content.decode()
    )
    manager.post(
        reverse("letters:letter_approve", args=[letter.pk]),
        {"override_reason": "The family's solicitor asked for the legal terms."},
    )
    approved = Letter.objects.get()
    assert approved.status == "approved" and approved.overridden_by == staff.team_manager
    page = manager.get(reverse("letters:letter_detail", args=[letter.pk])).content.decode()
    assert "Approved with an override" in page and "below the 99 needed" in page


def test_downloads_are_private_and_audited(lbp_case, staff, other_staff):
    letter = generate(lbp_case, staff.social_worker)
    url = reverse("letters:letter_download", args=[letter.pk, "docx"])
    assert Client().get(url).status_code == 302  # to sign in
    assert browser(other_staff.social_worker).get(url).status_code == 404
    assert browser(staff.administrator).get(url).status_code == 404
    answer = browser(staff.team_manager).get(url)
    assert answer.status_code == 200
    assert (
        f'filename="{lbp_case.reference}-letter-before-proceedings-{letter.dated.isoformat()}.docx"'
        in answer["Content-Disposition"]
    )
    assert CaseEvent.objects.filter(action="letter_downloaded").count() == 1


def test_no_pdf_without_libreoffice_is_said_on_the_page(lbp_case, staff, settings):
    settings.LETTERS_SOFFICE = "not-installed-soffice"
    letter = generate(lbp_case, staff.social_worker)
    client = browser(staff.social_worker)
    page = client.get(reverse("letters:letter_detail", args=[letter.pk])).content.decode()
    assert "PDF copies are not available on this server" in page
    answer = client.get(reverse("letters:letter_download", args=[letter.pk, "pdf"]))
    assert answer.status_code == 503 and "libreoffice-writer-nogui" in answer.content.decode()


@pytest.mark.parametrize("role", ["court_liaison_officer", "legal"])
def test_roles_that_may_not_edit_the_schedule_get_403(pp_case, staff, role):
    url = reverse("letters:expectation_create", args=[pp_case.pk])
    assert browser(staff.by_role(role)).get(url).status_code == 403


def test_the_section_is_a_placeholder_until_the_pages_are_mounted(lbp_case, staff):
    from django.template.loader import render_to_string
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="legaltracker.urls"):
        from django.urls import clear_url_caches

        clear_url_caches()
        try:
            reverse("letters:letter_create", args=[1])
            mounted = True
        except Exception:
            mounted = False
        html = render_to_string("letters/_case_section.html", {"case": lbp_case})
    clear_url_caches()
    assert ("Letters will appear here." in html) != mounted


def test_the_letters_page_of_a_case(lbp_case, staff, other_staff):
    url = reverse("letters:case_letters", args=[lbp_case.pk])
    assert "Schedule of expectations" in browser(staff.social_worker).get(url).content.decode()
    assert browser(other_staff.team_manager).get(url).status_code == 404


def test_the_section_costs_the_same_queries_whatever_the_schedule(pp_case, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browser(staff.team_manager)
    url = reverse("letters:case_letters", args=[pp_case.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_expectation(pp_case, staff.social_worker)
    generate(pp_case, staff.social_worker)
    client.get(url)
    few = count()
    for n in range(6):
        add_expectation(pp_case, staff.social_worker, action=f"Item {n}.")
        generate(pp_case, staff.social_worker)
    assert count() == few


@pytest.mark.django_db
def test_the_letter_form_leaves_the_version_to_each_persons_needs_unless_chosen(lbp_case, staff):
    adult = next(a for a in lbp_case.adults.all() if a.parental_responsibility)
    adult.easy_read = True
    adult.save()
    client = Client()
    client.force_login(staff.social_worker)
    url = reverse("letters:letter_create", args=[lbp_case.pk])
    page = client.get(url).content.decode()
    assert "Each person&#x27;s own (easy read for those who asked for it)" in page
    answer = client.post(url, {"kind": "letter_before_proceedings", "recipient": str(adult.pk)})
    assert answer.status_code == 302
    assert Letter.objects.filter(case=lbp_case).latest("id").variant == "easy_read"
