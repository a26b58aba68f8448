"""Who is signed in where, second factors and sign-in lockouts (docs/security.md, section 2).

None of these rows holds case data. A `SignedInSession` ties a session key to its user so
that switching an account off can end every session it has; a `TotpDevice` holds one
person's authenticator secret; a `Lockout` records each time the sign-in throttle locked
a username out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SignedInSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_in_at"]

    def __str__(self) -> str:
        return f"session of user {self.user_id} from {self.signed_in_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """An authenticator app (RFC 6238 time-based one-time codes, 6 digits, 30 seconds)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64, help_text="Base32; shown once, at set-up")
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty until the person has entered a first code"
    )
    last_used_step = models.BigIntegerField(
        default=0, help_text="The 30-second step of the last accepted code: a code works once"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "authenticator app"

    def __str__(self) -> str:
        state = "confirmed" if self.confirmed_at else "not yet confirmed"
        return f"authenticator app of user {self.user_id} ({state})"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Lockout(models.Model):
    """One lockout by the sign-in throttle (django-axes): which username, from where, when
    it started and when it ends (the cool-off: a lockout never lasts for ever)."""

    username = models.CharField(max_length=255)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=255, blank=True)
    locked_at = models.DateTimeField()
    locked_until = models.DateTimeField()

    class Meta:
        ordering = ["-locked_at"]

    def __str__(self) -> str:
        return f"lockout of {self.username!r} at {self.locked_at:%Y-%m-%d %H:%M}"
