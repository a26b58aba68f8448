"""Time-based one-time codes (RFC 6238) through pyotp: the second factor.

A code is accepted for the current 30-second step and one step either side (clocks on
phones drift), and only once: the step of the last accepted code is stored, and a code
from that step or an earlier one is refused, so a code seen over someone's shoulder
cannot be used again.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
from django.db import transaction

from legaltracker.core import clock

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


def verify(device: TotpDevice, raw_code: str) -> bool:
    """Whether the code is right now and not used before; records its use if so."""
    code = clean_code(raw_code)
    if code is None:
        return False
    totp = pyotp.TOTP(device.secret)
    now = clock.now()
    with transaction.atomic():
        locked = TotpDevice.objects.select_for_update().get(pk=device.pk)
        for drift in (-1, 0, 1):
            moment = now + dt.timedelta(seconds=drift * STEP_SECONDS)
            step = totp.timecode(moment)
            if step <= locked.last_used_step:
                continue
            if pyotp.utils.strings_equal(totp.at(moment), code):
                locked.last_used_step = step
                fields = ["last_used_step"]
                if locked.confirmed_at is None:
                    locked.confirmed_at = now
                    fields.append("confirmed_at")
                locked.save(update_fields=fields)
                device.last_used_step, device.confirmed_at = step, locked.confirmed_at
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
