from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def refresh_administrators_group(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After `migrate`, give the administrators' group exactly the permissions the code
    says (accounts.services): a release that adds one reaches existing administrators
    without anyone editing a group by hand. Django sends this once per app, after that
    app's permissions exist, so the last call sees them all."""
    from .services import administrators_group

    if using == "default":
        administrators_group()


class AccountsConfig(AppConfig):
    name = "legaltracker.accounts"
    label = "accounts"
    verbose_name = "Teams and users"

    def ready(self) -> None:
        post_migrate.connect(refresh_administrators_group, dispatch_uid="accounts-admin-group")
