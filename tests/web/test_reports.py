"""The reports page: figures for a known set of cases, who sees which, and the charts'
accessible alternatives."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from legaltracker.deadlines.selectors import Today
from legaltracker.web import selectors

from . import data

D = dt.date


@pytest.fixture
def dataset(staff, other_staff, today):
    """Today is 2026-03-04; the twelve months run from 1 April 2025."""
    return {
        # Entered pre-proceedings 2025-10-03; letter after 5 days, meeting 12 days later;
        # the decision point (meeting + 16 weeks) was 2026-02-09.
        "a": data.pre_proceedings(
            staff, D(2025, 10, 1), letter=D(2025, 10, 8), meeting=D(2025, 10, 20)
        ),
        # Entered 2026-02-03; letter after 3 days; no meeting yet.
        "b": data.pre_proceedings(staff, D(2026, 2, 1), letter=D(2026, 2, 6)),
        # Entered 2025-11-03; letter after 7 days, meeting 14 days later; stepped down in January.
        "c": data.stepped_down(
            staff,
            D(2025, 11, 1),
            letter=D(2025, 11, 10),
            meeting=D(2025, 11, 24),
            assessed=D(2025, 12, 15),
            on=D(2026, 1, 12),
        ),
        "d": data.issued(staff, D(2025, 6, 1)),  # issued 2025-06-04, still in proceedings
        "e": data.concluded(staff, D(2025, 5, 1), D(2025, 9, 1)),  # 120 days: within 26 weeks
        "f": data.concluded(
            staff, D(2025, 1, 1), D(2025, 8, 1)
        ),  # 209 days; issued before the window
        # Another team's case: entered 2025-10-03, letter after 3 days.
        "g": data.pre_proceedings(other_staff, D(2025, 10, 1), letter=D(2025, 10, 6)),
    }


def test_team_manager_figures_for_their_team(client, staff, dataset):
    client.force_login(staff.team_manager)
    response = client.get(reverse("web:reports"))
    assert response.status_code == 200
    report = response.context["data"]

    rows = [
        (r.reference, r.weeks, r.decision_due, r.past_decision_point)
        for r in report.pre_proceedings
    ]
    assert rows == [
        (dataset["a"].reference, 21.7, D(2026, 2, 9), True),
        (dataset["b"].reference, 4.1, None, False),
    ]
    assert report.past_decision_point == 1
    assert {s.stage: s.count for s in report.stages} == {
        "concern": 0,
        "legal_gateway": 0,
        "pre_proceedings": 2,
        "issue": 0,
        "proceedings": 1,
    }
    months = {m.month: (m.stepped_down, m.issued) for m in report.months}
    assert len(months) == 12 and min(months) == D(2025, 4, 1) and max(months) == D(2026, 3, 1)
    assert months[D(2026, 1, 1)] == (1, 0)
    assert months[D(2025, 5, 1)] == (0, 1)
    assert months[D(2025, 6, 1)] == (0, 1)
    assert sum(s for s, _ in months.values()) == 1
    assert sum(i for _, i in months.values()) == 2
    assert (report.concluded.concluded, report.concluded.within, report.concluded.percent) == (
        2,
        1,
        50,
    )
    averages = [(a.days, a.cases) for a in report.averages]
    assert averages == [(5.0, 3), (13.0, 2)]

    html = response.content.decode()
    assert dataset["g"].reference not in html
    assert "1 of 2 proceedings" in html
    assert '<span class="app-big-number__value">50%</span>' in html


def test_cross_team_role_sees_every_team_and_can_choose_one(client, staff, other_staff, dataset):
    client.force_login(staff.head_of_service)
    report = client.get(reverse("web:reports")).context["data"]
    assert [r.reference for r in report.pre_proceedings] == [
        dataset["a"].reference,
        dataset["g"].reference,
        dataset["b"].reference,
    ]
    assert [(a.days, a.cases) for a in report.averages] == [(4.5, 4), (13.0, 2)]

    south = client.get(reverse("web:reports"), {"team": other_staff.team.code})
    assert [r.reference for r in south.context["data"].pre_proceedings] == [dataset["g"].reference]
    assert south.context["data"].concluded.concluded == 0
    assert "selected>South Family Support</option>" in south.content.decode()


@pytest.mark.parametrize("role", ["social_worker", "administrator"])
def test_reports_are_not_for_every_role(client, staff, role):
    client.force_login(staff.by_role(role))
    assert client.get(reverse("web:reports")).status_code == 403


def test_each_chart_is_an_accessible_image_with_a_table(client, staff, dataset):
    client.force_login(staff.court_liaison_officer)
    html = client.get(reverse("web:reports")).content.decode()
    charts = re.findall(r'<svg class="app-chart" role="img" aria-labelledby="([^"]+)"', html)
    assert len(charts) == 5
    for labelled_by in charts:
        title_id, desc_id = labelled_by.split()
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', html)
        assert re.search(rf'<desc id="{desc_id}">[^<]+</desc>', html)
    assert '<th scope="row" class="govuk-table__header">January 2026</th>' in html
    assert "Weeks in pre-proceedings as a table" in html
    assert "Open cases by stage as a table" in html
    assert "Stepped down and issued as a table" in html
    # The bar of the case past its decision point says so in words, not only in red.
    assert "21.7 weeks (past decision point)" in html
    assert "<script" not in html.split('<script type="module"')[0]


def test_reports_with_no_cases(client, staff, today):
    client.force_login(staff.legal)
    response = client.get(reverse("web:reports"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No open case is in pre-proceedings." in html
    assert "No proceedings concluded in the last 12 months." in html
    assert "No cases yet" in html


def test_months_run_back_across_the_year_end():
    assert selectors._months(D(2026, 2, 10), 3) == [D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]


def test_selector_matches_the_page(staff, dataset, today):
    report = selectors.reports(user=staff.legal, today=Today.now())
    assert len(report.pre_proceedings) == 3
    assert report.concluded.within == 1
