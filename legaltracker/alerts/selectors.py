"""Reads for the alert scan, the deliveries, the in-app pages and the calendar feed,
each with its joins chosen up front.

The scan's own read of the deadlines is part of its one INSERT ... SELECT statement
(services._INSERT_ALERTS): outstanding deadlines through the partial index on `due`,
joined to their case; never a case's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DateTimeField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from legaltracker.accounts.models import Role
from legaltracker.cases.choices import EventKind, HearingType, Stage
from legaltracker.cases.models import Case, RecordedEvent
from legaltracker.cases.permissions import hidden_case_ids
from legaltracker.core import clock
from legaltracker.court.choices import LONDON, HearingStatus
from legaltracker.court.models import Hearing
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline

from . import conf
from .choices import LEGAL_MILESTONES, AlertMode, DeliveryKind, DeliveryStatus
from .models import Alert, AlertPreference, AlertRun, CalendarFeed, Delivery

UNFINISHED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.FAILED)


# --- the scan -------------------------------------------------------------------------


def previous_run(before: dt.date) -> AlertRun | None:
    """The latest run for a day before `before`: its dates say what it already judged."""
    return AlertRun.objects.filter(run_date__lt=before).order_by("-run_date", "-started_at").first()


def immediate_alert_people() -> frozenset[int]:
    """Active people who asked for an immediate email for each newly overdue item."""
    return frozenset(
        AlertPreference.objects.filter(
            mode=AlertMode.DIGEST_AND_IMMEDIATE, user__is_active=True
        ).values_list("user_id", flat=True)
    )


# --- deliveries -----------------------------------------------------------------------


def deliveries_due(now: dt.datetime, limit: int = 500) -> list[int]:
    """Unfinished deliveries whose next attempt is due: never tried, failed and waiting
    for their backoff, or claimed by a worker that did not finish in time."""
    return list(
        Delivery.objects.filter(status__in=UNFINISHED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def next_delivery_due() -> dt.datetime | None:
    """When the earliest unfinished delivery falls due (possibly already)."""
    return (
        Delivery.objects.filter(status__in=UNFINISHED, next_attempt_at__isnull=False)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def delivery_rows(delivery: Delivery) -> QuerySet[Alert]:
    """The ledger rows one delivery carries: a digest, its run's rows for its person;
    an immediate alert, the row that names it; a court digest, none (it is built from
    the court record: court_digest)."""
    if delivery.kind == DeliveryKind.COURT_DIGEST:
        return Alert.objects.none()
    if delivery.kind == DeliveryKind.DIGEST:
        if delivery.run is None:
            return Alert.objects.none()
        # (recipient, created_at) is indexed; every row of a run has the run's start time.
        return Alert.objects.filter(
            recipient_id=delivery.recipient_id,
            created_at=delivery.run.started_at,
            run_id=delivery.run_id,
        )
    return Alert.objects.filter(immediate_delivery=delivery)


def delivery_alerts(delivery: Delivery) -> list[Alert]:
    """The alerts one delivery carries that its recipient may see at the time of sending,
    nearest due date first. A delivery is built again at each attempt, so a case
    restricted (or otherwise out of the person's sight) since the scan, or since a failed
    attempt, is left out of the email (docs/alerts.md, "Retries and restricted cases")."""
    visible = Case.objects.visible_to(delivery.recipient).values("pk")
    return list(
        delivery_rows(delivery)
        .filter(case_id__in=visible)
        .select_related("deadline", "case")
        .order_by("due", "case_id", "deadline__milestone", "level", "id")
    )


# --- the in-app pages -------------------------------------------------------------------

# An alert is open while its deadline is outstanding; once the deadline is met or no
# longer applies the alert closes itself, and counts as read.
OPEN = {"deadline__met_on__isnull": True, "deadline__applies": True}


def alerts_for_user(user: Any, *, limit: int = 200) -> list[Alert]:
    """The person's latest alerts, each with `unread` set; none about a case restricted
    since (legaltracker.audit) unless the person is named on it. An alert whose deadline
    has been met, or no longer applies, is closed: listed as such and never new
    (docs/alerts.md, "Closed alerts")."""
    mark = read_up_to(user)
    alerts = list(
        Alert.objects.filter(recipient=user)
        .exclude(case_id__in=hidden_case_ids(user))
        .select_related("deadline", "case")
        .order_by("-created_at", "due", "id")[:limit]
    )
    for alert in alerts:
        alert.unread = not alert.closed and (mark is None or alert.created_at > mark)
    return alerts


def read_up_to(user: Any) -> dt.datetime | None:
    return AlertPreference.objects.filter(user=user).values_list("read_up_to", flat=True).first()


def unread_alerts(user: Any, read_up_to_: dt.datetime | None = None) -> QuerySet[Alert]:
    """Open alerts written after the person last marked theirs read (the index on
    (recipient, created_at) serves it)."""
    alerts = Alert.objects.filter(recipient=user, **OPEN)
    mark = read_up_to_ if read_up_to_ is not None else read_up_to(user)
    return alerts.filter(created_at__gt=mark) if mark is not None else alerts


# Before any alert: "read up to" for someone who never marked anything read.
_NEVER_READ = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _count_of(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("recipient").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def unread_count(user: Any) -> int:
    """Unread alerts plus deliveries that failed and still wait for the person: one
    query (the header shows it on every page)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    mark = AlertPreference.objects.filter(user=OuterRef("recipient")).values("read_up_to")[:1]
    unread = Alert.objects.filter(
        **OPEN,
        recipient=OuterRef("pk"),
        created_at__gt=Coalesce(Subquery(mark), Value(_NEVER_READ), output_field=DateTimeField()),
    )
    failed = Delivery.objects.filter(recipient=OuterRef("pk"), status=DeliveryStatus.FAILED)
    counts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(_count_of(unread) + _count_of(failed), flat=True)
        .first()
    )
    return counts or 0


