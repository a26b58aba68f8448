"""Accounts from the command line: teams, users in roles, API tokens.

The management commands `add_team`, `add_user` and `api_token` call these functions;
each states the account as it should be, so running it again changes nothing. Errors are
`CommandError`s with a message a person scripting their accounts can act on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import CharField

from legaltracker.accounts.models import TEAM_ROLES, Role, Team, User
from legaltracker.accounts.services import user_sync_role_access
from legaltracker.api.models import ApiToken
from legaltracker.api.tokens import token_issue
from legaltracker.core.errors import DomainError
from legaltracker.core.text import clean_text


@dataclass(frozen=True)
class Outcome:
    """What a provisioning call did: `created`, `updated` or `unchanged`."""

    action: str
    message: str


def _max_length(name: str) -> int:
    field = Team._meta.get_field(name)
    assert isinstance(field, CharField) and field.max_length is not None
    return field.max_length


def team_save(*, code: str, name: str) -> tuple[Team, Outcome]:
    """Create the team, or rename it if its name differs."""
    code = clean_text(code)
    name = clean_text(name)
    try:
        validate_slug(code)
    except ValidationError as error:
        raise CommandError(
            f"'{code}' cannot be a team code: use letters, numbers, hyphens or underscores."
        ) from error
    if len(code) > _max_length("code"):
        raise CommandError("A team code can be at most 40 characters.")
    if not name:
        raise CommandError('Give the team a name, e.g. "North Family Support".')
    if len(name) > _max_length("name"):
        raise CommandError("A team name can be at most 200 characters.")
    with transaction.atomic():
        team = Team.objects.select_for_update().filter(code=code).first()
        if team is None:
            team = Team.objects.create(code=code, name=name)
            return team, Outcome("created", f"Created team {code} ({name}).")
        if team.name == name:
            return team, Outcome("unchanged", f"Team {code} ({name}) already exists.")
        previous, team.name = team.name, name
        team.save(update_fields=["name"])
        return team, Outcome("updated", f"Renamed team {code} from {previous} to {name}.")


def user_save(
    *,
    username: str,
    role: str,
    team_code: str | None = None,
    password: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
) -> tuple[User, Outcome]:
    """Create the user, or bring an existing one to this role and team.

    The team is set to the one given (none if none is given): a social worker or team
    manager must have one, the roles that work across teams may. A password is set only
    when given; a new user without one can use an API token but cannot log in.
    """
    if role not in Role.values:
        raise CommandError(f"Unknown role '{role}'. Choose one of: {', '.join(Role.values)}.")
    team = None
    if team_code:
        team = Team.objects.filter(code=team_code).first()
        if team is None:
            raise CommandError(
                f"There is no team with the code '{team_code}'. Create it first with "
                f'`manage.py add_team {team_code} "<name>"`.'
            )
    elif role in TEAM_ROLES:
        raise CommandError(
            f"A {Role(role).label.lower()} works for a team: give it with --team <code>."
        )
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise CommandError(
            f"'{username}' cannot be a username: use letters, digits and @ . + - _ only."
        ) from error
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        created = user is None
        if user is None:
            user = User(username=username)
        wanted = {
            "role": role,
            "team": team,
            "first_name": clean_text(first_name) if first_name is not None else user.first_name,
            "last_name": clean_text(last_name) if last_name is not None else user.last_name,
            "email": clean_text(email) if email is not None else user.email,
        }
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name, value in wanted.items():
            setattr(user, name, value)
        if password is not None and (created or not user.check_password(password)):
            try:
                validate_password(password, user)
            except ValidationError as error:
                message = "The password is not accepted: " + " ".join(error.messages)
                raise CommandError(message) from error
            user.set_password(password)
            changed.append("password")
        elif created:
            user.set_unusable_password()
        if created or changed:
            user.save()
        user_sync_role_access(user=user)
    where = f" in team {team.code}" if team else ""
    summary = f"{username} ({Role(role).label.lower()}{where})"
    if not user.is_active:
        summary += " [inactive: reactivate them in the admin to let them sign in]"
    if created:
        return user, Outcome("created", f"Created user {summary}.")
    if changed:
        return user, Outcome("updated", f"Updated user {summary}: {', '.join(changed)}.")
    return user, Outcome("unchanged", f"User {summary} is already up to date.")


def token_for(*, username: str, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token for the user, and its key: only a hash of the key is kept, so each
    call makes another token (revoke old ones on the API tokens page or in the admin)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(
            f"There is no user '{username}'. Create one with "
            f"`manage.py add_user {username} --role <role> [--team <code>]`."
        )
    if not user.is_active:
        raise CommandError(f"The user '{username}' is inactive: a token would not work for them.")
    try:
        return token_issue(user=user, name=name, days=days)
    except DomainError as error:
        problems = [p for ps in error.field_errors.values() for p in ps] or [error.message]
        raise CommandError(" ".join(problems)) from error
