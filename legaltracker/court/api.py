"""The court record's endpoints of the JSON API v1 (routed by legaltracker/court/api_urls.py
under /api/v1/): proceedings and parties, hearings with their transitions, directions,
experts, each child's 26 weeks, and the court centres and HMCTS reason codes to choose
from. Thin, like legaltracker/cases/api.py: parse the request, call one service or
selector, render.

Who may do what is legaltracker/court/permissions.py, enforced by the services: a case
the requester cannot see is 404, never 403. Domain errors become 400/403/404/409 answers
in legaltracker.api.errors; nothing here catches them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legaltracker.api import inputs
from legaltracker.api.errors import error_responses as errors
from legaltracker.cases.models import Adult, Case
from legaltracker.core.errors import InvalidInput, NotFound

from . import permissions, reasons, selectors, services
from .choices import HearingStatus
from .models import (
    CourtCentre,
    Direction,
    ExpertAssessment,
    Hearing,
    Proceedings,
    Representation,
    StandardDirection,
    TimetableExtension,
)
from .serializers import (
    ChildJoinedSerializer,
    CourtCentreSerializer,
    CourtProceedingsSerializer,
    DirectionCreateSerializer,
    DirectionSerializer,
    DirectionUpdateSerializer,
    DraftOrderSentSerializer,
    ExpertCreateSerializer,
    ExpertSerializer,
    ExpertUpdateSerializer,
    HearingCancelSerializer,
    HearingCreateSerializer,
    HearingHoldSerializer,
    HearingReasonsSerializer,
    HearingSerializer,
    PartySerializer,
    ProceedingsUpdateSerializer,
    RepresentationUpdateSerializer,
    StandardDirectionsCreateSerializer,
    StandardDirectionSerializer,
    TimetableExtensionCreateSerializer,
    TimetableExtensionSerializer,
    TimetableSerializer,
)

CENTRES_DATA = Path(__file__).parent / "data" / "court_centres.json"
CASE_NOT_FOUND = "There is no case with that id that you can see."
ADULT_NOT_FOUND = "There is no such adult on this case that you can see."


def _path_id(name: str, what: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH, description=what)


CASE_ID = _path_id("case_id", "The case's id")
ADULT_ID = _path_id("member_id", "The id of an adult on the case")
CHILD_ID = _path_id("member_id", "The id of a child on the case")
HEARING_ID = _path_id("hearing_id", "The hearing's id")
DIRECTION_ID = _path_id("direction_id", "The direction's id")
EXPERT_ID = _path_id("expert_id", "The expert assessment's id")
READ_ERRORS = errors(400, 404)
CANCELLED = [str(HearingStatus.ADJOURNED), str(HearingStatus.VACATED)]
# HMCTS's regions, as the shipped list of court centres names them.
REGIONS = sorted(
    {row["region"] for row in json.loads(CENTRES_DATA.read_text(encoding="utf-8")) if row["region"]}
)
EXPERT_DATES = ("applied_on", "granted_on", "instructed_on", "report_due_on", "report_received_on")
WRITE_ERRORS = errors(400, 403, 404, 409)


# --- what the reads put together ------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    adult: Adult
    represented: bool | None
    firm: str = ""
    solicitor_name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ProceedingsRecord:
    case: Case
    proceedings: Proceedings
    has_court_record: bool
    parties: list[Party]


@dataclass(frozen=True)
class Timetable:
    case: Case
    at_risk: bool
    at_risk_reasons: list[str]
    children: list[selectors.ChildWeeks]
    extensions: list[TimetableExtension]


def party(adult: Adult, row: Representation | None) -> Party:
    """An adult and who represents them; before the court record says, what the case's
    people record says (`has_solicitor`, which may be unknown)."""
    if row is None:
        return Party(adult=adult, represented=adult.has_solicitor)
    return Party(
        adult=adult,
        represented=row.represented,
        firm=row.firm,
        solicitor_name=row.solicitor_name,
        phone=row.phone,
        email=row.email,
    )


def visible_case(request: Request, case_id: str) -> Case:
    """The case if the requester may see it (with what the court record reads of it);
    404 otherwise."""
    pk = inputs.object_id(case_id, what="case")
    case: Case | None = (
        Case.objects.visible_to(request.user)
        .select_related("allocated_lawyer", "proceedings__court_centre")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound(CASE_NOT_FOUND)
    return case


def proceedings_record(case: Case) -> ProceedingsRecord:
    representations = selectors.case_representations(case)
    adults = case.adults.order_by("pk")
    return ProceedingsRecord(
        case=case,
        proceedings=services.proceedings_for(case),
        has_court_record=permissions.has_court_record(case),
        parties=[party(adult, representations.get(adult.pk)) for adult in adults],
    )


def proceedings_body(request: Request, case_id: str) -> dict[str, Any]:
    return CourtProceedingsSerializer(proceedings_record(visible_case(request, case_id))).data


def timetable_body(case: Case) -> dict[str, Any]:
    hearings = list(selectors.case_hearings(case))
    reasons_now = selectors.at_risk(case, hearings)
    extensions = TimetableExtension.objects.filter(case=case).select_related("recorded_by")
    timetable = Timetable(
        case=case,
        at_risk=bool(reasons_now),
        at_risk_reasons=reasons_now,
        children=selectors.child_timetables(case, list(case.children.order_by("pk"))),
        extensions=list(extensions.prefetch_related(Prefetch("children", to_attr="named"))),
    )
    return TimetableSerializer(timetable).data


def visible_hearing(request: Request, hearing_id: str | int) -> Hearing:
    pk = hearing_id if isinstance(hearing_id, int) else inputs.object_id(hearing_id, what="hearing")
    hearing: Hearing | None = (
        Hearing.objects.select_related("court_centre")
        .filter(pk=pk, case__in=Case.objects.visible_to(request.user))
        .first()
    )
    if hearing is None:
        raise NotFound(services.HEARING_NOT_FOUND)
    return hearing


def hearing_body(request: Request, hearing_id: int) -> dict[str, Any]:
    return HearingSerializer(visible_hearing(request, hearing_id)).data


def direction_body(direction_id: int) -> dict[str, Any]:
    return DirectionSerializer(Direction.objects.select_related("owner").get(pk=direction_id)).data


def only_these_fields(body: Mapping[str, Any], serializer: Any, what: str) -> None:
    """A change that names a field this endpoint does not have is a mistake (a typo would
    otherwise change nothing, silently): 400 naming it."""
    unknown = sorted(set(body) - set(serializer().fields))
    if unknown:
        message = f"Only {what} can be changed here: {', '.join(unknown)} is not one of them."
        raise InvalidInput(message, field_errors={name: [message] for name in unknown})


def merged(current: Mapping[str, Any], body: Mapping[str, Any]) -> dict[str, Any]:
    """What the service is sent for a PATCH: the values as they are, with the ones sent
    on top (the services take the whole record)."""
    return {**current, **body}


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def _version(body: Mapping[str, Any], case: Case) -> int:
    """The version the change is made against: the one sent, else the one the current
    values were read at, so that a change made meanwhile is a 409, not overwritten."""
    sent = inputs.version(body)
    return sent if sent is not None else case.version


# --- reference data -------------------------------------------------------------------------


def one_choice(request: Request, name: str, allowed: list[str]) -> str | None:
    """An optional query parameter with a fixed set of values: sent once, one of them
    (else 400 naming it), or left out (None)."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    if len(values) > 1 or values[0] not in allowed:
        message = f"'{name}' is one of: {', '.join(allowed)}; or leave it out for all."
        raise InvalidInput(message, field_errors={name: [message]})
    return values[0]


