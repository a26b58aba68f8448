"""Emails about extension requests (docs/alerts.md, "Extension requests"): each head of
service who may decide is told when a team manager asks, and the requester is told the
outcome. Sent once, straight after the change commits, through the alert channel; a
failed email is logged and not retried, since the request also waits, counted, under
Approvals in every head of service's navigation until it is decided.

Like the digests, these emails carry the case's reference and staff names, never the
names of children or adults.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html, linebreaks

from legaltracker.cases import permissions
from legaltracker.cases.models import ExtensionRequest
from legaltracker.cases.transitions import TRANSITIONS

from . import channels, conf
from .messages import Message

logger = logging.getLogger(__name__)


def _deciders(request: ExtensionRequest) -> list[Any]:
    roles = TRANSITIONS["extend_pre_proceedings"].approvers
    people = get_user_model().objects.filter(is_active=True, role__in=roles).exclude(email="")
    return [
        p
        for p in people.order_by("id")
        if permissions.may_decide_extension_request(request.case, p)
        and permissions.can_view_case(p, request.case)
    ]


def _message(request: ExtensionRequest, person: Any, change: str) -> Message:
    reference = request.case.reference or f"Case {request.case_id}"
    site = conf.site_url()
    page = f"{site}{reverse('casework:extension_request', args=[request.pk])}"
    asked = (
        f"{request.requested_by.display_name} asked to extend pre-proceedings on {reference} "
        f"from {request.previous_end:%d %B %Y} to {request.new_end:%d %B %Y}."
    )
    if change == "requested":
        subject = f"{reference}: a pre-proceedings extension is waiting for your decision"
        lines = [
            asked,
            f"Approve or decline it: {page}",
            f"Everything waiting for you: {site}{reverse('web:approvals')}",
        ]
    else:
        who = request.decided_by.display_name if request.decided_by else "A head of service"
        subject = f"{reference}: your pre-proceedings extension request was {change}"
        lines = [asked, f"{who} {change} it."]
        if request.decision_reason:
            lines.append(f"Reason: {request.decision_reason}")
        lines.append(f"The request: {page}")
    text = "\n\n".join(lines)
    html = format_html("<div>{}</div>", linebreaks(text, autoescape=True))
    return Message(
        to=person.email,
        subject=subject,
        text=text,
        html=html,
        reference=f"extension-request-{request.pk}-{change}-{person.pk}",
    )


def extension_request_changed(sender: Any, request_id: int, change: str, **kwargs: Any) -> None:
    """Receiver of `cases.signals.extension_request_changed` (after commit)."""
    request = (
        ExtensionRequest.objects.select_related("case", "requested_by", "decided_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return
    if change == "requested":
        people = _deciders(request)
    elif change in ("approved", "declined"):
        people = [request.requested_by] if request.requested_by.email else []
    else:
        return
    channel = channels.current()
    for person in people:
        try:
            channel.send(_message(request, person, change), resend=False)
        except Exception:  # an email is a courtesy here: the queue and the case page stay
            logger.warning(
                "extension request email not sent",
                extra={"extension_request": request.pk, "user_id": person.pk, "change": change},
                exc_info=True,
            )
