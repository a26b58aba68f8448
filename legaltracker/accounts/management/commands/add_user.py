"""`manage.py add_user <username> --role <role> --team <code> [--password <pw>]`: create a
user in a role, or bring an existing one to that role and team. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from legaltracker.accounts.models import Role

from ..provisioning import user_save


class Command(BaseCommand):
    help = (
        "Create a user in a role, or update an existing one's role and team. Roles: "
        + ", ".join(Role.values)
        + ". Social workers and team managers need --team."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        # Checked by user_save rather than argparse `choices`, for a message that says
        # what to do instead of a usage line.
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--team", help="Team code (required for team roles)")
        parser.add_argument("--password", help="Set this password (otherwise left as it is)")
        parser.add_argument("--first-name", dest="first_name")
        parser.add_argument("--last-name", dest="last_name")
        parser.add_argument("--email")

    def handle(self, *args: Any, **options: Any) -> None:
        _, outcome = user_save(
            username=options["username"],
            role=options["role"],
            team_code=options["team"],
            password=options["password"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
        )
        self.stdout.write(outcome.message)
