"""The identifiers of the alerts app: levels, why someone is told, delivery states, and
which milestones are the legal team's (docs/alerts.md explains the choice)."""

from __future__ import annotations

from django.db import models

from legaltracker.deadlines.choices import Milestone


class Level(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    ESCALATED = "escalated", "Overdue and escalated"


class Reason(models.TextChoices):
    """Why a person is on an alert: shown in the digest so they know why they got it."""

    LEGAL = "legal", "the legal team"
    # The court record's people (docs/alerts.md, "Court directions and draft orders").
    DEADLINE_OWNER = "deadline_owner", "the direction's owner"
    CASE_LAWYER = "case_lawyer", "the case's lawyer"
    NO_CASE_LAWYER = "no_case_lawyer", "the legal team (the case has no allocated lawyer)"
    SOCIAL_WORKER = "social_worker", "the case's social worker"
    TEAM_MANAGER = "team_manager", "a manager of the case's team"
    HEAD_OF_SERVICE = "head_of_service", "head of service"


class AlertMode(models.TextChoices):
    DIGEST = "digest", "One email a day listing everything new"
    DIGEST_AND_IMMEDIATE = (
        "digest_and_immediate",
        "The daily email, and a separate email for each item as it becomes overdue",
    )


class DeliveryKind(models.TextChoices):
    DIGEST = "digest", "Daily digest"
    IMMEDIATE = "immediate", "Overdue alert"
    # The next working day's hearings, draft orders and directions (docs/alerts.md,
    # "The court digest"): one per person per day, made by the daily run.
    COURT_DIGEST = "court_digest", "Court digest"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent yet"
    DISMISSED = "dismissed", "Dismissed"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    NOTIFY = "notify", "GOV.UK Notify"


# The legal team hears about the milestones a lawyer acts on or attends: the gateway
# (a lawyer advises), the letter before proceedings and the initial meeting (a lawyer
# approves the letter and attends the meeting), the pre-proceedings decision point, and
# every court milestone. Review meetings, the FGDM offer (part of the letter, which is
# already here), management oversight and assessment currency are the team's own work.
LEGAL_MILESTONES = frozenset(
    {
        Milestone.GATEWAY_MEETING,
        Milestone.LETTER_BEFORE_PROCEEDINGS,
        Milestone.INITIAL_MEETING,
        Milestone.PRE_PROCEEDINGS_DECISION,
        Milestone.LETTER_OF_ISSUE,
        Milestone.APPLICATION_ISSUED,
        Milestone.SERVICE_ON_PARTIES,
        Milestone.ADVOCATES_MEETING,
        Milestone.CASE_MANAGEMENT_HEARING,
        Milestone.ISSUES_RESOLUTION_HEARING,
        Milestone.FINAL_ORDER,
    }
)

# The court record's own deadlines (docs/court.md): the draft order after a held hearing
# and each council direction. They are the allocated lawyer's to see through, not every
# lawyer's: the legal team as a whole hears of them only while a case has no lawyer.
COURT_MILESTONES = frozenset({Milestone.DRAFT_ORDER, Milestone.COURT_DIRECTION})
