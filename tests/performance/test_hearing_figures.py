"""The performance report counts adjourned and vacated hearings by HMCTS's reason code."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.cases.choices import Stage
from legaltracker.court import services
from legaltracker.performance.selectors import performance_report
from tests.factories import case_at

pytestmark = pytest.mark.django_db


def _hearing(case, actor, day):
    return services.hearing_list(
        case_id=case.pk,
        actor=actor,
        data={"kind": "directions_hearing", "date": day.isoformat(), "time": "10:00"},
    )


def test_adjourned_and_vacated_hearings_by_reason(staff, today):
    case = case_at(Stage.PROCEEDINGS, staff, start=today - dt.timedelta(days=30))
    for code in ("LA1", "LA1"):
        hearing = _hearing(case, staff.legal, today)
        services.hearing_adjourn(
            hearing_id=hearing.pk, actor=staff.legal, data={"reason_code": code}
        )
    hearing = _hearing(case, staff.legal, today)
    services.hearing_vacate(hearing_id=hearing.pk, actor=staff.legal, data={"reason_code": "HM1"})
    _hearing(case, staff.legal, today)  # still listed
    _hearing(case, staff.legal, today + dt.timedelta(days=40))  # after the period
    report = performance_report(
        user=staff.head_of_service,
        filters={"from": (today - dt.timedelta(days=10)).isoformat(), "to": today.isoformat()},
    )
    figures = report.hearings
    assert (figures.hearings, figures.adjourned, figures.vacated) == (4, 2, 1)
    assert [(r.code, r.adjourned, r.vacated) for r in figures.by_reason] == [
        ("HM1", 0, 1),
        ("LA1", 2, 0),
    ]
    assert report.as_json()["hearings"]["by_reason"][0]["reason"].startswith("No courtroom")
