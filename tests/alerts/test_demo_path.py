"""The issue's "done means", end to end with real parts: the demo data, then
`send_deadline_alerts` sending through Django's SMTP backend to a real SMTP server
(aiosmtpd) on loopback. The lawyer (the legal team) gets one digest listing exactly
their new alerts, grouped by case with the nearest due date first, and the same items
are on their notifications page and in their calendar feed.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from legaltracker.accounts.models import User
from legaltracker.alerts.choices import LEGAL_MILESTONES, Level
from legaltracker.alerts.models import Alert, Delivery
from legaltracker.deadlines.choices import Milestone

from .smtp_sink import Sink

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SUMMARY = re.compile(r"^(\d+) new alerts, (\d+) sent, (\d+) failed$")


def digest_items(text: str) -> dict[str, list[str]]:
    """{case reference: [item lines]} from a digest's text part, in the email's order."""
    groups: dict[str, list[str]] = {}
    reference = None
    for line in text.splitlines():
        if re.fullmatch(r"LT-\d{4}-\d{6}", line.strip()):
            reference = line.strip()
            groups[reference] = []
        elif line.startswith("- ") and reference is not None:
            groups[reference].append(line[2:])
    return groups


def table_rows(page: str) -> list[str]:
    rows = page.split('<tr class="govuk-table__row">')[2:]  # after the header row
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def test_demo_data_digest_in_a_mail_sink_matches_the_app_and_the_calendar(settings, today):
    call_command("demo", stdout=StringIO())
    lawyer = User.objects.get(username="lawyer")
    with Sink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 5
        out = StringIO()
        call_command("send_deadline_alerts", stdout=out)
        summary = SUMMARY.match(out.getvalue().strip().splitlines()[-1])
        assert summary, out.getvalue()
        new, sent, failed = map(int, summary.groups())
        assert sink.wait_for(sent, timeout=10)
    messages = sink.messages()
    assert new == Alert.objects.count() > 0
    assert sent == len(messages) == Delivery.objects.filter(status="sent").count()
    assert failed == 0

    # One deadline digest for the lawyer, listing exactly their ledger rows (and the
    # court digest of the next working day's hearings and filings beside it).
    to_lawyer = [m for m in messages if m.to == (lawyer.email,)]
    mine = [m for m in to_lawyer if "deadline alert" in m.message["Subject"]]
    assert len(mine) == 1
    assert len([m for m in to_lawyer if "court digest" in m.message["Subject"]]) == 1
    assert len(to_lawyer) == 2
    message = mine[0].message
    parts = {p.get_content_type(): p for p in message.walk()}
    assert {"text/plain", "text/html"} <= set(parts)
    text = parts["text/plain"].get_payload(decode=True).decode()
    groups = digest_items(text)
    alerts = list(
        Alert.objects.filter(recipient=lawyer).select_related("case", "deadline").order_by("due")
    )
    assert alerts, "the demo data should have due legal milestones"
    assert sum(len(items) for items in groups.values()) == len(alerts)
    # The legal milestones, and the council's court directions and draft orders of the
    # cases allocated to the lawyer (docs/alerts.md).
    court_filings = {Milestone.COURT_DIRECTION, Milestone.DRAFT_ORDER}
    assert {a.deadline.milestone for a in alerts} <= LEGAL_MILESTONES | court_filings
    # One line per alert: a case's several directions are several lines of one label.
    by_item: dict[tuple[str, str], list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_item[(alert.case.reference, alert.deadline.get_milestone_display())].append(alert)
        assert f"/cases/{alert.case_id}/" in text
    for (reference, label), item_alerts in by_item.items():
        lines = [line for line in groups[reference] if line.startswith(f"{label}:")]
        assert len(lines) == len(item_alerts), (reference, label, groups)
        overdue = [a for a in item_alerts if a.level in (Level.OVERDUE, Level.ESCALATED)]
        assert len([line for line in lines if "overdue" in line]) == len(overdue)
    # Grouped by case, the case with the nearest due date first.
    nearest: dict[str, tuple[dt.date, int]] = {}
    for alert in alerts:
        key = (alert.due, alert.case_id)
        nearest[alert.case.reference] = min(nearest.get(alert.case.reference, key), key)
    assert len(groups) > 1
    assert list(groups) == sorted(nearest, key=nearest.__getitem__)
    # No names of children or adults in the email: references and milestones only.
    for person in alerts[0].case.children.all():
        assert person.last_name not in message.as_string()

    # The same items on the lawyer's notifications page, with the unread count.
    client = Client()
    client.force_login(lawyer)
    page = client.get(reverse("alerts:list")).content.decode()
    rows = table_rows(page)
    assert len(rows) == len(alerts)
    for alert in alerts:
        label = html.unescape(alert.deadline.get_milestone_display())
        assert any(alert.case.reference in row and label in row for row in rows), label
    assert re.search(rf"Notifications\s*<strong[^>]*>{len(alerts)}</strong>", page)

    # And in the lawyer's calendar feed, on their due dates.
    assert client.post(reverse("alerts:calendar"), {"action": "enable"}).status_code == 302
    calendar_page = client.get(reverse("alerts:calendar")).content.decode()
    path = re.search(r"https?://[^\s\"<]+?(/alerts/calendar/[^\s\"<]+\.ics)", calendar_page)[1]
    feed = Client().get(path)  # no session: the secret address is the key
    assert feed.status_code == 200
    events = defaultdict(set)
    for event in Calendar.from_ical(feed.content).walk("VEVENT"):
        events[str(event["summary"])].add(event.decoded("dtstart"))
    # The legal milestones' deadlines are there, unless a listed hearing stands in for
    # its milestone (then the hearing is, on the case); directions and draft orders are
    # in the digest and the notifications, not the feed.
    for alert in alerts:
        if alert.deadline.milestone in court_filings:
            continue
        summary = f"{alert.deadline.get_milestone_display()} due ({alert.case.reference})"
        hearing_instead = any(
            alert.case.reference in name and " due (" not in name for name in events
        )
        assert alert.due in events[summary] or hearing_instead, summary
