"""The forms of the court record's pages (docs/court.md): what a person types, parsed
and handed to `court.services` as the plain mapping it takes. The services stay the
judge of what is allowed; their refusals come back onto the form, each on its field.

A hearing's fields can carry a prefix ("next_hearing-" when a held hearing lists the
next one, "relist-" when an adjourned or vacated one is re-listed): the service reports
its errors under the same names, so they land on the right field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from legaltracker.cases.dateconfirm import CONFIRM_FIELD, ConfirmsNonWorkingDays
from legaltracker.cases.forms import CaseVersionForm
from legaltracker.core.forms import (
    DATE_HINT,
    date_field,
    radio_field,
    select_field,
    text_field,
)

from . import reasons
from .choices import (
    AdvocateKind,
    DirectionParty,
    DirectionStatus,
    DraftOrderBy,
    ExpertType,
    GuardianService,
    HearingKind,
    HearingMode,
    InternationalElement,
    JudgeLevel,
    OrderMade,
    OrderSought,
)

NEXT_HEARING = "next_hearing"
RELIST = "relist"
TIME_HINT = "24-hour clock, for example 10:30"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _centre_choices(centres: list[Any]) -> list[tuple[str, str]]:
    return [(c.code, f"{c.name} ({c.region})" if c.region else c.name) for c in centres]


class Sections:
    """Forms whose fields fall into groups under a heading (a fieldset each)."""

    sections: list[tuple[str, list[str]]] = []

    def field_sections(self) -> list[tuple[str, list[Any]]]:
        """The visible fields in order, in runs that share a heading ("" for none)."""
        form: Any = self
        legend_of = {name: legend for legend, names in self.sections for name in names}
        confirms = list(getattr(form, "confirm_dates", {}))
        if confirms:
            # The confirmation box sits right after the date it confirms.
            legend_of[CONFIRM_FIELD] = legend_of.get(confirms[0], "")
        out: list[tuple[str, list[Any]]] = []
        for field in form.visible_fields():
            legend = legend_of.get(field.name, "")
            if out and out[-1][0] == legend:
                out[-1][1].append(field)
            else:
                out.append((legend, [field]))
        return out


# --- the proceedings and the parties ----------------------------------------------------------


class ProceedingsForm(CaseVersionForm):
    def __init__(self, *args: Any, centres: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court_centre"] = select_field(
            "Court centre",
            _centre_choices(centres),
            required=False,
            error="Choose the court centre from the list",
        )
        self.fields["case_number"] = text_field(
            "Court case number",
            required=False,
            max_length=64,
            width="20",
            hint="The number the court gave the case, for example ZW26C50012.",
        )
        self.fields["judge_level"] = select_field(
            "Level of judge",
            JudgeLevel.choices,
            required=False,
            error="Choose the level of judge from the list",
        )
        self.fields["judge_name"] = text_field("Allocated judge", required=False, max_length=200)
        self.fields["guardian_service"] = radio_field(
            "Children's guardian service",
            GuardianService.choices,
            required=False,
            error="Choose Cafcass or Cafcass Cymru",
        )
        self.fields["guardian_name"] = text_field(
            "Children's guardian", required=False, max_length=200
        )
        self.fields["children_solicitor_firm"] = text_field(
            "Children's solicitor: firm", required=False, max_length=200
        )
        self.fields["children_solicitor_name"] = text_field(
            "Children's solicitor: name", required=False, max_length=200
        )
        self.fields["children_solicitor_phone"] = text_field(
            "Children's solicitor: phone", required=False, max_length=40, width="20"
        )
        self.fields["children_solicitor_email"] = text_field(
            "Children's solicitor: email", required=False, max_length=254
        )
        self.fields["advocate_kind"] = radio_field(
            "Council's advocate",
            AdvocateKind.choices,
            required=False,
            error="Choose an in-house lawyer or counsel",
        )
        self.fields["advocate_name"] = text_field(
            "Council's advocate: name", required=False, max_length=200
        )
        self.fields["orders_sought"] = forms.MultipleChoiceField(
            label="Orders sought",
            choices=OrderSought.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="The orders the application asks for (the application pack lists them).",
            error_messages={"invalid_choice": "Choose from the orders listed"},
        )
        self.fields["international_element"] = radio_field(
            "Is there an international element?",
            InternationalElement.choices,
            required=False,
            error="Choose yes or no",
        )
        self.fields["international_details"] = text_field(
            "International element: details",
            required=False,
            max_length=2000,
            long=True,
            rows=3,
            hint="Only if there is one: for example a parent or carer living abroad, "
            "proceedings in another country or a child's other nationality.",
        )

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name) or ([] if name == "orders_sought" else "")
            for name in self.fields
            if name not in ("version",)
        }


_YES_NO = [("yes", "Yes"), ("no", "No")]


class RepresentationForm(CaseVersionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["represented"] = radio_field(
            "Is this person represented?", _YES_NO, error="Choose yes or no"
        )
        self.fields["firm"] = text_field(
            "Solicitor's firm", required=False, max_length=200, hint="Only if represented."
        )
        self.fields["solicitor_name"] = text_field("Solicitor", required=False, max_length=200)
        self.fields["phone"] = text_field("Phone", required=False, max_length=40, width="20")
        self.fields["email"] = text_field("Email", required=False, max_length=254)

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "represented": cd["represented"] == "yes",
            **{name: cd.get(name, "") for name in ("firm", "solicitor_name", "phone", "email")},
        }


def representation_initial(row: Any) -> dict[str, Any]:
    if row is None:
        return {}
    return {
        "represented": "yes" if row.represented else "no",
        "firm": row.firm,
        "solicitor_name": row.solicitor_name,
        "phone": row.phone,
        "email": row.email,
    }


# --- hearings ---------------------------------------------------------------------------------


def add_hearing_fields(
    form: forms.Form, centres: list[Any], *, prefix: str = "", required: bool = True
) -> list[str]:
    """The fields of a hearing to list, named `<prefix>-<field>` when prefixed; returns
    their names. Optional (`required=False`) for the next or re-listed hearing."""
    p = f"{prefix}-" if prefix else ""
    what = "the next hearing" if prefix == NEXT_HEARING else "the new hearing" if prefix else ""
    of = f" of {what}" if what else ""
    fields: dict[str, forms.Field] = {
        f"{p}kind": select_field(
            f"Type{of}" if what else "Type of hearing",
            HearingKind.choices,
            required=required,
            error="Choose the type of hearing",
        ),
        f"{p}date": date_field(f"Date{of}" if what else "Date of the hearing", required=required),
        f"{p}time": text_field(
            f"Time{of}" if what else "Time",
            required=required,
            max_length=5,
            width="5",
            hint=TIME_HINT,
            error="Enter the time, for example 10:30",
        ),
        f"{p}time_estimate_minutes": text_field(
            "Time estimate in minutes",
            required=False,
            max_length=5,
            width="5",
            hint="For example 90. Leave blank for an hour.",
            attrs={"inputmode": "numeric"},
        ),
        f"{p}court_centre": select_field(
            "Court centre",
            _centre_choices(centres),
            required=False,
            error="Choose the court centre from the list",
        ),
        f"{p}courtroom": text_field("Courtroom", required=False, max_length=100, width="10"),
        f"{p}mode": radio_field(
            "How the hearing is held",
            HearingMode.choices,
            required=False,
            error="Choose in person, remote or hybrid",
        ),
        f"{p}judge_name": text_field("Judge", required=False, max_length=200),
    }
    form.fields.update(fields)
    return list(fields)


def hearing_data(cleaned: dict[str, Any], names: list[str], prefix: str = "") -> dict[str, Any]:
    p = f"{prefix}-" if prefix else ""
    data = {name[len(p) :]: cleaned.get(name) or "" for name in names}
    data["date"] = _iso(cleaned.get(f"{p}date"))
    return data


class HearingListForm(Sections, ConfirmsNonWorkingDays, CaseVersionForm):
    def __init__(self, *args: Any, centres: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hearing_fields = add_hearing_fields(self, centres)
        self.add_confirmation({"date": "hearing"})

    def service_data(self) -> dict[str, Any]:
        data = hearing_data(self.cleaned_data, self.hearing_fields)
        if self.cleaned_data.get(CONFIRM_FIELD):
            data[CONFIRM_FIELD] = True
        return data


class _WithFollowingHearing(Sections, ConfirmsNonWorkingDays, CaseVersionForm):
    """A form that may list another hearing in the same step (all its fields optional;
    the date says whether there is one)."""

    following = NEXT_HEARING
    following_legend = ""

    def add_following(self, centres: list[Any]) -> None:
        self.following_fields = add_hearing_fields(
            self, centres, prefix=self.following, required=False
        )
        self.sections = [(self.following_legend, self.following_fields)]
        self.add_confirmation({f"{self.following}-date": "new hearing"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        p = f"{self.following}-"
        if not cleaned.get(f"{p}date") and f"{p}date" not in self.errors:
            filled = [
                n
                for n in self.following_fields
                if cleaned.get(n) and not n.endswith(("mode", "court_centre"))
            ]
            if filled:
                self.add_error(
                    f"{p}date", "Enter the date of the new hearing, or leave its fields blank."
                )
        elif cleaned.get(f"{p}date"):
            for name, words in (("kind", "Choose the type of hearing"), ("time", "Enter the time")):
                if not cleaned.get(f"{p}{name}") and f"{p}{name}" not in self.errors:
                    self.add_error(f"{p}{name}", f"{words} of the new hearing.")
        return cleaned

    def following_data(self) -> dict[str, Any] | None:
        if not self.cleaned_data.get(f"{self.following}-date"):
            return None
        return hearing_data(self.cleaned_data, self.following_fields, self.following)

    def base_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        following = self.following_data()
        if following is not None:
            data[self.following] = following
        if self.cleaned_data.get(CONFIRM_FIELD):
            data[CONFIRM_FIELD] = True
        return data


class HearingHoldForm(_WithFollowingHearing):
    following = NEXT_HEARING
    following_legend = "Next hearing (if the court listed one)"

    def __init__(self, *args: Any, centres: list[Any], default_due: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["orders_made"] = forms.MultipleChoiceField(
            label="Orders made",
            choices=OrderMade.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text="Tick every order the court made. Choose 'Directions only' if it made "
            "no other order.",
            error_messages={
                "required": "Say what the hearing ordered (choose 'Directions only' if it made "
                "no other order)",
                "invalid_choice": "Choose from the orders listed",
            },
        )
        self.fields["outcome_notes"] = text_field(
            "Notes (optional)", required=False, long=True, rows=3
        )
        self.fields["draft_order_by"] = radio_field(
            "Who sends the draft order", DraftOrderBy.choices, error="Choose who sends it"
        )
        self.fields["draft_order_due"] = date_field(
            "Draft order due",
            required=False,
            hint=f"Leave as it is for {default_due.day}/{default_due.month}/{default_due.year}, "
            f"2 working days after the hearing. {DATE_HINT}",
        )
        self.add_following(centres)

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "orders_made": list(cd["orders_made"]),
            "outcome_notes": cd.get("outcome_notes", ""),
            "draft_order_by": cd["draft_order_by"],
            "draft_order_due": _iso(cd.get("draft_order_due")),
            **self.base_data(),
        }


class HearingCancelForm(_WithFollowingHearing):
    """Adjourn or vacate a listed hearing, with HMCTS's reason and, if the court re-listed
    it, the new hearing."""

    following = RELIST
    following_legend = "The new hearing (if the court re-listed it)"

    def __init__(self, *args: Any, status: str, centres: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason_code"] = select_field(
            "HMCTS reason",
            reasons.choices(status),
            error="Choose HMCTS's reason from the list",
        )
        self.fields["reason_code"].help_text = "Grouped by who caused it, in HMCTS's words."
        self.fields["reason_text"] = text_field(
            "What happened (optional)", required=False, long=True, rows=3
        )
        self.add_following(centres)

    def service_data(self) -> dict[str, Any]:
        return {
            "reason_code": self.cleaned_data["reason_code"],
            "reason_text": self.cleaned_data.get("reason_text", ""),
            **self.base_data(),
        }


class DraftOrderSentForm(CaseVersionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sent_on"] = date_field("Date the draft order was sent")

    def service_data(self) -> dict[str, Any]:
        return {"sent_on": _iso(self.cleaned_data["sent_on"])}


# --- directions -------------------------------------------------------------------------------


def _owner_choices(owners: list[Any]) -> list[tuple[str, str]]:
    return [(str(u.pk), f"{u.display_name} ({u.get_role_display()})") for u in owners]


def _hearing_choices(hearings: list[Any]) -> list[tuple[str, str]]:
    return [(str(h.pk), str(h)) for h in hearings]


class DirectionForm(CaseVersionForm):
    def __init__(self, *args: Any, owners: list[Any], hearings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"] = text_field(
            "What the court directed", long=True, rows=3, max_length=2000
        )
        self.fields["party"] = select_field(
            "Which party", DirectionParty.choices, error="Choose which party must do it"
        )
        self.fields["party_name"] = text_field(
            "Party's name (optional)",
            required=False,
            max_length=200,
            hint="For example, which parent or which expert.",
        )
        self.fields["hearing"] = select_field(
            "Hearing that made it (optional)",
            _hearing_choices(hearings),
            required=False,
            error="Choose the hearing from the list",
            blank="None of these",
        )
        self.fields["made_on"] = date_field(
            "Date it was made (optional)",
            required=False,
            hint=f"Leave blank for the hearing's date, or today. {DATE_HINT}",
        )
        self.fields["due_on"] = date_field("Due date")
        self.fields["owner"] = select_field(
            "Who at the council does it",
            _owner_choices(owners),
            required=False,
            error="Choose who at the council does it",
            blank="Nobody (not a council direction)",
        )

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "text": cd["text"],
            "party": cd["party"],
            "party_name": cd.get("party_name", ""),
            "hearing": cd.get("hearing") or None,
            "made_on": _iso(cd.get("made_on")),
            "due_on": _iso(cd["due_on"]),
            "owner": cd.get("owner") or None,
        }


class StandardDirectionsForm(CaseVersionForm):
    """The council's standard directions, each with a box to tick and its due date (the
    hearing's date, or today, plus its weeks)."""

    def __init__(
        self,
        *args: Any,
        standards: list[Any],
        hearings: list[Any],
        start: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.standards = standards
        self.fields["hearing"] = select_field(
            "Hearing that made them (optional)",
            _hearing_choices(hearings),
            required=False,
            error="Choose the hearing from the list",
            blank="None of these",
        )
        for standard in standards:
            due = start + dt.timedelta(weeks=standard.weeks_after_hearing)
            self.fields[f"standard_{standard.pk}"] = forms.BooleanField(
                label=standard.text, required=False
            )
            self.fields[f"due_{standard.pk}"] = date_field(
                f"Due date: {standard.text}",
                required=False,
                hint=f"{standard.weeks_after_hearing} weeks after the hearing, or today: "
                f"{due.day}/{due.month}/{due.year} unless you change it.",
            )
            self.initial.setdefault(f"due_{standard.pk}", due)

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"standard_{s.pk}"], self[f"due_{s.pk}"]) for s in self.standards]

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "hearing": cd.get("hearing") or None,
            "standard": [
                {"id": s.pk, "due_on": _iso(cd.get(f"due_{s.pk}"))}
                for s in self.standards
                if cd.get(f"standard_{s.pk}")
            ],
        }


