"""`GET /api/v1/inspection-list/?from=&to=`: the inspection list's rows as JSON, paged
with `limit` and `offset`, in the same order and with the same dates as the file.

Each page is two queries (the count and the page), whatever the number of children. No
period given: the last 12 months. A period that cannot be used is a 400 naming `from` or
`to`. Every API request has its access log row (legaltracker/audit/middleware.py); this
one adds the period to it, as the dates' digits (20260304), since the list names children
as the file does, whose export job records the period.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legaltracker.api.errors import ErrorSerializer
from legaltracker.api.pagination import Pagination
from legaltracker.audit import recording
from legaltracker.cases.choices import Outcome, Stage
from legaltracker.core import clock

from . import forms, selectors
from .access import REFUSED, may_produce


class MayProduceInspectionList(BasePermission):
    message = REFUSED

    def has_permission(self, request: Request, view: Any) -> bool:
        return may_produce(request.user)


class InspectionRowSerializer(serializers.Serializer):
    la_child_id = serializers.CharField(help_text="The council's id for the child; may be blank")
    upn = serializers.CharField(help_text="Unique pupil number; may be blank")
    case_reference = serializers.CharField()
    child_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    expected_date_of_birth = serializers.DateField(allow_null=True)
    team = serializers.CharField()
    social_worker = serializers.CharField()
    allocated_lawyer = serializers.CharField(help_text="Blank when no lawyer is allocated")
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_label = serializers.CharField()
    entered_on = serializers.DateField(
        help_text="Pre-proceedings started, or proceedings issued when there were none"
    )
    gateway_decision_on = serializers.DateField(allow_null=True)
    pre_proceedings_started_on = serializers.DateField(allow_null=True)
    letter_before_proceedings_on = serializers.DateField(allow_null=True)
    initial_meeting_on = serializers.DateField(allow_null=True)
    review_meetings = serializers.IntegerField()
    last_review_meeting_on = serializers.DateField(allow_null=True)
    decision_point_on = serializers.DateField(allow_null=True)
    stepped_down_on = serializers.DateField(allow_null=True)
    step_down_to = serializers.CharField()
    issue_decided_on = serializers.DateField(allow_null=True)
    issued_on = serializers.DateField(allow_null=True)
    court_reference = serializers.CharField()
    first_hearing_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    outcome = serializers.ChoiceField(choices=[("", "Open"), *Outcome.choices])
    outcome_label = serializers.CharField()


class InspectionListResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    period = serializers.DictField(child=serializers.DateField())
    results = InspectionRowSerializer(many=True)


class InspectionPagination(Pagination):
    default_limit = 100

    def __init__(self, count: int) -> None:
        self.known_count = count

    def get_count(self, queryset: Any) -> int:
        # Counted on the lean query (the children in the period, none of their dates).
        return self.known_count


class InspectionListAPIView(APIView):
    permission_classes = [IsAuthenticated, MayProduceInspectionList]

    @extend_schema(
        operation_id="inspection_list",
        summary="The inspection list",
        description=(
            "Every child in pre-proceedings or proceedings at any time from `from` to `to` "
            "(default: the last 12 months), one row each, by team then the date the case "
            "entered pre-proceedings (or proceedings). Restricted cases you are not named "
            "on are left out. For heads of service and performance officers."
        ),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="Start of the period"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="End of the period"),
            OpenApiParameter("limit", OpenApiTypes.INT, description="Rows per page, 1 to 200"),
            OpenApiParameter("offset", OpenApiTypes.INT, description="Rows to skip"),
        ],
        responses={
            200: InspectionListResponseSerializer,
            **dict.fromkeys((400, 401, 403), ErrorSerializer),
        },
        tags=["reports"],
    )
    def get(self, request: Request) -> Response:
        query = request.query_params
        if "from" in query or "to" in query:
            params, errors = forms.parse(query)
            if errors:
                raise exceptions.ValidationError(errors)
            start, end = forms.period_of(params)
        else:
            start, end = forms.default_period(clock.today())
        recording.note(
            request._request,  # the row is the middleware's, written from Django's request
            period_from=int(start.strftime("%Y%m%d")),
            period_to=int(end.strftime("%Y%m%d")),
        )
        paginator = InspectionPagination(selectors.count(request.user, start=start, end=end))
        rows = selectors.inspection_values(request.user, start=start, end=end)
        page = paginator.paginate_queryset(rows, request, view=self) or []
        body = paginator.get_paginated_response(
            [selectors.row_of(values).as_json() for values in page]
        ).data
        body["period"] = {"from": start.isoformat(), "to": end.isoformat()}
        return Response(body)
