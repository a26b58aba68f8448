"""System check: a warning (start-up carries on) while the PPOutcome table is not
confirmed, since the census codes are not yet in published guidance (docs/census.md)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning, register
from django.db import DatabaseError


@register("census")
def check_outcome_codes(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    from .models import OutcomeCode, PreProceedingsEnding

    try:
        rows = {row.ending: row for row in OutcomeCode.objects.all()}
    except DatabaseError:
        # Before `migrate` has made the table there is nothing to check yet.
        return []
    unconfirmed = sorted(
        str(PreProceedingsEnding(ending).label) if ending in PreProceedingsEnding.values else ending
        for ending, row in rows.items()
        if not row.confirmed
    )
    missing = [str(e.label) for e in PreProceedingsEnding if e.value not in rows]
    problems: list[Any] = []
    if unconfirmed:
        problems.append(
            Warning(
                f"The census PPOutcome codes are not confirmed for: {'; '.join(unconfirmed)}.",
                hint="Check each code against the Department for Education's guidance for the "
                "CIN census year, correct it in the admin (Census, pre-proceedings outcome "
                "codes) and tick 'confirmed' (docs/census.md).",
                id="census.W001",
            )
        )
    if missing:
        problems.append(
            Warning(
                f"The census PPOutcome table has no row for: {'; '.join(missing)}.",
                hint="Add the row in the admin (Census, pre-proceedings outcome codes); "
                "until then those children have no PPOutcome (docs/census.md).",
                id="census.W002",
            )
        )
    return problems
