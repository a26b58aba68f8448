"""The court diary: hearings by week (Monday to Sunday) and by day, in London time,
filtered by court, team and lawyer; the printed court list; the CSV and XLSX files; only
the cases the viewer may see; the same queries whatever the number of hearings.

Today is Wednesday 4 March 2026 (tests/conftest.py): the week runs from Monday 2 March
to Sunday 8 March.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.court import services
from legaltracker.court.models import CourtCentre, Hearing
from tests.factories import case_at

pytestmark = pytest.mark.django_db

DIARY = reverse("court_diary:diary")


def _list(case, actor, day: str, time: str, kind: str = "directions_hearing", **data) -> Hearing:
    body = {"kind": kind, "date": day, "time": time, "confirm_non_working_day": True, **data}
    return services.hearing_list(case_id=case.pk, actor=actor, data=body)


@dataclass
class Diary:
    ours: Case
    theirs: Case
    tuesday: Hearing  # ours, Tue 3 March 10:30, Swansea
    thursday: Hearing  # theirs, Thu 5 March 14:00, another court
    vacated: Hearing  # ours, Wed 4 March, vacated
    next_week: Hearing  # ours, Mon 9 March
    swansea: CourtCentre
    other_court: CourtCentre


@pytest.fixture
def diary(staff, other_staff, today) -> Diary:
    swansea = CourtCentre.objects.get(name="Swansea")
    other_court = CourtCentre.objects.exclude(pk=swansea.pk).order_by("name").first()
    ours = case_at(Stage.PROCEEDINGS, staff, start=dt.date(2026, 2, 2))
    theirs = case_at(Stage.PROCEEDINGS, other_staff, start=dt.date(2026, 2, 2))
    Case.objects.filter(pk=ours.pk).update(allocated_lawyer=staff.legal)
    clo = staff.court_liaison_officer
    tuesday = _list(ours, clo, "2026-03-03", "10:30", court_centre=swansea.code, courtroom="3")
    thursday = _list(theirs, clo, "2026-03-05", "14:00", court_centre=other_court.code)
    vacated = _list(ours, clo, "2026-03-04", "09:00", court_centre=swansea.code)
    services.hearing_vacate(
        hearing_id=vacated.pk, actor=clo, data={"reason_code": "HM1", "reason_text": "No room"}
    )
    next_week = _list(ours, clo, "2026-03-09", "11:00", court_centre=swansea.code)
    return Diary(ours, theirs, tuesday, thursday, vacated, next_week, swansea, other_court)


def _page(client, user, query: str = "", status: int = 200) -> str:
    client.force_login(user)
    response = client.get(DIARY + query)
    assert response.status_code == status
    return response.content.decode()


def test_the_week_runs_monday_to_sunday_in_london_time(client, staff, diary):
    html = _page(client, staff.court_liaison_officer)
    assert "Week of Monday 2 March 2026 to Sunday 8 March 2026" in html
    for day in ("Monday 2 March 2026", "Wednesday 4 March 2026", "Sunday 8 March 2026"):
        assert day in html
    assert "10:30" in html and "14:00" in html and "Swansea, room 3" in html
    assert diary.ours.reference in html and diary.theirs.reference in html
    assert "11:00" not in html  # next week's
    assert "09:00" not in html  # vacated: left off the list unless asked for
    assert "<strong>2</strong> hearings this week" in html
    assert "date=2026-03-09" in html and "date=2026-02-23" in html  # next and previous


def test_vacated_hearings_show_when_asked(client, staff, diary):
    html = _page(client, staff.court_liaison_officer, "?cancelled=1")
    assert "09:00" in html and "Vacated" in html


def test_another_week_and_the_day_view(client, staff, diary):
    html = _page(client, staff.court_liaison_officer, "?date=2026-03-11")
    assert "Week of Monday 9 March 2026" in html and "11:00" in html and "10:30" not in html
    html = _page(client, staff.court_liaison_officer, "?view=day&date=2026-03-03")
    assert "Tuesday 3 March 2026" in html and "10:30" in html and "14:00" not in html
    assert "Previous day" in html and "date=2026-03-04" in html


def test_a_time_in_summer_time_shows_its_london_time(client, staff, diary):
    _list(diary.ours, staff.legal, "2026-03-30", "10:00")  # the day after the clocks change
    html = _page(client, staff.court_liaison_officer, "?view=day&date=2026-03-30")
    assert "10:00" in html and "09:00" not in html


def test_filters_by_court_team_and_lawyer(client, staff, other_staff, diary):
    clo = staff.court_liaison_officer
    html = _page(client, clo, f"?court_centre={diary.swansea.code}")
    assert "10:30" in html and "14:00" not in html
    html = _page(client, clo, f"?team={other_staff.team.code}")
    assert "14:00" in html and "10:30" not in html
    html = _page(client, clo, f"?lawyer={staff.legal.pk}")
    assert "10:30" in html and "14:00" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?date=2026-02-30", "Enter a real date"),
        ("?court_centre=NOPE", "Choose a court from the list."),
        ("?lawyer=999999", "Choose a lawyer from the list."),
        ("?view=month", "Choose the week or the day view."),
    ],
)
def test_bad_filters_say_what_to_fix(client, staff, diary, query, message):
    html = _page(client, staff.court_liaison_officer, query)
    assert message in html and "There is a problem" in html
    response = client.get(reverse("court_diary:diary_csv") + query)
    assert response.status_code == 400 and message in response.content.decode()


def test_a_team_manager_sees_only_their_teams_hearings(client, staff, other_staff, diary):
    html = _page(client, staff.team_manager)
    assert diary.ours.reference in html and diary.theirs.reference not in html
    # Asking for the other team is a form error, not their hearings.
    html = _page(client, staff.team_manager, f"?team={other_staff.team.code}")
    assert "Choose a team from the list." in html and diary.theirs.reference not in html
    html = _page(client, staff.team_manager, f"?court_centre={diary.other_court.code}")
    assert diary.theirs.reference not in html and "14:00" not in html


@pytest.mark.parametrize("role", ["social_worker", "administrator", "performance_officer"])
def test_roles_that_do_not_read_the_board_are_refused(client, staff, diary, role):
    client.force_login(staff.by_role(role))
    for name in ("diary", "diary_print", "diary_csv", "diary_xlsx"):
        assert client.get(reverse(f"court_diary:{name}")).status_code == 403


def test_the_csv_and_xlsx_hold_the_weeks_hearings(client, staff, diary):
    client.force_login(staff.court_liaison_officer)
    response = client.get(reverse("court_diary:diary_csv") + "?date=2026-03-04")
    assert response.status_code == 200
    assert 'filename="court-diary-week-2026-03-02.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Date", "Time", "Time estimate (minutes)", "Hearing"]
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [
        ("2026-03-03", "10:30", "Swansea"),
        ("2026-03-05", "14:00", diary.other_court.name),
    ]
    response = client.get(reverse("court_diary:diary_xlsx") + "?view=day&date=2026-03-03")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][1] == "10:30"
    assert values[1][9] == diary.ours.reference


def test_the_printed_court_list_needs_no_script(client, staff, diary):
    client.force_login(staff.court_liaison_officer)
    response = client.get(reverse("court_diary:diary_print") + "?date=2026-03-04")
    html = response.content.decode()
    assert response.status_code == 200
    assert "court list" in html and "Monday 2 March 2026" in html and "10:30" in html
    assert "<script" not in html and "moj-primary-navigation" not in html


def test_the_diary_costs_the_same_queries_for_2_and_12_hearings(client, staff, diary):
    client.force_login(staff.court_liaison_officer)
    client.get(DIARY)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(DIARY + "?cancelled=1").status_code == 200
        return len(context)

    few = count()
    extra = [case_at(Stage.PROCEEDINGS, staff, start=dt.date(2026, 2, 2)) for _ in range(3)]
    for number, case in enumerate(extra):
        for day in ("2026-03-02", "2026-03-06", "2026-03-07"):
            _list(case, staff.legal, day, f"1{number}:15", court_centre=diary.swansea.code)
    assert count() == few
