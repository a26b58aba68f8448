"""`manage.py add_team <code> "<name>"`: create a team, or rename it. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ..provisioning import team_save


class Command(BaseCommand):
    help = "Create a team with this code, or rename the team that has it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Short identifier used by the API, e.g. north")
        parser.add_argument("name", help='Name people see, e.g. "North Family Support"')

    def handle(self, *args: Any, **options: Any) -> None:
        _, outcome = team_save(code=options["code"], name=options["name"])
        self.stdout.write(outcome.message)
