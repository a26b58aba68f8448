"""`GET /api/v1/reports/performance/`: the performance figures as JSON, with the same
filters and numbers as the page (both read `selectors.performance_report`).

The serializers below document the body for the OpenAPI schema; the body itself is
`PerformanceReport.as_json`, and a test keeps the two in step.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legaltracker.api.errors import ErrorSerializer
from legaltracker.core import clock

from .exports import REFUSED, may_use
from .forms import MAX_PERIOD_YEARS, PerformanceFilterForm
from .selectors import performance_report

PARAMETER_NAMES = ("from", "to", "team", "lawyer")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class MayReadPerformance(BasePermission):
    message = REFUSED

    def has_permission(self, request: Request, view: Any) -> bool:
        return may_use(request.user)


def _share(help_text: str) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=help_text + " (null: no cases)")


class SpreadSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    minimum = serializers.FloatField()
    lower_quartile = serializers.FloatField()
    median = serializers.FloatField()
    upper_quartile = serializers.FloatField()
    maximum = serializers.FloatField()


class MonthCountSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    count = serializers.IntegerField()


class OutcomesSerializer(serializers.Serializer):
    stepped_down = serializers.IntegerField()
    issued = serializers.IntegerField()
    other = serializers.IntegerField()


class PreProceedingsSerializer(serializers.Serializer):
    entered = serializers.IntegerField(help_text="Decisions to enter pre-proceedings")
    entered_by_month = MonthCountSerializer(many=True)
    ended = serializers.IntegerField(help_text="Cases that left pre-proceedings")
    weeks = SpreadSerializer(allow_null=True, help_text="Weeks in pre-proceedings of those")
    outcomes = OutcomesSerializer()
    diverted = serializers.IntegerField()
    diverted_percent = _share("Share of those that left diverted from court")


class LettersSerializer(serializers.Serializer):
    entered = serializers.IntegerField()
    within = serializers.IntegerField()
    late = serializers.IntegerField()
    not_sent = serializers.IntegerField()
    working_days = serializers.IntegerField()
    within_percent = _share("Share sent within the working days")


class MeetingsSerializer(serializers.Serializer):
    letters = serializers.IntegerField()
    within = serializers.IntegerField()
    early = serializers.IntegerField()
    late = serializers.IntegerField()
    not_held = serializers.IntegerField()
    working_days = serializers.IntegerField()
    notice_working_days = serializers.IntegerField()
    within_percent = _share("Share held within the timescale")


class FamilyGroupSerializer(serializers.Serializer):
    entered = serializers.IntegerField()
    offered = serializers.IntegerField()
    accepted = serializers.IntegerField()
    declined = serializers.IntegerField()
    held = serializers.IntegerField()


class SolicitorsSerializer(serializers.Serializer):
    meetings = serializers.IntegerField()
    parents = serializers.IntegerField()
    with_solicitor = serializers.IntegerField()
    without_solicitor = serializers.IntegerField()
    not_recorded = serializers.IntegerField()
    with_percent = _share("Share with a solicitor, of the parents for whom it was recorded")


class ProceedingsSerializer(serializers.Serializer):
    concluded = serializers.IntegerField()
    weeks = SpreadSerializer(allow_null=True, help_text="Weeks from issue to final order")
    within = serializers.IntegerField()
    limit_weeks = serializers.IntegerField()
    extended_cases = serializers.IntegerField()
    extensions = serializers.IntegerField()
    pre_proceedings_extensions = serializers.IntegerField()
    timetable_extensions = serializers.IntegerField()
    within_percent = _share("Share concluded within the limit")


class HearingReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="HMCTS's reason code")
    reason = serializers.CharField(help_text="What the code means")
    adjourned = serializers.IntegerField()
    vacated = serializers.IntegerField()


class HearingsSerializer(serializers.Serializer):
    recorded = serializers.BooleanField(help_text="Hearings carry their status and reason")
    hearings = serializers.IntegerField(help_text="Hearings dated in the period")
    adjournments = serializers.IntegerField()
    vacated = serializers.IntegerField()
    by_reason = HearingReasonSerializer(many=True)


class ReturningSerializer(serializers.Serializer):
    children = serializers.IntegerField()
    returning = serializers.IntegerField()
    returning_percent = _share("Share returning within 12 months")


class PerformanceReportSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared under another name and renamed.
    from_ = serializers.DateField()
    to = serializers.DateField()
    team = serializers.CharField(allow_null=True)
    lawyer = serializers.IntegerField(allow_null=True)
    pre_proceedings = PreProceedingsSerializer()
    letters_before_proceedings = LettersSerializer()
    initial_meetings = MeetingsSerializer()
    family_group_decision_making = FamilyGroupSerializer()
    solicitors_at_initial_meeting = SolicitorsSerializer()
    proceedings = ProceedingsSerializer()
    hearings = HearingsSerializer()
    returning_children = ReturningSerializer()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description="First day of the period (YYYY-MM-DD); default: the last 12 complete months",
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description=f"Last day of the period, not in the future; at most {MAX_PERIOD_YEARS} "
        "years after `from`",
    ),
    OpenApiParameter("team", OpenApiTypes.STR, description="Team code"),
    OpenApiParameter(
        "lawyer", OpenApiTypes.INT, description="The allocated lawyer's user id (a legal user)"
    ),
]


class PerformanceAPIView(APIView):
    permission_classes = [IsAuthenticated, MayReadPerformance]

    @extend_schema(
        operation_id="performance_report",
        summary="Performance figures over a period",
        description=(
            "The figures of the performance reports page for a period (team managers: "
            "their team). Figures only: no case is named. A filter that cannot be used is "
            "a 400 naming the parameter."
        ),
        parameters=PARAMETERS,
        responses={
            200: PerformanceReportSerializer,
            **dict.fromkeys((400, 401, 403), ErrorSerializer),
        },
        tags=["reports"],
    )
    def get(self, request: Request) -> Response:
        problems: dict[str, list[str]] = {}
        for name, values in request.query_params.lists():
            if name not in PARAMETER_NAMES:
                continue
            if len(values) > 1:
                problems[name] = [f"Give '{name}' once."]
            elif not values[0].strip():
                problems[name] = [f"'{name}' is blank: give a value, or leave the parameter out."]
            elif name in ("from", "to") and not ISO_DATE.fullmatch(values[0]):
                problems[name] = [f"Give '{name}' as a date written YYYY-MM-DD."]
            elif name == "lawyer" and not (values[0].isascii() and values[0].isdigit()):
                problems[name] = ["Give 'lawyer' as the lawyer's user id (a whole number)."]
        if problems:
            raise exceptions.ValidationError(problems)
        form = PerformanceFilterForm(request.query_params, user=request.user, today=clock.today())
        if not form.is_valid():
            raise exceptions.ValidationError(form.error_messages())
        report = performance_report(user=request.user, filters=form.filters())
        return Response(report.as_json())