_STATUS_CHOICES = [
    (DirectionStatus.FILED.value, "Filed"),
    (DirectionStatus.EXTENDED.value, "Extended by the court to a new date"),
    (DirectionStatus.NOT_NEEDED.value, "No longer needed"),
    (DirectionStatus.OUTSTANDING.value, "Outstanding"),
]


class DirectionUpdateForm(CaseVersionForm):
    def __init__(self, *args: Any, owners: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"] = radio_field(
            "Where it stands", _STATUS_CHOICES, error="Choose where the direction stands"
        )
        self.fields["filed_on"] = date_field(
            "Date filed", required=False, hint=f"When it was filed. {DATE_HINT}"
        )
        self.fields["due_on"] = date_field(
            "New due date", required=False, hint=f"When the court extended it. {DATE_HINT}"
        )
        self.owners = owners
        if owners is not None:
            self.fields["owner"] = select_field(
                "Who at the council does it",
                _owner_choices(owners),
                required=False,
                error="Choose who at the council does it",
                blank="Nobody",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None
        status = cleaned.get("status")
        needs = {
            DirectionStatus.FILED: ("filed_on", "Enter the date it was filed"),
            DirectionStatus.EXTENDED: ("due_on", "Enter the new due date the court set"),
        }
        if status in needs:
            name, message = needs[status]
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        data: dict[str, Any] = {"status": cd["status"]}
        if cd["status"] == DirectionStatus.FILED:
            data["filed_on"] = _iso(cd.get("filed_on"))
        if cd["status"] == DirectionStatus.EXTENDED:
            data["due_on"] = _iso(cd.get("due_on"))
        if self.owners is not None:
            data["owner"] = cd.get("owner") or None
        return data


# --- experts and the 26 weeks ---------------------------------------------------------------


class ExpertForm(CaseVersionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment_type"] = select_field(
            "Type of assessment", ExpertType.choices, error="Choose the type of assessment"
        )
        self.fields["expert"] = text_field("Expert", max_length=200, hint="Name or organisation.")
        for name, words in (
            ("applied_on", "Date applied for"),
            ("granted_on", "Date permission granted"),
            ("instructed_on", "Date instructed"),
            ("report_due_on", "Report due"),
            ("report_received_on", "Report received"),
        ):
            self.fields[name] = date_field(f"{words} (optional)", required=False)
        self.fields["done_in_pre_proceedings"] = forms.BooleanField(
            label="An assessment of this type was already done in pre-proceedings",
            required=False,
        )

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "assessment_type": cd["assessment_type"],
            "expert": cd["expert"],
            "done_in_pre_proceedings": bool(cd.get("done_in_pre_proceedings")),
            **{
                name: _iso(cd.get(name))
                for name in (
                    "applied_on",
                    "granted_on",
                    "instructed_on",
                    "report_due_on",
                    "report_received_on",
                )
            },
        }


