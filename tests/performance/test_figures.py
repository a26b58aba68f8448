"""The performance figures on cases built through the services at known dates, worked
out by hand; who counts which cases; the filters."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from legaltracker.cases.models import Case
from legaltracker.performance.selectors import performance_report, spread
from tests.factories import move, record

from . import data

D = dt.date
PERIOD = {"from": "2025-03-01", "to": "2026-02-28", "team": None, "lawyer": None}


@pytest.fixture
def dataset(staff, other_staff, today):
    """North's cases (and one of South's), with what each contributes."""
    # A: entered 2025-10-03 (Fri); letter 2025-10-08, 3 working days: on time; meeting
    # 2025-10-20, between the notice (10-15) and the deadline (10-22): within. FGDM
    # offered, accepted and held. Pre-proceedings extended on 2026-02-02. Still open.
    a = data.pre_proceedings(staff, D(2025, 10, 1), letter=D(2025, 10, 8), meeting=D(2025, 10, 20))
    for kind in ("fgdm_offered", "fgdm_accepted", "fgdm_held"):
        record(a, staff.social_worker, kind, D(2025, 10, 10))
    data.extend_pre_proceedings(a, staff, D(2026, 2, 2), D(2026, 3, 9))
    data.meeting_details(a, effective=True, solicitor_present_for=data.parent_ids(a))
    # B: entered 2026-02-03 (Tue); letter 2026-02-13, after the deadline of 02-10: late.
    # A meeting that did not go ahead as a pre-proceedings meeting: not held.
    b = data.pre_proceedings(staff, D(2026, 2, 1), letter=D(2026, 2, 13), meeting=D(2026, 2, 20))
    data.meeting_details(b, effective=False)
    # C: entered 2025-11-03 (Mon); letter 11-10, the deadline day: on time; meeting 11-24,
    # the deadline day: within; nobody had a solicitor. Stepped down 2026-01-12: 10 weeks.
    c = data.stepped_down(
        staff, D(2025, 11, 1), letter=D(2025, 11, 10), meeting=D(2025, 11, 24), on=D(2026, 1, 12)
    )
    data.meeting_details(c, solicitor_present_for=[])
    # D: entered 2025-06-03 (Tue); letter 06-04: on time; meeting 06-06, before the
    # parents' notice ran (06-11): too soon; solicitors not recorded. Back to the gateway
    # 2025-09-02 (13 weeks) and issued 2025-09-10. FGDM offered and declined (for issue).
    d = data.pre_proceedings(staff, D(2025, 6, 1), letter=D(2025, 6, 4), meeting=D(2025, 6, 6))
    d = data.escalated_and_issued(staff, d, escalated=D(2025, 9, 2), issued=D(2025, 9, 10))
    # E: issued 2025-05-04, concluded 2025-09-01: 120 days, 17.1 weeks, within 26.
    e = data.concluded(staff, D(2025, 5, 1), D(2025, 9, 1))
    # F: issued 2025-01-04, timetable extended 2025-06-20, concluded 2025-08-01: 209 days.
    f = data.issued(staff, D(2025, 1, 1))
    data.extend_timetable(f, staff, D(2025, 6, 20))
    move(f, "conclude_proceedings", staff.legal, date="2025-08-01", outcome="care_order")
    # X then Y: the same child (LA child id LA0001); X closed 2025-02-20, Y entered
    # 2025-12-03: back within 12 months. No letter on Y yet.
    data.stepped_down(
        staff,
        D(2024, 10, 1),
        letter=D(2024, 10, 7),
        meeting=D(2024, 10, 15),
        on=D(2025, 2, 20),
        children=[data.child("Lee", la_child_id="LA0001")],
    )
    y = data.pre_proceedings(
        staff, D(2025, 12, 1), children=[data.child("Lee-Smith", la_child_id="LA0001")]
    )
    # G: South's, entered 2025-10-03, letter 10-06: on time.
    g = data.pre_proceedings(other_staff, D(2025, 10, 1), letter=D(2025, 10, 6))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "y": y, "g": g}


def test_the_figures_for_a_team_manager(client, staff, dataset):
    client.force_login(staff.team_manager)
    response = client.get(reverse("performance:reports"))
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.start, report.end) == (D(2025, 3, 1), D(2026, 2, 28))

    pre = report.pre_proceedings
    by_month = {m.month: m.count for m in pre.entered_by_month}
    assert len(by_month) == 12 and min(by_month) == D(2025, 3, 1)
    assert {m: n for m, n in by_month.items() if n} == {
        D(2025, 6, 1): 1,
        D(2025, 10, 1): 1,
        D(2025, 11, 1): 1,
        D(2025, 12, 1): 1,
        D(2026, 2, 1): 1,
    }
    assert pre.entered == 5
    assert (pre.ended, pre.stepped_down, pre.issued, pre.other, pre.diverted) == (2, 1, 1, 0, 1)
    assert pre.diverted_percent == 50.0
    assert (pre.weeks.count, pre.weeks.minimum, pre.weeks.median, pre.weeks.maximum) == (
        2,
        10.0,
        11.5,
        13.0,
    )

    letters = report.letters
    assert (letters.entered, letters.within, letters.late, letters.not_sent) == (5, 3, 1, 1)
    assert letters.working_days == 5 and letters.within_percent == 60.0

    meetings = report.meetings
    assert (meetings.letters, meetings.within, meetings.early, meetings.late) == (4, 2, 1, 0)
    assert meetings.not_held == 1

    fg = report.family_group
    assert (fg.entered, fg.offered, fg.accepted, fg.declined, fg.held) == (5, 2, 1, 1, 1)

    sol = report.solicitors
    assert (sol.meetings, sol.parents) == (3, 3)
    assert (sol.with_solicitor, sol.without_solicitor, sol.not_recorded) == (1, 1, 1)
    assert sol.with_percent == 50.0

    proc = report.proceedings
    assert (proc.concluded, proc.within, proc.limit_weeks) == (2, 1, 26)
    assert (proc.weeks.minimum, proc.weeks.median, proc.weeks.maximum) == (17.1, 23.5, 29.9)
    assert (proc.extended_cases, proc.extensions) == (1, 1)
    assert (proc.pre_proceedings_extensions, proc.timetable_extensions) == (1, 1)

    # A, B, C, D and Y entered pre-proceedings, E was issued without it: six children;
    # Y's child is X's.
    assert (report.returning.children, report.returning.returning) == (6, 1)

    html = response.content.decode()
    # Figures only: no case reference, no link to a case.
    for case in dataset.values():
        assert case.reference not in html
    assert not re.search(r'href="/cases/\d', html)
    # Every figure is counted now: the hearings come from the court record.
    assert "Not recorded yet" not in html
    assert "hearings dated in the period" in html


def test_cross_team_roles_count_every_team_or_the_team_chosen(
    client, staff, other_staff, dataset, performance_officer
):
    for user in (performance_officer, staff.head_of_service, staff.legal):
        client.force_login(user)
        report = client.get(reverse("performance:reports")).context["report"]
        assert report.pre_proceedings.entered == 6
        assert (report.letters.entered, report.letters.within) == (6, 4)
        south = client.get(reverse("performance:reports"), {"team": "south"}).context["report"]
        assert (south.pre_proceedings.entered, south.letters.within) == (1, 1)


def test_a_team_manager_sees_only_their_team(client, other_staff, dataset):
    client.force_login(other_staff.team_manager)
    response = client.get(reverse("performance:reports"))
    report = response.context["report"]
    assert report.pre_proceedings.entered == 1 and report.proceedings.concluded == 0
    # Another team's code is refused, not shown.
    response = client.get(reverse("performance:reports"), {"team": "north"})
    assert response.status_code == 200 and response.context["report"] is None
    assert "You can see your own team&#x27;s figures only" in response.content.decode()


def test_the_lawyer_filter(client, staff, dataset, performance_officer):
    Case.objects.filter(pk=dataset["a"].pk).update(allocated_lawyer=staff.legal)
    client.force_login(performance_officer)
    response = client.get(reverse("performance:reports"), {"lawyer": staff.legal.pk})
    report = response.context["report"]
    assert report.lawyer == staff.legal.pk
    assert report.pre_proceedings.entered == 1
    assert (report.letters.within, report.family_group.held) == (1, 1)
    # Not a lawyer: a form error.
    response = client.get(reverse("performance:reports"), {"lawyer": staff.social_worker.pk})
    assert response.context["report"] is None
    assert "Choose a lawyer from the list" in response.content.decode()


def test_a_period_narrows_every_figure(staff, dataset, performance_officer):
    report = performance_report(
        user=performance_officer,
        filters={**PERIOD, "from": "2025-10-01", "to": "2025-11-30", "team": "north"},
    )
    assert report.pre_proceedings.entered == 2  # A and C
    assert report.pre_proceedings.ended == 0
    assert report.letters.entered == 2 and report.letters.within == 2
    assert report.proceedings.concluded == 0
    assert len(report.pre_proceedings.entered_by_month) == 2


def test_the_same_child_by_family_name_and_date_of_birth(staff, today, performance_officer):
    earlier = data.stepped_down(
        staff,
        D(2025, 1, 1),
        letter=D(2025, 1, 6),
        meeting=D(2025, 1, 15),
        on=D(2025, 4, 1),
        children=[data.child("Hart"), data.child("Other")],
    )
    # The same family (a later case linked to the earlier one), names typed differently.
    data.pre_proceedings(
        staff,
        D(2025, 9, 1),
        previous_case=earlier.pk,
        children=[{"first_name": "ROBIN ", "last_name": "hart", "date_of_birth": "2018-05-01"}],
    )
    # Same name and birthday in another family: a different child.
    data.pre_proceedings(staff, D(2025, 9, 1), children=[data.child("Hart")])
    # Two different LA ids: different children, whatever the names.
    data.pre_proceedings(
        staff,
        D(2025, 9, 1),
        previous_case=earlier.pk,
        children=[data.child("Other", la_child_id="LA9")],
    )
    report = performance_report(user=performance_officer, filters=PERIOD)
    # Children entering in the period: Hart and Other of `earlier` (entered 2025-01-03:
    # before the period, so not counted), then the three new ones.
    assert report.returning.children == 3
    # The third: `earlier`'s "Other" has no LA id, so names decide, and they match.
    assert report.returning.returning == 2


def test_a_spread_of_durations():
    assert spread([]) is None
    one = spread([4.0])
    assert (one.minimum, one.lower_quartile, one.median, one.upper_quartile, one.maximum) == (
        4.0,
        4.0,
        4.0,
        4.0,
        4.0,
    )
    five = spread([1, 2, 3, 4, 10])
    assert (five.lower_quartile, five.median, five.upper_quartile) == (2.0, 3.0, 4.0)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2025-06-01", "to": "2025-05-01"}, "to", "on or after its start"),
        ({"from": "31/02/2025"}, "from", "Enter the start of the period as a real date"),
        ({"to": "soon"}, "to", "Enter the end of the period as a real date"),
        ({"to": "2027-01-01"}, "to", "cannot be in the future"),
        ({"from": "2027-01-01"}, "from", "cannot be in the future"),
        ({"from": "2015-01-01", "to": "2026-01-01"}, "to", "at most 5 years"),
        ({"team": "nowhere"}, "team", "Choose a team from the list"),
    ],
)
def test_bad_filters_are_form_errors(client, performance_officer, today, query, field, message):
    client.force_login(performance_officer)
    response = client.get(reverse("performance:reports"), query)
    assert response.status_code == 200
    assert response.context["report"] is None
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert f'href="#id_{field}"' in html


def test_only_one_date_given(client, performance_officer, today):
    client.force_login(performance_officer)
    report = client.get(reverse("performance:reports"), {"from": "1/4/2025"}).context["report"]
    assert (report.start, report.end) == (D(2025, 4, 1), D(2026, 3, 4))
    report = client.get(reverse("performance:reports"), {"to": "2025-12-31"}).context["report"]
    assert (report.start, report.end) == (D(2025, 1, 1), D(2025, 12, 31))
