"""The board's court columns and filters: the next hearing, the proceedings' court and
judge, HMCTS's "at risk" test (the SQL filter and the rows' Python agree with
`court.selectors.at_risk`) and the council directions overdue; in the page, the JSON twin
and the exports.

Today is Wednesday 4 March 2026 (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from legaltracker.board import exports
from legaltracker.board.selectors import board_page, filtered_cases
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.court import services
from legaltracker.court.models import CourtCentre
from legaltracker.court.selectors import at_risk
from legaltracker.deadlines.selectors import Today
from tests.factories import case_at

pytestmark = pytest.mark.django_db

D = dt.date


def _list(case, actor, day: dt.date, time: str = "10:00", **data):
    body = {
        "kind": "case_management_hearing",
        "date": day.isoformat(),
        "time": time,
        "confirm_non_working_day": True,
        **data,
    }
    return services.hearing_list(case_id=case.pk, actor=actor, data=body)


def _direction(case, actor, due: dt.date, party: str = "council", **data):
    body = {
        "text": "File the evidence",
        "party": party,
        "made_on": "2026-02-20",
        "due_on": due.isoformat(),
        **data,
    }
    return services.direction_add(case_id=case.pk, actor=actor, data=body)


@dataclass
class CourtCases:
    late: Case  # CMH 33 days after issue, next hearing on 10 March, a direction overdue
    on_time: Case  # CMH within 24 days (past), IRH listed in time
    midnight: Case  # IRH at 00:30 London (BST) on day 141: the day before in UTC
    no_cmh: Case  # in proceedings, no hearing at all, issued more than 24 days ago
    gateway: Case  # not issued: never at risk

    @property
    def all(self) -> list[Case]:
        return [self.late, self.on_time, self.midnight, self.no_cmh, self.gateway]


@pytest.fixture
def court(staff, today) -> CourtCases:
    swansea = CourtCentre.objects.get(name="Swansea")
    other = CourtCentre.objects.exclude(pk=swansea.pk).order_by("name").first()
    legal, clo = staff.legal, staff.court_liaison_officer

    late = case_at(Stage.PROCEEDINGS, staff, start=D(2026, 2, 2))
    services.proceedings_update(
        case_id=late.pk,
        actor=legal,
        data={"court_centre": swansea.code, "judge_name": "HHJ Kestrel", "case_number": "SA1"},
    )
    _list(late, clo, late.issued_on + dt.timedelta(days=33), "10:30", time_estimate_minutes=90)
    _direction(late, legal, D(2026, 3, 2), owner=staff.social_worker.pk)  # overdue
    _direction(late, legal, D(2026, 3, 20), owner=staff.social_worker.pk)  # not yet due
    _direction(late, legal, D(2026, 3, 1), party="parent")  # not the council's
    extended = _direction(late, legal, D(2026, 2, 27), owner=staff.social_worker.pk)
    services.direction_update(
        direction_id=extended.pk,
        actor=legal,
        data={"status": "filed", "filed_on": "2026-02-27"},
    )

    on_time = case_at(Stage.PROCEEDINGS, staff, start=D(2026, 2, 2))
    services.proceedings_update(
        case_id=on_time.pk, actor=legal, data={"court_centre": other.code, "judge_name": "DJ Wren"}
    )
    _list(on_time, clo, on_time.issued_on + dt.timedelta(days=20))
    _list(
        on_time, clo, on_time.issued_on + dt.timedelta(days=100), kind="issues_resolution_hearing"
    )

    midnight = case_at(Stage.PROCEEDINGS, staff, start=D(2026, 2, 2))
    _list(midnight, clo, midnight.issued_on + dt.timedelta(days=20))
    _list(
        midnight,
        clo,
        midnight.issued_on + dt.timedelta(days=141),
        "00:30",
        kind="issues_resolution_hearing",
    )
    no_cmh = case_at(Stage.PROCEEDINGS, staff, start=D(2026, 1, 2))
    gateway = case_at(Stage.LEGAL_GATEWAY, staff, start=D(2026, 3, 1))
    return CourtCases(
        late=Case.objects.get(pk=late.pk),
        on_time=Case.objects.get(pk=on_time.pk),
        midnight=Case.objects.get(pk=midnight.pk),
        no_cmh=Case.objects.get(pk=no_cmh.pk),
        gateway=Case.objects.get(pk=gateway.pk),
    )


def _rows(user, filters=None, day: dt.date | None = None):
    page = board_page(user=user, today=Today.now(day), filters=filters, page_size=200)
    return {row.id: row for row in page.rows}


def test_the_rows_carry_the_court_columns(court, staff):
    rows = _rows(staff.court_liaison_officer)
    late = rows[court.late.pk]
    hearing = late.next_hearing
    assert hearing is not None
    assert (hearing.kind, hearing.day, hearing.time) == (
        "case_management_hearing",
        court.late.issued_on + dt.timedelta(days=33),
        "10:30",
    )
    assert hearing.court_centre == "Swansea" and hearing.time_estimate_minutes == 90
    assert (late.court_centre, late.judge_name) == ("Swansea", "HHJ Kestrel")
    assert late.directions_overdue == 1
    assert late.at_risk and "more than 24" in late.at_risk_reasons[0]
    on_time = rows[court.on_time.pk]
    assert on_time.next_hearing is not None
    assert on_time.next_hearing.kind == "issues_resolution_hearing"
    assert not on_time.at_risk and on_time.directions_overdue == 0 and on_time.judge_name
    assert rows[court.no_cmh.pk].next_hearing is None and rows[court.no_cmh.pk].at_risk
    assert not rows[court.gateway.pk].at_risk and rows[court.gateway.pk].court_centre == ""


def test_a_hearing_past_midnight_in_summer_counts_its_london_day(court, staff):
    # 00:30 BST on day 141 is 23:30 UTC on day 140: the London day puts it at risk.
    (hearing,) = court.midnight.hearings.filter(kind="issues_resolution_hearing")
    assert hearing.starts_at.astimezone(dt.UTC).date() == court.midnight.issued_on + dt.timedelta(
        days=140
    )
    rows = _rows(staff.court_liaison_officer)
    assert rows[court.midnight.pk].at_risk
    assert "141 days after issue" in rows[court.midnight.pk].at_risk_reasons[0]
    risky = filtered_cases(staff.court_liaison_officer, Today.now(), {"at_risk": True})
    assert court.midnight.pk in set(risky.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "day",
    [D(2026, 3, 4), D(2026, 6, 25), D(2026, 7, 1), D(2026, 8, 6), D(2026, 9, 1)],
)
def test_the_at_risk_filter_in_sql_agrees_with_the_python_test(court, staff, day):
    """For each case on the board, on days either side of the 140- and 182-day lines:
    the SQL filter, the row's reasons and `court.selectors.at_risk` say the same."""
    user = staff.court_liaison_officer
    today = Today.now(day)
    in_sql = set(filtered_cases(user, today, {"at_risk": True}).values_list("pk", flat=True))
    rows = _rows(user, day=day)
    for case in court.all:
        python = at_risk(case, list(case.hearings.all()), today=day)
        assert (case.pk in in_sql) == bool(python), (case, day, python)
        assert list(rows[case.pk].at_risk_reasons) == python, (case, day)
    # The counts read the same filter.
    page = board_page(user=user, today=today, filters={"at_risk": True})
    assert page.count == len(in_sql)


