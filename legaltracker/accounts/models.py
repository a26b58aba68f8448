"""Teams and the people who use the tracker, each in one role (docs/domain/roles.md)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    LEGAL = "legal", "Local authority lawyer"
    COURT_LIAISON_OFFICER = "court_liaison_officer", "Court liaison officer"
    ADMINISTRATOR = "administrator", "Administrator"
    # Reads the figures, never a case: the census return, the performance reports and
    # their exports (docs/domain/roles.md).
    PERFORMANCE_OFFICER = "performance_officer", "Performance officer"


# Roles that work a case for a team; the others work across teams.
TEAM_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
# Roles with a reason to read every case's personal details (docs/domain/roles.md).
ALL_CASES_ROLES = frozenset({Role.HEAD_OF_SERVICE, Role.LEGAL, Role.COURT_LIAISON_OFFICER})
# Roles that use the tracker board: the court liaison officer, the legal team and managers
# (a team manager sees their own team's cases). Read by the board and by the navigation.
BOARD_ROLES = frozenset(
    {Role.COURT_LIAISON_OFFICER, Role.LEGAL, Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER}
)


class Team(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=40, choices=Role.choices, default=Role.SOCIAL_WORKER)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # Not a column: set on a team manager's list of workers (web.selectors.team_manager_work).
    over_limit: bool

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles
