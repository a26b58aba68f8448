"""The table that turns the way a case left pre-proceedings into the census `PPOutcome`
code. The code set is not confirmed in public material, so an administrator keeps the
table in the admin, and a system check warns until each row is confirmed
(docs/census.md, "The outcome codes")."""

from __future__ import annotations

from django.db import models


class PreProceedingsEnding(models.TextChoices):
    """How pre-proceedings ended for an episode, as the tracker records it (the case's
    decision to issue, its `outcome` and its `step_down_to`)."""

    ISSUE_DECIDED = "issue_decided", "Decision to issue care proceedings"
    STEPPED_DOWN_CHILD_PROTECTION_PLAN = (
        "stepped_down_child_protection_plan",
        "Stepped down to a child protection plan",
    )
    STEPPED_DOWN_CHILD_IN_NEED_PLAN = (
        "stepped_down_child_in_need_plan",
        "Stepped down to a child in need plan",
    )
    STEPPED_DOWN_NO_FURTHER_ACTION = (
        "stepped_down_no_further_action",
        "Stepped down: case closed to children's services",
    )
    STEPPED_DOWN = "stepped_down", "Stepped down (where to not recorded)"
    CONTINUE_PLAN = "continue_plan", "Gateway decided to continue the current plan"
    WITHDRAWN = "withdrawn", "Case closed: withdrawn"
    TRANSFERRED_OUT = "transferred_out", "Case closed: transferred to another authority"
    OTHER = "other", "Case closed for another reason"


# The code set the draft validator accepts for PPOutcome (rule 9011).
VALID_OUTCOME_CODES = ("A", "B", "C")


class OutcomeCode(models.Model):
    """One ending of pre-proceedings and the census code it is reported as."""

    ending = models.CharField(max_length=40, choices=PreProceedingsEnding.choices, unique=True)
    code = models.CharField(
        "PPOutcome code",
        max_length=2,
        blank=True,
        help_text="The census code for this ending (the draft code set is A, B, C). "
        "Blank: the ending is not reported and each such child is listed as a problem.",
    )
    confirmed = models.BooleanField(
        default=False,
        help_text="Tick once the code is checked against the Department for Education's "
        "published guidance for the year.",
    )
    note = models.TextField(blank=True, help_text="Where the code comes from")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ending"]
        verbose_name = "pre-proceedings outcome code"

    def __str__(self) -> str:
        return f"{self.get_ending_display()}: {self.code or '(none)'}"
