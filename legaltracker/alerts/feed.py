"""The private iCalendar feed: a person's deadlines as all-day events and the court
record's hearings at their time, for their time estimate, so that Outlook (or any
calendar) shows them next to everything else.

Entries carry the milestone, the case reference and a link; no names of children or
adults, because calendars sync to phones and are shared with assistants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from icalendar import Calendar, Event

from .messages import case_url
from .selectors import CalendarItem

PRODUCT_ID = "-//Legal tracker//Deadline alerts//EN"


def build_calendar(items: Sequence[CalendarItem], *, stamp: dt.datetime, domain: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Legal tracker deadlines")
    # Ask clients to refresh hourly; Outlook decides for itself, most others listen.
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for item in items:
        event = Event()
        event.add("uid", f"{item.uid}@{domain}")
        event.add("dtstamp", stamp)
        if item.starts_at is not None:
            event.add("dtstart", item.starts_at.astimezone(dt.UTC))
            event.add(
                "dtend", item.starts_at.astimezone(dt.UTC) + dt.timedelta(minutes=item.minutes)
            )
        else:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", item.summary)
        url = case_url(item.case_id)
        event.add("description", f"{item.description}: {url}")
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
