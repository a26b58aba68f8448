"""The case page: what it shows for a known case, and a query count that does not grow
with the case's history."""

from __future__ import annotations

import datetime as dt
import html
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legaltracker.cases import services
from legaltracker.cases.day1 import SHIPPED
from tests.factories import case_at, gateway_data, move, record

from .helpers import case_url, event_url, section_urls, transition_url, whole_case_page

pytestmark = pytest.mark.django_db


def known_case(staff, **extra):
    """Opened Monday 2 February 2026, referred the 3rd, pre-proceedings from the 4th."""
    case = services.case_create(
        actor=staff.social_worker,
        data={
            "team": staff.team.code,
            "social_worker": staff.social_worker.username,
            "opened_on": "2026-02-02",
            "unborn_baby": True,
            "children": [
                {"first_name": "Amy", "last_name": "Kowalska", "date_of_birth": "2019-04-01"},
                {"last_name": "Kowalska", "expected_date_of_birth": "2026-05-10"},
            ],
            "adults": [
                {
                    "first_name": "Beata",
                    "last_name": "Kowalska",
                    "relationship": "mother",
                    "parental_responsibility": True,
                    "preferred_language": "Polish",
                    "interpreter_needed": True,
                },
                {
                    "first_name": "Tom",
                    "last_name": "Reed",
                    "relationship": "father",
                    "parental_responsibility": False,
                    "advocate_needed": True,
                },
            ],
            **extra,
        },
    )
    move(
        case,
        "refer_to_gateway",
        staff.social_worker,
        date="2026-02-03",
        reasons="Neglect concerns persist despite the plan.",
    )
    move(case, "gateway_enter_pre_proceedings", staff.legal, **gateway_data(dt.date(2026, 2, 4)))
    record(case, staff.social_worker, "letter_before_proceedings_sent", dt.date(2026, 2, 10))
    return case


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_case_page_shows_the_case(staff, today, signed_in):
    case = known_case(staff)
    case.refresh_from_db()

    text = html.unescape(whole_case_page(signed_in(staff.social_worker), case))

    # header and summary
    assert f"Case {case.reference}" in text
    assert staff.team.name in text
    assert staff.social_worker.display_name in text
    assert "Pre-proceedings" in text
    assert "4 weeks" in text  # in pre-proceedings since 4 February, today is 4 March
    assert "Unborn baby" in text
    # children and adults
    assert "Amy Kowalska" in text
    assert "Expected 10 May 2026" in text
    assert "Beata Kowalska" in text and "Polish" in text
    assert "Tom Reed" in text and "Father" in text
    # the stage and what a social worker may do (only escalate, not the manager's step down)
    assert transition_url(case, "escalate_to_gateway") in text
    assert transition_url(case, "step_down") not in text
    # deadlines: letter before proceedings due 5 working days after 4 February, met on the 10th
    assert "Letter before proceedings sent" in text
    assert "Wednesday 11 February 2026" in text
    assert "Tuesday 10 February 2026" in text
    # the initial meeting: 10 working days after the letter, not before 5
    assert "Tuesday 24 February 2026" in text
    assert "not before Tuesday 17 February 2026" in text
    # gateway decision
    assert "Threshold is met" in text and "Jo Lawyer (Lawyer)" in text
    # history: actor, what, from -> to, reasons
    assert "Refer to the legal gateway" in text
    assert "Concern to Legal gateway" in text
    assert "Neglect concerns persist despite the plan." in text
    assert staff.legal.display_name in text
    # Day 1 checklist and recording links
    for _code, label in SHIPPED:
        assert label in text
    assert event_url(case, "initial_meeting_held") in text
    # the letters section: the schedule of expectations and the case's letters
    assert "Schedule of expectations" in text
    assert "Letters to the family" in text


def test_rag_and_statuses_in_words(staff, today, signed_in):
    case = known_case(staff)
    # the initial meeting was due on 24 February: today (4 March) it is overdue
    response = signed_in(staff.court_liaison_officer).get(case_url(case))
    text = page_text(response)
    assert response.context["case"].rag == "red"
    assert "Red: overdue or past decision point" in text
    # the header's next deadline: the earliest outstanding, the offer of a family group
    # decision-making meeting, overdue since 10 February
    assert "Family group decision-making offer made, Tuesday 10 February 2026" in text
    assert "Overdue" in text


