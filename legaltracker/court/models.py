"""The council's record of care proceedings (docs/court.md): the court and judge, who
represents whom, the hearings with their own small state machine, the court's directions
and their filing deadlines, the experts, and each child's 26 weeks.

Everything is written by `court.services` alone, in the case's transaction (case row
locked, audit row appended, deadlines recomputed).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .choices import (
    AdvocateKind,
    DirectionOwnerRole,
    DirectionParty,
    DirectionStatus,
    DraftOrderBy,
    ExpertType,
    GuardianService,
    HearingKind,
    HearingMode,
    HearingStatus,
    InternationalElement,
    JudgeLevel,
)


class CourtCentre(models.Model):
    """A family court of England and Wales: seeded from HMCTS's public list (docs/court.md,
    "Court centres"), editable by an administrator."""

    code = models.CharField(max_length=10, unique=True, help_text="HMCTS's court code")
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=60, blank=True)
    active = models.BooleanField(default=True, help_text="Offered when choosing a court")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Proceedings(models.Model):
    """The case's proceedings: one per case, from the decision to issue. The court's case
    number is the case's `court_reference` (so that the search finds it)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="proceedings")
    court_centre = models.ForeignKey(
        CourtCentre, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    judge_level = models.CharField(max_length=20, choices=JudgeLevel.choices, blank=True)
    judge_name = models.CharField(max_length=200, blank=True)
    guardian_service = models.CharField(max_length=20, choices=GuardianService.choices, blank=True)
    guardian_name = models.CharField(max_length=200, blank=True)
    children_solicitor_firm = models.CharField(max_length=200, blank=True)
    children_solicitor_name = models.CharField(max_length=200, blank=True)
    children_solicitor_phone = models.CharField(max_length=40, blank=True)
    children_solicitor_email = models.EmailField(blank=True)
    advocate_kind = models.CharField(max_length=20, choices=AdvocateKind.choices, blank=True)
    advocate_name = models.CharField(max_length=200, blank=True)
    # What the application asks for, for the application pack: the orders sought (a list
    # of choices.OrderSought values) and whether the case has an international element.
    orders_sought = models.JSONField(default=list, blank=True)
    international_element = models.CharField(
        max_length=3, choices=InternationalElement.choices, blank=True
    )
    international_details = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "proceedings"

    def __str__(self) -> str:
        return f"Proceedings of case {self.case_id}"


class Representation(models.Model):
    """Whether an adult party is represented, and by whom."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    adult = models.OneToOneField(
        "cases.Adult", on_delete=models.CASCADE, related_name="representation"
    )
    represented = models.BooleanField(default=False)
    firm = models.CharField(max_length=200, blank=True)
    solicitor_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Representation of adult {self.adult_id}"


class Hearing(ConcurrentTransitionMixin, models.Model):
    """A hearing with a life: listed, then held, adjourned or vacated (docs/court.md,
    "Hearing statuses"). The transitions below only change fields in memory;
    `court.services` locks, checks, saves and audits."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="hearings")
    # The hearing's number on its case (1, 2, ...): the cycle of its draft order deadline.
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=40, choices=HearingKind.choices)
    starts_at = models.DateTimeField(help_text="Date and time, Europe/London")
    time_estimate_minutes = models.PositiveIntegerField(default=60)
    court_centre = models.ForeignKey(
        CourtCentre, null=True, blank=True, on_delete=models.PROTECT, related_name="hearings"
    )
    courtroom = models.CharField(max_length=100, blank=True)
    mode = models.CharField(
        max_length=20, choices=HearingMode.choices, default=HearingMode.IN_PERSON
    )
    judge_name = models.CharField(max_length=200, blank=True)
    listed_on = models.DateField(help_text="The day the court listed it")
    status = FSMField(
        max_length=20, choices=HearingStatus.choices, default=HearingStatus.LISTED, protected=True
    )
    # Adjourned or vacated: HMCTS's reason code and our words.
    reason_code = models.CharField(max_length=10, blank=True)
    reason_text = models.TextField(blank=True)
    relisted_as = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="relisted_from"
    )
    # Held: what the court ordered, and the draft order.
    orders_made = models.JSONField(default=list, blank=True)
    outcome_notes = models.TextField(blank=True)
    draft_order_by = models.CharField(max_length=20, choices=DraftOrderBy.choices, blank=True)
    draft_order_due = models.DateField(null=True, blank=True)
    draft_order_sent_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="hearing_case_number"),
        ]
        indexes = [
            # The court diary and the board's next hearing read hearings by time.
            models.Index(fields=["starts_at"], name="hearing_starts_at"),
            models.Index(fields=["case", "status", "starts_at"], name="hearing_case_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.starts_at:%d %B %Y}"

    @transition(field=status, source=HearingStatus.LISTED, target=HearingStatus.HELD)
    def hold(self, **outcome: Any) -> None:
        for name, value in outcome.items():
            setattr(self, name, value)

    @transition(field=status, source=HearingStatus.LISTED, target=HearingStatus.ADJOURNED)
    def adjourn(self, *, reason_code: str, reason_text: str) -> None:
        self.reason_code, self.reason_text = reason_code, reason_text

    @transition(field=status, source=HearingStatus.LISTED, target=HearingStatus.VACATED)
    def vacate(self, *, reason_code: str, reason_text: str) -> None:
        self.reason_code, self.reason_text = reason_code, reason_text


class StandardDirection(models.Model):
    """A council's standard direction, added to a case in one go with its date."""

    text = models.CharField(max_length=500)
    party = models.CharField(
        max_length=20, choices=DirectionParty.choices, default=DirectionParty.COUNCIL
    )
    owner_role = models.CharField(
        max_length=20, choices=DirectionOwnerRole.choices, default=DirectionOwnerRole.SOCIAL_WORKER
    )
    weeks_after_hearing = models.PositiveSmallIntegerField(
        default=4, help_text="Default due date: this many weeks after the hearing"
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Direction(models.Model):
    """One direction of a case management order: what, by whom, by when, and where it
    stands. A council direction is a deadline (docs/court.md, "Directions")."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="directions")
    # The direction's number on its case: the cycle of its deadline.
    number = models.PositiveSmallIntegerField()
    hearing = models.ForeignKey(
        Hearing, null=True, blank=True, on_delete=models.PROTECT, related_name="directions"
    )
    text = models.TextField()
    party = models.CharField(max_length=20, choices=DirectionParty.choices)
    party_name = models.CharField(max_length=200, blank=True)
    made_on = models.DateField()
    due_on = models.DateField(help_text="The date it is due now (the new date once extended)")
    original_due_on = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_directions",
        help_text="Who at the council does it (council directions)",
    )
    status = models.CharField(
        max_length=20, choices=DirectionStatus.choices, default=DirectionStatus.OUTSTANDING
    )
    filed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="direction_case_number"),
        ]
        indexes = [models.Index(fields=["case", "status", "due_on"], name="direction_case_due")]

    def __str__(self) -> str:
        return f"Direction {self.number} of case {self.case_id}"


class ExpertAssessment(models.Model):
    """A Part 25 expert assessment."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="expert_assessments"
    )
    assessment_type = models.CharField(max_length=40, choices=ExpertType.choices)
    expert = models.CharField(max_length=200)
    applied_on = models.DateField(null=True, blank=True)
    granted_on = models.DateField(null=True, blank=True)
    instructed_on = models.DateField(null=True, blank=True)
    report_due_on = models.DateField(null=True, blank=True)
    report_received_on = models.DateField(null=True, blank=True)
    done_in_pre_proceedings = models.BooleanField(
        default=False,
        help_text="An assessment of the same type was done in pre-proceedings (a repeat)",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["applied_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_assessment_type_display()} by {self.expert}"


class ChildTimetable(models.Model):
    """A child's own 26 weeks: from the day they joined the application (a baby born
    during proceedings joins later than the issue)."""

    child = models.OneToOneField("cases.Child", on_delete=models.CASCADE, related_name="timetable")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    issued_on = models.DateField()

    def __str__(self) -> str:
        return f"Timetable of child {self.child_id} from {self.issued_on}"


class TimetableExtension(models.Model):
    """An extension of the 26 weeks for the children it names (at most 8 weeks at a time,
    s.32(5) Children Act 1989)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="timetable_extensions"
    )
    children = models.ManyToManyField("cases.Child", related_name="timetable_extensions")
    weeks = models.PositiveSmallIntegerField()
    decided_on = models.DateField()
    reasons = models.TextField()
    judge_name = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.weeks}-week extension on {self.decided_on}"
