"""One export asked for by one person: what, with which filters, how far it got, and
where its file is.

The filters are kept as they were when the person asked (`params`, with the day they
asked on), so that the file holds the view they saw, whenever the task runs. The row is
kept after the file expires: who exported what, and when, stays on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import ExportFormat, ExportStatus


class ExportJob(models.Model):
    kind = models.CharField(max_length=40, help_text="A registered export kind (registry.py)")
    file_format = models.CharField(max_length=4, choices=ExportFormat.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    # Who the person was when they asked: the file is theirs only while this holds.
    role_at_request = models.CharField(max_length=30, blank=True)
    team_id_at_request = models.BigIntegerField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True, help_text="The filters, as cleaned")
    params_key = models.CharField(max_length=64, help_text="SHA-256 of the filters")
    today = models.DateField(help_text="The day the export shows the cases as of")
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=100, blank=True, help_text="Name in storage")
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)
    downloads = models.PositiveIntegerField(default=0)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "status"], name="exportjob_person_status"),
            models.Index(fields=["status", "expires_at"], name="exportjob_status_expiry"),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.kind} {self.file_format}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent_done(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
