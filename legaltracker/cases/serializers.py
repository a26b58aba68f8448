"""The shapes of the case endpoints of the JSON API v1: response bodies, and request bodies
for the schema.

Response serializers only render; they never write. Request serializers describe what
each operation accepts in the OpenAPI schema: the services parse and check the values
themselves (legaltracker.cases.inputs), so that the API and the web forms give the same
messages. Every value uses the identifiers of docs/domain/identifiers.md.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from legaltracker.cases import day1, services
from legaltracker.cases.choices import (
    CLOSE_OUTCOMES,
    FINAL_ORDER_OUTCOMES,
    AttendeeRole,
    CorrespondenceLanguage,
    EventKind,
    HearingType,
    Outcome,
    Relationship,
    StepDownTo,
    ThresholdView,
    Transition,
)
from legaltracker.cases.models import (
    Adult,
    Case,
    CaseEvent,
    Child,
    Extension,
    ExtensionRequest,
    GatewayDecision,
    RecordedEvent,
)
from legaltracker.deadlines.choices import DeadlineStatus, Rag
from legaltracker.deadlines.models import Deadline

TRANSITION_NAMES = Transition.values
# What conclude_proceedings and close accept (named in the schema by ENUM_NAME_OVERRIDES).
TRANSITION_OUTCOMES = [(str(o), o.label) for o in [*FINAL_ORDER_OUTCOMES, *CLOSE_OUTCOMES]]


class OptionalChoiceField(serializers.ChoiceField):
    """A choice stored as "" when there is none (an open case's outcome): rendered null."""

    def __init__(self, **kwargs: Any):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(value) if value else None


class OptionalEmailField(serializers.EmailField):
    """An email address stored as "" when there is none: rendered null, so that the
    schema's `format: email` holds for every value sent."""

    def __init__(self, **kwargs: Any):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(value) if value else None


# --- people ----------------------------------------------------------------------------


class ChildSerializer(serializers.ModelSerializer[Child]):
    class Meta:
        model = Child
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date_of_birth",
            "la_child_id",
            "upn",
            "cin_referral_date",
            "cin_episode_id",
        ]
        read_only_fields = fields


class AdultSerializer(serializers.ModelSerializer[Adult]):
    email = OptionalEmailField(help_text="null when the council has no email address")

    class Meta:
        model = Adult
        fields = [
            "id",
            "first_name",
            "last_name",
            "relationship",
            "parental_responsibility",
            "address",
            "email",
            "phone",
            "preferred_language",
            "interpreter_needed",
            "advocate_needed",
            "has_solicitor",
            "correspondence_language",
            "correspondence_language_other",
            "easy_read",
            "large_print",
        ]
        read_only_fields = fields


class AdultCommunicationSerializer(serializers.ModelSerializer[Adult]):
    """How letters reach an adult: their language and format needs."""

    class Meta:
        model = Adult
        fields = [
            "id",
            "correspondence_language",
            "correspondence_language_other",
            "easy_read",
            "large_print",
            "interpreter_needed",
            "preferred_language",
        ]
        read_only_fields = fields


class AdultCommunicationUpdateSerializer(serializers.Serializer[Any]):
    """Only the fields sent change."""

    correspondence_language = serializers.ChoiceField(
        choices=CorrespondenceLanguage.choices,
        required=False,
        help_text="The language of their letters; 'other' needs correspondence_language_other",
    )
    correspondence_language_other = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="The other language's name"
    )
    easy_read = serializers.BooleanField(required=False)
    large_print = serializers.BooleanField(required=False)
    interpreter_needed = serializers.BooleanField(required=False)
    preferred_language = serializers.CharField(
        required=False, max_length=60, help_text="The spoken language an interpreter is booked in"
    )
    version = serializers.IntegerField(
        required=False, help_text="The case version you read; a changed case answers 409"
    )


# --- what happened on a case -----------------------------------------------------------


