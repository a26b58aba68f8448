"""Helpers for the case page tests: turning the values a service takes into what a
browser posts from the GOV.UK forms, and the URLs of the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse


def dmy(value: str | dt.date) -> str:
    """A date as a person types it in the forms: day/month/year."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    return f"{day.day}/{day.month}/{day.year}"


def form_post(data: dict[str, Any], version: int | None = None) -> dict[str, str]:
    """The POST body a browser sends for a service's values (attendees as rows, dates as
    day/month/year, ticked boxes as "on", unticked ones absent, blank rows blank)."""
    post: dict[str, str] = {}
    if version is not None:
        post["version"] = str(version)
    for key, value in data.items():
        if key == "attendees":
            for row in range(1, 7):
                attendee = value[row - 1] if row <= len(value) else {"name": "", "role": ""}
                post[f"attendee_{row}_name"] = attendee["name"]
                post[f"attendee_{row}_role"] = attendee["role"]
        elif key in ("date", "new_end_date", "hearing_date", "opened_on") and value:
            post[key] = dmy(value)
        elif isinstance(value, bool):
            if value:
                post[key] = "on"
        elif value is not None:
            post[key] = str(value)
    return post


def case_url(case: Any) -> str:
    return reverse("casework:case_detail", args=[case.pk])


SECTION_URL_NAMES = (
    "casework:case_detail",
    "casework:case_people",
    "casework:case_deadlines",
    "casework:case_events",
    "casework:case_letters",
    "casework:case_court",
    "casework:case_history",
)


def section_urls(case: Any) -> list[str]:
    """The case page's Overview and each of its sections."""
    return [reverse(name, args=[case.pk]) for name in SECTION_URL_NAMES]


def whole_case_page(client: Any, case: Any) -> str:
    """The Overview and every section of the case page, read as one text (each must
    answer 200)."""
    bodies = []
    for url in section_urls(case):
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def transition_url(case: Any, name: str) -> str:
    return reverse("casework:transition", args=[case.pk, name])


def event_url(case: Any, kind: str) -> str:
    return reverse("casework:record_event", args=[case.pk, kind])


def error_text(response: Any) -> str:
    return response.content.decode()
