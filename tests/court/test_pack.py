"""The application pack (what form C110A asks for, gathered from the case) and the Day 1
checklist the council keeps in the admin."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from legaltracker.cases import guards, services
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case, Day1ChecklistItem
from legaltracker.core.errors import GuardRefused, InvalidInput
from legaltracker.court import services as court_services
from legaltracker.court.models import CourtCentre
from legaltracker.court.pack import (
    INTERNATIONAL_NOT_RECORDED,
    ORDERS_TO_CHOOSE,
    application_pack,
    pack_docx,
)
from letters import pdf
from tests.factories import case_at, move, ready_for_issue, record

pytestmark = pytest.mark.django_db


def _url(case: Case) -> str:
    return reverse("court_pack:application_pack", args=[case.pk])


def _pdf_url(case: Case) -> str:
    return reverse("court_pack:application_pack_pdf", args=[case.pk])


@pytest.fixture
def earlier(staff, today):
    """An earlier episode of the family, closed at the gateway."""
    return case_at(Stage.CLOSED, staff, start=today - dt.timedelta(days=400))


@pytest.fixture
def issue_case(staff, today, earlier):
    """A case at the decision to issue: a Welsh-speaking mother with a solicitor and an
    interpreter, a father without parental responsibility, a lay justices allocation."""
    case = case_at(
        Stage.ISSUE,
        staff,
        previous_case=earlier.pk,
        children=[
            {
                "first_name": "Rhiannon",
                "last_name": "Pryce",
                "date_of_birth": "2020-06-01",
                "la_child_id": "LA0042",
            }
        ],
        adults=[
            {
                "first_name": "Megan",
                "last_name": "Pryce",
                "relationship": "mother",
                "parental_responsibility": True,
                "address": "1 Heol y Bont, Abertawe",
                "phone": "01792 000000",
                "preferred_language": "Welsh",
                "interpreter_needed": True,
            },
            {
                "first_name": "Dylan",
                "last_name": "Jones",
                "relationship": "father",
                "parental_responsibility": False,
            },
        ],
    )
    mother = case.adults.get(first_name="Megan")
    services.person_update(
        case_id=case.pk,
        who="adult",
        person_id=mother.pk,
        actor=staff.social_worker,
        data={
            "first_name": "Megan",
            "last_name": "Pryce",
            "relationship": "mother",
            "parental_responsibility": True,
            "address": "1 Heol y Bont, Abertawe",
            "phone": "01792 000000",
            "preferred_language": "Welsh",
            "interpreter_needed": True,
            "correspondence_language": "cy",
        },
    )
    court_services.representation_update(
        case_id=case.pk,
        adult_id=mother.pk,
        actor=staff.legal,
        data={
            "represented": True,
            "firm": "Morgan & Co",
            "solicitor_name": "Siân Morgan",
            "phone": "029 2000 0000",
        },
    )
    centre = CourtCentre.objects.order_by("code").first()
    court_services.proceedings_update(
        case_id=case.pk,
        actor=staff.legal,
        data={"judge_level": "lay_justices", "court_centre": centre.code if centre else ""},
    )
    record(case, staff.legal, "document_ready", today, document="chronology")
    return Case.objects.get(pk=case.pk)


def test_the_pack_gathers_what_the_application_asks_for(staff, today, client, issue_case):
    client.force_login(staff.legal)
    response = client.get(_url(issue_case))
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())

    # The children
    assert "Rhiannon Pryce" in text and "Monday 1 June 2020" in text and "LA0042" in text
    assert "Gender" in text and "Not recorded" in text
    # The respondents, with their solicitor from the court record
    assert "Megan Pryce (Mother)" in text
    assert "1 Heol y Bont, Abertawe" in text
    assert "Siân Morgan, Morgan &amp; Co, 029 2000 0000" in text
    # The father has no parental responsibility: named, not a respondent
    assert "Dylan Jones (Father): Not recorded" in text
    # Orders sought are not recorded: the pack says to choose them
    assert ORDERS_TO_CHOOSE.split(":")[0] in text
    # Grounds: the gateway's decision to issue, its threshold view and reasons
    assert "Threshold is met" in text
    assert "Neglect continues despite a child protection plan." in text
    # Allocation
    assert "Lay justices (magistrates)" in text
    # The earlier episode of the family
    earlier = issue_case.family.cases.exclude(pk=issue_case.pk).get()
    assert earlier.reference in text and "Closed" in text
    # International element and languages
    assert INTERNATIONAL_NOT_RECORDED.split("(")[0].strip() in text
    assert "letters in Welsh" in text and "Interpreter needed" in text
    # Day 1 documents, from the council's checklist, threshold included
    assert "Social work chronology" in text
    assert "Threshold document" in text
    assert "Still to be ready: Social work statement and genogram" in text
    pack = application_pack(user=staff.legal, case_id=issue_case.pk)
    assert pack is not None
    assert [d.label for d in pack.documents if d.ready_on] == ["Social work chronology"]
    assert "Threshold document" in pack.documents_missing


def test_the_orders_sought_and_the_international_element_come_from_the_court_record(
    staff, client, issue_case
):
    court_services.proceedings_update(
        case_id=issue_case.pk,
        actor=staff.legal,
        data={
            "judge_level": "lay_justices",
            "orders_sought": ["care_order", "interim_care_order"],
            "international_element": "yes",
            "international_details": "The mother's family live in Ireland.",
        },
    )
    pack = application_pack(user=staff.legal, case_id=issue_case.pk)
    assert pack is not None
    # In the list's order, whatever order they were ticked in.
    assert pack.orders_sought == "Care order, Interim care order"
    assert pack.international == "Yes: The mother's family live in Ireland."
    client.force_login(staff.legal)
    text = " ".join(client.get(_url(issue_case)).content.decode().split())
    assert "Care order, Interim care order" in text and ORDERS_TO_CHOOSE not in text
    assert "The mother&#x27;s family live in Ireland." in text
    document = Document(io.BytesIO(pack_docx(pack)))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "Care order, Interim care order" in words
    assert "Yes: The mother's family live in Ireland." in words


def test_the_pack_costs_the_same_queries_whatever_the_family(staff, today, client, issue_case):
    small = case_at(Stage.ISSUE, staff)
    client.force_login(staff.legal)
    client.get(_url(small))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(_url(small))
    with CaptureQueriesContext(connection) as many:
        client.get(_url(issue_case))
    assert len(many) == len(few)


def test_the_court_section_links_to_the_pack_from_the_decision_to_issue(
    staff, today, client, issue_case
):
    client.force_login(staff.legal)
    court = client.get(reverse("casework:case_court", args=[issue_case.pk])).content.decode()
    assert f'href="{_url(issue_case)}"' in court
    before = case_at(Stage.PRE_PROCEEDINGS, staff)
    court = client.get(reverse("casework:case_court", args=[before.pk])).content.decode()
    assert _url(before) not in court


def test_another_team_gets_a_404(staff, other_staff, client, issue_case):
    client.force_login(other_staff.social_worker)
    assert client.get(_url(issue_case)).status_code == 404
    assert client.get(_pdf_url(issue_case)).status_code == 404
    assert application_pack(user=other_staff.social_worker, case_id=issue_case.pk) is None


def test_the_case_s_own_team_sees_it(staff, client, issue_case):
    client.force_login(staff.social_worker)
    assert client.get(_url(issue_case)).status_code == 200


def test_before_the_decision_to_issue_a_sentence_says_so(staff, today, client):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    client.force_login(staff.legal)
    response = client.get(_url(case))
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "available from the decision to issue proceedings" in text
    assert "Respondents" not in text
    refused = client.get(_pdf_url(case))
    assert refused.status_code == 400
    assert "available from the decision to issue proceedings" in refused.content.decode()


@pytest.mark.slow
@pytest.mark.skipif(not pdf.available(), reason="scripts/test installs LibreOffice")
def test_the_pdf_is_a_real_pdf_with_the_child_s_name(staff, client, issue_case):
    from pypdf import PdfReader

    client.force_login(staff.legal)
    response = client.get(_pdf_url(issue_case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"application-pack-{issue_case.reference}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Rhiannon" in text and "Pryce" in text
    assert "Threshold document" in text


# --- the Day 1 checklist from the admin table ---------------------------------------------


def test_the_threshold_document_is_required_by_default(staff, today):
    assert Day1ChecklistItem.objects.filter(code="threshold", active=True).exists()
    case = case_at(Stage.ISSUE, staff)
    for code in Day1ChecklistItem.objects.exclude(code="threshold").values_list("code", flat=True):
        record(case, staff.legal, "document_ready", today, document=code)
    record(case, staff.social_worker, "fgdm_offered", today)
    with pytest.raises(GuardRefused) as refused:
        move(case, "issue_proceedings", staff.legal, date=today.isoformat(), court_reference="X1")
    assert "Still missing: Threshold document." in refused.value.message


def test_an_item_switched_off_in_the_admin_is_no_longer_required(staff, today):
    case = case_at(Stage.ISSUE, staff)
    Day1ChecklistItem.objects.filter(code="current_assessments").update(active=False)
    ready_for_issue(case, staff, today)
    recorded = {e.details["document"] for e in case.recorded_events.filter(kind="document_ready")}
    assert "current_assessments" not in recorded and "threshold" in recorded
    fresh = Case.objects.get(pk=case.pk)
    assert guards.day1_checklist_complete.explain(fresh, on=today) is None
    move(case, "issue_proceedings", staff.legal, date=today.isoformat(), court_reference="X2")
    assert Case.objects.get(pk=case.pk).stage == Stage.PROCEEDINGS


def test_an_item_the_council_adds_is_required_and_recordable(staff, today, client):
    Day1ChecklistItem.objects.create(code="parenting_assessment", label="Parenting assessment")
    case = case_at(Stage.ISSUE, staff)
    fresh = Case.objects.get(pk=case.pk)
    assert "Parenting assessment" in (guards.day1_checklist_complete.explain(fresh, on=today) or "")
    client.force_login(staff.legal)
    page = client.get(reverse("casework:day1_documents", args=[case.pk])).content.decode()
    assert 'name="parenting_assessment_ready"' in page
    ready_for_issue(case, staff, today)
    fresh = Case.objects.get(pk=case.pk)
    assert guards.day1_checklist_complete.explain(fresh, on=today) is None


def test_a_switched_off_item_cannot_be_recorded_anew_but_old_events_stay(staff, today, client):
    case = case_at(Stage.ISSUE, staff)
    event = record(case, staff.legal, "document_ready", today, document="care_plan")
    Day1ChecklistItem.objects.filter(code="care_plan").update(active=False)
    other = case_at(Stage.ISSUE, staff)
    with pytest.raises(InvalidInput) as refused:
        record(other, staff.legal, "document_ready", today, document="care_plan")
    assert "'care_plan' is not one of" in refused.value.field_errors["document"][0]
    # The old event can still be corrected and is still shown by its name.
    services.event_correct(
        event_id=event.pk,
        actor=staff.legal,
        data={"summary": "Final care plan.", "reason_for_change": "Wording."},
    )
    client.force_login(staff.legal)
    court = client.get(reverse("casework:case_court", args=[case.pk])).content.decode()
    assert "Care plan" in court


def test_the_admin_lists_the_checklist_and_keeps_codes(staff, client):
    from django.contrib import admin

    model_admin = admin.site._registry[Day1ChecklistItem]
    item = Day1ChecklistItem.objects.get(code="threshold")
    assert model_admin.get_readonly_fields(None, item) == ("code",)
    assert model_admin.has_delete_permission(None, item) is False
    assert list(Day1ChecklistItem.objects.values_list("code", flat=True)) == [
        "chronology",
        "social_work_statement_and_genogram",
        "current_assessments",
        "care_plan",
        "index_of_checklist_documents",
        "threshold",
    ]
