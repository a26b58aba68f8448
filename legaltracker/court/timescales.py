"""The court record's timescales, read from the council's timescale policy."""

from __future__ import annotations

import datetime as dt

from legaltracker.calendars.services import get_calendar
from legaltracker.deadlines.models import TimescalePolicy

# HMCTS's "at risk" test (docs/court.md, "The 26 weeks"): a hearing later than this many
# days after issue puts the 26 weeks at risk.
AT_RISK_DAYS = {
    "case_management_hearing": 24,
    "issues_resolution_hearing": 140,
    "final_hearing": 182,
}


def draft_order_due(hearing_day: dt.date) -> dt.date:
    """The default date the draft order is due: the policy's working days after the
    hearing (2 unless the council changed it)."""
    days = TimescalePolicy.current().draft_order_working_days
    return get_calendar().add_working_days(hearing_day, days)
