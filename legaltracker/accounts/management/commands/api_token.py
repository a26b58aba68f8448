"""`manage.py api_token <username>`: print the user's API key, creating it if needed.

Only the key goes to standard output, so that a script can capture it:
`KEY=$(python manage.py api_token someone)`; use it as `Authorization: Token $KEY`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ..provisioning import token_for


class Command(BaseCommand):
    help = (
        "Print the API token of a user (created on first use). Header: Authorization: Token <key>"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        token, created = token_for(username=options["username"])
        if created:
            self.stderr.write(f"Created an API token for {options['username']}.")
        self.stdout.write(token.key)
