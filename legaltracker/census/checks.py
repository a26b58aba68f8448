"""System check: a warning (start-up carries on) while the PPOutcome table is not
confirmed, since the census codes are not yet in published guidance (docs/census.md).

It reads the database, so it is a database check: `migrate` runs it, and
`manage.py check --database default`; the settings-only `check --deploy` does not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database, "census")
def check_outcome_codes(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[Any]:
    from .models import OutcomeCode, PreProceedingsEnding

    if not databases:
        return []
    try:
        rows = {row.ending: row for row in OutcomeCode.objects.using(databases[0]).all()}
    except DatabaseError:
        # Before `migrate` has made the table there is nothing to check yet.
        return []
    labels = dict(PreProceedingsEnding.choices)
    unconfirmed = sorted(
        str(labels.get(ending, ending)) for ending, row in rows.items() if not row.confirmed
    )
    missing = [str(e.label) for e in PreProceedingsEnding if e.value not in rows]
    problems: list[Any] = []
    if unconfirmed:
        problems.append(
            Warning(
                f"The census PPOutcome codes are not confirmed for: {'; '.join(unconfirmed)}.",
                hint="Check each code against the Department for Education's guidance for the "
                "CIN census year, correct it in the admin (CIN census, pre-proceedings "
                "outcome codes) and tick 'confirmed' (docs/census.md).",
                id="census.W001",
            )
        )
    if missing:
        problems.append(
            Warning(
                f"The census PPOutcome table has no row for: {'; '.join(missing)}.",
                hint="Add the row in the admin (CIN census, pre-proceedings outcome codes); "
                "until then those children have no PPOutcome (docs/census.md).",
                id="census.W002",
            )
        )
    return problems
