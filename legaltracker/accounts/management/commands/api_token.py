"""`manage.py api_token <username> [--name NAME] [--days N]`: make an API token for a user
and print its key.

Only the key goes to standard output, so that a script can capture it:
`KEY=$(python manage.py api_token someone --name "nightly report")`; use it as
`Authorization: Token $KEY`. The key is shown this once (only its hash is kept): each run
makes a new token. Revoke tokens on the API tokens page or in the admin.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ..provisioning import token_for

DEFAULT_NAME = "Made on the command line"


class Command(BaseCommand):
    help = (
        "Make an API token for a user and print its key (shown once). "
        "Header: Authorization: Token <key>"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--name", default=DEFAULT_NAME, help="What the token is for (shown on lists)."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days until it expires (default: LEGALTRACKER_API_TOKEN_DAYS, 90).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        token, key = token_for(
            username=options["username"], name=options["name"], days=options["days"]
        )
        self.stderr.write(
            f"Created an API token for {options['username']} ({token.name}), "
            f"expiring on {token.expires_at:%d/%m/%Y}."
        )
        self.stdout.write(key)