def expert_initial(expert: Any) -> dict[str, Any]:
    names = (
        "assessment_type",
        "expert",
        "applied_on",
        "granted_on",
        "instructed_on",
        "report_due_on",
        "report_received_on",
        "done_in_pre_proceedings",
    )
    return {name: getattr(expert, name) for name in names}


class TimetableExtensionForm(CaseVersionForm):
    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"] = forms.TypedMultipleChoiceField(
            label="Which children",
            choices=children,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Leave them all unticked if the extension is for every child.",
            error_messages={"invalid_choice": "Choose from the children listed"},
        )
        self.fields["weeks"] = text_field(
            "Weeks",
            max_length=2,
            width="2",
            hint="From 1 to 8: the court extends by at most 8 weeks at a time.",
            attrs={"inputmode": "numeric"},
            error="Enter the extension in whole weeks, from 1 to 8",
        )
        self.fields["reasons"] = text_field("Reasons", long=True, rows=3, max_length=5000)
        self.fields["judge_name"] = text_field("Judge who approved it", max_length=200)
        self.fields["decided_on"] = date_field("Date of the decision")

    def service_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "children": list(cd.get("children") or []),
            "weeks": cd["weeks"],
            "reasons": cd["reasons"],
            "judge_name": cd["judge_name"],
            "decided_on": _iso(cd["decided_on"]),
        }


class ChildJoinedForm(CaseVersionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"] = date_field(
            "Date the child joined the application",
            hint=f"Their own 26 weeks count from this date. {DATE_HINT}",
        )

    def service_data(self) -> dict[str, Any]:
        return {"issued_on": _iso(self.cleaned_data["issued_on"])}