class EventSerializer(serializers.ModelSerializer[RecordedEvent]):
    """A recorded event: something that happened, on the date it happened."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = RecordedEvent
        fields = [
            "id",
            "case",
            "kind",
            "date",
            "summary",
            "details",
            "recorded_by",
            "recorded_at",
            "updated_at",
        ]
        read_only_fields = fields


class EventWithVersionSerializer(EventSerializer):
    """An event as answered to the write that made it, with the case's new version so that
    the client can send it with its next change."""

    case_version = serializers.IntegerField(source="case.version", read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "case_version"]
        read_only_fields = fields


class DeadlineSerializer(serializers.ModelSerializer[Deadline]):
    status = serializers.ChoiceField(
        choices=DeadlineStatus.choices, read_only=True, help_text="Where it stands today"
    )

    class Meta:
        model = Deadline
        fields = ["milestone", "cycle", "starts_from", "due", "not_before", "status", "met_on"]
        read_only_fields = fields


class GatewayDecisionSerializer(serializers.ModelSerializer[GatewayDecision]):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = GatewayDecision
        fields = [
            "id",
            "transition",
            "meeting_date",
            "attendees",
            "threshold_view",
            "reasons",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer[Extension]):
    approved_by = serializers.CharField(source="approved_by.username", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = Extension
        fields = [
            "id",
            "kind",
            "decided_on",
            "previous_end",
            "new_end",
            "reason",
            "approved_by",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ExtensionRequestSerializer(serializers.ModelSerializer[ExtensionRequest]):
    """A team manager's request for a pre-proceedings extension and its decision
    (read only here: asked for and decided on the case's pages, decision 118)."""

    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None
    )
    extension = serializers.IntegerField(
        source="extension_id",
        read_only=True,
        allow_null=True,
        help_text="The extension its approval made; null unless approved",
    )

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "kind",
            "status",
            "previous_end",
            "new_end",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "extension",
        ]
        read_only_fields = fields


class EpisodeSerializer(serializers.ModelSerializer[Case]):
    """Another episode of the same family (earlier or later case)."""

    outcome = OptionalChoiceField(choices=Outcome.choices)

    class Meta:
        model = Case
        fields = ["id", "reference", "stage", "outcome", "opened_on"]
        read_only_fields = fields


class HistoryEntrySerializer(serializers.ModelSerializer[CaseEvent]):
    """One row of the audit trail: who did what, when, and why."""

    actor = serializers.CharField(
        source="actor.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "actor",
            "at",
            "action",
            "from_stage",
            "to_stage",
            "effective_date",
            "reasons",
            "details",
        ]
        read_only_fields = fields


# --- the case --------------------------------------------------------------------------


class CaseSummarySerializer(serializers.ModelSerializer[Case]):
    """A case in a list: no history, so that a page costs the same whatever it holds."""

    team = serializers.CharField(source="team.code", read_only=True, help_text="Team code")
    team_name = serializers.CharField(source="team.name", read_only=True)
    social_worker = serializers.CharField(
        source="social_worker.username", read_only=True, help_text="Username"
    )
    social_worker_name = serializers.CharField(source="social_worker.display_name", read_only=True)
    allocated_lawyer = serializers.IntegerField(
        source="allocated_lawyer_id",
        read_only=True,
        allow_null=True,
        help_text="The user id of the case's lawyer; null when none is allocated",
    )
    allocated_lawyer_name = serializers.CharField(
        source="allocated_lawyer.display_name", read_only=True, allow_null=True, default=None
    )
    rag = serializers.ChoiceField(choices=Rag.choices, read_only=True)
    outcome = OptionalChoiceField(
        choices=Outcome.choices, help_text="Set when the case is closed; null while open"
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "stage",
            "outcome",
            "rag",
            "version",
            "team",
            "team_name",
            "social_worker",
            "social_worker_name",
            "allocated_lawyer",
            "allocated_lawyer_name",
            "urgent",
            "unborn_baby",
            "opened_on",
            "stage_entered_on",
            "closed_on",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSummarySerializer):
    """A case with everything that happened on it. Expects the case from
    `selectors.case_detail` (prefetched, annotated `rag`) and the request in the context."""

    children = ChildSerializer(many=True, read_only=True)
    adults = AdultSerializer(many=True, read_only=True)
    available_transitions = serializers.SerializerMethodField(
        help_text=(
            "Transitions from this stage that the requesting user's role may do. A guard can "
            "still refuse one; it then says why."
        )
    )
    deadlines = DeadlineSerializer(many=True, read_only=True)
    events = EventSerializer(source="recorded_events", many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    extension_requests = ExtensionRequestSerializer(many=True, read_only=True)
    gateway_decisions = GatewayDecisionSerializer(many=True, read_only=True)
    step_down_to = OptionalChoiceField(choices=StepDownTo.choices)
    episodes = serializers.SerializerMethodField(
        help_text="Other episodes of the same family, newest first."
    )

    class Meta(CaseSummarySerializer.Meta):
        fields = [
            *CaseSummarySerializer.Meta.fields,
            "referred_on",
            "pre_proceedings_started_on",
            "issue_decided_on",
            "issued_on",
            "court_reference",
            "short_notice_reason",
            "fgdm_exception_reason",
            "step_down_to",
            "available_transitions",
            "children",
            "adults",
            "deadlines",
            "events",
            "extensions",
            "extension_requests",
            "gateway_decisions",
            "episodes",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=TRANSITION_NAMES))
    )
    def get_available_transitions(self, case: Case) -> list[str]:
        return services.available_transitions(case, self.context["request"].user)

    @extend_schema_field(EpisodeSerializer(many=True))
    def get_episodes(self, case: Case) -> list[dict[str, Any]]:
        # The selector prefetches the family's cases onto `family.episodes`.
        family_cases = getattr(case.family, "episodes", None)
        if family_cases is None:
            family_cases = case.family.cases.all()
        others = [c for c in family_cases if c.pk != case.pk]
        others.sort(key=lambda c: (c.opened_on, c.pk), reverse=True)
        # The stubs type `.data` as a ReturnDict whatever `many=`; with many=True it is a
        # ReturnList of dicts.
        return EpisodeSerializer(others, many=True).data  # type: ignore[return-value]


