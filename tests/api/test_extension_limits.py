"""Extensions are bounded and approved by the person who records them (docs/security.md,
"Finding 5"): real requests through the API, on the real database."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.accounts.models import Role
from legaltracker.calendars.workingdays import add_weeks
from legaltracker.cases.models import Case, CaseEvent, Extension
from legaltracker.core import clock
from legaltracker.deadlines.models import Deadline, TimescalePolicy
from tests.factories import UserFactory, case_at, record

pytestmark = pytest.mark.usefixtures("today")

FAR_FUTURE = "9999-12-30"


def url(case: Case, transition: str) -> str:
    return f"/api/v1/cases/{case.pk}/transitions/{transition}/"


def data(today: dt.date, new_end: dt.date | str, approver: object) -> dict[str, str]:
    return {
        "date": today.isoformat(),
        "reasons": "The parenting assessment needs more time.",
        "new_end_date": new_end if isinstance(new_end, str) else new_end.isoformat(),
        "approved_by": approver.username,  # type: ignore[attr-defined]
    }


def refused(response, field: str, *words: str) -> None:
    assert response.status_code == 400, response.content
    messages = " ".join(response.json()["errors"][field])
    for word in words:
        assert word in messages, messages


def nothing_recorded(case: Case) -> bool:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.version == case.version
        and not Extension.objects.filter(case=case).exists()
        and CaseEvent.objects.filter(case=case).count() == case.audit_events.count()
    )


def due(case: Case, milestone: str) -> dt.date:
    return Deadline.objects.filter(case=case, milestone=milestone, applies=True).latest("cycle").due


@pytest.fixture
def pre_proceedings(staff, today) -> Case:
    case = case_at("pre_proceedings", staff)
    record(case, staff.social_worker, "letter_before_proceedings_sent", case.stage_entered_on)
    record(case, staff.social_worker, "initial_meeting_held", case.stage_entered_on)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def proceedings(staff, today) -> Case:
    return case_at("proceedings", staff)


# --- the far future ------------------------------------------------------------------------


def test_pre_proceedings_to_9999_is_refused_with_the_latest_date(
    staff, client_for, today, pre_proceedings
):
    case = pre_proceedings
    current = due(case, "pre_proceedings_decision")
    response = client_for(staff.head_of_service).post(
        url(case, "extend_pre_proceedings"),
        data(today, FAR_FUTURE, staff.head_of_service),
        format="json",
    )
    refused(
        response,
        "new_end_date",
        "at most 8 weeks past the current decision date",
        f"{add_weeks(current, 8):%d %B %Y}",
    )
    assert nothing_recorded(case)


def test_timetable_to_9999_is_refused(staff, client_for, today, proceedings):
    case = proceedings
    current = due(case, "final_order")
    response = client_for(staff.legal).post(
        url(case, "extend_timetable"), data(today, FAR_FUTURE, staff.legal), format="json"
    )
    refused(response, "new_end_date", "at most 8 weeks", f"{add_weeks(current, 8):%d %B %Y}")
    assert nothing_recorded(case)


def test_the_pre_proceedings_maximum_is_the_policys(staff, client_for, today, pre_proceedings):
    case = pre_proceedings
    policy = TimescalePolicy.current()
    policy.pre_proceedings_extension_max_weeks = 4
    policy.save()
    current = due(case, "pre_proceedings_decision")
    client = client_for(staff.head_of_service)
    too_far = client.post(
        url(case, "extend_pre_proceedings"),
        data(today, current + dt.timedelta(weeks=4, days=1), staff.head_of_service),
        format="json",
    )
    refused(too_far, "new_end_date", "at most 4 weeks")
    ok = client.post(
        url(case, "extend_pre_proceedings"),
        data(today, current + dt.timedelta(days=25), staff.head_of_service),
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    assert due(case, "pre_proceedings_decision") == current + dt.timedelta(days=25)


# --- the court timetable: whole weeks, 1 to 8 ------------------------------------------------


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (63, ["at most 8 weeks"]),  # 9 weeks
        (24, ["whole weeks", "enter"]),  # 3.5 weeks
        (3, ["whole weeks"]),
    ],
)
def test_timetable_extension_not_in_whole_weeks_up_to_eight_is_refused(
    staff, client_for, today, proceedings, days, words
):
    case = proceedings
    current = due(case, "final_order")
    response = client_for(staff.legal).post(
        url(case, "extend_timetable"),
        data(today, current + dt.timedelta(days=days), staff.legal),
        format="json",
    )
    refused(response, "new_end_date", *words)
    assert nothing_recorded(case)


def test_the_whole_weeks_message_names_the_dates_either_side(staff, client_for, today, proceedings):
    case = proceedings
    current = due(case, "final_order")
    response = client_for(staff.legal).post(
        url(case, "extend_timetable"),
        data(today, current + dt.timedelta(days=24), staff.legal),
        format="json",
    )
    refused(
        response,
        "new_end_date",
        f"{add_weeks(current, 3):%d %B %Y} or {add_weeks(current, 4):%d %B %Y}",
    )


@pytest.mark.parametrize("weeks", [1, 8])
def test_timetable_extension_of_whole_weeks_is_recorded(
    staff, client_for, today, proceedings, weeks
):
    case = proceedings
    current = due(case, "final_order")
    response = client_for(staff.legal).post(
        url(case, "extend_timetable"),
        data(today, add_weeks(current, weeks), staff.legal),
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert due(case, "final_order") == add_weeks(current, weeks)


# --- the approval is the recorder's own ------------------------------------------------------


def test_a_lawyer_cannot_record_someone_elses_approval_of_a_timetable_extension(
    staff, client_for, today, proceedings
):
    case = proceedings
    current = due(case, "final_order")
    response = client_for(staff.legal).post(
        url(case, "extend_timetable"),
        data(today, add_weeks(current, 4), staff.head_of_service),
        format="json",
    )
    refused(
        response,
        "approved_by",
        "only your own approval",
        staff.legal.username,
        staff.head_of_service.display_name,
    )
    assert nothing_recorded(case)


def test_a_head_of_service_cannot_record_another_heads_approval(
    staff, client_for, today, pre_proceedings
):
    case = pre_proceedings
    other = UserFactory(username="hos-2", role=Role.HEAD_OF_SERVICE, team=None)
    current = due(case, "pre_proceedings_decision")
    response = client_for(staff.head_of_service).post(
        url(case, "extend_pre_proceedings"),
        data(today, add_weeks(current, 4), other),
        format="json",
    )
    refused(response, "approved_by", "only your own approval")
    assert nothing_recorded(case)


@pytest.mark.parametrize("role", ["team_manager", "legal"])
def test_who_cannot_approve_a_pre_proceedings_extension_cannot_record_it(
    staff, client_for, today, pre_proceedings, role
):
    case = pre_proceedings
    current = due(case, "pre_proceedings_decision")
    response = client_for(staff.by_role(role)).post(
        url(case, "extend_pre_proceedings"),
        data(today, add_weeks(current, 4), staff.head_of_service),
        format="json",
    )
    assert response.status_code == 403, response.json()
    assert nothing_recorded(case)


# --- the case still goes red ----------------------------------------------------------------


def test_the_case_goes_red_when_the_extended_timetable_passes(
    staff, client_for, today, proceedings
):
    case = proceedings
    new_end = add_weeks(due(case, "final_order"), 8)
    client = client_for(staff.legal)
    done = client.post(
        url(case, "extend_timetable"), data(today, new_end, staff.legal), format="json"
    )
    assert done.status_code == 200, done.json()
    with clock.frozen(new_end):
        on_the_day = client.get(f"/api/v1/cases/{case.pk}/").json()
    with clock.frozen(new_end + dt.timedelta(days=1)):
        after = client.get(f"/api/v1/cases/{case.pk}/").json()
    final = [d for d in on_the_day["deadlines"] if d["milestone"] == "final_order"]
    assert [(d["due"], d["status"]) for d in final] != [] and final[0]["status"] != "overdue"
    final = [d for d in after["deadlines"] if d["milestone"] == "final_order"]
    assert [(d["due"], d["status"]) for d in final] == [(new_end.isoformat(), "overdue")]
    assert after["rag"] == "red"
