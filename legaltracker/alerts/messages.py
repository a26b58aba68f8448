"""What an alert email says: a person's items grouped by case, the case with the nearest
due date first, each case linking to its page. Plain text and HTML from the same
context, in the app's plain style.

Emails carry case references and milestone names only, never the names of children or
adults: an email can end up far from the tracker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from . import conf, court_digest
from .choices import DeliveryKind, Level
from .models import Alert, Delivery


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str
    reference: str


@dataclass(frozen=True)
class Item:
    milestone: str
    level: str
    level_label: str
    due: dt.date
    sentence: str


@dataclass
class CaseGroup:
    case_id: int
    reference: str
    url: str
    items: list[Item] = field(default_factory=list)


def case_url(case_id: int) -> str:
    return f"{conf.site_url()}{reverse('casework:case_detail', args=[case_id])}"


def app_url(name: str) -> str:
    return f"{conf.site_url()}{reverse(name)}"


def _day(value: dt.date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _sentence(alert: Alert) -> str:
    due = _day(alert.due)
    if alert.level == Level.DUE_SOON:
        return f"due on {due}"
    if alert.level == Level.DUE_TODAY:
        return "due today"
    if alert.level == Level.ESCALATED:
        return f"overdue since {due}: escalated to heads of service"
    return f"overdue: it was due on {due}"


def group_by_case(alerts: Sequence[Alert]) -> list[CaseGroup]:
    """Cases in order of their nearest due date; items in due-date order within each."""
    groups: dict[int, CaseGroup] = {}
    for alert in sorted(alerts, key=lambda a: (a.due, a.case_id, a.level, a.pk or 0)):
        group = groups.get(alert.case_id)
        if group is None:
            group = groups[alert.case_id] = CaseGroup(
                case_id=alert.case_id,
                reference=alert.case.reference or f"Case {alert.case_id}",
                url=case_url(alert.case_id),
            )
        group.items.append(
            Item(
                milestone=alert.deadline.get_milestone_display(),
                level=alert.level,
                level_label=Level(alert.level).label,
                due=alert.due,
                sentence=_sentence(alert),
            )
        )
    return list(groups.values())


def _counts(alerts: Sequence[Alert]) -> str:
    parts = []
    for level in (Level.ESCALATED, Level.OVERDUE, Level.DUE_TODAY, Level.DUE_SOON):
        n = sum(1 for a in alerts if a.level == level)
        if n:
            parts.append(f"{n} {level.label.lower()}")
    return ", ".join(parts)


def build(delivery: Delivery, alerts: Sequence[Alert]) -> Message:
    prefix = conf.get("ALERTS_EMAIL_SUBJECT_PREFIX")
    groups = group_by_case(alerts)
    if delivery.kind == DeliveryKind.IMMEDIATE and alerts:
        first = alerts[0]
        subject = (
            f"{prefix}: overdue: {first.deadline.get_milestone_display()} ({groups[0].reference})"
        )
        heading = "A deadline is overdue"
    else:
        n = len(alerts)
        subject = f"{prefix}: {n} deadline alert{'s' if n != 1 else ''} ({_counts(alerts)})"
        heading = "Deadlines that need attention"
    run_date = delivery.run.run_date if delivery.run is not None else None
    context: dict[str, Any] = {
        "heading": heading,
        "groups": groups,
        "run_date": run_date,
        "is_digest": delivery.kind == DeliveryKind.DIGEST,
        "notifications_url": app_url("alerts:list"),
        "settings_url": app_url("alerts:settings"),
        "reasons": sorted({a.get_reason_display() for a in alerts}),
    }
    return Message(
        to=delivery.recipient.email,
        subject=subject,
        text=render_to_string("alerts/email/message.txt", context),
        html=render_to_string("alerts/email/message.html", context),
        reference=str(delivery.reference),
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def build_court_digest(delivery: Delivery, content: court_digest.Content) -> Message:
    """The court digest: the span's hearings in time order, then what falls due in it,
    each line with its case's reference and link."""
    prefix = conf.get("ALERTS_EMAIL_SUBJECT_PREFIX")
    span = content.span
    last = _day(span.last)
    parts = []
    if content.hearings:
        parts.append(_count(len(content.hearings), "hearing", "hearings"))
    if content.due:
        parts.append(f"{_count(len(content.due), 'item', 'items')} due")
    subject = f"{prefix}: court digest for {last}: {' and '.join(parts)}"
    urls = {case_id: case_url(case_id) for case_id in content.case_ids}
    covers = last if span.first == span.last else f"{_day(span.first)} to {last}"
    context: dict[str, Any] = {
        "heading": f"Court digest: {covers}",
        "hearings": [
            {
                "line": line,
                "day": _day(line.starts_at.date()),
                "time": f"{line.starts_at:%H:%M}",
                "url": urls[line.case_id],
            }
            for line in content.hearings
        ],
        "due": [
            {"line": line, "day": _day(line.due), "url": urls[line.case_id]} for line in content.due
        ],
        "is_lawyer": delivery.recipient.role not in court_digest.EVERY_CASE_ROLES,
        "settings_url": app_url("alerts:settings"),
    }
    return Message(
        to=delivery.recipient.email,
        subject=subject,
        text=render_to_string("alerts/email/court_digest.txt", context),
        html=render_to_string("alerts/email/court_digest.html", context),
        reference=str(delivery.reference),
    )
