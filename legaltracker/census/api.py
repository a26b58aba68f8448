"""`GET /api/v1/census/<year>/`: the census return's counts and findings as JSON, the
findings paged like the other API lists (`?limit=`, `?offset=`). The same figures as the
return page (both read `exporting.return_report`); for the census roles only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legaltracker.api.errors import error_responses as errors
from legaltracker.api.pagination import Pagination
from legaltracker.core.errors import InvalidInput

from . import exporting


class MayUseCensus(BasePermission):
    message = exporting.REFUSED

    def has_permission(self, request: Request, view: Any) -> bool:
        return exporting.may_use(request.user)


class CensusCountsSerializer(serializers.Serializer):
    blocks = serializers.IntegerField(help_text="PreProceedingsandFGDM blocks in the return")
    children = serializers.IntegerField()
    # Shadows Serializer.errors on purpose (as api.errors.ErrorSerializer does): this
    # serializer only describes the body in the schema and never validates anything.
    errors = serializers.IntegerField(  # type: ignore[assignment]
        help_text="Findings that stop the return being sent"
    )
    queries = serializers.IntegerField(help_text="Findings to check, which may be right")


class CensusFindingSerializer(serializers.Serializer):
    code = serializers.CharField(help_text='The rule: "9005", "9010Q", or ours ("LT01")')
    severity = serializers.ChoiceField(choices=[exporting.ERROR, exporting.QUERY])
    message = serializers.CharField()
    # Shadows Serializer.fields: a description for the schema only, as above.
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(), help_text="The XML elements (or our fields) concerned"
    )
    child_id = serializers.IntegerField(allow_null=True, help_text="Null for the whole return")
    case_id = serializers.IntegerField(allow_null=True)
    case_reference = serializers.CharField(allow_blank=True)
    la_child_id = serializers.CharField(allow_blank=True)
    fix_url = serializers.CharField(allow_blank=True, help_text="The page where it is fixed")


class CensusReturnSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="2026 for 1 April 2026 to 31 March 2027")
    counts = CensusCountsSerializer()
    count = serializers.IntegerField(help_text="Findings in the return, on every page")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CensusFindingSerializer(many=True)


def finding_body(row: exporting.FindingRow) -> dict[str, Any]:
    finding = row.finding
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "fields": list(finding.fields),
        "child_id": finding.child_id,
        "case_id": finding.case_id,
        "case_reference": row.case_reference,
        "la_child_id": finding.la_child_id,
        "fix_url": finding.fix_url,
    }


class CensusReturnView(APIView):
    permission_classes = [MayUseCensus]
    pagination_class = Pagination

    @extend_schema(
        operation_id="census_return",
        summary="The census return's counts, errors and queries for a census year",
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The census year as four digits: 2026 for 2026 to 2027 (400 "
                "otherwise).",
            ),
            OpenApiParameter("limit", OpenApiTypes.INT, description="Findings per page"),
            OpenApiParameter("offset", OpenApiTypes.INT, description="Findings to skip"),
        ],
        responses={200: CensusReturnSerializer, **errors(400, 403)},
    )
    def get(self, request: Request, year: str) -> Response:
        number, error = exporting.parse_year(year)
        if number is None:
            raise InvalidInput(error, field_errors={"year": [error]})
        paginator = Pagination()
        # Checked before the return is read: a bad limit or offset costs nothing.
        paginator.get_limit(request)
        paginator.get_offset(request)
        report = exporting.return_report(number)
        page: list[exporting.FindingRow] = (
            paginator.paginate_queryset(report.rows, request, view=self)  # type: ignore[arg-type]
            or []
        )
        counts = report.counts
        return Response(
            {
                "year": number,
                "counts": {
                    "blocks": counts.blocks,
                    "children": counts.children,
                    "errors": counts.errors,
                    "queries": counts.queries,
                },
                "count": paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": [finding_body(row) for row in page],
            }
        )
