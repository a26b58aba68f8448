"""Court records for load-generated cases in the query-count tests: hearings (listed,
held, adjourned, some ahead, some behind) and directions (some council ones overdue) on
every open case, written with bulk_create as the load generator writes its rows."""

from __future__ import annotations

import datetime as dt

from legaltracker.accounts.models import User
from legaltracker.cases.models import Case
from legaltracker.court.choices import LONDON
from legaltracker.court.models import CourtCentre, Direction, Hearing, Proceedings

KINDS = [
    "case_management_hearing",
    "further_case_management_hearing",
    "issues_resolution_hearing",
    "final_hearing",
    "interim_care_order_hearing",
]
STATUSES = ["held", "adjourned", "listed", "listed", "listed"]


def add_court_records(today: dt.date, hearings: int = 5, directions: int = 10) -> None:
    """Hearings and directions on every open case that has none yet."""
    recorder = User.objects.filter(role="court_liaison_officer").first()
    centres = list(CourtCentre.objects.order_by("id")[:5])
    cases = list(Case.objects.open().exclude(hearings__isnull=False).order_by("id"))
    Proceedings.objects.bulk_create(
        [
            Proceedings(case=case, court_centre=centres[i % 5], judge_name=f"HHJ Judge {i % 7}")
            for i, case in enumerate(cases)
        ],
        ignore_conflicts=True,
    )
    rows_h, rows_d = [], []
    for i, case in enumerate(cases):
        for n in range(hearings):
            day = today + dt.timedelta(days=7 * (n - 1) + i % 5)
            rows_h.append(
                Hearing(
                    case=case,
                    number=n + 1,
                    kind=KINDS[n % len(KINDS)],
                    starts_at=dt.datetime.combine(day, dt.time(10, 0), tzinfo=LONDON),
                    court_centre=centres[(i + n) % 5],
                    listed_on=today - dt.timedelta(days=30),
                    status=STATUSES[n % len(STATUSES)],
                    recorded_by=recorder,
                )
            )
        for n in range(directions):
            due = today + dt.timedelta(days=3 * (n - 3))
            rows_d.append(
                Direction(
                    case=case,
                    number=n + 1,
                    text="File the evidence",
                    party="council" if n % 2 == 0 else "parent",
                    made_on=today - dt.timedelta(days=20),
                    due_on=due,
                    original_due_on=due,
                    status="outstanding" if n % 3 else "filed",
                )
            )
    Hearing.objects.bulk_create(rows_h)
    Direction.objects.bulk_create(rows_d)
