"""JSON API for the schedule of expectations and letters (mounted under /api/v1/).

Thin, like legaltracker/cases/api.py: parse the request, call one service or selector,
render. Domain errors become `{"detail": ...}` answers in legaltracker.api.errors.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legaltracker.api import inputs
from legaltracker.api.errors import error_responses as errors
from legaltracker.cases.models import Case
from legaltracker.core.downloads import attachment
from legaltracker.core.errors import InvalidInput, NotFound

from . import selectors, services
from .models import Expectation, Letter
from .serializers import (
    ExpectationCreateSerializer,
    ExpectationReviewCreateSerializer,
    ExpectationSerializer,
    ExpectationUpdateSerializer,
    ExpectationWithVersionSerializer,
    LetterApproveSerializer,
    LetterCreateSerializer,
    LetterDetailsSerializer,
    LetterDetailsUpdateSerializer,
    LetterSentSerializer,
    LetterSerializer,
    PlainLanguageCheckSerializer,
    TranslationActionSerializer,
)
from .services import translations

CASE_ID = OpenApiParameter(
    "case_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The case's id"
)
EXPECTATION_ID = OpenApiParameter(
    "expectation_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The expectation's id"
)
LETTER_ID = OpenApiParameter(
    "letter_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The letter's id"
)


def visible_case(request: Request, case_id: str) -> Case:
    pk = inputs.object_id(case_id, what="case")
    case = Case.objects.visible_to(request.user).filter(pk=pk).first()
    if case is None:
        raise NotFound(services.CASE_NOT_FOUND)
    return case


def visible_letter(request: Request, letter_id: str) -> Letter:
    pk = inputs.object_id(letter_id, what="letter")
    letter = (
        Letter.objects.select_related(
            "recipient",
            "recipient_child",
            "generated_by",
            "approved_by",
            "sent_by",
            "overridden_by",
            "plain_language_checked_by",
        )
        .filter(pk=pk, case__in=Case.objects.visible_to(request.user))
        .first()
    )
    if letter is None:
        raise NotFound(services.LETTER_NOT_FOUND)
    return letter


def expectation_body(expectation_id: int) -> dict[str, Any]:
    expectation = (
        Expectation.objects.select_related("case")
        .prefetch_related("adults", "reviews__recorded_by")
        .get(pk=expectation_id)
    )
    return ExpectationWithVersionSerializer(expectation).data


# --- the schedule of expectations ----------------------------------------------------------


class CaseExpectationsView(APIView):
    @extend_schema(
        operation_id="cases_expectations_list",
        summary="The case's schedule of expectations, in order, with every review",
        parameters=[CASE_ID],
        responses={200: ExpectationSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = visible_case(request, case_id)
        rows = selectors.expectations_for_case(case.pk, include_withdrawn=True).prefetch_related(
            "reviews__recorded_by"
        )
        return Response(ExpectationSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="cases_expectations_create",
        summary="Add an item to the schedule of expectations",
        parameters=[CASE_ID],
        request=ExpectationCreateSerializer,
        responses={201: ExpectationWithVersionSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        expectation = services.expectation_create(
            case_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(expectation_body(expectation.pk), status=status.HTTP_201_CREATED)


class CaseExpectationReviewView(APIView):
    @extend_schema(
        operation_id="cases_expectations_review",
        summary="Record a review: the status of every current expectation on a date",
        description="Statuses: met, partly_met, not_met, not_yet_due (only before the item's "
        "date). Recording the same date again replaces that review.",
        parameters=[CASE_ID],
        request=ExpectationReviewCreateSerializer,
        responses={200: ExpectationSerializer(many=True), **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        services.expectation_review(
            case_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        rows = selectors.expectations_for_case(pk).prefetch_related("reviews__recorded_by")
        return Response(ExpectationSerializer(rows, many=True).data)


class ExpectationDetailView(APIView):
    @extend_schema(
        operation_id="expectations_update",
        summary="Change an expectation, or withdraw it with a reason",
        parameters=[EXPECTATION_ID],
        request=ExpectationUpdateSerializer,
        responses={200: ExpectationWithVersionSerializer, **errors(400, 403, 404, 409)},
    )
    def patch(self, request: Request, expectation_id: str) -> Response:
        pk = inputs.object_id(expectation_id, what="expectation")
        body = inputs.body_object(request.data)
        services.expectation_update(
            expectation_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(expectation_body(pk))


# --- the letter details ------------------------------------------------------------------------


class LetterDetailsView(APIView):
    @extend_schema(
        operation_id="cases_letter_details_retrieve",
        summary="What the case's letters say beyond the case record (concerns, meeting, ...)",
        parameters=[CASE_ID],
        responses={200: LetterDetailsSerializer, **errors(400, 404)},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = visible_case(request, case_id)
        details = selectors.letter_details(case.pk)
        if details is None:
            raise NotFound("No letter details are recorded for this case yet.")
        return Response(LetterDetailsSerializer(details).data)

    @extend_schema(
        operation_id="cases_letter_details_update",
        summary="Set the concerns, assessments, meeting and contacts that letters use",
        parameters=[CASE_ID],
        request=LetterDetailsUpdateSerializer,
        responses={200: LetterDetailsSerializer, **errors(400, 403, 404, 409)},
    )
    def patch(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        body = inputs.body_object(request.data)
        details = services.letter_details_update(
            case_id=pk, actor=request.user, data=body, expected_version=inputs.version(body)
        )
        return Response(LetterDetailsSerializer(details).data)


# --- letters --------------------------------------------------------------------------------------


class CaseLettersView(APIView):
    @extend_schema(
        operation_id="cases_letters_list",
        summary="The case's letters, newest first",
        parameters=[CASE_ID],
        responses={200: LetterSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = visible_case(request, case_id)
        rows = Letter.objects.for_case(case.pk).select_related(
            "recipient",
            "recipient_child",
            "generated_by",
            "approved_by",
            "sent_by",
            "overridden_by",
            "plain_language_checked_by",
        )
        return Response(LetterSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="cases_letters_create",
        summary="Make a draft letter for one recipient",
        description="Renders the kind's template from the case as it is now, scores its "
        "readability and stores the file. 400 when the case cannot have this kind of letter "
        "now (the message says why).",
        parameters=[CASE_ID],
        request=LetterCreateSerializer,
        responses={201: LetterSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, case_id: str) -> Response:
        pk = inputs.object_id(case_id, what="case")
        letter = services.letter_generate(
            case_id=pk, actor=request.user, data=inputs.body_object(request.data)
        )
        letter = visible_letter(request, str(letter.pk))
        return Response(
            LetterSerializer(letter, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class LetterDetailView(APIView):
    @extend_schema(
        operation_id="letters_retrieve",
        summary="One letter: its status, readability report and download links",
        parameters=[LETTER_ID],
        responses={200: LetterSerializer, **errors(400, 404)},
    )
    def get(self, request: Request, letter_id: str) -> Response:
        letter = visible_letter(request, letter_id)
        return Response(LetterSerializer(letter, context={"request": request}).data)


class LetterApproveView(APIView):
    @extend_schema(
        operation_id="letters_approve",
        summary="Approve a draft letter (team manager, head of service or lawyer)",
        description="Runs every approval check (docs/letters-approval.md): the concerns and "
        "the schedule of expectations, the meeting (a working day, enough notice, not past), "
        "the legal contact and the local solicitors, the readability targets (English), "
        "unexplained jargon, and for a Welsh letter the plain-language check and the "
        "template's translation review. A letter that fails any is refused with 400 and "
        "each failure in `errors.checks`, unless `override_reason` is given by the case's "
        "team manager or a head of service; the failed checks are then kept on the letter "
        "(`gate_report`) and in the case history.",
        parameters=[LETTER_ID],
        request=LetterApproveSerializer,
        responses={200: LetterSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, letter_id: str) -> Response:
        pk = inputs.object_id(letter_id, what="letter")
        services.letter_approve(
            letter_id=pk, actor=request.user, data=inputs.body_object(request.data or {})
        )
        letter = visible_letter(request, str(pk))
        return Response(LetterSerializer(letter, context={"request": request}).data)


class LetterPlainLanguageCheckView(APIView):
    @extend_schema(
        operation_id="letters_plain_language_check",
        summary="Record that a person checked the Welsh of a draft letter is plain",
        description="For a Welsh or bilingual draft: the readability scorer counts English "
        "only, so a person who reads Welsh checks the letter instead. Whoever may draft "
        "the case's letters may record it; it is kept on the letter and in the case history.",
        parameters=[LETTER_ID],
        request=PlainLanguageCheckSerializer,
        responses={200: LetterSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, letter_id: str) -> Response:
        pk = inputs.object_id(letter_id, what="letter")
        services.letter_plain_language_check(
            letter_id=pk, actor=request.user, data=inputs.body_object(request.data or {})
        )
        letter = visible_letter(request, str(pk))
        return Response(LetterSerializer(letter, context={"request": request}).data)


class LetterSentView(APIView):
    @extend_schema(
        operation_id="letters_sent",
        summary="Record that an approved letter was sent (date and how)",
        description="For a letter before proceedings or a letter of issue this also records "
        "the case event (letter_before_proceedings_sent, letter_of_issue_sent), which starts "
        "the deadlines that follow from it.",
        parameters=[LETTER_ID],
        request=LetterSentSerializer,
        responses={200: LetterSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, letter_id: str) -> Response:
        pk = inputs.object_id(letter_id, what="letter")
        services.letter_record_sent(
            letter_id=pk, actor=request.user, data=inputs.body_object(request.data)
        )
        letter = visible_letter(request, str(pk))
        return Response(LetterSerializer(letter, context={"request": request}).data)


class _IgnoreFormatParameter(DefaultContentNegotiation):
    """`?format=` names the file format here, not DRF's response renderer: errors are
    always JSON."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class LetterDownloadView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _IgnoreFormatParameter

    @extend_schema(
        operation_id="letters_download",
        summary="Download the letter as Word (docx) or PDF",
        description="Every download is written to the case's audit trail. 503 when the "
        "server cannot make PDFs (LibreOffice not installed).",
        parameters=[
            LETTER_ID,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["docx", "pdf"], default="docx"),
        ],
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ): OpenApiResponse(OpenApiTypes.BINARY, description="The Word file"),
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF"),
            **errors(400, 404, 503),
        },
    )
    def get(self, request: Request, letter_id: str) -> FileResponse:
        pk = inputs.object_id(letter_id, what="letter")
        download = services.letter_download(
            letter_id=pk,
            actor=request.user,
            file_format=str(request.query_params.get("format", "docx")),
        )
        return attachment(download)


