"""The case: one episode of legal planning for one family, and what happened in it.

The stage is a django-fsm-2 field that nothing but a transition can change; the
transition methods below only change fields in memory. `services.case_transition` is the
one place that locks the row, checks guards and permissions, saves and writes the audit
event (house style: "a transition has one shape").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from . import guards, permissions
from .choices import (
    CLOSE_OUTCOMES,
    FINAL_ORDER_OUTCOMES,
    OPEN_STAGES,
    AttendeeRole,
    CaseEventKind,
    CorrespondenceLanguage,
    EventKind,
    ExtensionKind,
    ExtensionRequestStatus,
    Outcome,
    Relationship,
    Stage,
    StepDownTo,
    ThresholdView,
    Transition,
)


class Family(models.Model):
    """Links the episodes of one family so that earlier ones stay visible."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"Family {self.pk}"


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(stage=Stage.CLOSED)

    def closed(self) -> CaseQuerySet:
        return self.filter(stage=Stage.CLOSED)

    def visible_to(self, user: Any) -> CaseQuerySet:
        return permissions.filter_visible_cases(self, user)  # type: ignore[return-value]


class Case(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(max_length=32, unique=True, null=True, blank=True)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="cases")
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    stage = FSMField(
        max_length=32, choices=Stage.choices, default=Stage.CONCERN, protected=True, db_index=True
    )
    outcome = models.CharField(max_length=40, choices=Outcome.choices, blank=True)
    urgent = models.BooleanField(default=False, help_text="Short-notice issue")
    unborn_baby = models.BooleanField(default=False)

    opened_on = models.DateField()
    stage_entered_on = models.DateField()
    referred_on = models.DateField(null=True, blank=True)
    pre_proceedings_started_on = models.DateField(null=True, blank=True)
    issue_decided_on = models.DateField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    court_reference = models.CharField(max_length=64, blank=True)
    # The council lawyer who has the case (a user with the `legal` role), for the lawyer
    # filters on the board and the reports (docs/census.md).
    allocated_lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lawyer_cases",
        limit_choices_to={"role": "legal"},
    )
    short_notice_reason = models.TextField(blank=True)
    fgdm_exception_reason = models.TextField(
        blank=True,
        help_text="Why a family group decision-making meeting is not in the "
        "child's best interests before issue (s31ZA exception)",
    )
    step_down_to = models.CharField(max_length=40, choices=StepDownTo.choices, blank=True)
    # The reference, the court case number, the people's names and the children's LA child
    # ids, folded, for the search (`cases/search.py`, which alone writes it); on PostgreSQL
    # the open cases' text has a trigram index for the board (migration 0004) and every
    # case's text one for "Find a case" (0006), outside `Meta.indexes` because SQLite has
    # no such index.
    search_text = models.TextField(blank=True, default="", editable=False)

    # Bumped by every write through the services: a second person acting on a copy
    # read before the first person's change is told the case changed (409).
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()
    # Not a column: set on a social worker's list of cases (web.selectors.social_worker_work).
    weeks_in_stage: float | None
    # Not a column: My work's next step (web.next_steps.NextStep or None), set there too.
    next_step: object

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["team", "stage"], name="case_team_stage"),
            models.Index(fields=["stage", "stage_entered_on"], name="case_stage_entered"),
        ]

    def __str__(self) -> str:
        return self.reference or f"Case {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    # --- transitions: verbs of the legal domain; they only change fields in memory ---
    # `date` is the date the decision or event happened; the service validates it. Each
    # method is named after its `Transition`; the rest of what a transition is (values,
    # side records, roles) is its spec in transitions.py.

    @transition(
        field=stage,
        source=Stage.CONCERN,
        target=Stage.LEGAL_GATEWAY,
        permission=permissions.transition_permission(Transition.REFER_TO_GATEWAY),
        custom={"label": Transition.REFER_TO_GATEWAY.label},
    )
    def refer_to_gateway(self, *, date: dt.date) -> None:
        self.referred_on = date

    @transition(
        field=stage,
        source=Stage.LEGAL_GATEWAY,
        target=Stage.CLOSED,
        permission=permissions.transition_permission(Transition.GATEWAY_CONTINUE_PLAN),
        custom={"label": Transition.GATEWAY_CONTINUE_PLAN.label},
    )
    def gateway_continue_plan(self, *, date: dt.date) -> None:
        self.outcome = Outcome.CONTINUE_PLAN
        self.closed_on = date

    @transition(
        field=stage,
        source=Stage.LEGAL_GATEWAY,
        target=Stage.PRE_PROCEEDINGS,
        permission=permissions.transition_permission(Transition.GATEWAY_ENTER_PRE_PROCEEDINGS),
        custom={"label": Transition.GATEWAY_ENTER_PRE_PROCEEDINGS.label},
    )
    def gateway_enter_pre_proceedings(self, *, date: dt.date) -> None:
        self.pre_proceedings_started_on = date

    @transition(
        field=stage,
        source=Stage.LEGAL_GATEWAY,
        target=Stage.ISSUE,
        permission=permissions.transition_permission(Transition.GATEWAY_ISSUE),
        custom={"label": Transition.GATEWAY_ISSUE.label},
    )
    def gateway_issue(self, *, date: dt.date, urgent: bool = False, reason: str = "") -> None:
        self.issue_decided_on = date
        self.urgent = urgent
        self.short_notice_reason = reason if urgent else ""

    @transition(
        field=stage,
        source=Stage.PRE_PROCEEDINGS,
        target=Stage.PRE_PROCEEDINGS,
        permission=permissions.transition_permission(Transition.EXTEND_PRE_PROCEEDINGS),
        custom={"label": Transition.EXTEND_PRE_PROCEEDINGS.label},
    )
    def extend_pre_proceedings(self, *, date: dt.date) -> None:
        """The extension itself is an `Extension` row written by the service."""

    @transition(
        field=stage,
        source=Stage.PRE_PROCEEDINGS,
        target=Stage.CLOSED,
        conditions=[guards.assessment_current],
        permission=permissions.transition_permission(Transition.STEP_DOWN),
        custom={"label": Transition.STEP_DOWN.label},
    )
    def step_down(self, *, date: dt.date, step_down_to: str) -> None:
        self.outcome = Outcome.STEPPED_DOWN
        self.step_down_to = step_down_to
        self.closed_on = date

    @transition(
        field=stage,
        source=Stage.PRE_PROCEEDINGS,
        target=Stage.LEGAL_GATEWAY,
        permission=permissions.transition_permission(Transition.ESCALATE_TO_GATEWAY),
        custom={"label": Transition.ESCALATE_TO_GATEWAY.label},
    )
    def escalate_to_gateway(self, *, date: dt.date) -> None:
        self.referred_on = date

    @transition(
        field=stage,
        source=Stage.ISSUE,
        target=Stage.PROCEEDINGS,
        conditions=[guards.day1_checklist_complete, guards.fgdm_duty_satisfied],
        permission=permissions.transition_permission(Transition.ISSUE_PROCEEDINGS),
        custom={"label": Transition.ISSUE_PROCEEDINGS.label},
    )
    def issue_proceedings(self, *, date: dt.date, court_reference: str) -> None:
        self.issued_on = date
        self.court_reference = court_reference

    @transition(
        field=stage,
        source=Stage.PROCEEDINGS,
        target=Stage.PROCEEDINGS,
        permission=permissions.transition_permission(Transition.EXTEND_TIMETABLE),
        custom={"label": Transition.EXTEND_TIMETABLE.label},
    )
    def extend_timetable(self, *, date: dt.date) -> None:
        """The extension itself is an `Extension` row written by the service."""

    @transition(
        field=stage,
        source=Stage.PROCEEDINGS,
        target=Stage.CLOSED,
        permission=permissions.transition_permission(Transition.CONCLUDE_PROCEEDINGS),
        custom={"label": Transition.CONCLUDE_PROCEEDINGS.label},
    )
    def conclude_proceedings(self, *, date: dt.date, outcome: str) -> None:
        assert outcome in FINAL_ORDER_OUTCOMES
        self.outcome = outcome
        self.closed_on = date

    @transition(
        field=stage,
        source=OPEN_STAGES,
        target=Stage.CLOSED,
        permission=permissions.transition_permission(Transition.CLOSE),
        custom={"label": Transition.CLOSE.label},
    )
    def close(self, *, date: dt.date, outcome: str) -> None:
        assert outcome in CLOSE_OUTCOMES
        self.outcome = outcome
        self.closed_on = date


