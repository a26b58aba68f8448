"""My work's "Next step" column (docs/decisions.md 131): each of a social worker's cases
links straight to what it waits for from them, and only to what they may do."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from legaltracker.cases.choices import EventKind, Stage
from legaltracker.core import clock
from letters import services as letter_services
from tests.access.world import letter_details
from tests.factories import case_at, record

pytestmark = pytest.mark.django_db


def _approved_letter(case, staff):
    adults = [a.pk for a in case.adults.all()]
    letter_services.expectation_create(
        case_id=case.pk,
        actor=staff.social_worker,
        data={
            "adults": adults,
            "action": "Take the children to school on time every day.",
            "why_it_matters": "The children need to learn and to see their friends.",
            "help_offered": "We will pay for a bus pass.",
            "how_judged": "The school will tell us that the children are there on time.",
            "due_by": (clock.today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    letter_services.letter_details_update(
        case_id=case.pk, actor=staff.social_worker, data=letter_details()
    )
    letter = letter_services.letter_generate(
        case_id=case.pk,
        actor=staff.social_worker,
        data={"kind": "letter_before_proceedings", "recipient": adults[0]},
    )
    return letter_services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)


def _steps(client, user) -> dict[int, object]:
    client.force_login(user)
    response = client.get(reverse("web:my_work"))
    assert response.status_code == 200
    return {case.pk: case.next_step for case in response.context["work"].cases}


def test_pre_proceedings_first_prepares_the_letter_before_proceedings(client, staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    step = _steps(client, staff.social_worker)[case.pk]
    assert step.label == "Prepare the letter before proceedings"
    assert step.url == reverse("casework:case_letters", args=[case.pk])
    html = client.get(reverse("web:my_work")).content.decode()
    assert f'href="{step.url}"' in html
    hidden = f'<span class="govuk-visually-hidden">: case {case.reference}</span>'
    assert f"Prepare the letter before proceedings{hidden}" in html


def test_an_approved_letter_is_recorded_as_sent_from_its_page(client, staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    letter = _approved_letter(case, staff)
    step = _steps(client, staff.social_worker)[case.pk]
    assert step.label == "Record the letter as sent"
    assert step.url == reverse("letters:letter_detail", args=[letter.pk])
    assert "letter before proceedings" in step.about
    # The letter's page offers the form there.
    page = client.get(step.url).content.decode()
    assert "Record as sent" in page


def test_once_the_letter_is_sent_the_initial_meeting_is_next(client, staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    record(case, staff.social_worker, EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, today)
    step = _steps(client, staff.social_worker)[case.pk]
    assert step.label == "Record an initial pre-proceedings meeting"
    assert step.url == reverse(
        "casework:record_event", args=[case.pk, EventKind.INITIAL_MEETING_HELD]
    )
    assert client.get(step.url).status_code == 200

    record(case, staff.social_worker, EventKind.INITIAL_MEETING_HELD, today)
    after = _steps(client, staff.social_worker)[case.pk]
    assert after is None or after.label != step.label


def test_nothing_to_link_at_the_gateway(client, staff, today):
    case = case_at(Stage.LEGAL_GATEWAY, staff)
    assert _steps(client, staff.social_worker)[case.pk] is None
    html = client.get(reverse("web:my_work")).content.decode()
    open_cases = html[html.index("Your open cases") :]
    row = re.search(rf"{case.reference}</a>.*?</tr>", open_cases, re.S)
    assert row is not None and "None</td>" in row.group(0)


def test_only_steps_the_person_may_take(client, staff, today):
    """At issue, the once-a-case events are the letter of issue sent (from its page) and
    the lawyer's: a social worker is linked to none of them."""
    case = case_at(Stage.ISSUE, staff)
    step = _steps(client, staff.social_worker)[case.pk]
    assert step is None