def test_the_court_filters(court, staff):
    user = staff.court_liaison_officer
    swansea = CourtCentre.objects.get(name="Swansea")
    assert set(_rows(user, {"court_centre": swansea.code})) == {court.late.pk}
    assert set(_rows(user, {"judge": "kestrel"})) == {court.late.pk}
    assert set(_rows(user, {"directions_overdue": True})) == {court.late.pk}
    assert set(_rows(user, {"at_risk": True})) == {
        court.late.pk,
        court.midnight.pk,
        court.no_cmh.pk,
    }


def test_my_cases_filter_for_a_lawyer(court, staff, client):
    Case.objects.filter(pk=court.late.pk).update(allocated_lawyer=staff.legal)
    client.force_login(staff.legal)
    body = client.get(reverse("board_api:board") + "?mine=true").json()
    assert [row["id"] for row in body["results"]] == [court.late.pk]


def test_the_json_twin_and_the_page_show_the_court_columns(court, staff, client):
    client.force_login(staff.court_liaison_officer)
    swansea = CourtCentre.objects.get(name="Swansea")
    body = client.get(reverse("board_api:board") + f"?court_centre={swansea.code}").json()
    (row,) = body["results"]
    assert row["next_hearing"] == {
        "kind": "case_management_hearing",
        "starts_at": "2026-03-10T10:30:00+00:00",
        "date": "2026-03-10",
        "time": "10:30",
        "time_estimate_minutes": 90,
        "court_centre": "Swansea",
    }
    assert row["court_centre"] == "Swansea" and row["judge_name"] == "HHJ Kestrel"
    assert row["at_risk"] is True and row["at_risk_reasons"]
    assert row["directions_overdue"] == 1
    html = client.get(reverse("board:board") + "?at_risk=1&directions_overdue=1").content.decode()
    assert "10 Mar 2026 10:30" in html and "HHJ Kestrel" in html and "At risk" in html
    assert court.on_time.reference not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("court_centre=NOPE", "Choose a court from the list."),
        ("at_risk=maybe", "is true or false."),
        ("directions_overdue=", "is blank"),
    ],
)
def test_bad_court_filters_are_a_400_naming_them(court, staff, client, query, message):
    client.force_login(staff.court_liaison_officer)
    response = client.get(reverse("board_api:board") + f"?{query}")
    assert response.status_code == 400
    assert message in str(response.json())
    page = client.get(reverse("board:board") + f"?{query}")
    assert page.status_code == 200  # the page shows the error beside the filter
    if "=NOPE" in query:
        assert message in page.content.decode()


def test_the_exports_carry_the_court_columns(court, staff, today):
    headers = exports.HEADERS
    rows = {
        row[headers.index("Reference")]: dict(zip(headers, row, strict=True))
        for row in exports.rows(staff.court_liaison_officer, {}, today)
    }
    late = rows[court.late.reference]
    assert late["Next hearing"] == "Case management hearing"
    assert late["Next hearing date"] == D(2026, 3, 10) and late["Next hearing time"] == "10:30"
    assert late["Next hearing court"] == "Swansea" and late["Court"] == "Swansea"
    assert late["Judge"] == "HHJ Kestrel" and late["At risk"] == "Yes"
    assert late["Directions overdue"] == 1 and "more than 24" in late["At risk because"]
    assert rows[court.on_time.reference]["At risk"] == "No"
    filtered = list(exports.rows(staff.court_liaison_officer, {"directions_overdue": True}, today))
    assert [row[0] for row in filtered] == [court.late.reference]
    assert "Only cases with a council direction overdue" in exports.describe(
        {"directions_overdue": True}
    )