class Child(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True, help_text="For an unborn baby")
    # The id the council's main case system gives the child (its census return's LAchildID):
    # at most 10 characters; searchable (docs/decisions.md, "Finding any case").
    la_child_id = models.CharField(
        "LA child identifier", max_length=10, blank=True, help_text="At most 10 characters"
    )
    # The census identifiers (docs/census.md): the unique pupil number, checked by its
    # check letter (`core/upn.py`), and the CIN episode the child's pre-proceedings
    # block belongs to: the referral date, and the main case system's episode id.
    upn = models.CharField("UPN", max_length=13, blank=True, help_text="Unique pupil number")
    cin_referral_date = models.DateField("CIN referral date", null=True, blank=True)
    cin_episode_id = models.CharField("CIN episode id", max_length=20, blank=True)

    class Meta:
        ordering = ["date_of_birth", "id"]
        verbose_name_plural = "children"
        # "Find a case" by a date of birth (cases/search.py, `find_cases`).
        indexes = [
            models.Index(fields=["date_of_birth"], name="child_born_on"),
            models.Index(fields=["expected_date_of_birth"], name="child_expected_on"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Adult(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="adults")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    relationship = models.CharField(max_length=40, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=False)
    address = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_language = models.CharField(max_length=60, blank=True, default="English")
    interpreter_needed = models.BooleanField(default=False)
    advocate_needed = models.BooleanField(default=False)
    has_solicitor = models.BooleanField(null=True, blank=True)
    # How letters reach them: the language they are written in (another language has no
    # template: the English letter goes with a translation request), and format needs.
    correspondence_language = models.CharField(
        max_length=10,
        choices=CorrespondenceLanguage.choices,
        default=CorrespondenceLanguage.ENGLISH,
    )
    correspondence_language_other = models.CharField(
        max_length=60, blank=True, help_text="The language, when it is neither English nor Welsh"
    )
    easy_read = models.BooleanField(default=False, help_text="Letters in easy read")
    large_print = models.BooleanField(default=False, help_text="Letters in large print")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class RecordedEventQuerySet(models.QuerySet["RecordedEvent"]):
    def of_kind(self, *kinds: str) -> RecordedEventQuerySet:
        return self.filter(kind__in=kinds)

    def initial_meetings_held(self) -> RecordedEventQuerySet:
        """The initial meetings that went ahead as pre-proceedings meetings: those answered
        yes, and those recorded before the question was asked (docs/decisions.md, 154)."""
        return self.filter(kind=EventKind.INITIAL_MEETING_HELD).filter(
            ~models.Q(details__has_key="effective") | models.Q(details__effective=True)
        )


class RecordedEvent(models.Model):
    """Something that happened on a case, on a date: meetings, assessments, oversight,
    changes of circumstances, FGDM, letters sent, Day 1 documents, hearings, notes.

    Deadlines are computed from these dates. A date can be corrected (the change is in
    the audit trail and the deadlines follow it); the row is never deleted.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recorded_events")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    date = models.DateField()
    summary = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordedEventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["case", "kind", "date"], name="event_case_kind_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%d %B %Y}"


class GatewayDecision(models.Model):
    """The record of a legal gateway meeting's decision."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="gateway_decisions")
    transition = models.CharField(max_length=40)
    meeting_date = models.DateField()
    attendees = models.JSONField(help_text='[{"name": "...", "role": "legal"}, ...]')
    threshold_view = models.CharField(max_length=20, choices=ThresholdView.choices)
    reasons = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_date", "id"]

    def __str__(self) -> str:
        return f"Gateway decision {self.transition} on {self.meeting_date}"

    @staticmethod
    def attendee_roles() -> list[str]:
        return list(AttendeeRole.values)


class Day1ChecklistItem(models.Model):
    """A document of the Day 1 checklist: what must be ready before the application is
    issued. The council keeps the list in the admin to follow its court's local practice
    (docs/decisions.md, "The Day 1 checklist"); the guard before issue requires every
    active item. A "document ready" event names its item by `code`, so an item in use is
    switched off (`active`), never deleted or renamed in code."""

    code = models.SlugField(max_length=60, unique=True, help_text="Kept on recorded events")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Required before issue")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "Day 1 checklist item"

    def __str__(self) -> str:
        return self.label


class Extension(models.Model):
    """An extension of pre-proceedings or of the court timetable; kept in the history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    kind = models.CharField(max_length=20, choices=ExtensionKind.choices)
    decided_on = models.DateField()
    previous_end = models.DateField()
    new_end = models.DateField()
    reason = models.TextField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.new_end}"


class ExtensionRequest(models.Model):
    """A team manager's request to extend pre-proceedings, decided by a head of service
    (docs/domain/roles.md). Approving it takes the `extend_pre_proceedings` transition with
    the deciding head of service as the approver; the `Extension` it made is linked here.
    Written only by `cases.services`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    kind = models.CharField(
        max_length=20, choices=ExtensionKind.choices, default=ExtensionKind.PRE_PROCEEDINGS
    )
    status = models.CharField(
        max_length=20,
        choices=ExtensionRequestStatus.choices,
        default=ExtensionRequestStatus.PENDING,
    )
    previous_end = models.DateField(help_text="The decision date when the request was made")
    new_end = models.DateField(help_text="The date the extension would run to")
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who approved, declined or withdrew it",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    extension = models.OneToOneField(
        Extension,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request",
        help_text="The extension its approval made",
    )

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="one_pending_extension_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Extension request {self.pk} of case {self.case_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == ExtensionRequestStatus.PENDING


class AppendOnlyQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only: it cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only: it cannot be deleted.")


class CaseEvent(models.Model):
    """The audit trail: who did what to a case, when and why. Written only by services;
    never edited or deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    action = models.CharField(max_length=40, choices=CaseEventKind.choices)
    from_stage = models.CharField(max_length=32, blank=True)
    to_stage = models.CharField(max_length=32, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    # HMAC of this row and the case's previous row (legaltracker/audit/chain.py); empty on
    # rows written before the chain existed. `db_default` so that raw inserts still work
    # (and are then reported by `manage.py audit_verify`).
    chain_hash = models.CharField(max_length=64, blank=True, default="", db_default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="audit_case_at")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only: a row cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only: a row cannot be deleted.")