class LetterTranslationView(APIView):
    @extend_schema(
        operation_id="letters_translation",
        summary="Attach a letter's translation, or record why it goes without one",
        description="For an English letter to an adult whose language has no template. "
        '{"action": "attach", "file_name": "x.pdf", "content_base64": "..."} (a .docx or '
        '.pdf, anyone who may draft letters on the case) or {"action": "waive", "reason": '
        '"..."} (the case\'s team manager or a head of service). Until one of them, the '
        "letter cannot be recorded as sent. Audited.",
        parameters=[LETTER_ID],
        request=TranslationActionSerializer,
        responses={200: LetterSerializer, **errors(400, 403, 404)},
    )
    def post(self, request: Request, letter_id: str) -> Response:
        pk = visible_letter(request, letter_id).pk
        body = inputs.body_object(request.data)
        action = body.get("action")
        if action == "attach":
            name, content = body.get("file_name"), body.get("content_base64")
            if not isinstance(name, str) or not name.strip():
                raise InvalidInput(
                    "Give the file's name (ending .docx or .pdf).",
                    field_errors={"file_name": ["Give the file's name."]},
                )
            try:
                data = base64.b64decode(content, validate=True) if isinstance(content, str) else b""
            except (binascii.Error, ValueError):
                data = None
            if not data:
                raise InvalidInput(
                    "Send the file as base64 in content_base64.",
                    field_errors={"content_base64": ["Send the file as base64."]},
                )
            translations.translation_attach(
                letter_id=pk, actor=request.user, file_name=name, data=data
            )
        elif action == "waive":
            translations.translation_waive(letter_id=pk, actor=request.user, data=body)
        else:
            raise InvalidInput(
                "Choose the action attach or waive.",
                field_errors={"action": ["Choose attach or waive."]},
            )
        letter = visible_letter(request, str(pk))
        return Response(LetterSerializer(letter, context={"request": request}).data)