class CourtCentresView(APIView):
    @extend_schema(
        operation_id="court_centres_list",
        summary="The family courts to choose from (HMCTS's list, active ones), by name",
        parameters=[
            OpenApiParameter(
                "region", OpenApiTypes.STR, enum=REGIONS, description="Only this HMCTS region"
            )
        ],
        responses={200: CourtCentreSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        centres = CourtCentre.objects.filter(active=True).order_by("name")
        region = one_choice(request, "region", REGIONS)
        if region:
            centres = centres.filter(region=region)
        return Response(CourtCentreSerializer(centres, many=True).data)


class HearingReasonsView(APIView):
    @extend_schema(
        operation_id="hearing_reasons_list",
        summary="HMCTS's reason codes for adjourning or vacating a hearing",
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=CANCELLED,
                description="Only the codes for this status (the other list is then empty)",
            )
        ],
        responses={200: HearingReasonsSerializer, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        wanted = one_choice(request, "status", CANCELLED)

        def rows(status_name: str) -> list[dict[str, str]]:
            if wanted and wanted != status_name:
                return []
            return [
                {"code": r.code, "label": r.label, "group": r.group, "group_label": r.group_label}
                for r in reasons.reasons(status_name)
            ]

        body = {"adjourned": rows(HearingStatus.ADJOURNED), "vacated": rows(HearingStatus.VACATED)}
        return Response(HearingReasonsSerializer(body).data)


# --- proceedings and parties ----------------------------------------------------------------


class ProceedingsView(APIView):
    @extend_schema(
        operation_id="cases_proceedings_retrieve",
        summary="The case's proceedings: court, judge, guardian, advocates and the parties",
        description=(
            "Whoever can see the case. Before the decision to issue the record is empty "
            "(has_court_record false)."
        ),
        parameters=[CASE_ID],
        responses={200: CourtProceedingsSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, case_id: str) -> Response:
        return Response(proceedings_body(request, case_id))

    @extend_schema(
        operation_id="cases_proceedings_update",
        summary="Change the proceedings record (the legal team)",
        description=(
            'Only the fields sent change; "" clears one. The case number is the case\'s '
            "court reference (search finds it). 400: an unknown court centre code or value, "
            "or a case without a court record yet. Audited on the case."
        ),
        parameters=[CASE_ID],
        request=ProceedingsUpdateSerializer,
        responses={200: CourtProceedingsSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, case_id: str) -> Response:
        case = visible_case(request, case_id)
        body = inputs.body_object(request.data)
        only_these_fields(body, ProceedingsUpdateSerializer, "the proceedings' fields")
        now = services.proceedings_for(case)
        current: dict[str, Any] = {name: getattr(now, name) for name in services.PROCEEDINGS_FIELDS}
        current["court_centre"] = now.court_centre.code if now.court_centre else None
        current["case_number"] = case.court_reference
        services.proceedings_update(
            case_id=case.pk,
            actor=request.user,
            data=merged(current, body),
            expected_version=_version(body, case),
        )
        return Response(proceedings_body(request, case_id))


class RepresentationView(APIView):
    @extend_schema(
        operation_id="cases_adult_representation_update",
        summary="Whether an adult party is represented, and by whom (the legal team)",
        description=(
            "Only the fields sent change. A represented adult needs the solicitor's firm "
            "(400 naming `firm`). Audited on the case."
        ),
        parameters=[CASE_ID, ADULT_ID],
        request=RepresentationUpdateSerializer,
        responses={200: PartySerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, case_id: str, member_id: str) -> Response:
        case = visible_case(request, case_id)
        adult_id = inputs.object_id(member_id, what="adult")
        body = inputs.body_object(request.data)
        only_these_fields(body, RepresentationUpdateSerializer, "the representation's fields")
        # Through the adult's own key: an id too big for the database then finds no row
        # (a foreign key's `_id` lookup does not check the range, and SQLite would fail).
        row = Representation.objects.filter(case=case, adult__pk=adult_id).first()
        current: dict[str, Any] = {"represented": False}
        if row is not None:
            current = {
                name: getattr(row, name)
                for name in ("represented", "firm", "solicitor_name", "phone", "email")
            }
        saved = services.representation_update(
            case_id=case.pk,
            adult_id=adult_id,
            actor=request.user,
            data=merged(current, body),
            expected_version=_version(body, case),
        )
        adult = Adult.objects.get(pk=saved.adult_id)
        return Response(PartySerializer(party(adult, saved)).data)


# --- hearings -------------------------------------------------------------------------------


class CaseHearingsView(APIView):
    @extend_schema(
        operation_id="cases_hearings_list",
        summary="The case's hearings, in time order, with their statuses and outcomes",
        parameters=[CASE_ID],
        responses={200: HearingSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = visible_case(request, case_id)
        return Response(HearingSerializer(selectors.case_hearings(case), many=True).data)

    @extend_schema(
        operation_id="cases_hearings_create",
        summary="List a hearing (the legal team and the court liaison officer)",
        description=(
            "Date and time are London wall-clock time. 400: a date before the application, a "
            "final or issues resolution hearing before the case management hearing (or the "
            "reverse), a time that does not exist on the night the clocks go forward, or a "
            "weekend or bank holiday without confirm_non_working_day. A listed case "
            "management, issues resolution or final hearing answers its milestone."
        ),
        parameters=[CASE_ID],
        request=HearingCreateSerializer,
        responses={201: HearingSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        hearing = services.hearing_list(
            case_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(hearing_body(request, hearing.pk), status=status.HTTP_201_CREATED)


class HearingDetailView(APIView):
    @extend_schema(
        operation_id="hearings_retrieve",
        summary="One hearing",
        parameters=[HEARING_ID],
        responses={200: HearingSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, hearing_id: str) -> Response:
        return Response(HearingSerializer(visible_hearing(request, hearing_id)).data)


class HearingHoldView(APIView):
    @extend_schema(
        operation_id="hearings_hold",
        summary="Record that a listed hearing went ahead, with its outcome",
        description=(
            "On or after the hearing's day. orders_made is required (directions_only when it "
            "made no other order). The draft order is due from the council 2 working days "
            "after the hearing unless said otherwise; next_hearing lists the next one in the "
            "same step. 400: no outcome, or a hearing that is not listed (adjourned, vacated "
            "or already held)."
        ),
        parameters=[HEARING_ID],
        request=HearingHoldSerializer,
        responses={200: HearingSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, hearing_id: str) -> Response:
        pk = inputs.object_id(hearing_id, what="hearing")
        body = inputs.body_object(request.data)
        services.hearing_hold(
            hearing_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(hearing_body(request, pk))


def _cancel_schema(verb: str, operation: str) -> Any:
    return extend_schema(
        operation_id=operation,
        summary=f"Mark a listed hearing {verb}, with HMCTS's reason code",
        description=(
            "reason_code is one of GET /api/v1/hearing-reasons/; relist lists the hearing "
            "that replaces it in the same step. 400: an unknown code, or a hearing that is "
            "not listed."
        ),
        parameters=[HEARING_ID],
        request=HearingCancelSerializer,
        responses={200: HearingSerializer, **WRITE_ERRORS},
    )


class HearingAdjournView(APIView):
    @_cancel_schema("adjourned", "hearings_adjourn")
    def post(self, request: Request, hearing_id: str) -> Response:
        pk = inputs.object_id(hearing_id, what="hearing")
        body = inputs.body_object(request.data)
        services.hearing_adjourn(
            hearing_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(hearing_body(request, pk))


class HearingVacateView(APIView):
    @_cancel_schema("vacated", "hearings_vacate")
    def post(self, request: Request, hearing_id: str) -> Response:
        pk = inputs.object_id(hearing_id, what="hearing")
        body = inputs.body_object(request.data)
        services.hearing_vacate(
            hearing_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(hearing_body(request, pk))


class DraftOrderSentView(APIView):
    @extend_schema(
        operation_id="hearings_draft_order_sent",
        summary="Record the day the held hearing's draft order was sent to the court",
        parameters=[HEARING_ID],
        request=DraftOrderSentSerializer,
        responses={200: HearingSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, hearing_id: str) -> Response:
        pk = inputs.object_id(hearing_id, what="hearing")
        body = inputs.body_object(request.data)
        services.draft_order_sent(
            hearing_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(hearing_body(request, pk))


# --- directions -----------------------------------------------------------------------------


class CaseDirectionsView(APIView):
    @extend_schema(
        operation_id="cases_directions_list",
        summary="The court's directions on the case, by due date",
        parameters=[CASE_ID],
        responses={200: DirectionSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = visible_case(request, case_id)
        return Response(DirectionSerializer(selectors.case_directions(case), many=True).data)

    @extend_schema(
        operation_id="cases_directions_create",
        summary="Add a direction of the court (the legal team)",
        description=(
            "A council direction needs its owner: a social worker, team manager or lawyer who "
            "can see the case (400 naming `owner` otherwise). It becomes a deadline for them "
            "and the allocated lawyer."
        ),
        parameters=[CASE_ID],
        request=DirectionCreateSerializer,
        responses={201: DirectionSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        direction = services.direction_add(
            case_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(direction_body(direction.pk), status=status.HTTP_201_CREATED)


class StandardDirectionsView(APIView):
    @extend_schema(
        operation_id="cases_standard_directions_list",
        summary="The council's standard directions, to add to the case in one go",
        parameters=[CASE_ID],
        responses={200: StandardDirectionSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, case_id: str) -> Response:
        visible_case(request, case_id)
        rows = StandardDirection.objects.filter(active=True).order_by("position", "id")
        return Response(StandardDirectionSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="cases_standard_directions_create",
        summary="Add some of the council's standard directions in one go (the legal team)",
        description=(
            "Each due date defaults to the hearing's day (or today) plus the standard "
            "direction's weeks; council ones go to the case's social worker or lawyer."
        ),
        parameters=[CASE_ID],
        request=StandardDirectionsCreateSerializer,
        responses={201: DirectionSerializer(many=True), **WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        made = services.standard_directions_add(
            case_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        rows = Direction.objects.select_related("owner").filter(pk__in=[d.pk for d in made])
        return Response(
            DirectionSerializer(rows.order_by("number"), many=True).data,
            status=status.HTTP_201_CREATED,
        )


class DirectionDetailView(APIView):
    @extend_schema(
        operation_id="directions_update",
        summary="Record where a direction stands (the legal team and its owner)",
        description=(
            "filed with filed_on (filed_late when after its due date), extended with the new "
            "due_on, not_needed, or outstanding again. Only the legal team changes the owner."
        ),
        parameters=[DIRECTION_ID],
        request=DirectionUpdateSerializer,
        responses={200: DirectionSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, direction_id: str) -> Response:
        pk = inputs.object_id(direction_id, what="direction")
        body = inputs.body_object(request.data)
        only_these_fields(body, DirectionUpdateSerializer, "where the direction stands")
        services.direction_update(
            direction_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(direction_body(pk))


# --- experts --------------------------------------------------------------------------------


class CaseExpertsView(APIView):
    @extend_schema(
        operation_id="cases_experts_list",
        summary="The case's Part 25 expert assessments",
        parameters=[CASE_ID],
        responses={200: ExpertSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = visible_case(request, case_id)
        return Response(ExpertSerializer(selectors.case_experts(case), many=True).data)

    @extend_schema(
        operation_id="cases_experts_create",
        summary="Record an expert assessment (the legal team)",
        parameters=[CASE_ID],
        request=ExpertCreateSerializer,
        responses={201: ExpertSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        expert = services.expert_add(
            case_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(ExpertSerializer(expert).data, status=status.HTTP_201_CREATED)


class ExpertDetailView(APIView):
    @extend_schema(
        operation_id="experts_update",
        summary="Change an expert assessment (the legal team)",
        description="Only the fields sent change; a date sent as null clears it.",
        parameters=[EXPERT_ID],
        request=ExpertUpdateSerializer,
        responses={200: ExpertSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, expert_id: str) -> Response:
        pk = inputs.object_id(expert_id, what="expert assessment")
        body = inputs.body_object(request.data)
        only_these_fields(body, ExpertUpdateSerializer, "the assessment's fields")
        expert = (
            ExpertAssessment.objects.select_related("case")
            .filter(pk=pk, case__in=Case.objects.visible_to(request.user))
            .first()
        )
        if expert is None:
            raise NotFound(services.EXPERT_NOT_FOUND)
        current = {
            "assessment_type": expert.assessment_type,
            "expert": expert.expert,
            "done_in_pre_proceedings": expert.done_in_pre_proceedings,
            **{name: _iso(getattr(expert, name)) for name in EXPERT_DATES},
        }
        saved = services.expert_update(
            expert_id=pk,
            actor=request.user,
            data=merged(current, body),
            expected_version=_version(body, expert.case),
        )
        return Response(ExpertSerializer(saved).data)


# --- the 26 weeks ---------------------------------------------------------------------------


class TimetableView(APIView):
    @extend_schema(
        operation_id="cases_timetable_retrieve",
        summary="Each child's 26 weeks, the extensions, and HMCTS's 'at risk' test in words",
        description=(
            "At risk: the case management hearing later than 24 days after issue, the issues "
            "resolution hearing later than 140, or the final hearing later than 182."
        ),
        parameters=[CASE_ID],
        responses={200: TimetableSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, case_id: str) -> Response:
        return Response(timetable_body(visible_case(request, case_id)))


class TimetableExtensionsView(APIView):
    @extend_schema(
        operation_id="cases_timetable_extensions_create",
        summary="Record the court's extension of the 26 weeks (the legal team)",
        description=(
            "At most 8 weeks at a time (400 otherwise: record a longer one as two decisions), "
            "with reasons and the judge who approved it, for the children named (default: "
            "every child of the case)."
        ),
        parameters=[CASE_ID],
        request=TimetableExtensionCreateSerializer,
        responses={201: TimetableExtensionSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        extension = services.timetable_extend(
            case_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(
            TimetableExtensionSerializer(extension).data, status=status.HTTP_201_CREATED
        )


class ChildJoinedView(APIView):
    @extend_schema(
        operation_id="cases_child_joined",
        summary="A child joined the application later (a baby born during proceedings)",
        description="The child's own 26 weeks run from issued_on. Answers the timetable.",
        parameters=[CASE_ID, CHILD_ID],
        request=ChildJoinedSerializer,
        responses={200: TimetableSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: str, member_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        child = inputs.object_id(member_id, what="child")
        body = inputs.body_object(request.data)
        services.child_join_application(
            case_id=pk,
            child_id=child,
            actor=request.user,
            data=body,
            expected_version=inputs.version(body),
        )
        return Response(timetable_body(visible_case(request, case_id)))
