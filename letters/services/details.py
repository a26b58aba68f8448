"""The letter details: what the letters say that is not recorded elsewhere on the case
(the concerns, the meeting, the family meeting offer, the council's lawyer).

They are case data, so saving them bumps the case's version and appends an audit row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from legaltracker.cases.choices import CaseEventKind
from legaltracker.cases.events import case_event_append, case_lock, case_touch
from legaltracker.cases.inputs import Fields
from legaltracker.core import clock
from legaltracker.core.errors import NotPermitted

from .. import permissions, rendering
from ..models import LetterDetails

DETAIL_TEXTS = {
    "concerns": 5_000,
    "history": 5_000,
    "help_given": 5_000,
    "meeting_place": 500,
    "fgdm_how_to_accept": 1_000,
    "fgdm_exception_reason": 3_000,
    "legal_contact_name": 200,
    "legal_contact_phone": 40,
    "legal_contact_email": 254,
    "legal_reference": 64,
    "hearing_court": 200,
}
# Finding 9 in docs/security.md: a letter lists a few assessments, never thousands.
MAX_ASSESSMENTS = 20
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _meeting_time(fields: Fields, name: str = "meeting_time") -> dt.time | None:
    raw = fields.data.get(name)
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.time):
        return raw
    match = _TIME.fullmatch(str(raw).strip())
    if not match:
        fields.error(name, "Enter a time like 10:00 or 14:30.")
        return None
    return dt.time(int(match.group(1)), int(match.group(2)))


def _video_link(fields: Fields) -> str:
    link = fields.text("meeting_video_link", required=False, max_length=500)
    if link and not re.fullmatch(r"https://[^\s<>\"']+", link):
        fields.error(
            "meeting_video_link", "Enter the video link as a web address starting https://."
        )
    return link


def _text_list(fields: Fields, name: str, *, limit: int = 20) -> list[str]:
    raw = fields.data.get(name)
    if raw in (None, ""):
        return []
    values = raw.splitlines() if isinstance(raw, str) else raw
    if not isinstance(values, list | tuple):
        fields.error(name, "Send a list of names.")
        return []
    if len(values) > 10 * limit:
        # Not even the blank lines of a real list: refuse before cleaning every item.
        fields.error(name, f"List at most {limit}.")
        return []
    cleaned = [rendering.clean_value(str(v))[:200] for v in values if str(v).strip()]
    if len(cleaned) > limit:
        fields.error(name, f"List at most {limit}.")
    return [c for c in cleaned if c]


def _assessments(fields: Fields) -> list[dict[str, str]]:
    raw = fields.data.get("assessments")
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        fields.error("assessments", "Send the assessments as a list.")
        return []
    if fields.too_many("assessments", raw, MAX_ASSESSMENTS, "assessments"):
        return []
    parsed = []
    for number, item in enumerate(raw, start=1):
        sub = Fields(item if isinstance(item, Mapping) else {})
        what = sub.text("what", max_length=500)
        why = sub.text("why", max_length=500)
        who = sub.text("who", max_length=200)
        when = sub.date("when", not_future=False)
        for key, messages in sub.errors.items():
            for message in messages:
                fields.error("assessments", f"{number}, {key}: {message}")
        if when is not None:
            parsed.append({"what": what, "why": why, "who": who, "when": when.isoformat()})
    return parsed


def letter_details_update(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> LetterDetails:
    """Set what the letters say that is not recorded elsewhere on the case. Only the
    values sent change."""
    fields = Fields(data)
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_edit_details(actor, case):
            raise NotPermitted("Your role cannot change what this case's letters say.")
        details = LetterDetails.objects.filter(case=case).first()
        values: dict[str, Any] = {}
        for name, limit in DETAIL_TEXTS.items():
            if name in fields.data:
                values[name] = fields.text(name, required=False, max_length=limit)
        if "meeting_date" in fields.data:
            values["meeting_date"] = fields.date("meeting_date", required=False, not_future=False)
        if "meeting_time" in fields.data:
            values["meeting_time"] = _meeting_time(fields)
        if "hearing_time" in fields.data:
            values["hearing_time"] = _meeting_time(fields, "hearing_time")
        if "meeting_video_link" in fields.data:
            values["meeting_video_link"] = _video_link(fields)
        if "meeting_attendees" in fields.data:
            values["meeting_attendees"] = _text_list(fields, "meeting_attendees")
        if "assessments" in fields.data:
            values["assessments"] = _assessments(fields)
        fields.check()
        if details is None:
            details = LetterDetails(case=case, updated_by=actor, updated_at=clock.now())
        changed = sorted(k for k, v in values.items() if getattr(details, k, None) != v)
        if not changed and details.pk:
            return details
        for name, value in values.items():
            setattr(details, name, value)
        details.updated_by, details.updated_at = actor, clock.now()
        details.save()
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LETTER_DETAILS_CHANGED,
            details={"fields": changed},
        )
    return details
