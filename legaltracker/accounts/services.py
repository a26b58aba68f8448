"""Account writes shared by the provisioning commands, the demo data and the admin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from .models import Role

ADMINISTRATORS_GROUP = "Administrators"
# Administrators configure the system (docs/domain/roles.md): teams, users and roles, the
# timescale policy, extra bank holidays. No permission on any case model.
CONFIGURATION_MODELS = {
    "accounts": ["team", "user"],
    "deadlines": ["timescalepolicy"],
    "calendars": ["extrabankholiday"],
    # Sign-in security: read the lockouts, remove a lost authenticator app
    # (docs/security.md, section 2).
    "security": ["lockout", "totpdevice"],
    # List and revoke anyone's API token (docs/security.md, API tokens).
    "api": ["apitoken"],
    # Upload a replacement Word template for a letter kind, stop using one (templates are
    # never deleted: the admin refuses). A template holds no case data.
    "letters": ["lettertemplate"],
    # The census PPOutcome codes, kept by an administrator until the guidance confirms
    # them (docs/census.md). A code holds no case data.
    "census": ["outcomecode"],
}
# Models the administrators may look at but not change: the daily alert runs (dates and
# counts only, no case or person) are what the scan did, a record rather than a setting.
READ_ONLY_MODELS = {
    "alerts": ["alertrun"],
}


def administrators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    wanted = set()
    for app_label, models in CONFIGURATION_MODELS.items():
        wanted |= set(
            Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        )
    for app_label, models in READ_ONLY_MODELS.items():
        wanted |= set(
            Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model__in=models,
                codename__startswith="view_",
            )
        )
    if set(group.permissions.all()) != wanted:
        group.permissions.set(wanted)
    return group


def user_sync_role_access(*, user: Any) -> None:
    """Give an administrator the admin site with configuration permissions only; take
    them away from anyone whose role is not administrator (superusers are left alone)."""
    group = administrators_group()
    is_administrator = user.role == Role.ADMINISTRATOR
    if user.is_staff != is_administrator and not user.is_superuser:
        user.is_staff = is_administrator
        user.save(update_fields=["is_staff"])
    if is_administrator:
        user.groups.add(group)
    else:
        user.groups.remove(group)


def user_superuser_remove(*, user: Any) -> bool:
    """Take superuser status away (the server's `remove_superuser` command; nothing in the
    app gives or takes it): staff status and group go back to what the role gives.
    False when the user was not a superuser."""
    if not user.is_superuser:
        return False
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    user_sync_role_access(user=user)
    return True
