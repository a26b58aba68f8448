"""Recording each kind of event from the case page, and correcting an event's date."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from legaltracker.cases import services
from legaltracker.cases.choices import EventKind
from legaltracker.cases.forms import SUMMARY_REQUIRED_KINDS
from legaltracker.cases.models import CaseEvent, RecordedEvent
from legaltracker.cases.presenters import EVENT_GROUPS
from legaltracker.core.errors import CASE_CHANGED as CONFLICT_MESSAGE
from legaltracker.core.errors import InvalidInput
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline
from tests.factories import case_at, move, record

from .helpers import case_url, dmy, event_url, form_post, whole_case_page

pytestmark = pytest.mark.django_db

# The stage a case must be at for the kind to make sense, and what a person adds.
KIND_SETUP: dict[str, tuple[str, dict[str, str]]] = {
    "letter_before_proceedings_sent": ("pre_proceedings", {}),
    "fgdm_offered": ("pre_proceedings", {}),
    "fgdm_accepted": ("pre_proceedings", {}),
    "fgdm_declined": ("pre_proceedings", {}),
    "fgdm_held": ("pre_proceedings", {"summary": "Grandparents offered care"}),
    "initial_meeting_held": ("pre_proceedings", {"effective": "yes"}),
    "review_meeting_held": ("pre_proceedings", {}),
    "assessment_completed": ("pre_proceedings", {"summary": "Parenting assessment"}),
    "change_of_circumstances": ("pre_proceedings", {"summary": "Father left the home"}),
    "management_oversight": ("pre_proceedings", {"summary": "Plan reviewed in supervision"}),
    "letter_of_issue_sent": ("issue", {}),
    "document_ready": ("issue", {"document": "care_plan"}),
    "parties_served": ("proceedings", {}),
    "hearing_listed": (
        "proceedings",
        {"hearing_type": "case_management_hearing", "hearing_date": "2026-03-20"},
    ),
    "hearing_held": ("proceedings", {"hearing_type": "interim_hearing"}),
    "note": ("concern", {"summary": "Call from the school"}),
}


def test_every_kind_is_set_up_and_grouped_once():
    assert set(KIND_SETUP) == set(EventKind.values)
    grouped = [kind for _slug, _title, kinds in EVENT_GROUPS for kind in kinds]
    assert sorted(grouped) == sorted(EventKind.values)


@pytest.mark.parametrize("kind", sorted(KIND_SETUP))
def test_record_each_kind(kind, staff, today, signed_in):
    stage, extra = KIND_SETUP[kind]
    case = case_at(stage, staff)
    actor = staff.team_manager  # a team manager may record every kind on the team's cases
    client = signed_in(actor)

    page = client.get(event_url(case, kind))
    assert page.status_code == 200
    data = {"date": today.isoformat(), **extra}
    response = client.post(event_url(case, kind), form_post(data, case.version))

    assert response.status_code == 302, response.content.decode()[:3000]
    # Back to the section that lists the event, at its group.
    section, anchor = response["Location"].split("#")
    assert section in (case_url(case) + "events/", case_url(case) + "court/")
    assert f'id="{anchor}"' in client.get(section).content.decode()
    event = RecordedEvent.objects.get(case=case, kind=kind)
    assert event.date == today
    assert event.recorded_by == actor
    for key in ("document", "hearing_type", "hearing_date"):
        if key in extra:
            assert event.details[key] == extra[key]
    if "summary" in extra:
        assert event.summary == extra["summary"]
    shown = html.unescape(whole_case_page(client, case))
    assert EventKind(kind).label in shown


def test_summary_is_required_where_the_service_asks(staff, today, signed_in):
    case = case_at("concern", staff)
    client = signed_in(staff.team_manager)

    response = client.post(
        event_url(case, "management_oversight"),
        form_post({"date": today.isoformat()}, case.version),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["summary"] == ["Enter a summary"]


def test_service_refusal_lands_on_the_form(staff, today, signed_in):
    case = case_at("concern", staff)  # no pre-proceedings: no letter before proceedings

    response = signed_in(staff.social_worker).post(
        event_url(case, "letter_before_proceedings_sent"),
        form_post({"date": today.isoformat()}, case.version),
    )

    assert response.status_code == 400
    assert "no letter before proceedings can have been sent" in response.content.decode()
    assert not RecordedEvent.objects.filter(case=case).exists()


def test_record_on_a_closed_case_is_refused(staff, today, signed_in):
    case = case_at("closed", staff)
    client = signed_in(staff.team_manager)

    page = client.get(event_url(case, "note"))
    assert page.status_code == 400
    assert "This case is closed" in page.content.decode()
    posted = client.post(
        event_url(case, "note"),
        form_post({"date": case.closed_on.isoformat(), "summary": "x"}, case.version),
    )
    assert posted.status_code == 400
    assert "This case is closed" in posted.content.decode()


def test_record_with_a_stale_version_is_a_conflict(staff, today, signed_in):
    case = case_at("concern", staff)
    seen = case.version
    record(case, staff.team_manager, "note", today, summary="First")

    response = signed_in(staff.social_worker).post(
        event_url(case, "note"), form_post({"date": today.isoformat(), "summary": "Second"}, seen)
    )

    assert response.status_code == 409
    assert CONFLICT_MESSAGE in html.unescape(response.content.decode())
    assert RecordedEvent.objects.filter(case=case).count() == 1


def test_day1_link_preselects_the_document(staff, today, signed_in):
    case = case_at("issue", staff)
    page = signed_in(staff.legal).get(event_url(case, "document_ready") + "?document=chronology")
    assert page.context["form"].initial["document"] == "chronology"


def test_correcting_an_event_date_moves_the_deadline(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)  # gateway decision on 2026-02-04
    record(case, staff.social_worker, "letter_before_proceedings_sent", dt.date(2026, 2, 5))
    meeting = record(case, staff.social_worker, "initial_meeting_held", dt.date(2026, 2, 16))
    decision = Deadline.objects.get(case=case, milestone=Milestone.PRE_PROCEEDINGS_DECISION)
    assert decision.due == dt.date(2026, 6, 8)  # 16 weeks after the meeting
    case.refresh_from_db()
    client = signed_in(staff.social_worker)
    url = reverse("casework:correct_event", args=[meeting.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["date"] == dt.date(2026, 2, 16)

    missing_reason = client.post(url, {"version": case.version, "date": "18/2/2026"})
    assert missing_reason.status_code == 400
    assert missing_reason.context["form"].errors["reason_for_change"]

    response = client.post(
        url,
        {
            "version": case.version,
            "date": dmy("2026-02-18"),
            "summary": "",
            "effective": "yes",
            "reason_for_change": "The meeting was moved; the date was typed wrongly.",
        },
    )

    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.due == dt.date(2026, 6, 10)
    audit = CaseEvent.objects.filter(case=case, action="event_corrected").get()
    assert audit.reasons == "The meeting was moved; the date was typed wrongly."
    shown = html.unescape(whole_case_page(client, case))
    assert "Wednesday 10 June 2026" in shown
    assert "date Monday 16 February 2026 changed to Wednesday 18 February 2026" in shown


def test_correction_with_a_stale_version_is_a_conflict(staff, today, signed_in):
    case = case_at("concern", staff)
    note = record(case, staff.social_worker, "note", today, summary="Call")
    case.refresh_from_db()
    seen = case.version
    record(case, staff.team_manager, "note", today, summary="Another")

    response = signed_in(staff.social_worker).post(
        reverse("casework:correct_event", args=[note.pk]),
        {"version": seen, "date": dmy(today), "summary": "Call", "reason_for_change": "Typo"},
    )

    assert response.status_code == 409


def test_closed_case_events_stay_correctable_but_not_recordable(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)
    note = record(case, staff.social_worker, "note", today, summary="Call")
    move(
        case,
        "close",
        staff.head_of_service,
        date=today.isoformat(),
        outcome="withdrawn",
        reasons="Family moved away.",
    )
    body = whole_case_page(signed_in(staff.social_worker), case)
    assert reverse("casework:correct_event", args=[note.pk]) in body
    assert event_url(case, "note") not in body


def test_form_marks_summary_required_exactly_where_the_service_does(staff, today):
    case = case_at("concern", staff)
    asks_for_summary = set()
    for kind in EventKind.values:
        with pytest.raises(InvalidInput) as refused:
            services.event_record(
                case_id=case.pk, actor=staff.team_manager, data={"kind": kind, "date": "x"}
            )
        if "summary" in refused.value.field_errors:
            asks_for_summary.add(kind)
    assert asks_for_summary == set(SUMMARY_REQUIRED_KINDS)
