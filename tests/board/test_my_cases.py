"""A lawyer's "My cases": their allocated open cases with stage, next hearing, next
deadline and directions overdue; anyone else is refused with a sentence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.court import services
from tests.factories import case_at

pytestmark = pytest.mark.django_db

MY_CASES = reverse("court_diary:my_cases")


def _allocated(staff, start=dt.date(2026, 2, 2)) -> Case:
    case = case_at(Stage.PROCEEDINGS, staff, start=start)
    Case.objects.filter(pk=case.pk).update(allocated_lawyer=staff.legal)
    return Case.objects.get(pk=case.pk)


def test_a_lawyer_sees_their_cases_with_the_court_columns(client, staff, today):
    mine = _allocated(staff)
    services.hearing_list(
        case_id=mine.pk,
        actor=staff.legal,
        data={"kind": "case_management_hearing", "date": "2026-03-10", "time": "10:30"},
    )
    services.direction_add(
        case_id=mine.pk,
        actor=staff.legal,
        data={
            "text": "File the chronology",
            "party": "council",
            "made_on": "2026-02-20",
            "due_on": "2026-03-02",
            "owner": staff.social_worker.pk,
        },
    )
    not_mine = case_at(Stage.PROCEEDINGS, staff, start=dt.date(2026, 2, 2))
    client.force_login(staff.legal)
    response = client.get(MY_CASES)
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.reference in html and not_mine.reference not in html
    assert "10 Mar 2026 10:30" in html and "Case management hearing" in html
    assert "Care proceedings" in html or "Proceedings" in html
    assert '<strong class="govuk-tag govuk-tag--red">1</strong>' in html  # one overdue
    assert "At risk" in html  # the hearing is 33 days after issue


@pytest.mark.parametrize(
    "role", ["court_liaison_officer", "head_of_service", "team_manager", "social_worker"]
)
def test_other_roles_are_refused_with_a_sentence(client, staff, role):
    client.force_login(staff.by_role(role))
    response = client.get(MY_CASES)
    assert response.status_code == 403
    assert "allocated to a council lawyer" in response.content.decode()


def test_my_cases_costs_the_same_queries_for_1_and_4_cases(client, staff, today):
    _allocated(staff)
    client.force_login(staff.legal)
    client.get(MY_CASES)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(MY_CASES).status_code == 200
        return len(context)

    few = count()
    for _ in range(3):
        _allocated(staff)
    assert count() == few
