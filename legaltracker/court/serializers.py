"""The shapes of the court record's endpoints of the JSON API v1: response bodies, and
request bodies for the schema.

Response serializers only render; they never write. Request serializers describe what each
operation accepts in the OpenAPI schema: the services parse and check the values themselves
(legaltracker.court.services), so that the API and the court pages give the same messages.
Hearing times are shown in Europe/London with their offset (docs/court.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from legaltracker.cases.serializers import OptionalChoiceField, OptionalEmailField

from . import reasons
from .choices import (
    LONDON,
    AdvocateKind,
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
    OrderMade,
    OrderSought,
)
from .models import CourtCentre, Direction, ExpertAssessment, Hearing, TimetableExtension
from .services import EXTENSION_MAX_WEEKS, MAX_DIRECTIONS_AT_ONCE, MAX_TIME_ESTIMATE_MINUTES

VERSION_HELP = "The case version you read; 409 if it has changed since."
CONFIRM_HELP = (
    "true: a hearing date on a weekend or bank holiday is meant (courts sometimes sit out of "
    "hours). Without it such a date is refused (400) with the day named."
)
TIME_HELP = "London wall-clock time, HH:MM (24-hour)"


class OptionalTextField(serializers.CharField):
    """Text stored as "" when there is none: rendered null."""

    def __init__(self, **kwargs: Any):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return str(value) if value else None


class LondonDateTimeField(serializers.DateTimeField):
    """An aware moment as London wall-clock time with its offset, e.g.
    2026-03-30T10:00:00+01:00 (never converted to UTC's Z)."""

    def __init__(self, **kwargs: Any):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value.astimezone(LONDON).isoformat() if value else None


# --- reference data -----------------------------------------------------------------------


class CourtCentreSerializer(serializers.ModelSerializer[CourtCentre]):
    class Meta:
        model = CourtCentre
        fields = ["code", "name", "region"]
        read_only_fields = fields


class CourtCentreShortSerializer(serializers.ModelSerializer[CourtCentre]):
    class Meta:
        model = CourtCentre
        fields = ["code", "name"]
        read_only_fields = fields


class HearingReasonCodeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True, help_text="HMCTS's reason code, e.g. LA1")
    # Shadows Field.label on purpose: HMCTS calls the reason's words its label.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    group = serializers.CharField(read_only=True, help_text="Who caused it, HMCTS's grouping")
    group_label = serializers.CharField(read_only=True)


class HearingReasonsSerializer(serializers.Serializer[Any]):
    adjourned = HearingReasonCodeSerializer(many=True, read_only=True)
    vacated = HearingReasonCodeSerializer(many=True, read_only=True)


# --- people -------------------------------------------------------------------------------


class UserShortSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class PartySerializer(serializers.Serializer[Any]):
    """An adult party and who represents them. Expects a `Party` (legaltracker.court.api)."""

    id = serializers.IntegerField(source="adult.pk", read_only=True, help_text="The adult's id")
    first_name = serializers.CharField(source="adult.first_name", read_only=True)
    last_name = serializers.CharField(source="adult.last_name", read_only=True)
    relationship = serializers.CharField(source="adult.relationship", read_only=True)
    parental_responsibility = serializers.BooleanField(
        source="adult.parental_responsibility", read_only=True
    )
    represented = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="null until the representation is recorded (or the case record says)",
    )
    firm = serializers.CharField(read_only=True)
    solicitor_name = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    email = OptionalEmailField(help_text="null when none is recorded")


