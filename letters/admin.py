"""Admin for letter templates: an administrator uploads a replacement Word template for a
letter kind. The upload is accepted only if it passes the same checks as the shipped
templates (its variables are ones the kind's builder provides) and renders the invented
sample family into a valid document; the problems are shown on the form otherwise.

Letters and the schedule of expectations are case data: administrators do not edit them
here (docs/domain/roles.md: configuration only).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from legaltracker.core.errors import DomainError

from . import services
from .checks import validate_template
from .choices import LetterLanguage, LetterVariant
from .models import (
    CouncilDetails,
    JargonTerm,
    LetterTemplate,
    LocalSolicitor,
    TemplateTranslationReview,
)
from .registry import current_template, template_exists

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_LOGO_BYTES = 512 * 1024


class LetterTemplateUploadForm(forms.ModelForm):
    file = forms.FileField(
        label="Word template (.docx)",
        help_text="Start from the shipped template of the same kind (templates/letters/docx/) "
        "and keep its {{ ... }} and {% ... %} tags.",
    )

    class Meta:
        model = LetterTemplate
        fields = ["kind", "language", "variant"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out: the English standard letter (as before languages and versions).
        for name in ("language", "variant"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean returns cleaned_data
        upload = cleaned.get("file")
        kind = cleaned.get("kind")
        if upload is None or not kind:
            return cleaned
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        data = upload.read()
        language = cleaned.get("language") or LetterLanguage.ENGLISH
        variant = cleaned.get("variant") or LetterVariant.STANDARD
        report = validate_template(kind, data, language, variant)
        if report["problems"]:
            raise forms.ValidationError(report["problems"])
        self.upload_bytes = data
        self.report = report
        return cleaned


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateUploadForm
    list_display = [
        "kind",
        "language",
        "variant",
        "short_sha",
        "file_name",
        "active",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["kind", "language", "variant", "active"]
    actions = ["deactivate"]

    @admin.display(description="SHA-256")
    def short_sha(self, obj: LetterTemplate) -> str:
        return obj.sha256[:16]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return [
            "kind",
            "language",
            "variant",
            "sha256",
            "file_name",
            "active",
            "uploaded_by",
            "uploaded_at",
            "check_report",
        ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change=change, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Letters made from a template must stay reproducible: templates are kept.
        return False

    def save_model(
        self, request: HttpRequest, obj: LetterTemplate, form: Any, change: bool
    ) -> None:
        if change:
            return
        try:
            created = services.letter_template_upload(
                kind=form.cleaned_data["kind"],
                language=form.cleaned_data.get("language") or LetterLanguage.ENGLISH,
                variant=form.cleaned_data.get("variant") or LetterVariant.STANDARD,
                data=form.upload_bytes,
                file_name=form.cleaned_data["file"].name,
                actor=request.user,
            )
        except DomainError as err:
            messages.error(request, err.message)
            raise
        obj.pk = created.pk
        obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
        readability = (form.report or {}).get("readability", {})
        if not readability:
            messages.info(request, "Template accepted (a Welsh template is not scored).")
            return
        messages.info(
            request,
            "Template accepted. With the sample family it reads at "
            f"{readability.get('reading_ease')} (Flesch reading ease), "
            f"grade {readability.get('grade')}.",
        )

    @admin.action(description="Stop using these templates (go back to the shipped ones)")
    def deactivate(self, request: HttpRequest, queryset: Any) -> None:
        count = services.letter_template_deactivate(
            template_ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        messages.success(request, f"{count} template(s) are no longer used for new letters.")


# --- the council's own details (docs/council-details.md) --------------------------------


def logo_kind(data: bytes) -> str | None:
    """ "PNG" or "JPEG" from the file's first bytes (never from its name), else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    return None


