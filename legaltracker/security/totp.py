"""Time-based one-time codes (RFC 6238) through pyotp: the second factor.

A code is accepted for the current 30-second step and one step either side (clocks on
phones drift), and only once: the step of the last accepted code is stored, and a code
from that step or an earlier one is refused, so a code seen over someone's shoulder
cannot be used again. Wrong codes are counted per person on the server, across
sign-ins (legaltracker/security/throttle.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
from django.db import transaction

from legaltracker.core import clock

from . import throttle
from .models import TotpDevice

ISSUER = "Legal tracker"
STEP_SECONDS = 30
_CODE = re.compile(r"^\d{6}$")


def clean_code(raw: str) -> str | None:
    """The six digits typed, without spaces or dashes; None if it is not six digits."""
    code = re.sub(r"[\s-]", "", raw or "")
    return code if _CODE.match(code) else None


def new_secret() -> str:
    return pyotp.random_base32()


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name=ISSUER
    )


def pending_device(user: Any) -> TotpDevice:
    """The person's device; a new, unconfirmed secret if they have none yet."""
    device, _ = TotpDevice.objects.get_or_create(user=user, defaults={"secret": new_secret()})
    return device


def attempt(device: TotpDevice, raw_code: str, *, request: Any = None) -> throttle.CodeCheck:
    """Check a code against the person's wrong-code count (docs/security.md, "Second factor
    guessing"): while they are locked out no code is checked; a wrong code is counted on
    the server; a right one resets the count and is recorded as used.

    The person's counter row is locked for the whole check, so parallel requests are
    checked one at a time and none is checked once the limit is reached. Something that
    is not six digits is not a guess and is not counted.
    """
    code = clean_code(raw_code)
    if code is None:
        return throttle.CodeCheck(accepted=False)
    with transaction.atomic():
        counter = throttle.lock_second_factor_counter(device.user_id)
        now = clock.now()
        if counter.locked_until is not None and counter.locked_until > now:
            return throttle.CodeCheck(accepted=False, locked_until=counter.locked_until)
        if _accept(device, code, now):
            throttle.second_factor_succeeded(counter)
            return throttle.CodeCheck(accepted=True)
        return throttle.second_factor_failed(counter, request=request)


def verify(device: TotpDevice, raw_code: str, *, request: Any = None) -> bool:
    """Whether the code is right now and not used before; records its use if so. Counted
    like every code (`attempt`)."""
    return attempt(device, raw_code, request=request).accepted


def _accept(device: TotpDevice, code: str, now: dt.datetime) -> bool:
    totp = pyotp.TOTP(device.secret)
    for drift in (-1, 0, 1):
        moment = now + dt.timedelta(seconds=drift * STEP_SECONDS)
        step = totp.timecode(moment)
        if not pyotp.utils.strings_equal(totp.at(moment), code):
            continue
        # Recorded only if no code of this step or a later one was accepted before: the
        # condition is in the UPDATE itself, so of two requests with one code, one wins
        # whatever the database's locking.
        used = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
            last_used_step=step
        )
        if not used:
            continue
        confirmed_at = (
            TotpDevice.objects.filter(pk=device.pk).values_list("confirmed_at", flat=True).get()
        )
        if confirmed_at is None:
            confirmed_at = now
            TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=now)
        device.last_used_step, device.confirmed_at = step, confirmed_at
        return True
    return False


def requires_second_factor(user: Any) -> bool:
    """Administrators must use a second factor: the administrator role, staff (the admin
    site) and superusers. For everyone else it is optional."""
    from legaltracker.accounts.models import Role

    return bool(
        user.is_authenticated
        and (
            user.is_superuser or user.is_staff or getattr(user, "role", None) == Role.ADMINISTRATOR
        )
    )


def has_confirmed_device(user: Any) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