def failed_deliveries(user: Any) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(recipient=user, status=DeliveryStatus.FAILED)
        .select_related("run")
        .order_by("-created_at", "-id")
    )


def failed_deliveries_for_page(user: Any) -> list[Delivery]:
    """Failed deliveries, each with `alert_count`, the number of alerts it carries (a
    person has few of these: one count each)."""
    deliveries = list(failed_deliveries(user))
    for delivery in deliveries:
        delivery.alert_count = delivery_rows(delivery).count()
    return deliveries


def preference_for(user: Any) -> str:
    mode = AlertPreference.objects.filter(user=user).values_list("mode", flat=True).first()
    return mode or AlertMode.DIGEST


def _live_feeds(now: dt.datetime) -> QuerySet[CalendarFeed]:
    """Feeds read, or made, within the expiry period (conf.calendar_feed_expiry)."""
    cutoff = now - conf.calendar_feed_expiry()
    return CalendarFeed.objects.filter(
        Q(last_read_at__gte=cutoff) | Q(last_read_at__isnull=True, created_at__gte=cutoff)
    )


def has_calendar_feed(user: Any, *, now: dt.datetime | None = None) -> bool:
    """Whether the person has a feed that still works (not expired)."""
    return _live_feeds(now or clock.now()).filter(user=user).exists()


def expired_calendar_feed(user: Any, *, now: dt.datetime | None = None) -> bool:
    """Whether the person's feed stopped working because no calendar read it."""
    feeds = CalendarFeed.objects.filter(user=user)
    return feeds.exists() and not _live_feeds(now or clock.now()).filter(user=user).exists()


# --- the calendar feed ------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    day: dt.date
    summary: str
    description: str
    case_id: int
    # A hearing of the court record: its start (aware) and time estimate; the feed shows
    # it at its time rather than as an all-day entry.
    starts_at: dt.datetime | None = None
    minutes: int = 0


# The deadline a listed hearing of the court record answers: the feed shows the hearing
# in its place (one entry, not a deadline and a hearing; docs/court.md, "Milestones").
_HEARING_ANSWERS = {
    "case_management_hearing": Milestone.CASE_MANAGEMENT_HEARING,
    "issues_resolution_hearing": Milestone.ISSUES_RESOLUTION_HEARING,
    "final_hearing": Milestone.FINAL_ORDER,
}


def _court_hearings(cases: QuerySet[Case], since: dt.date) -> list[Any]:
    """The listed and held hearings of the court record on these cases from `since`."""
    start = dt.datetime.combine(since, dt.time(), tzinfo=LONDON)
    return list(
        Hearing.objects.filter(
            case__in=cases,
            status__in=[HearingStatus.LISTED, HearingStatus.HELD],
            starts_at__gte=start,
        )
        .select_related("case", "court_centre")
        .only(
            "id",
            "kind",
            "status",
            "starts_at",
            "time_estimate_minutes",
            "courtroom",
            "court_centre__name",
            "case__id",
            "case__stage",
            "case__reference",
        )
        .order_by("starts_at", "id")
    )