class CourtProceedingsSerializer(serializers.Serializer[Any]):
    """The case's proceedings record. Expects a `ProceedingsRecord` (legaltracker.court.api)."""

    case = serializers.IntegerField(source="case.pk", read_only=True)
    version = serializers.IntegerField(
        source="case.version", read_only=True, help_text="Send it back with a change"
    )
    has_court_record = serializers.BooleanField(
        read_only=True,
        help_text="false before the decision to issue: the record is empty and cannot change",
    )
    court_centre = CourtCentreSerializer(
        source="proceedings.court_centre", read_only=True, allow_null=True
    )
    case_number = OptionalTextField(
        source="case.court_reference", help_text="The court's case number; null until known"
    )
    judge_level = OptionalChoiceField(source="proceedings.judge_level", choices=JudgeLevel.choices)
    judge_name = serializers.CharField(source="proceedings.judge_name", read_only=True)
    guardian_service = OptionalChoiceField(
        source="proceedings.guardian_service", choices=GuardianService.choices
    )
    guardian_name = serializers.CharField(source="proceedings.guardian_name", read_only=True)
    children_solicitor_firm = serializers.CharField(
        source="proceedings.children_solicitor_firm", read_only=True
    )
    children_solicitor_name = serializers.CharField(
        source="proceedings.children_solicitor_name", read_only=True
    )
    children_solicitor_phone = serializers.CharField(
        source="proceedings.children_solicitor_phone", read_only=True
    )
    children_solicitor_email = OptionalEmailField(source="proceedings.children_solicitor_email")
    advocate_kind = OptionalChoiceField(
        source="proceedings.advocate_kind", choices=AdvocateKind.choices
    )
    advocate_name = serializers.CharField(source="proceedings.advocate_name", read_only=True)
    orders_sought = serializers.ListField(
        source="proceedings.orders_sought",
        child=serializers.ChoiceField(choices=OrderSought.choices),
        read_only=True,
        help_text="The orders the application asks for (form C110A's list)",
    )
    international_element = OptionalChoiceField(
        source="proceedings.international_element",
        choices=InternationalElement.choices,
        help_text="Whether the case has an international element; null until recorded",
    )
    international_details = serializers.CharField(
        source="proceedings.international_details", read_only=True
    )
    allocated_lawyer = UserShortSerializer(
        source="case.allocated_lawyer", read_only=True, allow_null=True
    )
    parties = PartySerializer(many=True, read_only=True)


# --- hearings -----------------------------------------------------------------------------


class HearingSerializer(serializers.ModelSerializer[Hearing]):
    """A hearing with its status and outcome. Expects `court_centre` joined."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    kind = serializers.ChoiceField(choices=HearingKind.choices, read_only=True)
    starts_at = LondonDateTimeField(help_text="Date and time in Europe/London, with its offset")
    date = serializers.SerializerMethodField(help_text="The day in London")
    time = serializers.SerializerMethodField(help_text="HH:MM in London")
    court_centre = CourtCentreShortSerializer(read_only=True, allow_null=True)
    courtroom = serializers.CharField(read_only=True)
    mode = serializers.ChoiceField(choices=HearingMode.choices, read_only=True)
    status = serializers.ChoiceField(choices=HearingStatus.choices, read_only=True)
    reason_code = OptionalTextField(help_text="HMCTS's reason code when adjourned or vacated")
    reason_label = serializers.SerializerMethodField(help_text="The reason code's words")
    relisted_as = serializers.IntegerField(
        source="relisted_as_id",
        read_only=True,
        allow_null=True,
        help_text="The hearing that replaced it, when re-listed",
    )
    orders_made = serializers.ListField(
        child=serializers.ChoiceField(choices=OrderMade.choices), read_only=True
    )
    draft_order_by = OptionalChoiceField(choices=DraftOrderBy.choices)
    draft_order_due = serializers.DateField(read_only=True, allow_null=True)
    draft_order_sent_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Hearing
        fields = [
            "id",
            "case",
            "number",
            "kind",
            "starts_at",
            "date",
            "time",
            "time_estimate_minutes",
            "court_centre",
            "courtroom",
            "mode",
            "judge_name",
            "status",
            "reason_code",
            "reason_label",
            "reason_text",
            "relisted_as",
            "orders_made",
            "outcome_notes",
            "draft_order_by",
            "draft_order_due",
            "draft_order_sent_on",
            "listed_on",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField())
    def get_date(self, hearing: Hearing) -> dt.date:
        return hearing.starts_at.astimezone(LONDON).date()

    @extend_schema_field(serializers.CharField(help_text=TIME_HELP))
    def get_time(self, hearing: Hearing) -> str:
        return f"{hearing.starts_at.astimezone(LONDON):%H:%M}"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason_label(self, hearing: Hearing) -> str | None:
        if not hearing.reason_code or hearing.status == HearingStatus.LISTED:
            return None
        found = reasons.reason(hearing.status, hearing.reason_code)
        return found.label if found else None


# --- directions and experts -----------------------------------------------------------------


class DirectionSerializer(serializers.ModelSerializer[Direction]):
    """A direction of the court. Expects `owner` joined."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    hearing = serializers.IntegerField(
        source="hearing_id",
        read_only=True,
        allow_null=True,
        help_text="The hearing that made it, when recorded",
    )
    party = serializers.ChoiceField(choices=DirectionParty.choices, read_only=True)
    owner = serializers.IntegerField(
        source="owner_id",
        read_only=True,
        allow_null=True,
        help_text="The user id of who at the council does it (council directions)",
    )
    owner_name = serializers.CharField(
        source="owner.display_name", read_only=True, allow_null=True, default=None
    )
    status = serializers.ChoiceField(choices=DirectionStatus.choices, read_only=True)
    filed_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Direction
        fields = [
            "id",
            "case",
            "number",
            "hearing",
            "text",
            "party",
            "party_name",
            "made_on",
            "due_on",
            "original_due_on",
            "owner",
            "owner_name",
            "status",
            "filed_on",
        ]
        read_only_fields = fields


class StandardDirectionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    party = serializers.ChoiceField(choices=DirectionParty.choices, read_only=True)
    owner_role = serializers.CharField(
        read_only=True, help_text="social_worker or lawyer: who at the council gets it"
    )
    weeks_after_hearing = serializers.IntegerField(
        read_only=True, help_text="Default due date: this many weeks after the hearing"
    )


class ExpertSerializer(serializers.ModelSerializer[ExpertAssessment]):
    case = serializers.IntegerField(source="case_id", read_only=True)
    assessment_type = serializers.ChoiceField(choices=ExpertType.choices, read_only=True)
    applied_on = serializers.DateField(read_only=True, allow_null=True)
    granted_on = serializers.DateField(read_only=True, allow_null=True)
    instructed_on = serializers.DateField(read_only=True, allow_null=True)
    report_due_on = serializers.DateField(read_only=True, allow_null=True)
    report_received_on = serializers.DateField(read_only=True, allow_null=True)
    done_in_pre_proceedings = serializers.BooleanField(
        read_only=True,
        help_text="An assessment of this type was already done in pre-proceedings: a repeat",
    )

    class Meta:
        model = ExpertAssessment
        fields = [
            "id",
            "case",
            "assessment_type",
            "expert",
            "applied_on",
            "granted_on",
            "instructed_on",
            "report_due_on",
            "report_received_on",
            "done_in_pre_proceedings",
        ]
        read_only_fields = fields


# --- the 26 weeks ---------------------------------------------------------------------------


class ChildWeeksSerializer(serializers.Serializer[Any]):
    """A child's own 26 weeks (legaltracker.court.selectors.ChildWeeks)."""

    child = serializers.IntegerField(source="child.pk", read_only=True)
    first_name = serializers.CharField(source="child.first_name", read_only=True)
    last_name = serializers.CharField(source="child.last_name", read_only=True)
    issued_on = serializers.DateField(
        read_only=True, help_text="When the child joined the application"
    )
    extension_weeks = serializers.IntegerField(read_only=True)
    ends_on = serializers.DateField(
        read_only=True, help_text="26 weeks from issued_on, plus the extensions"
    )
    own_timetable = serializers.BooleanField(
        read_only=True, help_text="Joined later than the application, or extended on their own"
    )


