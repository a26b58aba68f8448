"""Bring every open case's deadlines in step with the rules.

Run once after an upgrade whose notes say a deadline rule changed
(docs/operations.md, "Upgrading"): the services recompute a case's deadlines whenever
they change the case, so without this a case nobody touches keeps the dates of the old
rule. Each case is recomputed in its own transaction under its row lock, writing only
what changed, so the command is safe beside people's work and safe to run again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from legaltracker.cases.choices import Stage
from legaltracker.cases.events import case_lock
from legaltracker.cases.facts import deadlines_recompute
from legaltracker.cases.models import Case


class Command(BaseCommand):
    help = "Recompute the deadlines of every open case under the current rules and policy."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = list(
            Case.objects.exclude(stage=Stage.CLOSED).order_by("pk").values_list("pk", flat=True)
        )
        changed = 0
        for case_id in ids:
            with transaction.atomic():
                if deadlines_recompute(case=case_lock(case_id)):
                    changed += 1
        self.stdout.write(f"{len(ids)} open case(s) checked; the deadlines of {changed} changed.")
