"""`GET /api/v1/board/`: the tracker board as JSON, with the same filters, rows and
order as the HTML page (both read `selectors.board_page`).

The serializers below document the body for the OpenAPI schema; the rows themselves
come from `BoardRow.as_json`, and a test keeps the two in step.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legaltracker.api.errors import ErrorSerializer
from legaltracker.cases.choices import LEGAL_STAGES, Stage
from legaltracker.court.choices import HearingKind
from legaltracker.deadlines.choices import DeadlineStatus, Milestone, Rag
from legaltracker.deadlines.selectors import Today

from .forms import DEFAULT_PAGE_SIZE, MAX_DUE_WITHIN_DAYS, MAX_PAGE_SIZE, SORTS, BoardFilterForm
from .permissions import may_view_board
from .selectors import BoardPage, board_page
from .views import url_with


class MayViewBoard(BasePermission):
    message = (
        "The tracker board is for the court liaison officer, the legal team, heads of "
        "service and team managers."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        return may_view_board(request.user)


class BoardNextDeadlineSerializer(serializers.Serializer):
    milestone = serializers.ChoiceField(choices=Milestone.choices)
    due = serializers.DateField()
    # The full choice sets keep the shared enum components (SPECTACULAR_SETTINGS);
    # an outstanding deadline is only ever pending, due_soon or overdue.
    status = serializers.ChoiceField(choices=DeadlineStatus.choices)


class BoardTeamSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class BoardPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class BoardChildSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    expected_date_of_birth = serializers.DateField(allow_null=True)


class BoardAssessmentSerializer(serializers.Serializer):
    last_completed_on = serializers.DateField(allow_null=True)
    stale = serializers.BooleanField(
        help_text="An assessment's currency deadline has passed with no new assessment"
    )


class BoardNextHearingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HearingKind.choices)
    starts_at = serializers.DateTimeField(help_text="Date and time, Europe/London")
    date = serializers.DateField(help_text="The day, Europe/London")
    time = serializers.CharField(help_text="HH:MM, Europe/London")
    time_estimate_minutes = serializers.IntegerField()
    court_centre = serializers.CharField(allow_null=True)


class BoardRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    children = BoardChildSerializer(many=True)
    team = BoardTeamSerializer()
    social_worker = BoardPersonSerializer()
    stage = serializers.ChoiceField(
        choices=Stage.choices,
        help_text="One of the legal stages: legal_gateway, pre_proceedings, issue, proceedings",
    )
    stage_entered_on = serializers.DateField()
    days_in_stage = serializers.IntegerField()
    weeks_in_stage = serializers.IntegerField()
    weeks_in_pre_proceedings = serializers.IntegerField(
        allow_null=True, help_text="Whole weeks since the decision to enter pre-proceedings"
    )
    weeks_since_issue = serializers.IntegerField(
        allow_null=True, help_text="Whole weeks since the application was issued (Day 1)"
    )
    next_deadline = BoardNextDeadlineSerializer(
        allow_null=True, help_text="The earliest outstanding deadline"
    )
    rag = serializers.ChoiceField(choices=Rag.choices)
    last_management_oversight_on = serializers.DateField(allow_null=True)
    days_since_management_oversight = serializers.IntegerField(allow_null=True)
    assessment = BoardAssessmentSerializer()
    held_too_early = serializers.BooleanField(
        help_text="A meeting or hearing of the case was held before its not-before date"
    )
    extensions = serializers.IntegerField()
    urgent = serializers.BooleanField()
    unborn_baby = serializers.BooleanField()
    next_hearing = BoardNextHearingSerializer(
        allow_null=True, help_text="The earliest listed hearing from now"
    )
    court_centre = serializers.CharField(allow_null=True, help_text="The proceedings' court")
    judge_name = serializers.CharField(allow_null=True, help_text="The allocated judge")
    at_risk = serializers.BooleanField(
        help_text="HMCTS's test: a milestone hearing later than 24, 140 or 182 days after "
        "issue, or none listed once that many days have passed"
    )
    at_risk_reasons = serializers.ListField(child=serializers.CharField())
    directions_overdue = serializers.IntegerField(
        help_text="Council directions outstanding or extended, past their due date"
    )


class BoardCountsSerializer(serializers.Serializer):
    stage = serializers.DictField(child=serializers.IntegerField())
    rag = serializers.DictField(child=serializers.IntegerField())


class BoardResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Rows in the filtered board, on every page")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BoardRowSerializer(many=True)
    counts = BoardCountsSerializer(help_text="The filtered set by stage and by RAG")


# Every filter but the free-text search, where "" is a (useless) search for anything.
BLANK_REFUSED = frozenset(
    {
        "stage",
        "team",
        "social_worker",
        "rag",
        "overdue",
        "due_within",
        "milestone",
        "court_centre",
        "at_risk",
        "directions_overdue",
        "sort",
        "page",
        "page_size",
    }
)
_MULTI = "Repeat the parameter to choose several values."
# The only parameters a request may repeat (`many=True` below).
REPEATABLE = frozenset({"stage", "rag"})
PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Reference or part of a child's or adult's name"
    ),
    OpenApiParameter(
        "stage",
        OpenApiTypes.STR,
        many=True,
        enum=[s.value for s in LEGAL_STAGES],
        description=_MULTI,
    ),
    OpenApiParameter("team", OpenApiTypes.STR, description="Team code"),
    OpenApiParameter("social_worker", OpenApiTypes.INT, description="The social worker's user id"),
    OpenApiParameter("rag", OpenApiTypes.STR, many=True, enum=Rag.values, description=_MULTI),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only cases with something overdue"),
    OpenApiParameter(
        "mine",
        OpenApiTypes.BOOL,
        description="A lawyer: only the cases allocated to you (ignored for other roles)",
    ),
    OpenApiParameter(
        "due_within",
        OpenApiTypes.INT,
        description=f"Cases with a deadline due from today to this many days ahead (0 to "
        f"{MAX_DUE_WITHIN_DAYS}); with `milestone`, a deadline of that milestone",
    ),
    OpenApiParameter("milestone", OpenApiTypes.STR, enum=Milestone.values),
    OpenApiParameter("court_centre", OpenApiTypes.STR, description="The court's HMCTS code"),
    OpenApiParameter("judge", OpenApiTypes.STR, description="Part of the allocated judge's name"),
    OpenApiParameter(
        "at_risk", OpenApiTypes.BOOL, description="Only cases at risk by HMCTS's test"
    ),
    OpenApiParameter(
        "directions_overdue",
        OpenApiTypes.BOOL,
        description="Only cases with a council direction past its due date",
    ),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=list(SORTS),
        description="Default `next_deadline`; a leading '-' reverses the order",
    ),
    OpenApiParameter("page", OpenApiTypes.INT, description="From 1"),
    OpenApiParameter(
        "page_size",
        OpenApiTypes.INT,
        description=f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})",
    ),
]


def _page_url(request: Request, number: int) -> str:
    path = reverse("board_api:board") + url_with(request.query_params, page=number)
    return request.build_absolute_uri(path)


def board_body(request: Request, page: BoardPage) -> dict[str, Any]:
    return {
        "count": page.count,
        "page": page.number,
        "page_size": page.size,
        "num_pages": page.num_pages,
        "next": _page_url(request, page.number + 1) if page.has_next else None,
        "previous": _page_url(request, page.number - 1) if page.has_previous else None,
        "results": [row.as_json() for row in page.rows],
        "counts": {"stage": page.counts.stage, "rag": page.counts.rag},
    }


class BoardAPIView(APIView):
    permission_classes = [IsAuthenticated, MayViewBoard]

    @extend_schema(
        operation_id="board_list",
        summary="The tracker board",
        description=(
            "Every open case in a legal stage that you may see (team managers: their "
            "team), with its next deadline and RAG status; the same filters and order as "
            "the board page. A filter value that cannot be used is a 400 naming the "
            "parameter."
        ),
        parameters=PARAMETERS,
        responses={
            200: BoardResponseSerializer,
            # Only a 400 names the parameters that were wrong; 401, 403 and 404 say why in
            # `detail`.
            **dict.fromkeys((400, 401, 403, 404), ErrorSerializer),
        },
        tags=["board"],
    )
    def get(self, request: Request) -> Response:
        # The board page's form sends empty fields for "any"; an API client that sends a
        # parameter blank meant a value, so it is told, as for the case list.
        blank = {
            name: [f"'{name}' is blank: give a value, or leave the parameter out."]
            for name, values in request.query_params.lists()
            if name in BLANK_REFUSED and any(not value.strip() for value in values)
        }
        # Only the parameters documented as lists may be repeated: a repeated single
        # value (the form would read the last one) is a mistake to name, not to guess.
        for name, values in request.query_params.lists():
            if len(values) > 1 and name not in REPEATABLE:
                blank.setdefault(name, []).append(
                    f"'{name}' was sent {len(values)} times: send it once."
                )
        # The page's checkbox sends "on"; the API documents a boolean: true or false.
        for flag in ("overdue", "mine", "at_risk", "directions_overdue"):
            values = request.query_params.getlist(flag)
            if any(value.strip().lower() not in ("true", "false") for value in values):
                blank.setdefault(flag, []).append(f"'{flag}' is true or false.")
        if blank:
            raise exceptions.ValidationError(blank)
        form = BoardFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(form.error_messages())
        page = board_page(
            user=request.user,
            today=Today.now(),
            filters=form.filters(),
            page=form.page_number(),
            page_size=form.rows_per_page(),
        )
        if page.requested > page.num_pages:
            raise exceptions.NotFound(
                f"There is no page {page.requested}: the last page is {page.num_pages}."
            )
        return Response(board_body(request, page))