class TimetableExtensionSerializer(serializers.ModelSerializer[TimetableExtension]):
    children = serializers.SerializerMethodField(help_text="The ids of the children it names")
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = TimetableExtension
        fields = ["id", "weeks", "decided_on", "reasons", "judge_name", "children", "recorded_by"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_children(self, extension: TimetableExtension) -> list[int]:
        named = getattr(extension, "named", None)
        if named is None:
            named = list(extension.children.all())
        return sorted(c.pk for c in named)


class TimetableSerializer(serializers.Serializer[Any]):
    """Each child's 26 weeks and HMCTS's "at risk" test. Expects a `Timetable`
    (legaltracker.court.api)."""

    case = serializers.IntegerField(source="case.pk", read_only=True)
    issued_on = serializers.DateField(source="case.issued_on", read_only=True, allow_null=True)
    at_risk = serializers.BooleanField(read_only=True)
    at_risk_reasons = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Why HMCTS's test puts the 26 weeks at risk, in words; empty when not",
    )
    children = ChildWeeksSerializer(many=True, read_only=True)
    extensions = TimetableExtensionSerializer(many=True, read_only=True)


# --- request bodies (schema only: the services parse and check) -----------------------------


class ProceedingsUpdateSerializer(serializers.Serializer[Any]):
    """Only the fields sent change; "" clears a value."""

    court_centre = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="A court centre's code"
    )
    case_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    judge_level = serializers.ChoiceField(
        choices=JudgeLevel.choices, required=False, allow_blank=True
    )
    judge_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    guardian_service = serializers.ChoiceField(
        choices=GuardianService.choices, required=False, allow_blank=True
    )
    guardian_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    children_solicitor_firm = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )
    children_solicitor_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )
    children_solicitor_phone = serializers.CharField(
        required=False, allow_blank=True, max_length=40
    )
    children_solicitor_email = serializers.CharField(
        required=False, allow_blank=True, max_length=254, help_text="name@example.org"
    )
    advocate_kind = serializers.ChoiceField(
        choices=AdvocateKind.choices, required=False, allow_blank=True
    )
    advocate_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    orders_sought = serializers.ListField(
        child=serializers.ChoiceField(choices=OrderSought.choices),
        required=False,
        max_length=len(OrderSought.values),
        help_text="The whole list of orders the application asks for; [] clears it",
    )
    international_element = serializers.ChoiceField(
        choices=InternationalElement.choices, required=False, allow_blank=True
    )
    international_details = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Needed when international_element is yes (400 naming it)",
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class RepresentationUpdateSerializer(serializers.Serializer[Any]):
    """Only the fields sent change; a represented adult needs the firm."""

    represented = serializers.BooleanField(required=False)
    firm = serializers.CharField(required=False, allow_blank=True, max_length=200)
    solicitor_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    email = serializers.CharField(
        required=False, allow_blank=True, max_length=254, help_text="name@example.org"
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class HearingInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=HearingKind.choices)
    date = serializers.DateField(
        help_text=(
            "Not before the application; a final or issues resolution hearing not before the "
            "case management hearing"
        )
    )
    time = serializers.CharField(max_length=8, help_text=TIME_HELP)
    time_estimate_minutes = serializers.IntegerField(
        required=False,
        min_value=5,
        max_value=MAX_TIME_ESTIMATE_MINUTES,
        help_text="Default: 60",
    )
    court_centre = serializers.CharField(
        required=False,
        max_length=10,
        help_text="A court centre's code; default: the proceedings' court",
    )
    courtroom = serializers.CharField(required=False, max_length=100)
    mode = serializers.ChoiceField(
        choices=HearingMode.choices, required=False, help_text="Default: in_person"
    )
    judge_name = serializers.CharField(required=False, max_length=200)
    confirm_non_working_day = serializers.BooleanField(required=False, help_text=CONFIRM_HELP)


