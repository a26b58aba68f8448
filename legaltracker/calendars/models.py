"""Extra bank holidays recorded by an administrator (docs/domain/milestones.md).

The recurring bank holidays and the known one-offs are computed by rule in
`workingdays.py`. A new one-off announced at short notice is recorded here, per
nation, so that deadlines skip it before the code is updated.
"""

from __future__ import annotations

from django.db import models

from .workingdays import ENGLAND, WALES


class Nation(models.TextChoices):
    ENGLAND = ENGLAND, "England"
    WALES = WALES, "Wales"


class ExtraBankHoliday(models.Model):
    date = models.DateField()
    name = models.CharField(max_length=200)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "nation"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "nation"], name="calendars_extra_holiday_unique_date_nation"
            ),
        ]
        verbose_name = "extra bank holiday"
        verbose_name_plural = "extra bank holidays"

    def __str__(self) -> str:
        return f"{self.name} ({self.date.isoformat()}, {self.get_nation_display()})"