# --- request bodies (schema only: the services parse and check) -----------------------


class ChildInputSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField(required=False, help_text="Not in the future")
    expected_date_of_birth = serializers.DateField(required=False, help_text="Unborn baby")
    la_child_id = serializers.CharField(required=False, allow_blank=True, max_length=10)
    upn = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=13,
        help_text="Unique pupil number: 13 characters with the DfE check letter first",
    )
    cin_referral_date = serializers.DateField(required=False, help_text="Not in the future")
    cin_episode_id = serializers.CharField(required=False, allow_blank=True, max_length=20)


class AdultInputSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    parental_responsibility = serializers.BooleanField(default=False)
    address = serializers.CharField(required=False, max_length=1000)
    email = serializers.EmailField(required=False)
    phone = serializers.CharField(required=False, max_length=40)
    preferred_language = serializers.CharField(required=False, max_length=60)
    interpreter_needed = serializers.BooleanField(default=False)
    advocate_needed = serializers.BooleanField(default=False)


class CaseCreateSerializer(serializers.Serializer[Any]):
    team = serializers.CharField(help_text="Team code, e.g. north")
    social_worker = serializers.CharField(help_text="Username of a social worker in that team")
    children = ChildInputSerializer(many=True, help_text="At least one child")
    adults = AdultInputSerializer(many=True, required=False)
    unborn_baby = serializers.BooleanField(default=False)
    opened_on = serializers.DateField(required=False, help_text="Default: today")
    previous_case = serializers.IntegerField(
        required=False, help_text="Id of an earlier episode of the same family, to link them"
    )


class AttendeeSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=AttendeeRole.choices)


class TransitionSerializer(serializers.Serializer[Any]):
    """The values of every transition; each transition reads the ones it needs
    (legaltracker/cases/transitions.py) and ignores the rest."""

    date = serializers.DateField(
        help_text=(
            "The date the decision or event happened (not in the future, not before the case "
            "entered its stage)."
        )
    )
    version = serializers.IntegerField(
        required=False,
        help_text=(
            "The case version you read. If the case has changed since, the answer is 409. "
            "Default: the version when the request arrives."
        ),
    )
    confirm_non_working_day = serializers.BooleanField(
        required=False,
        help_text=(
            "true: a meeting, hearing or issue date on a weekend or bank holiday is meant. "
            "Without it such a date is refused (400) with the day named."
        ),
    )
    reasons = serializers.CharField(
        required=False,
        help_text=(
            "Why. Required by every transition except issue_proceedings and conclude_proceedings."
        ),
    )
    attendees = AttendeeSerializer(
        many=True,
        required=False,
        help_text=(
            "gateway_*: who attended the gateway meeting: at least a social worker, a manager "
            "or chair, and a lawyer."
        ),
    )
    threshold_view = serializers.ChoiceField(
        choices=ThresholdView.choices, required=False, help_text="gateway_*: required"
    )
    urgent = serializers.BooleanField(required=False, help_text="gateway_issue: short notice")
    short_notice_reason = serializers.CharField(
        required=False, help_text="gateway_issue: required when urgent"
    )
    approved_by = serializers.CharField(
        required=False,
        help_text=(
            "extend_pre_proceedings (a head of service) and extend_timetable (a head of service "
            "or a lawyer): the approver's username"
        ),
    )
    new_end_date = serializers.DateField(required=False, help_text="extend_*: required")
    step_down_to = serializers.ChoiceField(
        choices=StepDownTo.choices, required=False, help_text="step_down: required"
    )
    court_reference = serializers.CharField(
        required=False, max_length=64, help_text="issue_proceedings: required"
    )
    fgdm_exception_reason = serializers.CharField(
        required=False,
        help_text=(
            "issue_proceedings: why a family group decision-making meeting is not in the child's "
            "best interests before issue (s31ZA exception)"
        ),
    )
    outcome = serializers.ChoiceField(
        choices=TRANSITION_OUTCOMES,
        required=False,
        help_text=(
            "conclude_proceedings: the final order type; close: withdrawn, transferred_out or other"
        ),
    )


