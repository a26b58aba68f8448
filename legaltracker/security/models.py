"""Who is signed in where, second factors and sign-in lockouts (docs/security.md, section 2).

None of these rows holds case data. A `SignedInSession` ties a session key to its user so
that switching an account off can end every session it has; a `TotpDevice` holds one
person's authenticator secret; `SecondFactorFailures` counts one person's wrong codes;
`SignInFailure` notes each failed sign-in's address and time (the per-address limit and the
site-wide alarm); a `Lockout` records each time a throttle locked someone out.
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


class SecondFactorFailures(models.Model):
    """Wrong codes typed for one person, kept on the server across sign-ins (a counter in
    the session could be raced and began again at each sign-in). Updated only under a row
    lock (legaltracker/security/throttle.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="second_factor_failures",
    )
    failures = models.PositiveIntegerField(
        default=0, help_text="Wrong codes since the last right one or the last lockout"
    )
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(
        null=True, blank=True, help_text="No code is checked for this person until then"
    )

    class Meta:
        verbose_name = "second-factor failure count"

    def __str__(self) -> str:
        return f"wrong codes of user {self.user_id}: {self.failures}"


class SignInFailure(models.Model):
    """One failed password sign-in: the address it came from and when. No username (a
    person's name may have been typed); rows older than the longest window are removed."""

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "at"], name="security_failure_ip_at")]

    def __str__(self) -> str:
        return f"failed sign-in from {self.ip_address} at {self.at:%Y-%m-%d %H:%M}"


class SignInAlarm(models.Model):
    """One alarm about a burst of failed sign-ins across the site (at most one a window)."""

    raised_at = models.DateTimeField(db_index=True)
    failures = models.PositiveIntegerField()
    addresses = models.PositiveIntegerField(help_text="How many addresses they came from")

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = "failed sign-in alarm"

    def __str__(self) -> str:
        return f"{self.failures} failed sign-ins by {self.raised_at:%Y-%m-%d %H:%M}"


class LockoutReason(models.TextChoices):
    PASSWORD = "password", "Wrong passwords for this username from this address"
    ADDRESS = "address", "Failed sign-ins from this address, whatever the username"
    SECOND_FACTOR = "second_factor", "Wrong codes for this person"


class Lockout(models.Model):
    """One lockout: by the sign-in throttle (django-axes: a username from an address), the
    per-address limit (an address, whatever the username) or the second factor (a person):
    when it started and when it ends (the cool-off: a lockout never lasts for ever)."""

    reason = models.CharField(
        max_length=20, choices=LockoutReason.choices, default=LockoutReason.PASSWORD
    )
    username = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=255, blank=True)
    locked_at = models.DateTimeField()
    locked_until = models.DateTimeField()

    class Meta:
        ordering = ["-locked_at"]

    def __str__(self) -> str:
        return f"lockout of {self.username!r} at {self.locked_at:%Y-%m-%d %H:%M}"
