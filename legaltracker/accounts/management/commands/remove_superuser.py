"""`manage.py remove_superuser <username>`: make a superuser an ordinary user of their
role again. Superusers are made and unmade only on the server (`createsuperuser` and this
command; docs/operations.md, "Superusers"): no page of the app offers either."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legaltracker.accounts.models import User
from legaltracker.accounts.services import user_superuser_remove


class Command(BaseCommand):
    help = "Take superuser status away from a user; their role then decides what they see."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user '{username}'. Check the spelling.")
        if user_superuser_remove(user=user):
            self.stdout.write(
                f"{username} is no longer a superuser; staff status now follows their role "
                f"({user.get_role_display().lower()})."
            )
        else:
            self.stdout.write(f"{username} was not a superuser: nothing changed.")
