"""Helper commands for the real-process tests, run in their own process against the
shared test database: `python -m tests.alerts.proc seed|enqueue ...`.

- `seed`: migrate, then create the staff (with email addresses) and cases whose
  deadlines need alerts on 2026-03-04 at every level; prints the expected digests as
  JSON: {username: number of items}.
- `enqueue TASK...`: queue tasks of legaltracker.alerts.tasks ("func" or "func:arg").
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter

RUN_DAY = dt.date(2026, 3, 4)
DUE = [
    dt.date(2026, 2, 20),  # overdue and escalated to heads of service
    dt.date(2026, 3, 2),  # overdue
    dt.date(2026, 3, 4),  # due today
    dt.date(2026, 3, 6),  # due soon
    dt.date(2026, 3, 10),  # due soon, at the end of the window
]


def seed() -> dict[str, int]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from legaltracker.accounts.models import Role, User
    from legaltracker.alerts.models import Alert
    from legaltracker.alerts.services import alerts_scan
    from legaltracker.deadlines.choices import Milestone
    from tests.alerts.helpers import case_with_deadline, expected_alerts
    from tests.factories import Staff, TeamFactory, UserFactory

    north = Staff(TeamFactory(code="north", name="North Family Support"))
    south = Staff(TeamFactory(code="south", name="South Family Support"))
    UserFactory(username="lawyer-2", role=Role.LEGAL)
    for user in User.objects.all():
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])
    for n, due in enumerate(DUE):
        staff = north if n % 2 == 0 else south
        case_with_deadline(staff, due)
        case_with_deadline(staff, due, Milestone.MANAGEMENT_OVERSIGHT)
    # What one run should produce: the rules as Python, then a dry run of the scan
    # (rolled back) must agree with them.
    expected = expected_alerts(RUN_DAY)
    names = dict(User.objects.values_list("id", "username"))
    per_person = Counter(names[recipient] for _, _, recipient, _ in expected)
    assert alerts_scan(today=RUN_DAY, dispatch=False, dry_run=True).new_alerts == len(expected)
    assert not Alert.objects.exists()
    return dict(per_person)


def enqueue(*tasks: str) -> list[str]:
    """Queue each task, given as "func" or "func:arg"."""
    from django_q.tasks import async_task

    ids = []
    for task in tasks:
        func, _, arg = task.partition(":")
        ids.append(async_task(f"legaltracker.alerts.tasks.{func}", *([arg] if arg else [])))
    return ids


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *rest = argv
    if command == "seed":
        print(json.dumps(seed()))
    elif command == "enqueue":
        print(json.dumps(enqueue(*rest)))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
