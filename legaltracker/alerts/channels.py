"""How an alert message leaves the building: Django's email backend, or GOV.UK Notify.

A channel's `send` either returns (the message is accepted, or was already accepted on
an earlier attempt) or raises: `PermanentFailure` when trying again cannot help, any
other exception when it might.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from . import conf
from .choices import Channel
from .messages import Message

# Notify statuses that mean the email did not and will not go: a resend is allowed.
NOTIFY_FAILED = frozenset({"permanent-failure", "temporary-failure", "technical-failure"})


class PermanentFailure(Exception):
    """Trying again will not help (no address, a refused address or template)."""


class AlertChannel(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, message: Message, *, resend: bool) -> str: ...


class EmailChannel:
    """Django's email backend (SMTP in production; settings EMAIL_*)."""

    name = Channel.EMAIL

    def send(self, message: Message, *, resend: bool) -> str:
        if not message.to:
            raise PermanentFailure("The person has no email address.")
        domain = conf.site_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            # The same Message-ID on every attempt: should a server keep a message whose
            # reply we never saw, the copy sent on retry is recognisably the same one.
            headers={"Message-ID": f"<alerts-{message.reference}@{domain or 'localhost'}>"},
            connection=get_connection(fail_silently=False),
        )
        email.attach_alternative(message.html, "text/html")
        email.send(fail_silently=False)
        return "sent"


class NotifyChannel:
    """GOV.UK Notify. It has no idempotency key, so every message carries the delivery's
    reference, and a retry first asks Notify whether that reference already went out."""

    name = Channel.NOTIFY

    def __init__(self) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            conf.get("NOTIFY_API_KEY"),
            base_url=conf.get("NOTIFY_BASE_URL"),
            timeout=int(conf.get("NOTIFY_TIMEOUT_SECONDS")),
        )
        self.template_id = conf.get("NOTIFY_TEMPLATE_ID")

    def already_sent(self, reference: str) -> bool:
        found = self.client.get_all_notifications(reference=reference).get("notifications", [])
        return any(n.get("status") not in NOTIFY_FAILED for n in found)

    def send(self, message: Message, *, resend: bool) -> str:
        from notifications_python_client.errors import HTTPError

        if not message.to:
            raise PermanentFailure("The person has no email address.")
        if resend and self.already_sent(message.reference):
            return "already sent"
        try:
            self.client.send_email_notification(
                email_address=message.to,
                template_id=self.template_id,
                personalisation={"subject": message.subject, "body": message.text},
                reference=message.reference,
            )
        except HTTPError as exc:
            # 400 and 403 are about this request (an address Notify refuses, a bad key or
            # template): the same request will be refused again.
            if exc.status_code in (400, 403):
                raise PermanentFailure(
                    f"GOV.UK Notify refused the message ({exc.status_code})."
                ) from exc
            raise
        return "sent"


def current() -> AlertChannel:
    if conf.get("ALERTS_CHANNEL") == Channel.NOTIFY:
        return NotifyChannel()
    return EmailChannel()
