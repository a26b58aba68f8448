"""The access log, restricted records and retention decisions.

`AccessLog` and `RetentionDecision` are records of what happened: append-only in the ORM
here, and `AccessLog` (with `cases.CaseEvent`) also in PostgreSQL by trigger (migration
0002), so that neither a bug nor a raw SQL statement from the application can rewrite them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{self.model.__name__} is append-only: rows cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self.model.__name__} is append-only: rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(f"{type(self).__name__} is append-only: a row cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{type(self).__name__} is append-only: a row cannot be deleted.")


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    # The person was not let in: not signed in, not permitted, or not shown the object.
    REFUSED = "refused", "Refused"
    # Let in, but the request was turned down (invalid values, a refused guard, a conflict).
    REJECTED = "rejected", "Rejected"
    ERROR = "error", "Server error"


class AccessLog(AppendOnlyModel):
    """One row per audited request: who, when, which case or object, what, how it ended.

    Ids only, never names or typed text. `case` has no database constraint so that a
    request for a case id that does not exist (someone probing ids) is still recorded;
    `on_delete=PROTECT` keeps a case with audit rows from being deleted through the ORM.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when no one was signed in",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="access_log",
    )
    object_type = models.CharField(
        max_length=40, blank=True, help_text="letter, event, expectation, child, adult, ..."
    )
    object_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=150, help_text="URL name and method, or command")
    status = models.PositiveSmallIntegerField(help_text="HTTP status (0 for a command)")
    outcome = models.CharField(max_length=10, choices=AccessOutcome.choices)
    request_id = models.UUIDField(db_index=True)
    details = models.JSONField(
        default=dict, blank=True, help_text="Further ids only: {name: id or [ids]}"
    )
    # HMAC of this row and the previous one (legaltracker/audit/chain.py).
    chain_hash = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="accesslog_case_at"),
            models.Index(fields=["actor", "at"], name="accesslog_actor_at"),
            models.Index(fields=["object_type", "object_id"], name="accesslog_object"),
        ]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M:%S} ({self.outcome})"


class CaseRestriction(models.Model):
    """A restricted case (for example one involving a member of staff): only the people
    named on it may see it, on top of the usual role and team rules."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="restriction")
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Restriction on case {self.case_id}"


class CaseRestrictionAccess(models.Model):
    restriction = models.ForeignKey(
        CaseRestriction, on_delete=models.CASCADE, related_name="access"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["restriction", "user"], name="restriction_user_once")
        ]
        verbose_name = "person named on a restriction"

    def __str__(self) -> str:
        return f"User {self.user_id} on restriction {self.restriction_id}"


class RetentionChoice(models.TextChoices):
    RETAIN = "retain", "Retain"
    DESTROY = "destroy", "Destroy"


class RetentionDecision(AppendOnlyModel):
    """A recorded decision on a closed case that was due for review. The latest one for a
    case stands; earlier ones stay as history. A `retain` decision names the date of the
    next review."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="retention_decisions"
    )
    decision = models.CharField(max_length=10, choices=RetentionChoice.choices)
    reasons = models.TextField()
    decided_on = models.DateField()
    review_again_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["case", "recorded_at"], name="retention_case_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="destroy", review_again_on__isnull=True)
                | models.Q(decision="retain", review_again_on__isnull=False),
                name="retain_names_next_review",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} case {self.case_id} on {self.decided_on}"
