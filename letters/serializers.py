"""The JSON shapes of the letters API: response bodies, and request bodies for the schema.

Response serializers only render. Request serializers describe what each operation
accepts in the OpenAPI schema; the services parse and check the values themselves, so
that the API and the web forms give the same messages.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import conf, gate
from .choices import (
    ExpectationStatus,
    LetterKind,
    LetterLanguage,
    LetterStatus,
    LetterVariant,
    SendMethod,
)
from .models import Expectation, ExpectationReview, Letter, LetterDetails, TranslationRequest

# --- the schedule of expectations -------------------------------------------------------------


class ExpectationReviewSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = ExpectationReview
        fields = ["reviewed_on", "status", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ExpectationSerializer(serializers.ModelSerializer):
    """One item of the schedule of expectations, with every review of it."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    adults = serializers.SerializerMethodField(help_text="Ids of the adults it applies to")
    reviews = ExpectationReviewSerializer(many=True, read_only=True)
    latest_status = serializers.SerializerMethodField(
        help_text="The status at the latest review; null before the first review"
    )

    class Meta:
        model = Expectation
        fields = [
            "id",
            "case",
            "position",
            "adults",
            "action",
            "why_it_matters",
            "help_offered",
            "how_judged",
            "due_by",
            "withdrawn",
            "withdrawn_reason",
            "latest_status",
            "reviews",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_adults(self, expectation: Expectation) -> list[int]:
        return sorted(adult.pk for adult in expectation.adults.all())

    @extend_schema_field(
        serializers.ChoiceField(choices=ExpectationStatus.choices, allow_null=True)
    )
    def get_latest_status(self, expectation: Expectation) -> str | None:
        reviews = list(expectation.reviews.all())
        return max(reviews, key=lambda r: (r.reviewed_on, r.pk)).status if reviews else None


class ExpectationWithVersionSerializer(ExpectationSerializer):
    case_version = serializers.IntegerField(source="case.version", read_only=True)

    class Meta(ExpectationSerializer.Meta):
        fields = [*ExpectationSerializer.Meta.fields, "case_version"]
        read_only_fields = fields


class ExpectationCreateSerializer(serializers.Serializer):
    adults = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the adults on the case it applies to"
    )
    action = serializers.CharField(help_text="What needs to change: what the adult must do")
    why_it_matters = serializers.CharField(help_text="Why it matters for the child")
    help_offered = serializers.CharField(help_text="The help the council will give")
    how_judged = serializers.CharField(help_text="How we will know it has happened")
    due_by = serializers.DateField(help_text="A real date after today, within a year")
    version = serializers.IntegerField(
        required=False, help_text="The case version you read; 409 if it has changed since."
    )


class ExpectationUpdateSerializer(serializers.Serializer):
    adults = serializers.ListField(child=serializers.IntegerField(), required=False)
    action = serializers.CharField(required=False)
    why_it_matters = serializers.CharField(required=False)
    help_offered = serializers.CharField(required=False)
    how_judged = serializers.CharField(required=False)
    due_by = serializers.DateField(required=False)
    withdrawn = serializers.BooleanField(required=False)
    withdrawn_reason = serializers.CharField(required=False, help_text="Required to withdraw")
    version = serializers.IntegerField(required=False)


class ReviewItemSerializer(serializers.Serializer):
    expectation = serializers.IntegerField(help_text="The expectation's id")
    status = serializers.ChoiceField(choices=ExpectationStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True)


class ExpectationReviewCreateSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The date of the review meeting (not in the future)")
    items = ReviewItemSerializer(many=True, help_text="A status for every current expectation")
    version = serializers.IntegerField(required=False)


# --- the letter details -----------------------------------------------------------------------


class AssessmentSerializer(serializers.Serializer):
    what = serializers.CharField()
    why = serializers.CharField()
    who = serializers.CharField()
    when = serializers.DateField()


class LetterDetailsSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    assessments = AssessmentSerializer(many=True, read_only=True)
    meeting_attendees = serializers.ListField(child=serializers.CharField(), read_only=True)
    meeting_time = serializers.TimeField(format="%H:%M", read_only=True, allow_null=True)
    hearing_time = serializers.TimeField(format="%H:%M", read_only=True, allow_null=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True)

    class Meta:
        model = LetterDetails
        fields = [
            "case",
            "concerns",
            "history",
            "help_given",
            "assessments",
            "meeting_date",
            "meeting_time",
            "meeting_place",
            "meeting_video_link",
            "meeting_attendees",
            "fgdm_how_to_accept",
            "fgdm_exception_reason",
            "legal_contact_name",
            "legal_contact_phone",
            "legal_contact_email",
            "legal_reference",
            "hearing_time",
            "hearing_court",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = fields


class LetterDetailsUpdateSerializer(serializers.Serializer):
    concerns = serializers.CharField(required=False, allow_blank=True)
    history = serializers.CharField(required=False, allow_blank=True)
    help_given = serializers.CharField(required=False, allow_blank=True)
    assessments = AssessmentSerializer(many=True, required=False)
    meeting_date = serializers.DateField(required=False, allow_null=True)
    meeting_time = serializers.CharField(required=False, help_text="HH:MM, 24-hour clock")
    meeting_place = serializers.CharField(required=False, allow_blank=True)
    meeting_video_link = serializers.CharField(
        required=False, allow_blank=True, help_text="https://..."
    )
    meeting_attendees = serializers.ListField(child=serializers.CharField(), required=False)
    fgdm_how_to_accept = serializers.CharField(required=False, allow_blank=True)
    fgdm_exception_reason = serializers.CharField(required=False, allow_blank=True)
    legal_contact_name = serializers.CharField(required=False, allow_blank=True)
    legal_contact_phone = serializers.CharField(required=False, allow_blank=True)
    legal_contact_email = serializers.CharField(required=False, allow_blank=True)
    legal_reference = serializers.CharField(required=False, allow_blank=True)
    hearing_time = serializers.CharField(
        required=False, help_text="The first hearing's time, HH:MM, 24-hour clock"
    )
    hearing_court = serializers.CharField(
        required=False, allow_blank=True, help_text="The court the first hearing is at"
    )
    version = serializers.IntegerField(required=False)


# --- letters ------------------------------------------------------------------------------------


class SentenceSerializer(serializers.Serializer):
    words = serializers.IntegerField()
    text = serializers.CharField()


class JargonSerializer(serializers.Serializer):
    term = serializers.CharField()
    plain = serializers.CharField(help_text="A plain alternative")
    count = serializers.IntegerField()
    explained = serializers.BooleanField(help_text="In the letter's glossary box")


class ReadabilitySerializer(serializers.Serializer):
    words = serializers.IntegerField()
    sentences = serializers.IntegerField()
    syllables = serializers.IntegerField()
    reading_ease = serializers.FloatField(help_text="Flesch reading ease (higher is plainer)")
    grade = serializers.FloatField(help_text="Flesch-Kincaid grade")
    average_sentence_words = serializers.FloatField()
    longest_sentences = SentenceSerializer(many=True)
    long_sentences = SentenceSerializer(many=True, help_text="Sentences over the word limit")
    jargon = JargonSerializer(many=True)
    unexplained_jargon = serializers.ListField(child=serializers.CharField())
    targets = serializers.DictField(child=serializers.FloatField())
    meets_targets = serializers.BooleanField()


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Which check (concerns, meeting_notice, jargon, ...)")
    what = serializers.CharField(help_text="What is checked")
    passed = serializers.BooleanField()
    failure = serializers.CharField(help_text="What to do about it (empty when passed)")


class DownloadLinksSerializer(serializers.Serializer):
    docx = serializers.CharField()
    pdf = serializers.CharField()


class TranslationRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    attached_by = serializers.CharField(
        source="attached_by.username", read_only=True, allow_null=True, default=None
    )
    waived_by = serializers.CharField(
        source="waived_by.username", read_only=True, allow_null=True, default=None
    )
    settled = serializers.BooleanField(
        read_only=True, help_text="Attached, or a manager recorded why it goes without"
    )

    class Meta:
        model = TranslationRequest
        fields = [
            "language",
            "requested_by",
            "requested_at",
            "settled",
            "attached_name",
            "attached_sha256",
            "attached_by",
            "attached_at",
            "waived_reason",
            "waived_by",
            "waived_at",
        ]
        read_only_fields = fields


class LetterSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    kind = serializers.ChoiceField(choices=LetterKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=LetterStatus.choices, read_only=True)
    recipient = serializers.IntegerField(
        source="recipient_id",
        read_only=True,
        allow_null=True,
        help_text="The adult the letter is to (empty for a young person's letter)",
    )
    recipient_child = serializers.IntegerField(
        source="recipient_child_id",
        read_only=True,
        allow_null=True,
        help_text="The child a young person's letter is to (empty otherwise)",
    )
    recipient_name = serializers.SerializerMethodField()
    sent_method = serializers.ChoiceField(
        choices=SendMethod.choices, read_only=True, allow_blank=True
    )
    generated_by = serializers.CharField(source="generated_by.username", read_only=True)
    approved_by = serializers.CharField(
        source="approved_by.username", read_only=True, allow_null=True, default=None
    )
    sent_by = serializers.CharField(
        source="sent_by.username", read_only=True, allow_null=True, default=None
    )
    readability = ReadabilitySerializer(read_only=True)
    approval_gate = serializers.SerializerMethodField(
        help_text="Reading ease needed to approve without a manager's override"
    )
    approval_problems = serializers.SerializerMethodField(
        help_text="The approval checks a draft fails, each as a sentence to act on; a draft "
        "with any needs an override (a reason from a team manager or head of service)"
    )
    approval_checks = serializers.SerializerMethodField(
        help_text="Every approval check of a draft, passed or failed"
    )
    overridden_by = serializers.CharField(
        source="overridden_by.username", read_only=True, allow_null=True, default=None
    )
    gate_report = CheckSerializer(
        many=True, read_only=True, help_text="The checks it failed when approved with an override"
    )
    plain_language_checked_by = serializers.CharField(
        source="plain_language_checked_by.username", read_only=True, allow_null=True, default=None
    )
    download = serializers.SerializerMethodField()
    language = serializers.ChoiceField(choices=LetterLanguage.choices, read_only=True)
    variant = serializers.ChoiceField(choices=LetterVariant.choices, read_only=True)
    translation = serializers.SerializerMethodField(
        help_text="The translation request of an English letter to an adult whose language "
        "has no template (null when there is none)"
    )

    class Meta:
        model = Letter
        fields = [
            "id",
            "case",
            "kind",
            "language",
            "variant",
            "translation",
            "status",
            "recipient",
            "recipient_name",
            "recipient_child",
            "reading_ease",
            "grade",
            "readability",
            "approval_gate",
            "approval_problems",
            "approval_checks",
            "template_sha256",
            "template_source",
            "file_sha256",
            "file_size",
            "pdf_sha256",
            "generated_by",
            "generated_at",
            "approved_by",
            "approved_at",
            "override_reason",
            "overridden_by",
            "gate_report",
            "plain_language_checked_by",
            "plain_language_checked_at",
            "plain_language_note",
            "sent_on",
            "sent_method",
            "sent_by",
            "sent_at",
            "download",
        ]
        read_only_fields = fields

    def get_recipient_name(self, letter: Letter) -> str:
        return letter.addressee_name

    def get_approval_gate(self, letter: Letter) -> float:
        return conf.approval_min_reading_ease()

    def _checks(self, letter: Letter) -> list[gate.Check]:
        if letter.status != LetterStatus.DRAFT:
            return []
        # Read the calendar, the policy and the jargon list once for a list of letters.
        cache: dict[Any, Any] = self.context.setdefault("approval_checks", {})
        if "inputs" not in cache:
            cache["inputs"] = gate.Inputs.load()
        if letter.pk not in cache:
            cache[letter.pk] = gate.approval_checks(letter, inputs=cache["inputs"])
        return list(cache[letter.pk])

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_approval_problems(self, letter: Letter) -> list[str]:
        return [check.failure for check in self._checks(letter) if not check.passed]

    @extend_schema_field(CheckSerializer(many=True))
    def get_approval_checks(self, letter: Letter) -> list[dict[str, Any]]:
        return [check.as_dict() for check in self._checks(letter)]

    @extend_schema_field(TranslationRequestSerializer(allow_null=True))
    def get_translation(self, letter: Letter) -> dict[str, Any] | None:
        request = TranslationRequest.objects.filter(letter_id=letter.pk).first()
        return TranslationRequestSerializer(request).data if request else None

    @extend_schema_field(DownloadLinksSerializer)
    def get_download(self, letter: Letter) -> dict[str, Any]:
        url = reverse("letters_api:letter-download", args=[letter.pk])
        request = self.context.get("request")
        if request is not None:
            url = request.build_absolute_uri(url)
        return {"docx": f"{url}?format=docx", "pdf": f"{url}?format=pdf"}


class LetterCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LetterKind.choices)
    recipient = serializers.IntegerField(
        required=False,
        help_text="The id of an adult on the case (needed unless the variant is young_person)",
    )
    note = serializers.CharField(required=False, help_text="An optional message in the letter")
    language = serializers.ChoiceField(
        choices=LetterLanguage.choices,
        required=False,
        help_text="en, cy (Welsh) or cy_en (bilingual). Default: the recipient's "
        "correspondence language (an adult with another language gets the English letter "
        "and a translation request)",
    )
    variant = serializers.ChoiceField(
        choices=LetterVariant.choices, required=False, help_text="Default: standard"
    )
    child = serializers.IntegerField(
        required=False, help_text="The young person's letter: the id of a child aged 12 or over"
    )


class TranslationActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[("attach", "Attach the translation"), ("waive", "It goes without one")]
    )
    file_name = serializers.CharField(
        required=False, max_length=200, help_text="attach: the file's name, ending .docx or .pdf"
    )
    content_base64 = serializers.CharField(
        required=False,
        help_text="attach: the file, base64-encoded (the request body may be at most 2.5 MB; "
        "attach larger files on the letter's page, up to 10 MB)",
    )
    reason = serializers.CharField(
        required=False,
        max_length=3000,
        help_text="waive: why the letter goes without a translation (team manager or head "
        "of service)",
    )


class LetterApproveSerializer(serializers.Serializer):
    override_reason = serializers.CharField(
        required=False,
        help_text="The override: needed when the letter fails any approval check, and only "
        "a team manager of the case or a head of service may give it",
    )


class PlainLanguageCheckSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, help_text="What was checked (optional)")


class LetterSentSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The date it was sent (not in the future)")
    method = serializers.ChoiceField(choices=SendMethod.choices)
