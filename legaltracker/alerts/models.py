"""The alert ledger and what hangs off it.

- `AlertRun`: one daily scan, with the dates it judged by (the next run reads them to
  know which deadlines could have changed level since).
- `Alert`: the ledger. One row per (deadline, level, recipient), ever. The scan leaves
  out the keys already held, scans taking turns; the unique constraint has the last
  word, refusing a second row whatever wrote it. Written in the transaction that
  decides to alert, together with the deliveries that will carry it.
- `Delivery`: one email, sent after commit and retried with backoff until it is sent or
  dismissed. A digest is a person's email for a run: its alerts are that run's rows for
  that person, and there is one digest per (run, person) (a unique constraint), so each
  ledger row is in exactly one digest. An immediate overdue alert names its one row.
  A court digest (the next working day's hearings, draft orders and directions) names
  no ledger row: it is built from the court record when sent, and there is one per
  person per day (a unique constraint).
- `AlertPreference`: digest only, or digest plus an immediate overdue alert; and how far
  the person has read (alerts written after `read_up_to` are unread: a mark per person,
  not a column on every ledger row that each insert would have to index).
- `CalendarFeed`: a person's private iCalendar feed; only a hash of its token is kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import AlertMode, Channel, DeliveryKind, DeliveryStatus, Level, Reason


class AlertRun(models.Model):
    run_date = models.DateField(help_text="The day the scan judged deadlines by")
    due_soon_until = models.DateField(help_text="Last due date counted as due soon")
    escalate_on_or_before = models.DateField(
        help_text="Due dates on or before this one are overdue long enough to escalate"
    )
    since = models.DateTimeField(
        null=True, blank=True, help_text="Deadlines changed after this were all looked at"
    )
    started_at = models.DateTimeField()
    new_alerts = models.PositiveIntegerField(default=0)
    deliveries_made = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-run_date", "-started_at"]
        indexes = [models.Index(fields=["run_date", "started_at"], name="alert_run_date")]

    def __str__(self) -> str:
        return f"Alert run for {self.run_date}"


class Alert(models.Model):
    # The scan writes these four ids in one statement from the rows it reads (and the run
    # it created) in the same transaction; deadlines and cases are never deleted. So the
    # database does not check them again: its foreign-key triggers cost as much as the
    # rest of the day's insert (measured on 7,000 rows: 160 ms of 330 ms). Django's
    # on_delete still applies. No index of their own either: only the lookups the app
    # makes have one (Meta), since every index is paid for on each insert.
    deadline = models.ForeignKey(
        "deadlines.Deadline",
        on_delete=models.CASCADE,
        related_name="alerts",
        db_index=False,
        db_constraint=False,
    )
    # The deadline's case, kept here so that digests and the in-app list group by case
    # without joining through every deadline.
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="alerts",
        db_index=False,
        db_constraint=False,
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="alerts",
        db_index=False,
        db_constraint=False,
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    due = models.DateField(help_text="The due date when the alert was decided")
    run = models.ForeignKey(
        AlertRun,
        on_delete=models.PROTECT,
        related_name="alerts",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(help_text="The run's start: the same for all its rows")
    # Set by the scan, in its transaction, to the delivery it has just written. Not
    # checked by the database either: its trigger would fire for every ledger row the
    # scan inserts, though almost all of them have none (measured: a seventh of writing
    # the day's rows; docs/performance.md, "Alerts").
    immediate_delivery = models.ForeignKey(
        "Delivery",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="immediate_alerts",
        db_index=False,  # a partial index below: most rows have none
        db_constraint=False,
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Not a column: set on the alerts a page shows (selectors.alerts_for_user).
    unread: bool

    class Meta:
        ordering = ["due", "case_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "level", "recipient"], name="alert_once_per_deadline_level"
            )
        ]
        indexes = [
            # A person's alerts, newest first; and a digest's alerts, which are its run's
            # rows for its person, all written with the run's start time.
            models.Index(fields=["recipient", "-created_at"], name="alert_recipient_created"),
            models.Index(
                fields=["immediate_delivery"],
                name="alert_immediate_delivery",
                condition=Q(immediate_delivery__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} alert on deadline {self.deadline_id} for user {self.recipient_id}"

    @property
    def closed(self) -> str:
        """Why the alert no longer needs anything ("" while its deadline is outstanding):
        read from the deadline, so it closes itself when the deadline is met or stops
        applying."""
        deadline = self.deadline
        if deadline.met_on is not None:
            return f"Done: met on {deadline.met_on.day} {deadline.met_on:%b %Y}"
        if not deadline.applies:
            return "Closed: no longer applies"
        return ""


class Delivery(models.Model):
    # A run writes a thousand of these in its transaction: indexes only for what the app
    # reads by (Meta), and, as for the ledger, no database check of ids the same
    # transaction has just read or written (the run, the people just alerted).
    kind = models.CharField(max_length=20, choices=DeliveryKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="alert_deliveries",
        db_index=False,
        db_constraint=False,
    )
    run = models.ForeignKey(
        AlertRun,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
        db_index=False,
        db_constraint=False,
    )
    # Sent to GOV.UK Notify as the `reference` and used as the email's Message-ID, so a
    # retry can ask whether this exact message already went out. Random (uuid4), and
    # never looked up here: no index.
    reference = models.UUIDField(default=uuid.uuid4, editable=False)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When to try next. While a worker holds the delivery (status "sending") this is when
    # its claim runs out: a claim still held after that belongs to a worker that died.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    # A court digest's day: it lists what falls after this day up to the next working
    # day (docs/alerts.md, "The court digest"). Empty for the other kinds.
    day = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Not a column: set on the failed deliveries a page shows
    # (selectors.failed_deliveries_for_page).
    alert_count: int

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The retry sweep reads only unfinished deliveries.
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_unfinished",
                condition=Q(status__in=["pending", "sending", "failed"]),
            ),
            # A person's failed deliveries (the in-app list and the unread count).
            models.Index(
                fields=["recipient"], name="delivery_failed", condition=Q(status="failed")
            ),
        ]
        constraints = [
            # One digest per person per run; also the index for a run's deliveries.
            models.UniqueConstraint(
                fields=["run", "recipient"],
                condition=Q(kind="digest"),
                name="delivery_one_digest_per_run",
            ),
            # One court digest per person per day, however many runs the day has.
            models.UniqueConstraint(
                fields=["recipient", "day"],
                condition=Q(kind="court_digest"),
                name="delivery_one_court_digest_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} delivery {self.pk} ({self.status})"


class AlertPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    mode = models.CharField(max_length=30, choices=AlertMode.choices, default=AlertMode.DIGEST)
    read_up_to = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Alert settings of user {self.user_id}"


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # SHA-256 of the token: the token is 256 random bits, so a fast hash is enough and a
    # copy of the database does not give anyone a working feed URL.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    # A feed no calendar has read for ALERTS_CALENDAR_FEED_EXPIRY_DAYS stops working
    # (docs/alerts.md, "Calendar feed"): an address forgotten in an old phone or a
    # shared calendar does not stay a key for ever.
    last_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
