"""The case endpoints of the JSON API v1 (routed by legaltracker/api/urls.py under the `api`
namespace). Thin: parse the request, call one service or selector, render.

Domain errors raised by the services become 400/403/404/409 answers in
legaltracker.api.errors; nothing here catches them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legaltracker.accounts.models import Team
from legaltracker.api import inputs
from legaltracker.api.errors import error_responses as errors
from legaltracker.api.pagination import Pagination
from legaltracker.core.errors import InvalidInput, NotFound
from legaltracker.deadlines.choices import Rag
from legaltracker.deadlines.selectors import Today

from . import search, selectors, services
from .choices import Stage
from .communication import adult_communication_update, adult_on_case
from .inputs import Fields
from .models import Case
from .serializers import (
    TRANSITION_NAMES,
    AdultCommunicationSerializer,
    AdultCommunicationUpdateSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseSummarySerializer,
    EventCorrectSerializer,
    EventCreateSerializer,
    EventWithVersionSerializer,
    HistoryEntrySerializer,
    LawyerAllocationSerializer,
    TransitionSerializer,
)

CASE_NOT_FOUND = "There is no case with that id that you can see."

CASE_ID = OpenApiParameter(
    "case_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The case's id"
)
ADULT_ID = OpenApiParameter(
    "member_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The adult's id"
)
EVENT_ID = OpenApiParameter(
    "event_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The recorded event's id"
)
TRANSITION = OpenApiParameter(
    "transition",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=TRANSITION_NAMES,
    description="The transition's identifier (docs/domain/stages.md)",
)


# --- reads shared by several endpoints -------------------------------------------------


def case_filters(query: Mapping[str, Any]) -> dict[str, Any]:
    """The list filters `stage`, `team`, `rag` and the search `q`; an unknown value, or a
    `q` that cannot be searched, is a 400."""
    fields = Fields(query)
    for name in ("stage", "team", "rag", "q"):
        # A parameter sent blank is a mistake (a client that meant a value), not "any":
        # leaving the parameter out is how to ask for every stage, team or RAG.
        raw = query.get(name)
        if isinstance(raw, str) and not raw.strip():
            fields.error(name, f"'{name}' is blank: give a value, or leave the parameter out.")
    stage = fields.choice("stage", Stage, required=False)
    rag = fields.choice("rag", Rag, required=False)
    team = fields.text("team", required=False, max_length=40)
    if team and not Team.objects.filter(code=team).exists():
        fields.error("team", f"There is no team with the code '{team}'.")
    found: search.Query | None = None
    text = query.get("q")
    if isinstance(text, str) and text.strip():
        try:
            found = search.parse_query(text)
        except search.QueryError as err:
            fields.error("q", str(err))
    fields.check()
    chosen = {"stage": stage, "team": team, "rag": rag, "q": found}
    return {name: value for name, value in chosen.items() if value}


def case_body(request: Request, case_id: int) -> dict[str, Any]:
    """The case as its detail body, for the requesting user; 404 when they cannot see it."""
    case = selectors.case_detail(user=request.user, case_id=case_id, today=Today.now())
    if case is None:
        raise NotFound(CASE_NOT_FOUND)
    return CaseDetailSerializer(case, context={"request": request}).data


def visible_case(request: Request, case_id: int) -> Case:
    case: Case | None = Case.objects.visible_to(request.user).only("id").filter(pk=case_id).first()
    if case is None:
        raise NotFound(CASE_NOT_FOUND)
    return case


def version_at_start(request: Request, case_id: int) -> int | None:
    """The version of the case as this request first sees it: a request that loses a race
    with another is then told the case changed (409), not silently applied on top."""
    version: int | None = (
        Case.objects.visible_to(request.user)
        .filter(pk=case_id)
        .values_list("version", flat=True)
        .first()
    )
    return version


# --- endpoints -------------------------------------------------------------------------


class CaseListCreateView(generics.GenericAPIView[Case]):
    serializer_class = CaseSummarySerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.case_list(
            user=self.request.user,
            today=Today.now(),
            filters=case_filters(self.request.query_params),
        )

    @extend_schema(
        operation_id="cases_list",
        summary="List the cases you can see",
        parameters=[
            OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values),
            OpenApiParameter("team", OpenApiTypes.STR, description="Team code"),
            OpenApiParameter("rag", OpenApiTypes.STR, enum=Rag.values),
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description=(
                    "Find cases at any stage: every word must be part of the case reference, "
                    "the court case number, a child's or adult's name or a child's LA child "
                    "id; a date (3/4/2026, 3 April 2026, 2026-04-03) must be a child's date "
                    f"of birth or expected date of birth. At most {search.MAX_QUERY_LENGTH} "
                    f"characters and {search.MAX_QUERY_WORDS} words (a date counts as one); "
                    "otherwise, or for a date that does not exist, 400."
                ),
            ),
        ],
        responses={200: CaseSummarySerializer(many=True), **errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        summary="Open a case in the concern stage",
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        case = services.case_create(actor=request.user, data=inputs.body_object(request.data))
        return Response(case_body(request, case.pk), status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(
        operation_id="cases_retrieve",
        summary="One case: stage, deadlines, what happened, what you can do next",
        parameters=[CASE_ID],
        responses={200: CaseDetailSerializer, **errors(400, 404)},
    )
    def get(self, request: Request, case_id: str) -> Response:
        return Response(case_body(request, inputs.object_id(case_id, what="case")))


class CaseTransitionView(APIView):
    @extend_schema(
        operation_id="cases_transition",
        summary="Move the case through a transition",
        description=(
            "Send the date the decision or event happened, the transition's own fields and, "
            "optionally, the case `version` you read. 400: invalid values, the transition "
            "does not start from the case's stage, or a guard refused it (the message says "
            "what to do). 403: your role may not do this. 409: the case changed meanwhile."
        ),
        parameters=[CASE_ID, TRANSITION],
        request=TransitionSerializer,
        responses={200: CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, case_id: str, transition: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        expected = inputs.version(body)
        if expected is None:
            expected = version_at_start(request, pk)
        services.case_transition(
            case_id=pk,
            transition=transition,
            actor=request.user,
            data=body,
            expected_version=expected,
            ask_non_working_day=True,
        )
        return Response(case_body(request, pk))


class CaseEventsView(APIView):
    @extend_schema(
        operation_id="cases_events_create",
        summary="Record something that happened on the case",
        parameters=[CASE_ID],
        request=EventCreateSerializer,
        responses={201: EventWithVersionSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        event = services.event_record(
            case_id=pk,
            actor=request.user,
            data=body,
            expected_version=inputs.version(body),
            ask_non_working_day=True,
        )
        return Response(EventWithVersionSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetailView(APIView):
    @extend_schema(
        operation_id="events_correct",
        summary="Correct a recorded event's date or wording",
        description="The deadlines that depend on the event follow the corrected date.",
        parameters=[EVENT_ID],
        request=EventCorrectSerializer,
        responses={200: EventWithVersionSerializer, **errors(400, 403, 404, 409)},
    )
    def patch(self, request: Request, event_id: str) -> Response:
        pk = inputs.object_id(event_id, what="event")
        body = inputs.body_object(request.data)
        event = services.event_correct(
            event_id=pk,
            actor=request.user,
            data=body,
            expected_version=inputs.version(body),
            ask_non_working_day=True,
        )
        return Response(EventWithVersionSerializer(event).data)


class CaseLawyerView(APIView):
    @extend_schema(
        operation_id="cases_allocate_lawyer",
        summary="Allocate the case to a lawyer, change its lawyer, or take the allocation away",
        description=(
            "A lawyer, a head of service, or a team manager of the case's team. 400: not an "
            "active lawyer, the same lawyer, or a closed case. 409: the case changed meanwhile."
        ),
        parameters=[CASE_ID],
        request=LawyerAllocationSerializer,
        responses={200: CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        expected = inputs.version(body)
        if expected is None:
            expected = version_at_start(request, pk)
        services.case_allocate_lawyer(
            case_id=pk, actor=request.user, data=body, expected_version=expected
        )
        return Response(case_body(request, pk))


class CaseHistoryView(APIView):
    @extend_schema(
        operation_id="cases_history",
        summary="The case's audit trail, oldest first",
        parameters=[CASE_ID],
        responses={200: HistoryEntrySerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = visible_case(request, inputs.object_id(case_id, what="case"))
        return Response(HistoryEntrySerializer(selectors.case_history(case=case), many=True).data)


class AdultCommunicationView(APIView):
    """An adult's correspondence language and format needs."""

    @extend_schema(
        operation_id="cases_adult_communication",
        summary="An adult's letter language and format needs",
        parameters=[CASE_ID, ADULT_ID],
        responses={200: AdultCommunicationSerializer, **errors(400, 404)},
    )
    def get(self, request: Request, case_id: str, member_id: str) -> Response:
        case = visible_case(request, inputs.object_id(case_id, what="case"))
        adult = adult_on_case(case, inputs.object_id(member_id, what="adult"))
        return Response(AdultCommunicationSerializer(adult).data)

    @extend_schema(
        operation_id="cases_adult_communication_update",
        summary="Change an adult's letter language and format needs",
        description=(
            "Only the fields sent change. 'other' as the language needs the language's name "
            "in correspondence_language_other (else 400 naming that field); letters to them "
            "then go in English with a translation request. Audited on the case."
        ),
        parameters=[CASE_ID, ADULT_ID],
        request=AdultCommunicationUpdateSerializer,
        responses={200: AdultCommunicationSerializer, **errors(400, 403, 404, 409)},
    )
    def patch(self, request: Request, case_id: str, member_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        person = inputs.object_id(member_id, what="adult")
        body = inputs.body_object(request.data)
        unknown = sorted(set(body) - set(AdultCommunicationUpdateSerializer().fields))
        if unknown:
            message = "Only the language and format needs can be changed here."
            raise InvalidInput(message, field_errors={name: [message] for name in unknown})
        adult = adult_communication_update(
            case_id=pk,
            adult_id=person,
            actor=request.user,
            data=body,
            expected_version=inputs.version(body),
        )
        return Response(AdultCommunicationSerializer(adult).data)
