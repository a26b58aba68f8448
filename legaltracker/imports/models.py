"""What an import left behind: one row per real run, and one per case it created.

A dry run writes neither (it writes nothing at all). The sheet's own reference for a case
is kept here, unique, so that a second run of the same sheet finds the case and creates
nothing (docs/imports.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """One real run of `import_tracker` or of the import page."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    already_imported = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.file_name} at {self.started_at:%Y-%m-%d %H:%M}"


class ImportedCase(models.Model):
    """A case created from one row of a sheet, under the sheet's own reference."""

    reference = models.CharField(max_length=64, unique=True)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="imported_from"
    )
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="cases")
    row = models.PositiveIntegerField(help_text="Row number in the sheet (the headings are row 1)")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.reference} (row {self.row})"
