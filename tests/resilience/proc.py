"""Seeds the database the real-process tests serve: `python -m tests.resilience.proc seed`
migrates the database DATABASE_URL names, creates a team with its staff (passwords known
to the test), cases to read and an API token, and prints them as JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

PASSWORD = "resilience test password 1"
CASES = 8


def seed() -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from legaltracker.api import tokens
    from legaltracker.cases.choices import Stage
    from tests.factories import Staff, TeamFactory, case_at

    staff = Staff(TeamFactory(code="north", name="North Family Support"))
    people = [staff.social_worker, staff.team_manager]
    for user in people:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    stages = [Stage.CONCERN, Stage.LEGAL_GATEWAY, Stage.PRE_PROCEEDINGS]
    case_ids = [case_at(stages[n % len(stages)], staff).pk for n in range(CASES)]
    _, key = tokens.token_issue(user=staff.team_manager, name="case system")
    return {
        "usernames": [user.username for user in people],
        "password": PASSWORD,
        "token": key,
        "case_ids": case_ids,
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *_ = argv
    if command != "seed":
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(seed()))


if __name__ == "__main__":
    main(sys.argv[1:])
