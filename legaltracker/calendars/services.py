"""The working-day calendar for this LA: rule-based bank holidays plus recorded extras."""

from __future__ import annotations

from django.conf import settings

from .models import ExtraBankHoliday
from .workingdays import WorkingDayCalendar, normalise_nation


def get_calendar(nation: str | None = None) -> WorkingDayCalendar:
    """The calendar of `nation` (default: `settings.LEGALTRACKER_NATION`).

    Reads that nation's extra bank holidays in one query. Build one calendar per run
    (a request, a nightly deadline pass) and reuse it for every case.
    """
    key = normalise_nation(nation if nation is not None else settings.LEGALTRACKER_NATION)
    extras = dict(ExtraBankHoliday.objects.filter(nation=key).values_list("date", "name"))
    return WorkingDayCalendar(key, extras)
