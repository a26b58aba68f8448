"""An initial meeting's two answers: whether it went ahead as a pre-proceedings meeting,
and which parents had a solicitor there; a meeting that did not go ahead starts no
pre-proceedings clock (docs/decisions.md, 153 and 154)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from legaltracker.cases import services
from legaltracker.cases.models import Adult, Case, CaseEvent, RecordedEvent
from legaltracker.core.errors import InvalidInput
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline
from tests.factories import case_at, record

from .pages.helpers import dmy

pytestmark = pytest.mark.django_db

MEETING = "initial_meeting_held"


@pytest.fixture
def family_case(staff, today):
    """A case in pre-proceedings with a mother (PR), a father (PR) and a grandmother
    (no PR); the letter before proceedings sent the day after the decision."""
    case = case_at("pre_proceedings", staff, start=today - dt.timedelta(days=60))
    services.person_add(
        case_id=case.pk,
        who="adult",
        actor=staff.social_worker,
        data={
            "first_name": "Fred",
            "last_name": "Father",
            "relationship": "father",
            "parental_responsibility": True,
        },
    )
    services.person_add(
        case_id=case.pk,
        who="adult",
        actor=staff.social_worker,
        data={
            "first_name": "Gran",
            "last_name": "Mother",
            "relationship": "grandparent",
            "parental_responsibility": False,
        },
    )
    record(
        case,
        staff.social_worker,
        "letter_before_proceedings_sent",
        case.pre_proceedings_started_on + dt.timedelta(days=1),
    )
    return Case.objects.get(pk=case.pk)


def _adults(case):
    mother, father, gran = Adult.objects.filter(case=case).order_by("id")
    return mother, father, gran


def _deadlines(case):
    return {(d.milestone, d.cycle): d for d in Deadline.objects.filter(case=case, applies=True)}


def _meeting_day(case):
    # A Monday at least 5 working days after the letter: no weekend question, no notice issue.
    day = case.pre_proceedings_started_on + dt.timedelta(days=10)
    while day.weekday() != 0:
        day += dt.timedelta(days=1)
    return day


def test_a_new_meeting_must_say_whether_it_went_ahead(family_case, staff):
    with pytest.raises(InvalidInput) as refused:
        services.event_record(
            case_id=family_case.pk,
            actor=staff.social_worker,
            data={"kind": MEETING, "date": _meeting_day(family_case).isoformat()},
        )
    assert refused.value.field_errors["effective"] == [
        "Answer yes or no: did the meeting go ahead as a pre-proceedings meeting?"
    ]
    assert not RecordedEvent.objects.filter(case=family_case, kind=MEETING).exists()


@pytest.mark.parametrize("value", ["maybe", 1, [True], {"a": 1}])
def test_an_answer_that_is_not_yes_or_no_is_refused(family_case, staff, value):
    with pytest.raises(InvalidInput) as refused:
        record(
            family_case, staff.social_worker, MEETING, _meeting_day(family_case), effective=value
        )
    assert "effective" in refused.value.field_errors


def test_only_the_cases_parents_with_responsibility_can_be_named(family_case, staff, other_staff):
    mother, father, gran = _adults(family_case)
    elsewhere = case_at("concern", other_staff).adults.get()
    day = _meeting_day(family_case)
    for bad in ([gran.pk], [elsewhere.pk], ["x"], [0], "all", [mother.pk, -1]):
        with pytest.raises(InvalidInput) as refused:
            record(family_case, staff.social_worker, MEETING, day, solicitor_present_for=bad)
        assert list(refused.value.field_errors) == ["solicitor_present_for"], bad
    assert not RecordedEvent.objects.filter(case=family_case, kind=MEETING).exists()
    event = record(
        family_case,
        staff.social_worker,
        MEETING,
        day,
        solicitor_present_for=[str(father.pk), mother.pk, mother.pk],
    )
    assert event.details == {
        "effective": True,
        "solicitor_present_for": sorted([mother.pk, father.pk]),
    }
    audit = CaseEvent.objects.filter(case=family_case, action="event_recorded").latest("id")
    assert audit.details["effective"] is True


def test_a_meeting_that_did_not_go_ahead_starts_no_clock(family_case, staff):
    day = _meeting_day(family_case)
    record(family_case, staff.social_worker, MEETING, day, effective=False)
    rows = _deadlines(family_case)
    assert rows[(Milestone.INITIAL_MEETING, 1)].met_on is None  # still to be held
    assert (Milestone.REVIEW_MEETING, 1) not in rows
    assert (Milestone.PRE_PROCEEDINGS_DECISION, 1) not in rows

    held = day + dt.timedelta(days=7)
    record(family_case, staff.social_worker, MEETING, held, effective=True)
    rows = _deadlines(family_case)
    assert rows[(Milestone.INITIAL_MEETING, 1)].met_on == held
    assert rows[(Milestone.REVIEW_MEETING, 1)].starts_from == held
    assert rows[(Milestone.PRE_PROCEEDINGS_DECISION, 1)].starts_from == held


def test_correcting_the_answer_moves_the_clock(family_case, staff):
    day = _meeting_day(family_case)
    event = record(family_case, staff.social_worker, MEETING, day)
    assert _deadlines(family_case)[(Milestone.INITIAL_MEETING, 1)].met_on == day
    services.event_correct(
        event_id=event.pk,
        actor=staff.social_worker,
        data={"effective": False, "reason_for_change": "The parents did not come."},
    )
    rows = _deadlines(family_case)
    assert rows[(Milestone.INITIAL_MEETING, 1)].met_on is None
    assert (Milestone.PRE_PROCEEDINGS_DECISION, 1) not in rows


def test_a_meeting_recorded_before_the_question_counts_and_can_be_corrected(family_case, staff):
    day = _meeting_day(family_case)
    event = record(family_case, staff.social_worker, MEETING, day)
    # As recorded before the question existed: no answer at all.
    RecordedEvent.objects.filter(pk=event.pk).update(details={})
    services.event_correct(
        event_id=event.pk,
        actor=staff.social_worker,
        data={"date": (day + dt.timedelta(days=1)).isoformat(), "reason_for_change": "Typo."},
    )
    event.refresh_from_db()
    assert event.details == {}
    assert _deadlines(family_case)[(Milestone.INITIAL_MEETING, 1)].met_on == event.date
    assert RecordedEvent.objects.filter(pk=event.pk).initial_meetings_held().exists()


def test_the_queryset_of_meetings_held_leaves_out_those_that_did_not_go_ahead(family_case, staff):
    day = _meeting_day(family_case)
    not_held = record(family_case, staff.social_worker, MEETING, day, effective=False)
    held = record(family_case, staff.social_worker, MEETING, day + dt.timedelta(days=7))
    assert list(RecordedEvent.objects.initial_meetings_held()) == [held]
    assert not_held.details["effective"] is False


def test_the_form_asks_both_questions_and_the_events_page_shows_the_answers(
    family_case, staff, client
):
    mother, father, gran = _adults(family_case)
    client.force_login(staff.social_worker)
    url = reverse("casework:record_event", args=[family_case.pk, MEETING])
    page = client.get(url).content.decode()
    assert "Did the meeting go ahead as a pre-proceedings meeting?" in page
    assert "Which parents had a solicitor at the meeting?" in page
    assert f'value="{father.pk}"' in page
    assert f'value="{gran.pk}"' not in page  # no parental responsibility

    day = _meeting_day(family_case)
    missing = client.post(url, {"version": family_case.version, "date": dmy(day), "summary": ""})
    assert missing.status_code == 400
    assert "Choose yes if the meeting went ahead" in html.unescape(missing.content.decode())

    done = client.post(
        url,
        {
            "version": family_case.version,
            "date": dmy(day),
            "summary": "",
            "effective": "no",
            "solicitor_present_for": [str(mother.pk)],
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    event = RecordedEvent.objects.get(case=family_case, kind=MEETING)
    assert event.details == {"effective": False, "solicitor_present_for": [mother.pk]}
    events = html.unescape(
        client.get(reverse("casework:case_events", args=[family_case.pk])).content.decode()
    )
    assert "Went ahead as a pre-proceedings meeting: No" in events
    assert f"Parents with a solicitor there: {mother.first_name} {mother.last_name}" in events
    # What's next still offers the initial meeting: this one did not go ahead.
    overview = client.get(reverse("casework:case_detail", args=[family_case.pk])).content.decode()
    assert url in overview

    correct = reverse("casework:correct_event", args=[event.pk])
    form = client.get(correct).context["form"]
    assert form.initial["effective"] == "no"
    assert form.initial["solicitor_present_for"] == [mother.pk]
