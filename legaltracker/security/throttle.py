"""Throttles that django-axes does not give: wrong second-factor codes counted per person,
failed sign-ins counted per address whatever the username, and an alarm when failed
sign-ins across the site come in a burst (docs/security.md, "Second factor guessing" and
"Password spraying").

Every count is kept in the database, so that all the app's processes share it and a
parallel burst of requests cannot slip past it: the per-person count is changed only
while its row is locked, and no code is checked while it is locked out.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q

from legaltracker.core import clock

from .models import Lockout, LockoutReason, SecondFactorFailures, SignInAlarm, SignInFailure

logger = logging.getLogger("legaltracker.security")


@dataclass(frozen=True)
class CodeCheck:
    """What became of one code: accepted, or refused; `locked_until` is set when no code
    is checked for the person until then (`just_locked`: this wrong code did it)."""

    accepted: bool
    locked_until: dt.datetime | None = None
    just_locked: bool = False


def minutes_left(until: dt.datetime) -> int:
    """Whole minutes until `until`, rounded up (never 0 while a lockout lasts)."""
    seconds = (until - clock.now()).total_seconds()
    return max(1, -int(-seconds // 60))


# The second factor -------------------------------------------------------------------


def second_factor_locked_until(user: Any) -> dt.datetime | None:
    until = (
        SecondFactorFailures.objects.filter(user=user, locked_until__gt=clock.now())
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


def lock_second_factor_counter(user_id: int) -> SecondFactorFailures:
    """The person's counter, locked until the end of the caller's transaction: whoever
    holds it is the only request checking a code for that person."""
    SecondFactorFailures.objects.get_or_create(user_id=user_id)
    return SecondFactorFailures.objects.select_for_update().get(user_id=user_id)


def second_factor_succeeded(counter: SecondFactorFailures) -> None:
    if counter.failures or counter.locked_until:
        SecondFactorFailures.objects.filter(pk=counter.pk).update(failures=0, locked_until=None)


def second_factor_failed(counter: SecondFactorFailures, *, request: Any = None) -> CodeCheck:
    """Count one wrong code (the caller holds the counter's row lock); the limit-th locks
    the person out for the cool-off and tells the administrators."""
    now = clock.now()
    limit = settings.LEGALTRACKER_SECOND_FACTOR_FAILURE_LIMIT
    # A lockout that has ended starts the count again.
    restart = counter.locked_until is not None and counter.locked_until <= now
    SecondFactorFailures.objects.filter(pk=counter.pk).update(
        failures=1 if restart else F("failures") + 1, last_failure_at=now, locked_until=None
    )
    failures = SecondFactorFailures.objects.values_list("failures", flat=True).get(pk=counter.pk)
    if failures < limit:
        return CodeCheck(accepted=False)
    until = now + settings.LEGALTRACKER_SECOND_FACTOR_COOLOFF
    SecondFactorFailures.objects.filter(pk=counter.pk).update(locked_until=until)
    user = counter.user
    address = request_address(request)
    Lockout.objects.create(
        reason=LockoutReason.SECOND_FACTOR,
        username=user.get_username()[:255],
        ip_address=address,
        path=(getattr(request, "path", "") or "")[:255],
        locked_at=now,
        locked_until=until,
    )
    logger.warning("second factor locked out after %s wrong codes: user %s", failures, user.pk)
    minutes = int(settings.LEGALTRACKER_SECOND_FACTOR_COOLOFF.total_seconds() // 60)
    notify_administrators(
        "Legal tracker: two-step verification locked for an account",
        f"{failures} wrong codes from an authenticator app were entered for the account "
        f"{user.get_username()!r} (the last from address {address or 'unknown'}), so no code "
        f"will be accepted for it for {minutes} minutes.\n\n"
        "Whoever typed them knew the account's password. If the account's owner did not "
        "do this, reset their password and ask them to check their authenticator app. "
        "The admin's Lockouts page lists this lockout.",
    )
    return CodeCheck(accepted=False, locked_until=until, just_locked=True)


# Failed sign-ins: per address and across the site --------------------------------------


def address_locked_until(address: str | None) -> dt.datetime | None:
    if not address:
        return None
    return (
        Lockout.objects.filter(
            reason=LockoutReason.ADDRESS, ip_address=address, locked_until__gt=clock.now()
        )
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )


def sign_in_failed(request: Any) -> None:
    """Note a failed sign-in (wrong password, unknown username or a refused lockout) and
    apply the per-address limit and the site-wide alarm."""
    now = clock.now()
    address = request_address(request)
    SignInFailure.objects.create(ip_address=address, at=now)
    longest = max(
        settings.LEGALTRACKER_SIGN_IN_ADDRESS_WINDOW, settings.LEGALTRACKER_SIGN_IN_BURST_WINDOW
    )
    SignInFailure.objects.filter(at__lt=now - longest).delete()
    if address and address_locked_until(address) is None:
        _limit_address(request, address, now)
    _burst_alarm(now)


def _limit_address(request: Any, address: str, now: dt.datetime) -> None:
    since = now - settings.LEGALTRACKER_SIGN_IN_ADDRESS_WINDOW
    # Failures during (and before) the last lockout of this address have had their effect.
    ended = (
        Lockout.objects.filter(reason=LockoutReason.ADDRESS, ip_address=address)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    if ended is not None and ended > since:
        since = ended
    failures = SignInFailure.objects.filter(ip_address=address, at__gte=since).count()
    if failures < settings.LEGALTRACKER_SIGN_IN_ADDRESS_FAILURE_LIMIT:
        return
    until = now + settings.AXES_COOLOFF_TIME
    Lockout.objects.create(
        reason=LockoutReason.ADDRESS,
        ip_address=address,
        path=(getattr(request, "path", "") or "")[:255],
        locked_at=now,
        locked_until=until,
    )
    logger.warning("sign-in locked out for an address after %s failures", failures)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    notify_administrators(
        "Legal tracker: sign-in locked for an address",
        f"{failures} failed sign-ins came from address {address} within "
        f"{_minutes(settings.LEGALTRACKER_SIGN_IN_ADDRESS_WINDOW)} minutes, whatever the "
        f"username, so no one can sign in from that address for {minutes} minutes.\n\n"
        "Someone may be trying one password against many accounts. If the address is one "
        "of the council's own (many people behind one address), tell the people there; "
        "the admin's Lockouts page lists this lockout.",
    )


def _burst_alarm(now: dt.datetime) -> None:
    window = settings.LEGALTRACKER_SIGN_IN_BURST_WINDOW
    since = now - window
    # Once a window: an alarm raised within the window covers this burst.
    if SignInAlarm.objects.filter(raised_at__gt=since).exists():
        return
    failures = SignInFailure.objects.filter(at__gte=since).count()
    if failures < settings.LEGALTRACKER_SIGN_IN_BURST_LIMIT:
        return
    addresses = SignInFailure.objects.filter(at__gte=since).values("ip_address").distinct()
    SignInAlarm.objects.create(raised_at=now, failures=failures, addresses=addresses.count())
    logger.error(
        "failed sign-ins across the site: %s in %s minutes from %s address(es)",
        failures,
        _minutes(window),
        addresses.count(),
    )
    notify_administrators(
        "Legal tracker: a burst of failed sign-ins",
        f"{failures} sign-ins failed across the site within {_minutes(window)} minutes, "
        f"from {addresses.count()} address(es). Someone may be guessing passwords.\n\n"
        "The admin's Lockouts page lists the usernames and addresses locked out; the "
        "server's log has this alarm at error level.",
    )


# Telling the administrators -------------------------------------------------------------


def administrators_emails() -> list[str]:
    from legaltracker.accounts.models import Role, User

    return sorted(
        set(
            User.objects.filter(is_active=True)
            .filter(Q(role=Role.ADMINISTRATOR) | Q(is_superuser=True))
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def notify_administrators(subject: str, body: str) -> None:
    """Email every active administrator once the transaction commits. A mail server that
    fails is logged, never shown to whoever is signing in (it is not their doing)."""

    def send() -> None:
        recipients = administrators_emails()
        if not recipients:
            logger.error("security alert not emailed: no administrator has an email address")
            return
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # any mail failure: the log has it, the sign-in goes on
            logger.exception("security alert email to the administrators failed")

    transaction.on_commit(send)


def request_address(request: Any) -> str | None:
    """The client address the throttles count by (a valid IP address, or None)."""
    from .clientip import client_ip

    if request is None:
        return None
    address = client_ip(request) or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:  # a proxy header that is not an address: nothing to count by
        return None


def _minutes(window: dt.timedelta) -> int:
    return int(window.total_seconds() // 60)
