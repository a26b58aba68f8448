"""The forms on the case page: one Django form per transition, one per recorded event
kind, the correction of an event and the opening of a case.

A form parses what a person typed (dates as day/month/year, blank repeated rows
ignored) and hands the service the plain dict it expects (`service_data`). The service
stays the judge of what is allowed: `apply_domain_error` puts its refusals back on the
form, each field error on the field it is about.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from legaltracker.accounts.models import Role, Team
from legaltracker.cases import day1
from legaltracker.cases.choices import (
    CLOSE_OUTCOMES,
    FINAL_ORDER_OUTCOMES,
    AttendeeRole,
    CorrespondenceLanguage,
    EventKind,
    HearingType,
    Outcome,
    Relationship,
    StepDownTo,
    ThresholdView,
    Transition,
)
from legaltracker.cases.dateconfirm import (
    CONFIRM_FIELD,
    EVENT_DATES,
    TRANSITION_DATES,
    ConfirmsNonWorkingDays,
)
from legaltracker.cases.models import Case, RecordedEvent
from legaltracker.cases.services import EFFECTIVE_QUESTION, SUMMARY_REQUIRED_KINDS
from legaltracker.cases.transitions import TRANSITIONS
from legaltracker.core.forms import (
    DATE_HINT,
    ServiceForm,
    date_field,
    radio_field,
    select_field,
    text_field,
)

ATTENDEE_ROWS = 6
CHILD_ROWS = 4
ADULT_ROWS = 3

_ROW_ERROR = re.compile(r"^(?:Attendee )?(\d+), (\w+): (.*)$", re.DOTALL)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


class CaseVersionForm(ServiceForm):
    """Carries the version of the case the person saw, so that a change made meanwhile
    by someone else is caught (409) instead of silently overwritten."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "This form is incomplete. Reload the case and try again.",
            "invalid": "This form is incomplete. Reload the case and try again.",
            "min_value": "This form is incomplete. Reload the case and try again.",
        },
    )


# --- transitions -----------------------------------------------------------------------


class TransitionForm(ConfirmsNonWorkingDays, CaseVersionForm):
    date_label = "Date of the decision"
    reasons_label = "Reasons"
    reasons_hint = "Say why, in words the family and the court could follow."
    reasons_required = True

    def __init__(self, *args: Any, case: Case, transition: str, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.case = case
        self.transition = transition
        self.user = user
        self.fields["date"] = date_field(self.date_label)
        self.add_fields()
        self.fields["reasons"] = text_field(
            self.reasons_label,
            required=self.reasons_required,
            hint=self.reasons_hint,
            long=True,
            error="Enter the reasons",
        )
        self.add_confirmation(TRANSITION_DATES.get(transition, {}))

    def add_fields(self) -> None:
        """Fields between the date and the reasons."""

    def body_fields(self) -> list[Any]:
        """The visible fields after the date, except repeated rows (rendered as groups) and
        the date's confirmation box (rendered under the date)."""
        return [
            self[name]
            for name in self.fields
            if name not in ("version", "date", CONFIRM_FIELD) and not name.startswith("attendee_")
        ]

    def service_data(self) -> dict[str, Any]:
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("version", "date", CONFIRM_FIELD)
        }
        data["date"] = _iso(self.cleaned_data.get("date"))
        return data


class ReferralForm(TransitionForm):
    date_label = "Date of the referral"


