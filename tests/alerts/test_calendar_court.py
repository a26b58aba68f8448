"""The calendar feed and the court record: a hearing is an event at its London time for
its time estimate, and a listed case management, issues resolution or final hearing
stands in for its milestone's deadline (one entry, not a deadline and a hearing)."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from legaltracker.alerts.feed import build_calendar
from legaltracker.alerts.selectors import calendar_items
from legaltracker.cases.choices import Stage
from legaltracker.court import services
from legaltracker.court.choices import LONDON
from legaltracker.court.models import CourtCentre
from tests.factories import case_at

pytestmark = pytest.mark.django_db


def test_a_listed_hearing_replaces_its_deadline_and_keeps_its_time(staff, today):
    case = case_at(Stage.PROCEEDINGS, staff, start=dt.date(2026, 2, 2))
    before = calendar_items(staff.legal, today=today)
    assert any(
        i.uid.startswith("deadline-") and "Case management hearing" in i.summary
        for i in before
        if i.case_id == case.pk
    )
    swansea = CourtCentre.objects.get(name="Swansea")
    hearing = services.hearing_list(
        case_id=case.pk,
        actor=staff.court_liaison_officer,
        data={
            "kind": "case_management_hearing",
            "date": "2026-03-30",  # British Summer Time from 29 March
            "time": "10:30",
            "time_estimate_minutes": 90,
            "court_centre": swansea.code,
        },
    )
    items = [i for i in calendar_items(staff.legal, today=today) if i.case_id == case.pk]
    cmh = [i for i in items if "Case management hearing" in i.summary]
    assert [i.uid for i in cmh] == [f"court-hearing-{hearing.pk}"]
    (entry,) = cmh
    assert entry.starts_at is not None and entry.minutes == 90
    assert entry.starts_at.astimezone(LONDON).hour == 10 and "Swansea" in entry.description
    ical = Calendar.from_ical(build_calendar(items, stamp=dt.datetime.now(dt.UTC), domain="x"))
    (event,) = [e for e in ical.walk("VEVENT") if str(e["uid"]).startswith("court-hearing-")]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == dt.datetime(2026, 3, 30, 9, 30, tzinfo=dt.UTC)  # 10:30 BST
    assert end - start == dt.timedelta(minutes=90)
    # Other deadlines are still all-day entries.
    assert all(i.starts_at is None for i in items if i.uid.startswith("deadline-"))


def test_a_vacated_hearing_leaves_the_feed_and_the_deadline_returns(staff, today):
    case = case_at(Stage.PROCEEDINGS, staff, start=dt.date(2026, 2, 2))
    hearing = services.hearing_list(
        case_id=case.pk,
        actor=staff.legal,
        data={"kind": "case_management_hearing", "date": "2026-03-10", "time": "10:00"},
    )
    services.hearing_vacate(
        hearing_id=hearing.pk, actor=staff.legal, data={"reason_code": "HM1", "reason_text": "x"}
    )
    items = [i for i in calendar_items(staff.legal, today=today) if i.case_id == case.pk]
    assert not any(i.uid.startswith("court-hearing-") for i in items)
    assert any(
        i.uid.startswith("deadline-") and "Case management hearing" in i.summary for i in items
    )