def test_earlier_episodes_are_linked(staff, today, signed_in):
    first = known_case(staff)
    second = services.case_create(
        actor=staff.social_worker,
        data={
            "team": staff.team.code,
            "social_worker": staff.social_worker.username,
            "children": [{"first_name": "Amy", "last_name": "Kowalska"}],
            "previous_case": first.pk,
        },
    )
    first.refresh_from_db()

    text = page_text(signed_in(staff.social_worker).get(section_urls(second)[1]))  # People

    assert f'href="{case_url(first)}"' in text
    assert f"Case {first.reference}" in text


def test_extensions_are_listed(staff, today, signed_in):
    case = known_case(staff)
    record(case, staff.social_worker, "initial_meeting_held", dt.date(2026, 2, 18))
    move(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        date=today.isoformat(),
        reasons="Waiting for the psychologist's report.",
        new_end_date="2026-07-20",
        approved_by=staff.head_of_service.username,
    )

    text = page_text(signed_in(staff.legal).get(section_urls(case)[2]))  # Deadlines

    assert "Pre-proceedings extension" in text
    assert "Monday 20 July 2026" in text
    assert "Waiting for the psychologist's report." in text
    assert staff.head_of_service.display_name in text


KINDS_FOR_HISTORY = [
    ("note", {"summary": "Call"}),
    ("management_oversight", {"summary": "Supervision"}),
    ("assessment_completed", {"summary": "Assessment"}),
    ("change_of_circumstances", {"summary": "Moved house"}),
    ("fgdm_offered", {}),
    ("review_meeting_held", {}),
    ("document_ready", {"document": "chronology"}),
    ("hearing_listed", {"hearing_type": "interim_hearing", "hearing_date": "2026-04-01"}),
]


def case_with_history(staff, events: int):
    case = known_case(staff)
    record(case, staff.social_worker, "initial_meeting_held", dt.date(2026, 2, 18))
    kinds = itertools.cycle(KINDS_FOR_HISTORY)
    for n in range(events):
        kind, extra = next(kinds)
        day = dt.date(2026, 2, 4) + dt.timedelta(days=n % 28)
        record(case, staff.team_manager, kind, day, **extra)
    move(
        case,
        "extend_pre_proceedings",
        staff.head_of_service,
        date="2026-03-04",
        reasons="More time.",
        new_end_date="2026-07-20",
        approved_by=staff.head_of_service.username,
    )
    return case


def queries_for(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(case_url(case))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.slow
def test_query_count_does_not_grow_with_history(staff, today, signed_in):
    small = case_with_history(staff, 5)
    large = case_with_history(staff, 100)
    client = signed_in(staff.team_manager)
    queries_for(client, small)  # warm the session and per-process caches

    assert queries_for(client, small) == queries_for(client, large)
    assert large.recorded_events.count() > 100


def test_court_hearings_listed_and_held(staff, today, signed_in):
    case = case_at("proceedings", staff)
    record(
        case,
        staff.court_liaison_officer,
        "hearing_listed",
        today,
        hearing_type="case_management_hearing",
        hearing_date="2026-03-20",
    )
    record(case, staff.court_liaison_officer, "hearing_held", today, hearing_type="interim_hearing")

    response = signed_in(staff.court_liaison_officer).get(section_urls(case)[5])  # Court

    hearings = response.context["hearings"]
    assert [(h.hearing, h.status) for h in hearings] == [
        ("Case management hearing", "Listed"),
        ("Interim hearing", "Held"),
    ]
    text = page_text(response)
    assert "Friday 20 March 2026" in text
    assert "Listed on 4 March 2026" in text
    # the case management hearing's deadline follows the listed date: advocates 2 days before
    deadlines = page_text(signed_in(staff.court_liaison_officer).get(section_urls(case)[2]))
    assert "Wednesday 18 March 2026" in deadlines