class GatewayForm(TransitionForm):
    date_label = "Date of the gateway meeting"
    reasons_label = "Reasons for the decision"

    def add_fields(self) -> None:
        for row in range(1, ATTENDEE_ROWS + 1):
            self.fields[f"attendee_{row}_name"] = text_field("Name", required=False, max_length=200)
            self.fields[f"attendee_{row}_role"] = select_field(
                "Role", AttendeeRole.choices, required=False, error="Choose the attendee's role"
            )
        self.fields["threshold_view"] = radio_field(
            "The meeting's view on threshold",
            ThresholdView.choices,
            error="Choose the meeting's view on threshold",
        )

    def attendee_rows(self) -> list[tuple[int, Any, Any]]:
        return [
            (row, self[f"attendee_{row}_name"], self[f"attendee_{row}_role"])
            for row in range(1, ATTENDEE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        self._rows: list[int] = []
        for row in range(1, ATTENDEE_ROWS + 1):
            name = (cleaned.get(f"attendee_{row}_name") or "").strip()
            role = cleaned.get(f"attendee_{row}_role") or ""
            if not name and not role:
                continue  # a blank row is a row nobody needed
            if not name:
                self.add_error(f"attendee_{row}_name", f"Enter the name of attendee {row}")
            if not role:
                self.add_error(f"attendee_{row}_role", f"Choose the role of attendee {row}")
            self._rows.append(row)
        if not self._rows:
            self.add_error(
                "attendee_1_name",
                "List who attended the gateway meeting, each with a name and a role",
            )
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = {
            "date": _iso(self.cleaned_data["date"]),
            "attendees": [
                {
                    "name": self.cleaned_data[f"attendee_{row}_name"],
                    "role": self.cleaned_data[f"attendee_{row}_role"],
                }
                for row in self._rows
            ],
            "threshold_view": self.cleaned_data["threshold_view"],
            "reasons": self.cleaned_data["reasons"],
        }
        return data

    def route_error(self, key: str, message: str) -> tuple[str | None, str]:
        if key == "attendees":
            match = _ROW_ERROR.match(message)
            rows = getattr(self, "_rows", [])
            if match and int(match[1]) <= len(rows) and match[2] in ("name", "role"):
                row = rows[int(match[1]) - 1]
                return f"attendee_{row}_{match[2]}", f"Attendee {row}: {match[3]}"
            return "attendee_1_name", message
        return super().route_error(key, message)


class GatewayIssueForm(GatewayForm):
    def add_fields(self) -> None:
        super().add_fields()
        self.fields["urgent"] = forms.BooleanField(
            label="This is a short-notice (urgent) issue",
            required=False,
            help_text="The application is then due 1 working day after the decision.",
        )
        self.fields["short_notice_reason"] = text_field(
            "Why issue at short notice",
            required=False,
            long=True,
            hint="Needed when the issue is urgent.",
        )

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["urgent"] = bool(self.cleaned_data.get("urgent"))
        data["short_notice_reason"] = self.cleaned_data.get("short_notice_reason", "")
        return data


class ExtensionForm(TransitionForm):
    date_label = "Date of the decision to extend"
    reasons_label = "Reasons for the extension"

    def add_fields(self) -> None:
        # The approval recorded is the person's own (docs/domain/roles.md): they are the
        # only approver offered, and the service refuses anyone else.
        roles = TRANSITIONS[self.transition].approvers
        pk = getattr(self.user, "pk", None)
        approvers = (
            get_user_model()
            .objects.filter(is_active=True, role__in=roles, pk=pk if pk is not None else 0)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["new_end_date"] = date_field(
            "New end date", hint=f"The date the extension runs to. {DATE_HINT}"
        )
        self.fields["approved_by"] = select_field(
            "Approved by",
            [(u.username, f"{u.display_name} ({u.get_role_display()})") for u in approvers],
            error="Choose who approved the extension",
        )

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["new_end_date"] = _iso(self.cleaned_data["new_end_date"])
        return data


class StepDownForm(TransitionForm):
    date_label = "Date of the decision to step down"
    reasons_label = "Reasons for the decision"
    reasons_hint = "The manager's decision: why the risk no longer needs pre-proceedings."

    def add_fields(self) -> None:
        self.fields["step_down_to"] = radio_field(
            "Step down to", StepDownTo.choices, error="Choose what the case steps down to"
        )


class IssueForm(TransitionForm):
    date_label = "Date the application was issued"
    reasons_label = "Notes"
    reasons_hint = ""
    reasons_required = False

    def add_fields(self) -> None:
        self.fields["court_reference"] = text_field(
            "Court reference",
            max_length=64,
            width="10",
            hint="For example, ZW26C00001",
            error="Enter the court reference",
        )
        self.fields["fgdm_exception_reason"] = text_field(
            "Why a family group decision-making meeting before issue is not in the child's "
            "best interests",
            required=False,
            long=True,
            hint="Only if no meeting was offered or held (s31ZA Children Act 1989).",
        )


class OutcomeForm(TransitionForm):
    date_label = "Date the case closed"

    def add_fields(self) -> None:
        if self.transition == Transition.CONCLUDE_PROCEEDINGS:
            outcomes = FINAL_ORDER_OUTCOMES
            label, error = "Final order", "Choose the final order"
        else:
            outcomes = CLOSE_OUTCOMES
            label, error = "Outcome", "Choose the outcome"
        self.fields["outcome"] = radio_field(
            label, [(o.value, Outcome(o).label) for o in outcomes], error=error
        )


class ConcludeForm(OutcomeForm):
    date_label = "Date of the final order"
    reasons_label = "Notes"
    reasons_hint = ""
    reasons_required = False


TRANSITION_FORMS: dict[str, type[TransitionForm]] = {
    Transition.REFER_TO_GATEWAY: ReferralForm,
    Transition.GATEWAY_CONTINUE_PLAN: GatewayForm,
    Transition.GATEWAY_ENTER_PRE_PROCEEDINGS: GatewayForm,
    Transition.GATEWAY_ISSUE: GatewayIssueForm,
    Transition.EXTEND_PRE_PROCEEDINGS: ExtensionForm,
    Transition.STEP_DOWN: StepDownForm,
    Transition.ESCALATE_TO_GATEWAY: ReferralForm,
    Transition.ISSUE_PROCEEDINGS: IssueForm,
    Transition.EXTEND_TIMETABLE: ExtensionForm,
    Transition.CONCLUDE_PROCEEDINGS: ConcludeForm,
    Transition.CLOSE: OutcomeForm,
}


# --- recorded events -------------------------------------------------------------------

EVENT_DATE_LABELS: dict[str, str] = {
    EventKind.LETTER_BEFORE_PROCEEDINGS_SENT: "Date the letter was sent",
    EventKind.LETTER_OF_ISSUE_SENT: "Date the letter was sent",
    EventKind.FGDM_OFFERED: "Date of the offer",
    EventKind.FGDM_ACCEPTED: "Date the family accepted",
    EventKind.FGDM_DECLINED: "Date the family declined",
    EventKind.FGDM_HELD: "Date of the meeting",
    EventKind.INITIAL_MEETING_HELD: "Date of the meeting",
    EventKind.REVIEW_MEETING_HELD: "Date of the meeting",
    EventKind.ASSESSMENT_COMPLETED: "Date the assessment was completed",
    EventKind.CHANGE_OF_CIRCUMSTANCES: "Date of the change",
    EventKind.MANAGEMENT_OVERSIGHT: "Date of the oversight",
    EventKind.DOCUMENT_READY: "Date the document was ready",
    EventKind.PARTIES_SERVED: "Date the parties were served",
    EventKind.HEARING_LISTED: "Date the hearing was listed",
    EventKind.HEARING_HELD: "Date of the hearing",
    EventKind.NOTE: "Date",
}


_YES_NO = [("yes", "Yes"), ("no", "No")]


class EventFields(ConfirmsNonWorkingDays, ServiceForm):
    """Date, summary and the fields a kind of event adds. `case`: the case it is recorded
    on, for the fields that offer its people (an initial meeting's parents)."""

    def __init__(self, *args: Any, kind: str, case: Case | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["date"] = date_field(EVENT_DATE_LABELS.get(kind, "Date"))
        if kind == EventKind.INITIAL_MEETING_HELD:
            self._add_initial_meeting_fields(case)
        if kind == EventKind.DOCUMENT_READY:
            self.fields["document"] = radio_field(
                "Document",
                [(entry.code, entry.label) for entry in day1.required()],
                error="Choose the document",
            )
        if kind in (EventKind.HEARING_LISTED, EventKind.HEARING_HELD):
            self.fields["hearing_type"] = radio_field(
                "Hearing", HearingType.choices, error="Choose the hearing"
            )
        if kind == EventKind.HEARING_LISTED:
            self.fields["hearing_date"] = date_field(
                "Date of the hearing", hint=f"The date the hearing is listed for. {DATE_HINT}"
            )
        required = kind in SUMMARY_REQUIRED_KINDS
        self.fields["summary"] = text_field(
            "Summary" if required else "Summary (optional)",
            required=required,
            long=True,
            error="Enter a summary",
        )
        self.add_confirmation(EVENT_DATES.get(kind, {}))

    def _add_initial_meeting_fields(self, case: Case | None) -> None:
        """Whether the meeting went ahead as a pre-proceedings meeting, and which parents
        had a solicitor there (docs/decisions.md, 153)."""
        self.fields["effective"] = radio_field(
            EFFECTIVE_QUESTION,
            _YES_NO,
            error="Choose yes if the meeting went ahead as a pre-proceedings meeting, or no",
        )
        self.fields["effective"].help_text = (
            "Choose no if it was cancelled, the parents did not come, or it was held as "
            "another kind of meeting. A meeting that did not go ahead does not start the "
            "pre-proceedings timetable."
        )
        parents = (
            [
                (a.pk, f"{a.first_name} {a.last_name}")
                for a in case.adults.all()
                if a.parental_responsibility
            ]
            if case is not None
            else []
        )
        if case is None or parents:
            self.fields["solicitor_present_for"] = forms.TypedMultipleChoiceField(
                label="Which parents had a solicitor at the meeting?",
                choices=parents,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="Tick each parent with parental responsibility whose solicitor was "
                "there. Leave them all unticked if none had one.",
                error_messages={"invalid_choice": "Choose from the parents listed"},
            )

    def service_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "date": _iso(self.cleaned_data["date"]),
            "summary": self.cleaned_data.get("summary", ""),
        }
        if "effective" in self.fields:
            data["effective"] = self.cleaned_data["effective"] == "yes"
        if "solicitor_present_for" in self.fields:
            data["solicitor_present_for"] = list(self.cleaned_data["solicitor_present_for"])
        for name in ("document", "hearing_type"):
            if name in self.fields:
                data[name] = self.cleaned_data[name]
        if "hearing_date" in self.fields:
            data["hearing_date"] = _iso(self.cleaned_data["hearing_date"])
        return data


class EventForm(EventFields, CaseVersionForm):
    def service_data(self) -> dict[str, Any]:
        return {"kind": self.kind, **super().service_data()}


class CorrectEventForm(EventFields, CaseVersionForm):
    asks_for_unchanged_dates = False

    def __init__(self, *args: Any, event: RecordedEvent, **kwargs: Any):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "date": event.date,
            "summary": event.summary,
            **_event_initial(event),
            **kwargs["initial"],
        }
        super().__init__(*args, kind=event.kind, case=event.case, **kwargs)
        self.event = event
        self.fields["reason_for_change"] = text_field(
            "Reason for the change",
            long=True,
            hint="For example, the date was typed wrongly. The change and its reason are kept "
            "in the case history.",
            error="Enter the reason for the change",
        )

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if not data.get("solicitor_present_for") and "solicitor_present_for" not in (
            self.event.details
        ):
            # Nothing ticked on a meeting recorded without the question: still not recorded.
            data.pop("solicitor_present_for", None)
        return {**data, "reason_for_change": self.cleaned_data["reason_for_change"]}


def _event_initial(event: RecordedEvent) -> dict[str, Any]:
    initial = {k: v for k, v in event.details.items() if k in ("document", "hearing_type")}
    if isinstance(event.details.get("effective"), bool):
        initial["effective"] = "yes" if event.details["effective"] else "no"
    if isinstance(event.details.get("solicitor_present_for"), list):
        initial["solicitor_present_for"] = event.details["solicitor_present_for"]
    if event.details.get("hearing_date"):
        with contextlib.suppress(ValueError):
            initial["hearing_date"] = dt.date.fromisoformat(event.details["hearing_date"])
    return initial


# --- opening a case --------------------------------------------------------------------

_CHILD_TEXT = ("first_name", "last_name", "date_of_birth", "expected_date_of_birth")
_ADULT_TEXT = (
    "first_name",
    "last_name",
    "relationship",
    "address",
    "email",
    "phone",
    "preferred_language",
)
_ADULT_FLAGS = ("parental_responsibility", "interpreter_needed", "advocate_needed")


class CaseCreateForm(ServiceForm):
    """Opens a case: team, social worker, children and adults (blank rows ignored)."""

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any):
        super().__init__(*args, **kwargs)
        workers = (
            get_user_model()
            .objects.filter(
                is_active=True,
                role__in=(Role.SOCIAL_WORKER, Role.TEAM_MANAGER),
                team__in=teams,
            )
            .select_related("team")
            .order_by("team__name", "last_name", "first_name", "username")
        )
        self.fields["team"] = select_field(
            "Team", [(t.code, t.name) for t in teams], error="Choose the team"
        )
        worker_choices = []
        for u in workers:
            assert u.team is not None  # filtered on team__in above
            worker_choices.append((u.username, f"{u.display_name} ({u.team.name})"))
        self.fields["social_worker"] = select_field(
            "Social worker",
            worker_choices,
            error="Choose the social worker",
        )
        self.fields["opened_on"] = date_field(
            "Date the case opened", required=False, hint=f"Leave blank for today. {DATE_HINT}"
        )
        self.fields["unborn_baby"] = forms.BooleanField(
            label="The family is expecting a baby who is part of this case", required=False
        )
        self.fields["previous_case"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        for row in range(1, CHILD_ROWS + 1):
            self.fields[f"child_{row}_first_name"] = text_field(
                "First name", required=False, max_length=100, hint="Leave blank for an unborn baby."
            )
            self.fields[f"child_{row}_last_name"] = text_field(
                "Last name", required=False, max_length=100
            )
            self.fields[f"child_{row}_date_of_birth"] = date_field("Date of birth", required=False)
            self.fields[f"child_{row}_expected_date_of_birth"] = date_field(
                "Expected date of birth", required=False, hint="For an unborn baby."
            )
        for row in range(1, ADULT_ROWS + 1):
            self.fields[f"adult_{row}_first_name"] = text_field(
                "First name", required=False, max_length=100
            )
            self.fields[f"adult_{row}_last_name"] = text_field(
                "Last name", required=False, max_length=100
            )
            self.fields[f"adult_{row}_relationship"] = select_field(
                "Relationship to the children",
                Relationship.choices,
                required=False,
                error="Choose the relationship",
            )
            self.fields[f"adult_{row}_parental_responsibility"] = forms.BooleanField(
                label="Has parental responsibility", required=False
            )
            self.fields[f"adult_{row}_address"] = text_field(
                "Address", required=False, long=True, max_length=1000
            )
            self.fields[f"adult_{row}_email"] = text_field(
                "Email address", required=False, max_length=254
            )
            self.fields[f"adult_{row}_phone"] = text_field(
                "Phone number", required=False, max_length=40, width="20"
            )
            self.fields[f"adult_{row}_preferred_language"] = text_field(
                "Preferred language",
                required=False,
                max_length=60,
                width="20",
                hint="Leave blank for English.",
            )
            self.fields[f"adult_{row}_interpreter_needed"] = forms.BooleanField(
                label="Needs an interpreter", required=False
            )
            self.fields[f"adult_{row}_advocate_needed"] = forms.BooleanField(
                label="Needs an advocate", required=False
            )

    def child_rows(self) -> list[tuple[int, list[Any]]]:
        return [
            (row, [self[f"child_{row}_{name}"] for name in _CHILD_TEXT])
            for row in range(1, CHILD_ROWS + 1)
        ]

    def adult_rows(self) -> list[tuple[int, list[Any]]]:
        return [
            (row, [self[f"adult_{row}_{name}"] for name in (*_ADULT_TEXT, *_ADULT_FLAGS)])
            for row in range(1, ADULT_ROWS + 1)
        ]

    def _filled(self, prefix: str, names: tuple[str, ...], rows: int) -> list[int]:
        return [
            row
            for row in range(1, rows + 1)
            if any(self.cleaned_data.get(f"{prefix}_{row}_{name}") for name in names)
        ]

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        self._child_rows = self._filled("child", _CHILD_TEXT, CHILD_ROWS)
        self._adult_rows = self._filled("adult", _ADULT_TEXT, ADULT_ROWS)
        children = [
            {
                "first_name": cd[f"child_{row}_first_name"],
                "last_name": cd[f"child_{row}_last_name"],
                "date_of_birth": _iso(cd[f"child_{row}_date_of_birth"]),
                "expected_date_of_birth": _iso(cd[f"child_{row}_expected_date_of_birth"]),
            }
            for row in self._child_rows
        ]
        adults = [
            {
                **{name: cd[f"adult_{row}_{name}"] for name in _ADULT_TEXT},
                **{name: bool(cd[f"adult_{row}_{name}"]) for name in _ADULT_FLAGS},
            }
            for row in self._adult_rows
        ]
        data: dict[str, Any] = {
            "team": cd["team"],
            "social_worker": cd["social_worker"],
            "opened_on": _iso(cd.get("opened_on")),
            "unborn_baby": bool(cd.get("unborn_baby")),
            "children": children,
            "adults": adults,
        }
        if cd.get("previous_case"):
            data["previous_case"] = cd["previous_case"]
        return data

    def route_error(self, key: str, message: str) -> tuple[str | None, str]:
        if key in ("children", "adults"):
            prefix, rows = (
                ("child", getattr(self, "_child_rows", []))
                if key == "children"
                else ("adult", getattr(self, "_adult_rows", []))
            )
            match = _ROW_ERROR.match(message)
            if match and int(match[1]) <= len(rows):
                row = rows[int(match[1]) - 1]
                name = f"{prefix}_{row}_{match[2]}"
                if name in self.fields:
                    noun = "Child" if prefix == "child" else "Adult"
                    return name, f"{noun} {row}: {match[3]}"
            return f"{prefix}_1_last_name", message
        if key == "previous_case":
            return None, message
        return super().route_error(key, message)


# --- less typing: Day 1 documents together, attendees filled in, people, reassigning ------
# (docs/decisions.md, "Fit for a working day")


class Day1DocumentsForm(CaseVersionForm):
    """One tick box and date per Day 1 document not yet recorded as ready; the date is
    today unless changed. Every ticked document is recorded in one go, or none."""

    def __init__(
        self, *args: Any, ready: dict[str, dt.date], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ready = ready
        # The council's checklist (cases/day1.py); an item switched off still shows when
        # it was recorded as ready.
        self.documents = [
            entry for entry in day1.checklist() if entry.active or entry.code in ready
        ]
        self._labels = {entry.code: entry.label for entry in self.documents}
        self.open_documents = [doc for doc in self.documents if doc.code not in ready]
        for doc in self.open_documents:
            self.fields[f"{doc.code}_ready"] = forms.BooleanField(
                label=f"{doc.label} is ready", required=False
            )
            self.fields[f"{doc.code}_date"] = date_field(
                f"Date the {_lower_first(doc.label)} was ready", required=False
            )
            self.fields[f"{doc.code}_date"].initial = today

    def rows(self) -> list[tuple[Any, dt.date | None, Any, Any]]:
        """(document, ready on, tick box, date): the recorded ones without fields."""
        return [
            (
                doc,
                self.ready.get(doc.code),
                self[f"{doc.code}_ready"] if doc.code not in self.ready else None,
                self[f"{doc.code}_date"] if doc.code not in self.ready else None,
            )
            for doc in self.documents
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None
        self._ticked = [d.code for d in self.open_documents if cleaned.get(f"{d.code}_ready")]
        for value in self._ticked:
            if not cleaned.get(f"{value}_date") and f"{value}_date" not in self.errors:
                label = self._labels[value]
                self.add_error(
                    f"{value}_date", f"Enter the date the {_lower_first(label)} was ready"
                )
        if not self._ticked and self.open_documents:
            first = self.open_documents[0].code
            self.add_error(f"{first}_ready", "Tick at least one document that is ready")
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {
            "documents": [
                {"document": value, "date": _iso(self.cleaned_data[f"{value}_date"])}
                for value in self._ticked
            ]
        }

    def route_error(self, key: str, message: str) -> tuple[str | None, str]:
        if key == "documents":
            match = _ROW_ERROR.match(message)
            ticked = getattr(self, "_ticked", [])
            if match and int(match[1]) <= len(ticked):
                value = ticked[int(match[1]) - 1]
                name = f"{value}_date" if match[2] == "date" else f"{value}_ready"
                return name, f"{self._labels[value]}: {match[3]}"
            return None, message
        return super().route_error(key, message)


def _lower_first(text: str) -> str:
    return f"{text[0].lower()}{text[1:]}" if text else text


def gateway_attendees_initial(case: Case, *, team_managers: list[Any], user: Any) -> dict[str, str]:
    """The gateway form's attendee rows filled in (values a person may change): the
    attendees of the case's last gateway decision, or else its social worker, the team's
    managers and the person recording it, when a head of service (the chair) or a lawyer."""
    decisions = sorted(case.gateway_decisions.all(), key=lambda g: (g.meeting_date, g.pk))
    rows: list[tuple[str, str]] = []
    if decisions:
        rows = [
            (str(a.get("name", "")), str(a.get("role", "")))
            for a in decisions[-1].attendees or []
            if isinstance(a, dict) and a.get("name")
        ]
    else:
        rows.append((case.social_worker.display_name, AttendeeRole.SOCIAL_WORKER))
        rows += [(u.display_name, AttendeeRole.TEAM_MANAGER) for u in team_managers]
        own_role = {Role.HEAD_OF_SERVICE: AttendeeRole.CHAIR, Role.LEGAL: AttendeeRole.LEGAL}
        if getattr(user, "role", None) in own_role:
            rows.append((user.display_name, own_role[user.role]))
    initial: dict[str, str] = {}
    for row, (name, role) in enumerate(rows[:ATTENDEE_ROWS], start=1):
        initial[f"attendee_{row}_name"] = name
        initial[f"attendee_{row}_role"] = role if role in AttendeeRole.values else ""
    return initial


class ReassignForm(CaseVersionForm):
    def __init__(self, *args: Any, workers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["social_worker"] = radio_field(
            "New social worker",
            [(u.username, f"{u.display_name} ({u.get_role_display()})") for u in workers],
            error="Choose the social worker the case goes to",
        )
        self.fields["reason"] = text_field(
            "Reason (optional)",
            required=False,
            long=True,
            rows=3,
            max_length=2000,
            hint="For example, a change of caseloads. It is kept in the case history.",
        )

    def service_data(self) -> dict[str, Any]:
        return {
            "social_worker": self.cleaned_data["social_worker"],
            "reason": self.cleaned_data.get("reason", ""),
        }


NO_LAWYER = "none"


class AllocateLawyerForm(CaseVersionForm):
    """The case's lawyer: one of the active lawyers, or none (only offered when the case
    has one, to take the allocation away)."""

    def __init__(self, *args: Any, lawyers: list[Any], current: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (str(u.pk), u.display_name) for u in lawyers if u.pk != getattr(current, "pk", None)
        ]
        if current is not None:
            choices.append((NO_LAWYER, "No lawyer: take the allocation away"))
        self.fields["allocated_lawyer"] = radio_field(
            "Lawyer", choices, error="Choose the lawyer the case goes to"
        )
        self.fields["reason"] = text_field(
            "Reason (optional)",
            required=False,
            long=True,
            rows=3,
            max_length=2000,
            hint="For example, a change of caseloads. It is kept in the case history.",
        )

    def service_data(self) -> dict[str, Any]:
        chosen = self.cleaned_data["allocated_lawyer"]
        return {
            "allocated_lawyer": None if chosen == NO_LAWYER else int(chosen),
            "reason": self.cleaned_data.get("reason", ""),
        }


_SOLICITOR_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


class ChildForm(CaseVersionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"] = text_field(
            "First name", required=False, max_length=100, hint="Leave blank for an unborn baby."
        )
        self.fields["last_name"] = text_field("Last name", max_length=100)
        self.fields["date_of_birth"] = date_field("Date of birth", required=False)
        self.fields["expected_date_of_birth"] = date_field(
            "Expected date of birth", required=False, hint=f"For an unborn baby. {DATE_HINT}"
        )
        self.fields["la_child_id"] = text_field(
            "LA child identifier",
            required=False,
            max_length=10,
            width="10",
            hint="The child's id in the council's main case system, at most 10 characters.",
        )
        # The census identifiers (docs/census.md); the service checks the UPN's letter.
        self.fields["upn"] = text_field(
            "UPN (unique pupil number)",
            required=False,
            max_length=39,
            width="20",
            hint="13 characters from the child's school records, for example A123456789012. "
            "Leave blank if the child has none.",
            attrs={"spellcheck": "false", "autocapitalize": "characters"},
        )
        self.fields["cin_referral_date"] = date_field(
            "CIN referral date",
            required=False,
            hint=f"The date of the referral that opened the child's child in need episode. "
            f"{DATE_HINT}",
        )
        self.fields["cin_episode_id"] = text_field(
            "CIN episode id",
            required=False,
            max_length=20,
            width="20",
            hint="The episode's id in the council's main case system, at most 20 characters.",
        )

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "first_name": cd.get("first_name", ""),
            "last_name": cd["last_name"],
            "date_of_birth": _iso(cd.get("date_of_birth")),
            "expected_date_of_birth": _iso(cd.get("expected_date_of_birth")),
            "la_child_id": cd.get("la_child_id", ""),
            "upn": cd.get("upn", ""),
            "cin_referral_date": _iso(cd.get("cin_referral_date")),
            "cin_episode_id": cd.get("cin_episode_id", ""),
        }


class AdultForm(CaseVersionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"] = text_field("First name", max_length=100)
        self.fields["last_name"] = text_field("Last name", max_length=100)
        self.fields["relationship"] = select_field(
            "Relationship to the children", Relationship.choices, error="Choose the relationship"
        )
        self.fields["parental_responsibility"] = forms.BooleanField(
            label="Has parental responsibility", required=False
        )
        self.fields["address"] = text_field("Address", required=False, long=True, max_length=1000)
        self.fields["email"] = forms.EmailField(
            label="Email address",
            required=False,
            max_length=254,
            error_messages={"invalid": "Enter an email address like name@example.org"},
        )
        self.fields["phone"] = text_field("Phone number", required=False, max_length=40, width="20")
        self.fields["preferred_language"] = text_field(
            "Preferred language",
            required=False,
            max_length=60,
            width="20",
            hint="Leave blank for English.",
        )
        self.fields["interpreter_needed"] = forms.BooleanField(
            label="Needs an interpreter", required=False
        )
        self.fields["advocate_needed"] = forms.BooleanField(
            label="Needs an advocate", required=False
        )
        self.fields["correspondence_language"] = radio_field(
            "Language of their letters",
            CorrespondenceLanguage.choices,
            error="Choose the language of their letters",
            required=False,
        )
        self.fields[
            "correspondence_language"
        ].help_text = "Another language: we send the English letter and ask for a translation."
        self.fields["correspondence_language_other"] = text_field(
            "The other language",
            required=False,
            max_length=60,
            width="20",
            hint="Only when their letters should be in another language.",
        )
        self.fields["easy_read"] = forms.BooleanField(
            label="Needs letters in easy read", required=False
        )
        self.fields["large_print"] = forms.BooleanField(
            label="Needs letters in large print", required=False
        )
        self.fields["has_solicitor"] = radio_field(
            "Has a solicitor", _SOLICITOR_CHOICES, error="Choose whether they have a solicitor"
        )

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            **{
                name: cd.get(name, "")
                for name in ("first_name", "last_name", "relationship", "address", "email")
            },
            "phone": cd.get("phone", ""),
            "preferred_language": cd.get("preferred_language", ""),
            **{name: bool(cd.get(name)) for name in _ADULT_FLAGS},
            "has_solicitor": cd.get("has_solicitor") or "unknown",
            "correspondence_language_other": cd.get("correspondence_language_other", ""),
            "easy_read": bool(cd.get("easy_read")),
            "large_print": bool(cd.get("large_print")),
            # Not chosen: the adult's language stays as it is (English for a new adult).
            **(
                {"correspondence_language": cd["correspondence_language"]}
                if cd.get("correspondence_language")
                else {}
            ),
        }


def person_initial(person: Any) -> dict[str, Any]:
    """A child's or an adult's current details, as the edit form shows them."""
    names = (
        (
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date_of_birth",
            "la_child_id",
            "upn",
            "cin_referral_date",
            "cin_episode_id",
        )
        if hasattr(person, "la_child_id")
        else (
            "first_name",
            "last_name",
            "relationship",
            "parental_responsibility",
            "address",
            "email",
            "phone",
            "preferred_language",
            "interpreter_needed",
            "advocate_needed",
            "correspondence_language",
            "correspondence_language_other",
            "easy_read",
            "large_print",
        )
    )
    initial = {name: getattr(person, name) for name in names}
    if not hasattr(person, "la_child_id"):
        initial["has_solicitor"] = {True: "yes", False: "no"}.get(person.has_solicitor, "unknown")
    return initial


class ChildBornForm(CaseVersionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"] = date_field("Date of birth")
        self.fields["first_name"] = text_field(
            "First name",
            required=False,
            max_length=100,
            hint="Leave blank if the baby has not been named yet.",
        )

    def service_data(self) -> dict[str, Any]:
        return {
            "date_of_birth": _iso(self.cleaned_data["date_of_birth"]),
            "first_name": self.cleaned_data.get("first_name", ""),
        }


# --- extension requests ----------------------------------------------------------------


class ExtensionRequestForm(CaseVersionForm):
    """A team manager's request for a pre-proceedings extension."""

    new_end_date = date_field(
        "New end date", hint=f"The date the extension would run to. {DATE_HINT}"
    )
    reason = text_field(
        "Why the extension is needed",
        long=True,
        hint="What is still to happen, and why it cannot happen by the current date. The "
        "head of service decides on this.",
        error="Say why the extension is needed",
    )

    def service_data(self) -> dict[str, Any]:
        return {
            "new_end_date": _iso(self.cleaned_data["new_end_date"]),
            "reason": self.cleaned_data["reason"],
        }


DECLINE_NEEDS_REASON = "Say why the extension is declined: the team manager is told."


class ExtensionDecisionForm(CaseVersionForm):
    """A head of service's decision on a request."""

    decision = radio_field(
        "Your decision",
        [("approve", "Approve the extension"), ("decline", "Decline it")],
        error="Choose whether to approve or decline the extension",
    )
    reason = text_field(
        "Reason",
        required=False,
        long=True,
        hint="Needed to decline: the team manager is told. Approving records the "
        "extension with you as its approver.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "decline" and not cleaned.get("reason"):
            self.add_error("reason", DECLINE_NEEDS_REASON)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {"decision": self.cleaned_data["decision"], "reason": self.cleaned_data["reason"]}


class ExtensionWithdrawForm(CaseVersionForm):
    """A team manager takes back a request still waiting."""

    reason = text_field("Why you are withdrawing it (optional)", required=False, long=True, rows=2)

    def service_data(self) -> dict[str, Any]:
        return {"decision": "withdraw", "reason": self.cleaned_data["reason"]}