class LawyerAllocationSerializer(serializers.Serializer[Any]):
    allocated_lawyer = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        help_text="The user id of an active lawyer (role legal); null: no lawyer allocated",
    )
    reason = serializers.CharField(required=False, max_length=2000)
    version = serializers.IntegerField(
        required=False, help_text="The case version you read; 409 if it has changed since."
    )


# The Day 1 checklist is the council's (cases/day1.py): the codes are documented, not an
# enum, so that an item a council adds in the admin is accepted.
DAY1_HELP = (
    "The code of an active item of the council's Day 1 checklist (administration: Day 1 "
    "checklist items); as shipped: " + ", ".join(code for code, _ in day1.SHIPPED) + "."
)


class EventCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    date = serializers.DateField(help_text="The date it happened (not in the future)")
    summary = serializers.CharField(
        required=False,
        help_text=(
            "Required for management_oversight, change_of_circumstances, note and "
            "assessment_completed"
        ),
    )
    document = serializers.CharField(
        required=False, max_length=60, help_text="document_ready: required. " + DAY1_HELP
    )
    hearing_type = serializers.ChoiceField(
        choices=HearingType.choices, required=False, help_text="hearing_listed, hearing_held"
    )
    hearing_date = serializers.DateField(required=False, help_text="hearing_listed: required")
    effective = serializers.BooleanField(
        required=False,
        help_text=(
            "initial_meeting_held: required. Whether the meeting went ahead as a "
            "pre-proceedings meeting; false: it does not start the pre-proceedings timetable"
        ),
    )
    solicitor_present_for = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=20,
        help_text=(
            "initial_meeting_held: the ids of the case's adults with parental responsibility "
            "who had a solicitor at the meeting ([] for none; leave out if not known)"
        ),
    )
    version = serializers.IntegerField(
        required=False, help_text="The case version you read; 409 if it has changed since."
    )
    confirm_non_working_day = serializers.BooleanField(
        required=False,
        help_text=(
            "true: a meeting, hearing or issue date on a weekend or bank holiday is meant. "
            "Without it such a date is refused (400) with the day named."
        ),
    )


class EventCorrectSerializer(serializers.Serializer[Any]):
    reason_for_change = serializers.CharField(help_text="Why the record is being corrected")
    date = serializers.DateField(required=False)
    summary = serializers.CharField(required=False)
    document = serializers.CharField(required=False, max_length=60, help_text=DAY1_HELP)
    hearing_type = serializers.ChoiceField(choices=HearingType.choices, required=False)
    hearing_date = serializers.DateField(required=False)
    effective = serializers.BooleanField(
        required=False, help_text="initial_meeting_held: went ahead as a pre-proceedings meeting"
    )
    solicitor_present_for = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=20,
        help_text="initial_meeting_held: ids of the parents who had a solicitor there",
    )
    version = serializers.IntegerField(
        required=False, help_text="The case version you read; 409 if it has changed since."
    )
    confirm_non_working_day = serializers.BooleanField(
        required=False,
        help_text=(
            "true: a meeting, hearing or issue date on a weekend or bank holiday is meant. "
            "Without it such a date is refused (400) with the day named."
        ),
    )
