"""API tokens: named, expiring, revocable keys for `Authorization: Token <key>`.

Only a hash of each key is stored: the key is shown once, when it is made, and a copy of
the database does not give anyone the API (docs/security.md, API tokens).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, named by its owner")
    prefix = models.CharField(
        max_length=8, help_text="The key's first characters, to tell tokens apart; not secret"
    )
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key (hex)")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(
        null=True, blank=True, help_text="To the minute: written at most once a minute"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "API token"
        ordering = ["user_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def usable_at(self, moment: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > moment

    def status_at(self, moment: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > moment else "expired"
