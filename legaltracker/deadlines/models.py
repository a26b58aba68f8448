"""The timescale policy (editable in the admin) and the deadline rows kept in step with
each case's recorded events and transitions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .choices import Milestone
from .rules import Timescales

# The shipped policy is written once, as the pure rules' defaults.
DEFAULTS = Timescales()


class TimescalePolicy(models.Model):
    """The LA's timescales (docs/domain/milestones.md). One row; its defaults are
    `rules.Timescales()`, the shipped policy."""

    gateway_meeting_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.gateway_meeting_working_days
    )
    letter_before_proceedings_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.letter_before_proceedings_working_days
    )
    initial_meeting_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.initial_meeting_working_days
    )
    initial_meeting_notice_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.initial_meeting_notice_working_days,
        help_text="Not before: notice for parents to find a solicitor",
    )
    review_meeting_weeks = models.PositiveSmallIntegerField(default=DEFAULTS.review_meeting_weeks)
    pre_proceedings_decision_weeks = models.PositiveSmallIntegerField(
        default=DEFAULTS.pre_proceedings_decision_weeks
    )
    pre_proceedings_amber_weeks = models.PositiveSmallIntegerField(
        default=DEFAULTS.pre_proceedings_amber_weeks
    )
    pre_proceedings_extension_max_weeks = models.PositiveSmallIntegerField(
        default=DEFAULTS.pre_proceedings_extension_max_weeks,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text="Local policy: each pre-proceedings extension at most this many weeks "
        "past the current decision date (docs/domain/milestones.md)",
    )
    letter_of_issue_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.letter_of_issue_working_days
    )
    application_issued_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.application_issued_working_days
    )
    application_issued_urgent_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.application_issued_urgent_working_days
    )
    service_on_parties_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.service_on_parties_working_days
    )
    advocates_meeting_working_days_before = models.PositiveSmallIntegerField(
        default=DEFAULTS.advocates_meeting_working_days_before
    )
    case_management_hearing_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.case_management_hearing_working_days,
        help_text="Day 18 is 17 working days after Day 1 (PD12A)",
    )
    case_management_hearing_earliest_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.case_management_hearing_earliest_working_days,
        help_text="Not before day 12",
    )
    issues_resolution_hearing_weeks = models.PositiveSmallIntegerField(
        default=DEFAULTS.issues_resolution_hearing_weeks
    )
    final_order_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.final_order_days, help_text="26 weeks: s32(1)(a) Children Act 1989"
    )
    timetable_extension_max_weeks = models.PositiveSmallIntegerField(
        default=DEFAULTS.timetable_extension_max_weeks,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text="s32(5): each extension at most 8 weeks",
    )
    draft_order_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.draft_order_working_days,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="The draft order after a hearing is due this many working days after it",
    )
    management_oversight_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.management_oversight_working_days
    )
    assessment_currency_months = models.PositiveSmallIntegerField(
        default=DEFAULTS.assessment_currency_months
    )
    due_soon_working_days = models.PositiveSmallIntegerField(default=DEFAULTS.due_soon_working_days)
    escalation_working_days = models.PositiveSmallIntegerField(
        default=DEFAULTS.escalation_working_days,
        help_text="Overdue items go to the head of service after this many days",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "timescale policy"
        verbose_name_plural = "timescale policy"

    def __str__(self) -> str:
        return "Timescale policy"

    @classmethod
    def current(cls) -> TimescalePolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    def outstanding(self) -> DeadlineQuerySet:
        return self.filter(applies=True, met_on__isnull=True)


class Deadline(models.Model):
    """One occurrence of a milestone on a case. Recurring milestones (reviews, oversight,
    assessment currency) have one row per cycle. Due dates do not depend on today; the
    status (due soon, overdue, ...) is computed when read."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    milestone = models.CharField(max_length=40, choices=Milestone.choices)
    cycle = models.PositiveSmallIntegerField(default=1)
    starts_from = models.DateField()
    due = models.DateField()
    not_before = models.DateField(null=True, blank=True)
    met_on = models.DateField(null=True, blank=True)
    applies = models.BooleanField(default=True)
    # Who at the council does it, when the rules know (a council direction's owner): the
    # alert scan tells them (docs/alerts.md, "Court directions and draft orders"). Copied
    # from a row the database already checks (court.Direction.owner) by the same
    # transaction, so no second check here, and no index: nothing looks deadlines up by
    # their owner.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "milestone", "cycle"], name="deadline_case_milestone_cycle"
            )
        ]
        indexes = [
            # The daily alert scan and the board's "overdue" read outstanding rows by date.
            models.Index(
                fields=["due"],
                name="deadline_outstanding_due",
                condition=Q(applies=True, met_on__isnull=True),
            ),
            # The board's next deadline per case: outstanding rows of one case in due
            # order, so closed cases' history (all met or not applying) is never read.
            models.Index(
                fields=["case", "due", "id"],
                name="deadline_case_outstanding",
                condition=Q(applies=True, met_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} #{self.cycle} due {self.due}"