class HearingCreateSerializer(HearingInputSerializer):
    listed_on = serializers.DateField(
        required=False, help_text="The day the court listed it; default: today"
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class HearingHoldSerializer(serializers.Serializer[Any]):
    orders_made = serializers.ListField(
        child=serializers.ChoiceField(choices=OrderMade.choices),
        min_length=1,
        max_length=len(OrderMade.values),
        help_text="What the hearing ordered: directions_only if nothing else",
    )
    outcome_notes = serializers.CharField(required=False)
    draft_order_by = serializers.ChoiceField(
        choices=DraftOrderBy.choices, required=False, help_text="Default: council"
    )
    draft_order_due = serializers.DateField(
        required=False, help_text="Default: the policy's working days after the hearing (2)"
    )
    next_hearing = HearingInputSerializer(
        required=False, help_text="The next hearing, listed in the same step"
    )
    confirm_non_working_day = serializers.BooleanField(required=False, help_text=CONFIRM_HELP)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class HearingCancelSerializer(serializers.Serializer[Any]):
    reason_code = serializers.CharField(
        max_length=10, help_text="HMCTS's reason code (GET /api/v1/hearing-reasons/)"
    )
    reason_text = serializers.CharField(required=False)
    relist = HearingInputSerializer(
        required=False, help_text="The hearing that replaces it, listed in the same step"
    )
    confirm_non_working_day = serializers.BooleanField(required=False, help_text=CONFIRM_HELP)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class DraftOrderSentSerializer(serializers.Serializer[Any]):
    sent_on = serializers.DateField(help_text="Not before the hearing, not in the future")
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class DirectionCreateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=2000)
    party = serializers.ChoiceField(choices=DirectionParty.choices)
    party_name = serializers.CharField(required=False, max_length=200)
    hearing = serializers.IntegerField(
        required=False, min_value=1, help_text="The id of the case's hearing that made it"
    )
    made_on = serializers.DateField(
        required=False, help_text="Default: the hearing's day, or today"
    )
    due_on = serializers.DateField()
    owner = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "Council directions: required. The user id of a social worker, team manager or "
            "lawyer who can see the case"
        ),
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class StandardChoiceSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(min_value=1, help_text="A standard direction's id")
    due_on = serializers.DateField(
        required=False, help_text="Default: the hearing's day (or today) plus its weeks"
    )


class StandardDirectionsCreateSerializer(serializers.Serializer[Any]):
    standard = StandardChoiceSerializer(
        many=True, help_text=f"At least one, at most {MAX_DIRECTIONS_AT_ONCE}"
    )
    hearing = serializers.IntegerField(
        required=False, min_value=1, help_text="The id of the case's hearing that made them"
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class DirectionUpdateSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=DirectionStatus.choices,
        help_text="filed (filed_late is worked out from filed_on), extended (with due_on), "
        "not_needed or outstanding",
    )
    filed_on = serializers.DateField(required=False, help_text="filed: required")
    due_on = serializers.DateField(
        required=False, help_text="extended: required, after the current due date"
    )
    owner = serializers.IntegerField(
        required=False, min_value=1, help_text="The legal team only: a new owner's user id"
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class ExpertUpdateSerializer(serializers.Serializer[Any]):
    """Only the fields sent change."""

    assessment_type = serializers.ChoiceField(choices=ExpertType.choices, required=False)
    expert = serializers.CharField(required=False, max_length=200)
    applied_on = serializers.DateField(
        required=False, allow_null=True, help_text="Not in the future; null clears it"
    )
    granted_on = serializers.DateField(required=False, allow_null=True)
    instructed_on = serializers.DateField(required=False, allow_null=True)
    report_due_on = serializers.DateField(required=False, allow_null=True)
    report_received_on = serializers.DateField(
        required=False, allow_null=True, help_text="Not in the future; null clears it"
    )
    done_in_pre_proceedings = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class ExpertCreateSerializer(ExpertUpdateSerializer):
    assessment_type = serializers.ChoiceField(choices=ExpertType.choices)
    expert = serializers.CharField(max_length=200)


class TimetableExtensionCreateSerializer(serializers.Serializer[Any]):
    weeks = serializers.IntegerField(
        min_value=1,
        max_value=EXTENSION_MAX_WEEKS,
        help_text=f"At most {EXTENSION_MAX_WEEKS} weeks at a time",
    )
    decided_on = serializers.DateField(help_text="The day the court extended it")
    reasons = serializers.CharField(max_length=5000)
    judge_name = serializers.CharField(max_length=200, help_text="The judge who approved it")
    children = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=20,
        help_text="The ids of the children it applies to; default: every child of the case",
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class ChildJoinedSerializer(serializers.Serializer[Any]):
    issued_on = serializers.DateField(
        help_text="The day the child joined the application: their 26 weeks start then"
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
