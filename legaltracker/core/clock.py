"""The one module that reads the clock.

Everything else takes `today` as a parameter or asks this module. Tests pin time with
`frozen(date)` so that deadline rules can be checked on the due day and the day after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen_today: dt.date | None = None


def now() -> dt.datetime:
    """The current aware datetime (UTC inside, shown in Europe/London)."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in Europe/London, or the pinned date inside `frozen`."""
    if _frozen_today is not None:
        return _frozen_today
    return timezone.localdate(now())


@contextmanager
def frozen(day: dt.date) -> Iterator[dt.date]:
    """Pin `today()` to `day` for the duration of the block."""
    global _frozen_today
    previous = _frozen_today
    _frozen_today = day
    try:
        yield day
    finally:
        _frozen_today = previous