def live_feed(token_hash: str, *, now: dt.datetime) -> CalendarFeed | None:
    """The working feed with this token hash, with its (active) owner: None for an
    unknown, replaced, revoked or expired address."""
    return (
        _live_feeds(now)
        .filter(token_hash=token_hash, user__is_active=True)
        .select_related("user")
        .first()
    )


def feed_user(token_hash: str) -> Any | None:
    feed = live_feed(token_hash, now=clock.now())
    return feed.user if feed is not None else None


def feed_cases(user: Any) -> QuerySet[Case]:
    """The cases a person's feed covers: the open cases they may see, narrowed to the
    ones that are theirs (a social worker's own cases; a manager's team)."""
    cases = Case.objects.visible_to(user).exclude(stage=Stage.CLOSED)
    if user.role == Role.SOCIAL_WORKER:
        cases = cases.filter(social_worker=user)
    return cases


def calendar_items(user: Any, *, today: dt.date, past_days: int = 31) -> list[CalendarItem]:
    """Outstanding deadlines and listed hearings on the person's cases, from a month ago
    on. The legal team, the court liaison officer and heads of service, who may see every
    case, get the legal milestones and the hearings, not every team's own tasks."""
    cases = feed_cases(user)
    since = today - dt.timedelta(days=past_days)
    court_hearings = _court_hearings(cases, since)
    # A listed hearing stands in for the deadline of the milestone it answers.
    answered = {
        (h.case_id, _HEARING_ANSWERS[h.kind])
        for h in court_hearings
        if h.status == HearingStatus.LISTED and h.kind in _HEARING_ANSWERS
    }
    deadlines = Deadline.objects.outstanding().filter(case__in=cases, due__gte=since)
    if user.role not in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER):
        deadlines = deadlines.filter(milestone__in=LEGAL_MILESTONES)
    items = [
        CalendarItem(
            uid=f"deadline-{d.pk}",
            day=d.due,
            summary=f"{d.get_milestone_display()} due ({d.case.reference or f'case {d.case_id}'})",
            description="Deadline on the legal tracker",
            case_id=d.case_id,
        )
        for d in deadlines.select_related("case").only(
            "id", "milestone", "due", "case__id", "case__stage", "case__reference"
        )
        if (d.case_id, d.milestone) not in answered
    ]
    for h in court_hearings:
        local = h.starts_at.astimezone(LONDON)
        where = ", ".join(
            part
            for part in (
                h.court_centre.name if h.court_centre else "",
                f"room {h.courtroom}" if h.courtroom else "",
            )
            if part
        )
        reference = h.case.reference or f"case {h.case_id}"
        items.append(
            CalendarItem(
                uid=f"court-hearing-{h.pk}",
                day=local.date(),
                summary=f"{h.get_kind_display()} ({reference})",
                description=(
                    f"Hearing {h.get_status_display().lower()} on the legal tracker"
                    + (f", {where}" if where else "")
                    + f", estimated {h.time_estimate_minutes} minutes"
                ),
                case_id=h.case_id,
                starts_at=h.starts_at,
                minutes=h.time_estimate_minutes,
            )
        )
    with_court_record = {h.case_id for h in court_hearings}
    hearings = (
        RecordedEvent.objects.filter(
            case__in=cases, kind=EventKind.HEARING_LISTED, details__has_key="hearing_date"
        )
        .select_related("case")
        .only("id", "details", "case__id", "case__stage", "case__reference")
    )
    for event in hearings:
        if event.case_id in with_court_record:
            continue  # the court record's hearings stand for the case's listings
        try:
            day = dt.date.fromisoformat(str(event.details["hearing_date"]))
        except ValueError:
            continue  # a hearing listed without a date has nothing to put in a calendar
        if day < since:
            continue
        hearing = event.details.get("hearing_type")
        label = HearingType(hearing).label if hearing in HearingType.values else "Hearing"
        reference = event.case.reference or f"case {event.case_id}"
        items.append(
            CalendarItem(
                uid=f"hearing-{event.pk}",
                day=day,
                summary=f"{label} ({reference})",
                description="Hearing listed on the legal tracker",
                case_id=event.case_id,
            )
        )
    return sorted(items, key=lambda item: (item.day, item.uid))