class CouncilDetailsForm(forms.ModelForm):
    logo_file = forms.FileField(
        label="Logo",
        required=False,
        help_text="A PNG or JPEG image, at most 512 KB. It goes at the top of the first page.",
    )
    remove_logo = forms.BooleanField(
        label="Remove the logo (letters use the logo from the settings)", required=False
    )

    class Meta:
        model = CouncilDetails
        fields = [
            "name",
            "department",
            "address",
            "phone",
            "email",
            "website",
            "signatory_name",
            "signatory_role",
            "default_language",
            "bilingual_layout",
        ]
        help_texts = {
            "signatory_name": "Who signs letters for the council, if not the social worker",
        }

    def clean_logo_file(self) -> bytes | None:
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                "The logo is larger than 512 KB. Save it smaller and upload it again."
            )
        data = upload.read()
        if logo_kind(data) is None:
            raise forms.ValidationError(
                "The logo must be a PNG or JPEG image. Save it as one and upload it again."
            )
        return bytes(data)

    def clean_address(self) -> str:
        address = self.cleaned_data.get("address", "")
        lines = [line.strip() for line in address.splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Enter the address, one line on each line.")
        return "\n".join(lines)


@admin.register(CouncilDetails)
class CouncilDetailsAdmin(admin.ModelAdmin):
    """One row: the council's details that every letter carries."""

    form = CouncilDetailsForm
    list_display = ["name", "phone", "email", "has_logo", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]

    @admin.display(boolean=True, description="Logo")
    def has_logo(self, obj: CouncilDetails) -> bool:
        return bool(obj.logo)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One council, one row: change the one there is.
        return super().has_add_permission(request) and not CouncilDetails.objects.exists()

    def save_model(
        self, request: HttpRequest, obj: CouncilDetails, form: Any, change: bool
    ) -> None:
        logo = form.cleaned_data.get("logo_file")
        if logo:
            obj.logo = logo
        elif form.cleaned_data.get("remove_logo"):
            obj.logo = b""
        if request.user.is_authenticated:
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LocalSolicitor)
class LocalSolicitorAdmin(admin.ModelAdmin):
    """The local children-law solicitors that letters to parents list, in order."""

    list_display = ["firm", "phone", "address", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["firm"]


@admin.register(JargonTerm)
class JargonTermAdmin(admin.ModelAdmin):
    """The jargon list: terms a letter must not use unexplained. New letters explain the
    active terms they use in their glossary; approval fails a letter that uses one without
    explaining it (docs/letters-approval.md). A term in capitals (PLO, CP) matches only in
    capitals and as a whole word; other terms match in any case, as whole words."""

    list_display = ["term", "meaning", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["term", "meaning"]
    list_editable = ["active"]
    fields = ["term", "meaning", "active"]


class TranslationReviewForm(forms.ModelForm):
    template_sha256 = forms.CharField(
        required=False,
        max_length=64,
        label="Template checksum (SHA-256)",
        help_text="Leave blank for the template in use now for this kind, language and "
        "version. A new template needs its own review.",
    )

    class Meta:
        model = TemplateTranslationReview
        fields = [
            "kind",
            "language",
            "variant",
            "template_sha256",
            "reviewer_name",
            "reviewed_on",
            "note",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None
        kind, language = cleaned.get("kind"), cleaned.get("language")
        variant = cleaned.get("variant") or LetterVariant.STANDARD
        if not kind or not language:
            return cleaned
        if language == LetterLanguage.ENGLISH:
            raise forms.ValidationError(
                "A translation review is for a Welsh or bilingual template: choose Welsh or "
                "Welsh and English."
            )
        if not template_exists(kind, language, variant):
            raise forms.ValidationError("There is no template of this kind, language and version.")
        digest = (cleaned.get("template_sha256") or "").strip().lower()
        if not digest:
            digest = current_template(kind, language, variant).sha256
        elif len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            self.add_error("template_sha256", "Enter the 64-character SHA-256, or leave it blank.")
        cleaned["template_sha256"] = digest
        return cleaned


@admin.register(TemplateTranslationReview)
class TemplateTranslationReviewAdmin(admin.ModelAdmin):
    """A council's reviewer signs off the Welsh text of a template (by its checksum)."""

    form = TranslationReviewForm
    list_display = ["kind", "language", "variant", "reviewer_name", "reviewed_on", "short_sha"]
    list_filter = ["kind", "language", "variant"]

    @admin.display(description="Template SHA-256")
    def short_sha(self, obj: TemplateTranslationReview) -> str:
        return obj.template_sha256[:16]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["recorded_by", "recorded_at"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: TemplateTranslationReview, form: Any, change: bool
    ) -> None:
        if not change:
            obj.recorded_by = request.user  # type: ignore[assignment] # signed-in admin
        super().save_model(request, obj, form, change)
