"""Receivers: record each sign-in's session, forget it at sign-out, end every session of
an account that is switched off, record each lockout of the sign-in throttle, and count
each failed sign-in for the per-address limit and the site-wide alarm."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from legaltracker.core import clock

from . import sessions, throttle
from .models import Lockout, LockoutReason, SignedInSession

logger = logging.getLogger("legaltracker.security")


@receiver(user_logged_in, dispatch_uid="security-signed-in")
def on_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = request.session
    now = clock.now()
    session[sessions.SIGNED_IN_AT] = now.timestamp()
    session[sessions.LAST_SEEN] = now.timestamp()
    if session.session_key is None:
        session.save()
    SignedInSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "signed_in_at": now}
    )
    # Sessions older than the absolute cap have ended whatever happened to them: forget
    # them, so the table holds only sessions that may still be alive.
    SignedInSession.objects.filter(
        user=user, signed_in_at__lt=now - dt.timedelta(seconds=settings.SESSION_ABSOLUTE_AGE)
    ).delete()
    logger.info("sign-in: user %s", user.pk)


@receiver(user_logged_out, dispatch_uid="security-signed-out")
def on_signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        SignedInSession.objects.filter(session_key=key).delete()
    if user is not None:
        logger.info("sign-out: user %s", user.pk)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="security-user-was-active")
def remember_active(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None:
        instance._security_was_active = False
        return
    previous = get_user_model().objects.filter(pk=instance.pk).values_list("is_active", flat=True)
    instance._security_was_active = bool(previous and previous[0])


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="security-switched-off")
def end_sessions_when_switched_off(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not instance.is_active:
        ended = sessions.end_sessions_of(instance)
        if ended or getattr(instance, "_security_was_active", False):
            logger.info("account switched off: user %s, %s session(s) ended", instance.pk, ended)


@receiver(user_locked_out, dispatch_uid="security-lockout")
def record_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    if getattr(request, "security_address_locked_until", None) is not None:
        return  # the address is locked out (throttle.py records that), not this username
    now = clock.now()
    username = (username or "")[:255]
    ip_address = ip_address or None
    # django-axes signals again for every attempt during a lockout: one row per lockout.
    if Lockout.objects.filter(
        reason=LockoutReason.PASSWORD,
        username=username,
        ip_address=ip_address,
        locked_until__gt=now,
    ).exists():
        return
    Lockout.objects.create(
        username=username,
        ip_address=ip_address,
        path=(getattr(request, "path", "") or "")[:255],
        locked_at=now,
        locked_until=now + settings.AXES_COOLOFF_TIME,
    )
    # The username is not written to the log (it can be a person's name): the admin's
    # Lockouts page has it.
    logger.warning("sign-in locked out after repeated failures (lockout recorded)")


@receiver(user_login_failed, dispatch_uid="security-sign-in-failed")
def count_failed_sign_in(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # Without a request the call came from code on the server, not from anyone outside.
    if request is not None:
        throttle.sign_in_failed(request)
