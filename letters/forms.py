"""The letters' web forms. Each turns what a person typed into the plain dict a service
takes (`service_data`); the service stays the judge of what is allowed, and its
refusals come back onto the form (`apply_domain_error`)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django import forms

from legaltracker.core.forms import (
    NOT_A_CHOICE,
    ServiceForm,
    choice_field,
    date_field,
    radio_field,
    text_field,
)

from .choices import ExpectationStatus, LetterKind, LetterLanguage, LetterVariant, SendMethod

ASSESSMENT_ROWS = 4

# The services clean what people type and say what is wrong with it, in the same words
# as the API: the form passes text on as typed.
_text = partial(text_field, strip=False)


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


class VersionForm(ServiceForm):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        required=False,
    )

    def versioned(self, data: dict[str, Any]) -> dict[str, Any]:
        return data


class ExpectationForm(VersionForm):
    adults = forms.MultipleChoiceField(
        label="Who this applies to",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one adult this applies to"},
    )
    action = _text(
        "What needs to change",
        error="Enter what needs to change",
        long=True,
        rows=3,
        hint="What the adult needs to do, in short sentences. Say it as you "
        'would to the parent: "Take Amy to school on time every day."',
    )
    why_it_matters = _text(
        "Why it matters for the child",
        error="Enter why it matters for the child",
        long=True,
        rows=3,
    )
    help_offered = _text(
        "The help we will give", error="Enter the help we will give", long=True, rows=3
    )
    how_judged = _text(
        "How we will know it has happened",
        error="Enter how we will know it has happened",
        long=True,
        rows=3,
    )
    due_by = date_field(
        "Date it is expected by", hint='A real date, never "soon". For example, 17/4/2026'
    )

    def __init__(self, *args: Any, adults: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choice_field(self, "adults").choices = [(str(pk), name) for pk, name in adults]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "adults": [int(a) for a in data["adults"]],
            "action": data["action"],
            "why_it_matters": data["why_it_matters"],
            "help_offered": data["help_offered"],
            "how_judged": data["how_judged"],
            "due_by": _iso(data["due_by"]),
        }


class ExpectationEditForm(ExpectationForm):
    withdrawn = forms.BooleanField(
        label="Withdraw this item (it no longer applies)", required=False
    )
    withdrawn_reason = _text("Why it is withdrawn", required=False, long=True, rows=2)

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["withdrawn"] = bool(self.cleaned_data.get("withdrawn"))
        if data["withdrawn"]:
            data["withdrawn_reason"] = self.cleaned_data.get("withdrawn_reason", "")
        return data


class ReviewForm(VersionForm):
    """One status and note per current expectation (fields status_<id>, note_<id>)."""

    date = date_field("Date of the review meeting")

    def __init__(self, *args: Any, expectations: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.expectations = expectations
        for e in expectations:
            self.fields[f"status_{e.pk}"] = radio_field(
                f"Item {e.position}: how is it going?",
                ExpectationStatus.choices,
                error=f"Choose a status for item {e.position}",
                invalid=NOT_A_CHOICE,
            )
            self.fields[f"note_{e.pk}"] = _text(
                f"Item {e.position}: what we said", required=False, long=True, rows=2
            )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(e, self[f"status_{e.pk}"], self[f"note_{e.pk}"]) for e in self.expectations]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "date": _iso(data["date"]),
            "items": [
                {
                    "expectation": e.pk,
                    "status": data[f"status_{e.pk}"],
                    "note": data.get(f"note_{e.pk}", ""),
                }
                for e in self.expectations
            ],
        }


class DetailsForm(VersionForm):
    concerns = _text(
        "Why we are worried",
        required=False,
        long=True,
        rows=5,
        hint="The concerns, in words the family will understand.",
    )
    history = _text("What has happened so far", required=False, long=True, rows=4)
    help_given = _text("The help we have given", required=False, long=True, rows=4)
    meeting_date = date_field("Meeting date", required=False)
    meeting_time = forms.TimeField(
        label="Meeting time",
        required=False,
        help_text="For example, 10:00 or 14:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter a time like 10:00 or 14:30"},
    )
    meeting_place = _text(
        "Meeting place", required=False, hint="The address, or leave blank for a video meeting"
    )
    meeting_video_link = _text("Video link", required=False, hint="A web address starting https://")
    meeting_attendees = _text(
        "Who will be there",
        required=False,
        long=True,
        rows=4,
        hint="One person per line, with their role",
    )
    fgdm_how_to_accept = _text(
        "How to accept the family meeting offer",
        required=False,
        long=True,
        rows=2,
        hint='Finish the sentence "How to say yes:", for example "call Sam on 01632 960 000."',
    )
    fgdm_exception_reason = _text(
        "Why a family meeting is not in the child's best interests",
        required=False,
        long=True,
        rows=3,
        hint="Only if the family meeting will not be offered (s31ZA exception).",
    )
    legal_contact_name = _text("Our lawyer's name", required=False)
    legal_contact_phone = _text("Our lawyer's phone number", required=False)
    legal_contact_email = _text("Our lawyer's email", required=False)
    legal_reference = _text("Our legal reference", required=False)
    hearing_time = forms.TimeField(
        label="First hearing: time",
        required=False,
        help_text="For the letter of issue, once the court has listed the first hearing "
        "(record the hearing's date on the case as 'hearing listed'). For example, 10:00",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter a time like 10:00 or 14:30"},
    )
    hearing_court = _text(
        "First hearing: court", required=False, hint="For example, Eastbrook Family Court"
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for row in range(1, ASSESSMENT_ROWS + 1):
            self.fields[f"assessment_{row}_what"] = _text(
                f"Check {row}: what we will look at", required=False
            )
            self.fields[f"assessment_{row}_why"] = _text(f"Check {row}: why", required=False)
            self.fields[f"assessment_{row}_who"] = _text(
                f"Check {row}: who will do it", required=False
            )
            self.fields[f"assessment_{row}_when"] = date_field(f"Check {row}: when", required=False)

    def route_error(self, key: str, message: str) -> tuple[str | None, str]:
        if key == "assessments":
            return None, message
        return super().route_error(key, message)

    def assessment_rows(self) -> list[list[Any]]:
        return [
            [self[f"assessment_{row}_{part}"] for part in ("what", "why", "who", "when")]
            for row in range(1, ASSESSMENT_ROWS + 1)
        ]

    def main_fields(self) -> list[Any]:
        return [
            self[name]
            for name in self.fields
            if name != "version" and not name.startswith("assessment_")
        ]

    @staticmethod
    def initial_from(details: Any) -> dict[str, Any]:
        if details is None:
            return {}
        initial = {
            name: getattr(details, name)
            for name in (
                "concerns",
                "history",
                "help_given",
                "meeting_date",
                "meeting_time",
                "meeting_place",
                "meeting_video_link",
                "fgdm_how_to_accept",
                "fgdm_exception_reason",
                "legal_contact_name",
                "legal_contact_phone",
                "legal_contact_email",
                "legal_reference",
                "hearing_time",
                "hearing_court",
            )
        }
        initial["meeting_attendees"] = "\n".join(details.meeting_attendees or [])
        for row, item in enumerate(details.assessments or [], start=1):
            if row > ASSESSMENT_ROWS:
                break
            for part in ("what", "why", "who"):
                initial[f"assessment_{row}_{part}"] = item.get(part, "")
            initial[f"assessment_{row}_when"] = dt.date.fromisoformat(item["when"])
        return initial

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data.get(name, "")
            for name in (
                "concerns",
                "history",
                "help_given",
                "meeting_place",
                "meeting_video_link",
                "fgdm_how_to_accept",
                "fgdm_exception_reason",
                "legal_contact_name",
                "legal_contact_phone",
                "legal_contact_email",
                "legal_reference",
                "hearing_court",
            )
        }
        values["meeting_date"] = _iso(data.get("meeting_date"))
        time = data.get("meeting_time")
        values["meeting_time"] = time.strftime("%H:%M") if time else None
        hearing_time = data.get("hearing_time")
        values["hearing_time"] = hearing_time.strftime("%H:%M") if hearing_time else None
        values["meeting_attendees"] = data.get("meeting_attendees", "")
        assessments = []
        for row in range(1, ASSESSMENT_ROWS + 1):
            parts = {p: data.get(f"assessment_{row}_{p}") for p in ("what", "why", "who", "when")}
            if any(parts.values()):
                assessments.append({**parts, "when": _iso(parts["when"])})
        values["assessments"] = assessments
        return values


class LetterCreateForm(ServiceForm):
    kind = radio_field("Which letter", error="Choose which letter to write", invalid=NOT_A_CHOICE)
    recipient = radio_field(
        "Who it is for",
        error="Choose who the letter is for",
        invalid=NOT_A_CHOICE,
        required=False,
    )
    language = radio_field(
        "Language",
        [("", "Each person's own language"), *LetterLanguage.choices],
        error="Choose the language",
        invalid=NOT_A_CHOICE,
        required=False,
    )
    variant = radio_field(
        "Version",
        [("", "Each person's own (easy read for those who asked for it)"), *LetterVariant.choices],
        error="Choose the version",
        invalid=NOT_A_CHOICE,
        required=False,
    )
    child = radio_field(
        "The young person (for their own letter)",
        error="Choose the young person",
        invalid=NOT_A_CHOICE,
        required=False,
    )
    note = _text(
        "A message from you (optional)",
        required=False,
        long=True,
        rows=3,
        hint='Goes in the letter under "A message from your social worker". '
        "Use short sentences and everyday words.",
    )

    EACH_WITH_PR = "each_with_pr"

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        adults: list[tuple[str, str]],
        young_people: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = kinds
        choice_field(self, "recipient").choices = [
            (self.EACH_WITH_PR, "Each adult with parental responsibility (one letter each)"),
            *adults,
        ]
        self.fields["language"].help_text = (
            "Each person's own: Welsh for those who asked for Welsh; another language gets "
            "the English letter and a translation request."
        )
        choice_field(self, "child").choices = young_people or []
        if not young_people:
            del self.fields["child"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        young = data.get("variant") == LetterVariant.YOUNG_PERSON
        if young and "child" in self.fields and not data.get("child"):
            self.add_error("child", "Choose the young person the letter is for")
        if young and "child" not in self.fields:
            self.add_error("variant", "No child on this case is 12 or over")
        if not young and not data.get("recipient") and "recipient" not in self.errors:
            self.add_error("recipient", "Choose who the letter is for")
        return data

    def service_data(self) -> dict[str, Any]:
        data = {
            "kind": self.cleaned_data["kind"],
            "recipient": self.cleaned_data.get("recipient", ""),
            "note": self.cleaned_data.get("note", ""),
        }
        if self.cleaned_data.get("variant"):
            data["variant"] = self.cleaned_data["variant"]
        if self.cleaned_data.get("language"):
            data["language"] = self.cleaned_data["language"]
        if self.cleaned_data.get("child"):
            data["child"] = self.cleaned_data["child"]
        return data


class TranslationAttachForm(ServiceForm):
    file = forms.FileField(
        label="The translated letter",
        help_text="A Word document (.docx) or a PDF, at most 10 MB.",
        error_messages={"required": "Choose the file of the translated letter"},
    )

    def service_data(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        return {"file_name": upload.name, "data": upload.read()}


class TranslationWaiveForm(ServiceForm):
    reason = _text(
        "Why it goes without a translation",
        error="Say why the letter goes without a translation",
        long=True,
        rows=3,
        hint="For example: they read English well and asked for it in English. Recorded in "
        "the case history.",
    )

    def service_data(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class ApproveForm(ServiceForm):
    override_reason = _text(
        "Reason for approving a letter that failed the checks",
        required=False,
        long=True,
        rows=3,
        hint="Only a team manager or a head of service can approve a letter that failed a "
        "check. The reason and the failed checks are kept with the letter and in the case "
        "history.",
    )

    def service_data(self) -> dict[str, Any]:
        return {"override_reason": self.cleaned_data.get("override_reason", "")}


class PlainLanguageForm(ServiceForm):
    note = _text(
        "What you checked (optional)",
        required=False,
        long=True,
        rows=2,
        hint="For example: read the whole letter aloud; changed nothing.",
    )

    def service_data(self) -> dict[str, Any]:
        return {"note": self.cleaned_data.get("note", "")}


class SentForm(ServiceForm):
    date = date_field("Date it was sent")
    method = radio_field(
        "How it was sent", SendMethod.choices, error="Choose how it was sent", invalid=NOT_A_CHOICE
    )

    def service_data(self) -> dict[str, Any]:
        return {"date": _iso(self.cleaned_data["date"]), "method": self.cleaned_data["method"]}


KIND_CHOICES = list(LetterKind.choices)
