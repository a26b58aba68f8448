"""The one write path for the court record (docs/court.md).

Every function is keyword-only, takes `actor=` and runs in one transaction: lock the
case row (a case the actor cannot see is "not found"), check the actor may act and the
values make sense (every problem as a sentence that says what to fix), write, append
the audit row, recompute the case's deadlines.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django_fsm import TransitionNotAllowed

from legaltracker.cases.choices import CaseEventKind
from legaltracker.cases.dateconfirm import CONFIRM_FIELD, refuse_unconfirmed
from legaltracker.cases.events import case_event_append, case_lock, case_touch
from legaltracker.cases.facts import deadlines_recompute
from legaltracker.cases.inputs import Fields, id_or_none, years_after
from legaltracker.cases.models import Adult, Case, Child
from legaltracker.cases.search import search_text_refresh
from legaltracker.core import clock
from legaltracker.core.errors import GuardRefused, NotFound, NotPermitted

from . import permissions, reasons
from .choices import (
    LONDON,
    AdvocateKind,
    DirectionOwnerRole,
    DirectionParty,
    DirectionStatus,
    DraftOrderBy,
    ExpertType,
    GuardianService,
    HearingKind,
    HearingMode,
    HearingStatus,
    InternationalElement,
    JudgeLevel,
    OrderMade,
    OrderSought,
)
from .models import (
    ChildTimetable,
    CourtCentre,
    Direction,
    ExpertAssessment,
    Hearing,
    Proceedings,
    Representation,
    StandardDirection,
    TimetableExtension,
)
from .selectors import hearing_day
from .timescales import draft_order_due

# A hearing listed further ahead than this is a mistyped year.
HEARING_YEARS_AHEAD = 2
# The court extends the 26 weeks by at most 8 weeks at a time (s.32(5) Children Act 1989).
EXTENSION_MAX_WEEKS = 8
MAX_TIME_ESTIMATE_MINUTES = 20 * 6 * 60  # four working weeks of court days
MAX_DIRECTIONS_AT_ONCE = 50
NOT_A_COURT_CASE = (
    "This case has no court record yet: it starts when the gateway or the pre-proceedings "
    "decision is to issue proceedings."
)
HEARING_NOT_FOUND = "There is no hearing with that id on a case you can see."
DIRECTION_NOT_FOUND = "There is no direction with that id on a case you can see."
EXPERT_NOT_FOUND = "There is no expert assessment with that id on a case you can see."


# --- shared steps ----------------------------------------------------------------------


def _lock(case_id: int, actor: Any, expected_version: int | None, may: Any, words: str) -> Case:
    case = case_lock(case_id, viewer=actor, expected_version=expected_version)
    if not may(actor, case):
        raise NotPermitted(f"Your role cannot {words}.")
    if not permissions.has_court_record(case):
        raise GuardRefused(NOT_A_COURT_CASE)
    return case


def _audit(case: Case, actor: Any, kind: CaseEventKind, **details: Any) -> None:
    case_touch(case)
    case_event_append(
        case=case, actor=actor, kind=kind, effective_date=clock.today(), details=details
    )
    deadlines_recompute(case=case)


def _court_centre(fields: Fields, name: str = "court_centre") -> CourtCentre | None:
    raw = fields.data.get(name)
    if raw in (None, ""):
        return None
    centre = CourtCentre.objects.filter(code=str(raw)).first()
    if centre is None:
        fields.error(
            name, f"There is no court centre with the code '{raw}': choose one from the list."
        )
    return centre


def _application_date(case: Case) -> dt.date:
    """The date of the application: its issue, or before issue the decision to issue."""
    return case.issued_on or case.issue_decided_on or case.stage_entered_on


def _changes(row: Any, values: Mapping[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name, value in values.items():
        setattr(row, name, value)
    return changed


# --- the proceedings record ---------------------------------------------------------------


def proceedings_for(case: Case) -> Proceedings:
    """The case's proceedings row, unsaved and empty if none is kept yet."""
    try:
        return case.proceedings
    except Proceedings.DoesNotExist:
        return Proceedings(case=case)


# The proceedings' own fields, besides the court centre (sent by its code) and the case
# number (kept on the case): what the form shows and what an API PATCH sends back as it
# is unless it changes it.
PROCEEDINGS_FIELDS = (
    "judge_level",
    "judge_name",
    "guardian_service",
    "guardian_name",
    "children_solicitor_firm",
    "children_solicitor_name",
    "children_solicitor_phone",
    "children_solicitor_email",
    "advocate_kind",
    "advocate_name",
    "orders_sought",
    "international_element",
    "international_details",
)


def proceedings_update(
    *, case_id: int, actor: Any, data: Mapping[str, Any] | None, expected_version: int | None = None
) -> Proceedings:
    fields = Fields(data)
    centre = _court_centre(fields)
    values = {
        "judge_level": fields.choice("judge_level", JudgeLevel, required=False),
        "judge_name": fields.text("judge_name", required=False, max_length=200),
        "guardian_service": fields.choice("guardian_service", GuardianService, required=False),
        "guardian_name": fields.text("guardian_name", required=False, max_length=200),
        "children_solicitor_firm": fields.text(
            "children_solicitor_firm", required=False, max_length=200
        ),
        "children_solicitor_name": fields.text(
            "children_solicitor_name", required=False, max_length=200
        ),
        "children_solicitor_phone": fields.text(
            "children_solicitor_phone", required=False, max_length=40
        ),
        "children_solicitor_email": _email(fields, "children_solicitor_email"),
        "advocate_kind": fields.choice("advocate_kind", AdvocateKind, required=False),
        "advocate_name": fields.text("advocate_name", required=False, max_length=200),
        **_application_facts(fields),
    }
    case_number = fields.text("case_number", required=False, max_length=64)
    fields.check()
    with transaction.atomic():
        case = _lock(
            case_id,
            actor,
            expected_version,
            permissions.may_keep_court_record,
            "keep the court record",
        )
        proceedings = proceedings_for(case)
        changed = _changes(proceedings, {**values, "court_centre": centre})
        if case.court_reference != case_number:
            case.court_reference = case_number
            changed.append("case_number")
            search_text_refresh(case_ids=[case.pk])
        proceedings.save()
        _audit(
            case, actor, CaseEventKind.COURT_RECORD_CHANGED, change="proceedings", fields=changed
        )
    return proceedings


def _application_facts(fields: Fields) -> dict[str, Any]:
    """What the application asks that the case does not already say: the orders sought
    and any international element, with its details when there is one."""
    element = fields.choice("international_element", InternationalElement, required=False)
    details = fields.text("international_details", required=False, max_length=2000)
    if element == InternationalElement.YES and not details:
        fields.error(
            "international_details",
            "Say what the international element is: for example a parent or carer living "
            "abroad, proceedings in another country or a child's other nationality.",
        )
    return {
        "orders_sought": _choice_list(
            fields, "orders_sought", OrderSought, fields.data.get("orders_sought")
        ),
        "international_element": element,
        "international_details": details,
    }


def _email(fields: Fields, name: str) -> str:
    """An email address as mail systems take it: Django's check, in plain ASCII (the API
    documents the field as `format: email`)."""
    value = fields.text(name, required=False, max_length=254)
    if value and not _is_email(value):
        fields.error(name, "Enter an email address like name@example.org.")
        return ""
    return value


def _is_email(value: str) -> bool:
    if not value.isascii():
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def representation_update(
    *,
    case_id: int,
    adult_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Representation:
    fields = Fields(data)
    represented = fields.boolean("represented")
    values = {
        "represented": represented,
        "firm": fields.text("firm", required=False, max_length=200),
        "solicitor_name": fields.text("solicitor_name", required=False, max_length=200),
        "phone": fields.text("phone", required=False, max_length=40),
        "email": _email(fields, "email"),
    }
    if represented and not values["firm"]:
        fields.error("firm", "Enter the solicitor's firm, or say the person is not represented.")
    fields.check()
    with transaction.atomic():
        case = _lock(
            case_id,
            actor,
            expected_version,
            permissions.may_keep_court_record,
            "keep the court record",
        )
        adult = Adult.objects.filter(pk=adult_id, case=case).first()
        if adult is None:
            raise NotFound("There is no such adult on this case that you can see.")
        row = Representation.objects.filter(adult=adult).first() or Representation(
            case=case, adult=adult
        )
        changed = _changes(row, values)
        row.save()
        _audit(
            case,
            actor,
            CaseEventKind.COURT_RECORD_CHANGED,
            change="representation",
            adult=adult.pk,
            fields=changed,
            represented=represented,
        )
    return row


# --- hearings -------------------------------------------------------------------------------


def _parse_time(fields: Fields, name: str, required: bool = True) -> dt.time | None:
    raw = fields.data.get(name)
    if raw in (None, ""):
        if required:
            fields.error(name, "Enter the time in the form HH:MM, for example 10:30.")
        return None
    try:
        value = dt.time.fromisoformat(str(raw).strip())
    except ValueError:
        fields.error(name, "Enter the time in the form HH:MM, for example 10:30.")
        return None
    return value.replace(second=0, microsecond=0, tzinfo=None)


def london_datetime(day: dt.date, time: dt.time) -> dt.datetime | None:
    """The aware moment of a London wall-clock time, or None when that time does not exist
    (the hour the clocks go forward)."""
    moment = dt.datetime.combine(day, time, tzinfo=LONDON)
    back = moment.astimezone(dt.UTC).astimezone(LONDON)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


def _parse_hearing(fields: Fields, case: Case, *, prefix: str = "") -> dict[str, Any]:
    """The values of a hearing to list, checked against the case."""
    p = prefix
    earliest = _application_date(case)
    day = fields.date(
        f"{p}date",
        not_future=False,
        not_before=earliest,
        not_before_label="the application",
        not_after=years_after(clock.today(), HEARING_YEARS_AHEAD),
        not_after_label=f"{HEARING_YEARS_AHEAD} years from today",
    )
    time = _parse_time(fields, f"{p}time")
    starts_at = None
    if day is not None and time is not None:
        starts_at = london_datetime(day, time)
        if starts_at is None:
            fields.error(
                f"{p}time",
                f"{time:%H:%M} does not exist on {day:%d %B %Y}: the clocks go forward that "
                "night. Check the time.",
            )
    estimate = _minutes(fields, f"{p}time_estimate_minutes")
    return {
        "kind": fields.choice(f"{p}kind", HearingKind),
        "day": day,
        "starts_at": starts_at,
        "time_estimate_minutes": estimate,
        "court_centre": _court_centre(fields, f"{p}court_centre"),
        "courtroom": fields.text(f"{p}courtroom", required=False, max_length=100),
        "mode": fields.choice(f"{p}mode", HearingMode, required=False) or HearingMode.IN_PERSON,
        "judge_name": fields.text(f"{p}judge_name", required=False, max_length=200),
    }


def _minutes(fields: Fields, name: str) -> int:
    raw = fields.data.get(name)
    if raw in (None, ""):
        return 60
    number = id_or_none(raw)
    if number is None or not 5 <= number <= MAX_TIME_ESTIMATE_MINUTES:
        fields.error(
            name, f"Enter the time estimate in minutes, from 5 to {MAX_TIME_ESTIMATE_MINUTES}."
        )
        return 60
    return number


def _order_against_other_hearings(
    fields: Fields, case: Case, values: Mapping[str, Any], p: str
) -> None:
    """A final or issues resolution hearing cannot come before the case management
    hearing; a case management hearing cannot come after them."""
    day, kind = values["day"], values["kind"]
    if day is None or not kind:
        return
    live = [
        h
        for h in case.hearings.filter(status__in=[HearingStatus.LISTED, HearingStatus.HELD])
        if h.kind in (HearingKind.CASE_MANAGEMENT, HearingKind.ISSUES_RESOLUTION, HearingKind.FINAL)
    ]
    order: list[str] = [
        HearingKind.CASE_MANAGEMENT,
        HearingKind.ISSUES_RESOLUTION,
        HearingKind.FINAL,
    ]
    if kind not in order:
        return
    rank = order.index(kind)
    for other in live:
        other_day = hearing_day(other)
        other_rank = order.index(other.kind)
        if other_rank < rank and day < other_day:
            fields.error(
                f"{p}date",
                f"A {HearingKind(kind).label.lower()} cannot come before the "
                f"{HearingKind(other.kind).label.lower()} on {other_day:%d %B %Y}. "
                "Check the date, or mark that hearing adjourned or vacated first.",
            )
            return
        if other_rank > rank and day > other_day:
            fields.error(
                f"{p}date",
                f"A {HearingKind(kind).label.lower()} cannot come after the "
                f"{HearingKind(other.kind).label.lower()} on {other_day:%d %B %Y}. "
                "Check the date, or mark that hearing adjourned or vacated first.",
            )
            return


def _create_hearing(
    case: Case, actor: Any, values: Mapping[str, Any], listed_on: dt.date
) -> Hearing:
    number = (case.hearings.aggregate(n=Max("number"))["n"] or 0) + 1
    centre = values["court_centre"]
    if centre is None:
        centre = proceedings_for(case).court_centre
    return Hearing.objects.create(
        case=case,
        number=number,
        kind=values["kind"],
        starts_at=values["starts_at"],
        time_estimate_minutes=values["time_estimate_minutes"],
        court_centre=centre,
        courtroom=values["courtroom"],
        mode=values["mode"],
        judge_name=values["judge_name"],
        listed_on=listed_on,
        recorded_by=actor,
    )


def _confirm_day(fields: Fields, values: Mapping[str, Any], name: str, data: Any) -> None:
    confirmed = fields.boolean(CONFIRM_FIELD)
    refuse_unconfirmed(
        {name: (values["day"], "hearing")}, {CONFIRM_FIELD: True} if confirmed else data
    )


def _hearing_audit(hearing: Hearing, **extra: Any) -> dict[str, Any]:
    return {
        "hearing": hearing.pk,
        "number": hearing.number,
        "hearing_kind": hearing.kind,
        "starts_at": hearing.starts_at.astimezone(LONDON).isoformat(timespec="minutes"),
        "status": hearing.status,
        **extra,
    }


def hearing_list(
    *, case_id: int, actor: Any, data: Mapping[str, Any] | None, expected_version: int | None = None
) -> Hearing:
    """List a hearing (docs/court.md, "Hearings")."""
    fields = Fields(data)
    listed_on = fields.date("listed_on", required=False) or clock.today()
    with transaction.atomic():
        case = _lock(
            case_id, actor, expected_version, permissions.may_record_hearings, "record hearings"
        )
        values = _parse_hearing(fields, case)
        _order_against_other_hearings(fields, case, values, "")
        fields.check()
        _confirm_day(fields, values, "date", data)
        hearing = _create_hearing(case, actor, values, listed_on)
        _audit(
            case, actor, CaseEventKind.HEARING_CHANGED, **_hearing_audit(hearing, change="listed")
        )
    return hearing


def _lock_hearing(
    hearing_id: int, actor: Any, expected_version: int | None
) -> tuple[Case, Hearing]:
    found = Hearing.objects.filter(pk=hearing_id).values_list("case_id", flat=True).first()
    if found is None:
        raise NotFound(HEARING_NOT_FOUND)
    try:
        case = _lock(
            found, actor, expected_version, permissions.may_record_hearings, "record hearings"
        )
    except NotFound as error:
        raise NotFound(HEARING_NOT_FOUND) from error
    return case, Hearing.objects.select_for_update().get(pk=hearing_id)


def _not_listed(hearing: Hearing, verb: str) -> GuardRefused:
    return GuardRefused(
        f"This hearing is {hearing.get_status_display().lower()}: only a listed hearing can be "
        f"{verb}. Record what happened as a new hearing if it went ahead after all."
    )


def hearing_hold(
    *,
    hearing_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Hearing:
    """Record that a listed hearing went ahead, with its outcome: the orders made, the next
    hearing (listed in the same step) and who sends the draft order by when."""
    fields = Fields(data)
    orders = _orders(fields)
    notes = fields.text("outcome_notes", required=False)
    by = fields.choice("draft_order_by", DraftOrderBy, required=False) or DraftOrderBy.COUNCIL
    with transaction.atomic():
        case, hearing = _lock_hearing(hearing_id, actor, expected_version)
        if hearing.status != HearingStatus.LISTED:
            raise _not_listed(hearing, "held")
        day = hearing_day(hearing)
        if day > clock.today():
            raise GuardRefused(
                f"This hearing is listed for {day:%d %B %Y}: record its outcome on or after "
                "that day, or change its date if it was moved."
            )
        due = fields.date(
            "draft_order_due",
            required=False,
            not_future=False,
            not_before=day,
            not_before_label="the hearing",
        ) or draft_order_due(day)
        next_values = _next_hearing(fields, case, data, "next_hearing")
        fields.check()
        hearing.hold(
            orders_made=orders, outcome_notes=notes, draft_order_by=by, draft_order_due=due
        )
        hearing.save()
        extra: dict[str, Any] = {
            "orders_made": orders,
            "draft_order_by": by,
            "draft_order_due": due.isoformat(),
        }
        if next_values is not None:
            following = _create_hearing(case, actor, next_values, day)
            extra["next_hearing"] = following.pk
        _audit(
            case,
            actor,
            CaseEventKind.HEARING_CHANGED,
            **_hearing_audit(hearing, change="held", **extra),
        )
    return hearing


def _orders(fields: Fields) -> list[str]:
    raw = fields.data.get("orders_made")
    if not raw:
        fields.error(
            "orders_made",
            "Say what the hearing ordered (choose 'Directions only' if it made no other order).",
        )
        return []
    return _choice_list(fields, "orders_made", OrderMade, [raw] if isinstance(raw, str) else raw)


def _choice_list(fields: Fields, name: str, choices: Any, raw: Any) -> list[str]:
    """`raw` as a list of `choices` values, each once, in the order sent; an empty list or
    nothing sent is an empty list, anything but a list a mistake."""
    if (raw is None and name not in fields.data) or raw == []:
        return []
    if not isinstance(raw, list) or len(raw) > len(choices.values):
        fields.error(name, "Send a list of orders.")
        return []
    unknown = [str(o) for o in raw if o not in choices.values]
    if unknown:
        fields.error(name, f"'{unknown[0]}' is not one of: " + ", ".join(choices.values) + ".")
        return []
    return list(dict.fromkeys(str(o) for o in raw))


def _next_hearing(fields: Fields, case: Case, data: Any, name: str) -> dict[str, Any] | None:
    """An optional nested hearing to list in the same step (`next_hearing` or `relist`):
    a JSON object in the API, `<name>-<field>` fields on a form."""
    raw = fields.data.get(name)
    if isinstance(raw, Mapping):
        nested = Fields(raw)
    elif any(str(k).startswith(f"{name}-") for k in fields.data) and fields.data.get(
        f"{name}-date"
    ):
        nested = Fields(
            {
                str(k)[len(name) + 1 :]: v
                for k, v in fields.data.items()
                if str(k).startswith(f"{name}-")
            }
        )
    elif raw in (None, "", False):
        return None
    else:
        fields.error(name, "Send the next hearing as an object with kind, date and time.")
        return None
    values = _parse_hearing(nested, case)
    _order_against_other_hearings(nested, case, values, "")
    for key, messages in nested.errors.items():
        for message in messages:
            fields.error(f"{name}-{key}", message)
    if nested.errors:
        return None
    confirmed = nested.boolean(CONFIRM_FIELD) or fields.boolean(CONFIRM_FIELD)
    refuse_unconfirmed(
        {f"{name}-date": (values["day"], "next hearing")},
        {CONFIRM_FIELD: True} if confirmed else data,
    )
    return values


def _cancel(
    status: str,
    *,
    hearing_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None,
) -> Hearing:
    fields = Fields(data)
    code = fields.text("reason_code", max_length=10).upper()
    if code and reasons.reason(status, code) is None:
        fields.error(
            "reason_code", f"'{code}' is not one of HMCTS's reason codes: choose one from the list."
        )
    text = fields.text("reason_text", required=False)
    with transaction.atomic():
        case, hearing = _lock_hearing(hearing_id, actor, expected_version)
        verb = "adjourned" if status == HearingStatus.ADJOURNED else "vacated"
        if hearing.status != HearingStatus.LISTED:
            raise _not_listed(hearing, verb)
        relist = _next_hearing(fields, case, data, "relist")
        fields.check()
        try:
            (hearing.adjourn if status == HearingStatus.ADJOURNED else hearing.vacate)(
                reason_code=code, reason_text=text
            )
        except TransitionNotAllowed as error:  # the check above makes this unreachable
            raise _not_listed(hearing, verb) from error
        extra: dict[str, Any] = {"reason_code": code}
        if relist is not None:
            # The hearing it replaces no longer counts: list the new one once it is off.
            hearing.save()
            hearing.relisted_as = _create_hearing(case, actor, relist, clock.today())
            extra["relisted_as"] = hearing.relisted_as.pk
        hearing.save()
        _audit(
            case,
            actor,
            CaseEventKind.HEARING_CHANGED,
            **_hearing_audit(hearing, change=verb, **extra),
        )
    return hearing


def hearing_adjourn(
    *,
    hearing_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Hearing:
    return _cancel(
        HearingStatus.ADJOURNED,
        hearing_id=hearing_id,
        actor=actor,
        data=data,
        expected_version=expected_version,
    )


def hearing_vacate(
    *,
    hearing_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Hearing:
    return _cancel(
        HearingStatus.VACATED,
        hearing_id=hearing_id,
        actor=actor,
        data=data,
        expected_version=expected_version,
    )


def draft_order_sent(
    *,
    hearing_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Hearing:
    fields = Fields(data)
    with transaction.atomic():
        case, hearing = _lock_hearing(hearing_id, actor, expected_version)
        if hearing.status != HearingStatus.HELD:
            raise GuardRefused("Only a held hearing has a draft order to send.")
        day = hearing_day(hearing)
        sent = fields.date("sent_on", not_before=day, not_before_label="the hearing")
        fields.check()
        hearing.draft_order_sent_on = sent
        hearing.save(update_fields=["draft_order_sent_on", "updated_at"])
        _audit(
            case,
            actor,
            CaseEventKind.HEARING_CHANGED,
            **_hearing_audit(hearing, change="draft_order_sent", sent_on=str(sent)),
        )
    return hearing


# --- directions ----------------------------------------------------------------------------


def _owner(fields: Fields, case: Case, name: str = "owner") -> Any:
    raw = fields.data.get(name)
    if raw in (None, ""):
        return None
    user_id = id_or_none(raw)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None or not user.is_active:
        fields.error(name, "There is no active user with that id.")
        return None
    if not permissions.may_own_direction(user, case):
        fields.error(
            name,
            f"{user.display_name} cannot see this case, so cannot own its direction: choose "
            "the case's social worker, a manager of its team or a lawyer.",
        )
        return None
    return user


def _hearing_of(fields: Fields, case: Case) -> Hearing | None:
    raw = fields.data.get("hearing")
    if raw in (None, ""):
        return None
    hearing = case.hearings.filter(pk=id_or_none(raw) or 0).first()
    if hearing is None:
        fields.error("hearing", "There is no hearing with that id on this case.")
    return hearing


def _next_direction_number(case: Case) -> int:
    return (case.directions.aggregate(n=Max("number"))["n"] or 0) + 1


def direction_add(
    *, case_id: int, actor: Any, data: Mapping[str, Any] | None, expected_version: int | None = None
) -> Direction:
    fields = Fields(data)
    with transaction.atomic():
        case = _lock(
            case_id,
            actor,
            expected_version,
            permissions.may_keep_court_record,
            "keep the court record",
        )
        hearing = _hearing_of(fields, case)
        party = fields.choice("party", DirectionParty)
        made_on = fields.date(
            "made_on",
            required=False,
            not_before=_application_date(case),
            not_before_label="the application",
        ) or (hearing_day(hearing) if hearing else clock.today())
        due = fields.date(
            "due_on", not_future=False, not_before=made_on, not_before_label="the day it was made"
        )
        owner = _owner(fields, case)
        if party == DirectionParty.COUNCIL and owner is None and "owner" not in fields.errors:
            fields.error("owner", "Say who at the council does it.")
        values = {
            "text": fields.text("text", max_length=2000),
            "party": party,
            "party_name": fields.text("party_name", required=False, max_length=200),
        }
        fields.check()
        assert due is not None  # fields.check() refused a missing date
        direction = Direction.objects.create(
            case=case,
            number=_next_direction_number(case),
            hearing=hearing,
            made_on=made_on,
            due_on=due,
            original_due_on=due,
            owner=owner,
            **values,
        )
        _audit(
            case,
            actor,
            CaseEventKind.DIRECTION_CHANGED,
            change="added",
            direction=direction.pk,
            number=direction.number,
            party=party,
            due_on=str(due),
            owner=owner.username if owner else None,
        )
    return direction


def standard_directions_add(
    *, case_id: int, actor: Any, data: Mapping[str, Any] | None, expected_version: int | None = None
) -> list[Direction]:
    """Add the council's standard directions in one go: `standard` is a list of
    {"id": <standard direction>, "due_on": optional}; due dates default to the hearing
    (or today) plus the standard direction's weeks."""
    fields = Fields(data)
    items = fields.data.get("standard")
    if not isinstance(items, list) or not items:
        fields.error("standard", "Choose at least one standard direction.")
        items = []
    fields.too_many("standard", items, MAX_DIRECTIONS_AT_ONCE, "directions")
    with transaction.atomic():
        case = _lock(
            case_id,
            actor,
            expected_version,
            permissions.may_keep_court_record,
            "keep the court record",
        )
        hearing = _hearing_of(fields, case)
        made_on = hearing_day(hearing) if hearing else clock.today()
        wanted: list[tuple[StandardDirection, dt.date]] = []
        for index, item in enumerate(items[:MAX_DIRECTIONS_AT_ONCE]):
            sub = Fields(item if isinstance(item, Mapping) else {"id": item})
            standard = StandardDirection.objects.filter(
                pk=id_or_none(sub.data.get("id")) or 0, active=True
            ).first()
            if standard is None:
                fields.error("standard", f"{index + 1}: there is no such standard direction.")
                continue
            due = sub.date(
                "due_on",
                required=False,
                not_future=False,
                not_before=made_on,
                not_before_label="the day it was made",
            )
            for messages in sub.errors.values():
                fields.error("standard", f"{index + 1}: {messages[0]}")
            wanted.append(
                (standard, due or made_on + dt.timedelta(weeks=standard.weeks_after_hearing))
            )
        owners: dict[str, Any] = {
            DirectionOwnerRole.SOCIAL_WORKER: case.social_worker,
            DirectionOwnerRole.LAWYER: case.allocated_lawyer
            or (actor if permissions.may_own_direction(actor, case) else None),
        }
        fields.check()
        number = _next_direction_number(case)
        made = []
        for offset, (standard, due) in enumerate(wanted):
            owner = (
                owners[standard.owner_role] if standard.party == DirectionParty.COUNCIL else None
            )
            made.append(
                Direction.objects.create(
                    case=case,
                    number=number + offset,
                    hearing=hearing,
                    text=standard.text,
                    party=standard.party,
                    made_on=made_on,
                    due_on=due,
                    original_due_on=due,
                    owner=owner,
                )
            )
        _audit(
            case,
            actor,
            CaseEventKind.DIRECTION_CHANGED,
            change="standard_added",
            directions=[d.pk for d in made],
        )
    return made


def _lock_direction(
    direction_id: int, actor: Any, expected_version: int | None
) -> tuple[Case, Direction]:
    found = Direction.objects.filter(pk=direction_id).values_list("case_id", flat=True).first()
    if found is None:
        raise NotFound(DIRECTION_NOT_FOUND)
    try:
        case = case_lock(found, viewer=actor, expected_version=expected_version)
    except NotFound as error:
        raise NotFound(DIRECTION_NOT_FOUND) from error
    direction = Direction.objects.select_for_update().get(pk=direction_id)
    if not permissions.may_update_direction(actor, case, direction):
        raise NotPermitted("Only the legal team and the direction's owner can update it.")
    return case, direction


def direction_update(
    *,
    direction_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Direction:
    """Record where a direction stands: filed (late if after its due date), extended by
    the court to a new date, no longer needed, or outstanding again; the legal team also
    changes its owner."""
    fields = Fields(data)
    status = fields.choice("status", DirectionStatus)
    with transaction.atomic():
        case, direction = _lock_direction(direction_id, actor, expected_version)
        before = direction.status
        changes: dict[str, Any] = {}
        if status in (DirectionStatus.FILED, DirectionStatus.FILED_LATE):
            filed = fields.date(
                "filed_on", not_before=direction.made_on, not_before_label="the day it was made"
            )
            if filed is not None:
                status = (
                    DirectionStatus.FILED_LATE
                    if filed > direction.due_on
                    else DirectionStatus.FILED
                )
                changes["filed_on"] = filed
        elif status == DirectionStatus.EXTENDED:
            new_due = fields.date("due_on", not_future=False)
            if new_due is not None and new_due <= direction.due_on:
                fields.error(
                    "due_on",
                    f"The new date must be after the current one ({direction.due_on:%d %B %Y}).",
                )
            changes["due_on"] = new_due
            changes["filed_on"] = None
        else:
            changes["filed_on"] = None
        if "owner" in fields.data:
            if not permissions.may_keep_court_record(actor, case):
                fields.error("owner", "Only the legal team can change who owns a direction.")
            else:
                changes["owner"] = _owner(fields, case)
        fields.check()
        changes["status"] = status
        _changes(direction, changes)
        direction.save()
        _audit(
            case,
            actor,
            CaseEventKind.DIRECTION_CHANGED,
            change="status",
            direction=direction.pk,
            number=direction.number,
            from_status=before,
            to_status=status,
            due_on=str(direction.due_on),
        )
    return direction


# --- experts ---------------------------------------------------------------------------------

_EXPERT_WORDS = {
    "applied_on": "application",
    "granted_on": "permission",
    "instructed_on": "instruction",
}
_EXPERT_DATES = ("applied_on", "granted_on", "instructed_on", "report_due_on", "report_received_on")


def _parse_expert(fields: Fields, case: Case) -> dict[str, Any]:
    values: dict[str, Any] = {
        "assessment_type": fields.choice("assessment_type", ExpertType),
        "expert": fields.text("expert", max_length=200),
        "done_in_pre_proceedings": fields.boolean("done_in_pre_proceedings"),
    }
    for name in _EXPERT_DATES:
        values[name] = fields.date(
            name,
            required=False,
            not_future=name == "report_received_on" or name == "applied_on",
            not_before=case.opened_on,
            not_before_label="the case was opened",
        )
    order = [(n, values[n]) for n in ("applied_on", "granted_on", "instructed_on") if values[n]]
    for (first, a), (second, b) in itertools.pairwise(order):
        if b < a:
            fields.error(
                second,
                f"This date cannot be before the {_EXPERT_WORDS[first]} date.",
            )
    return values


def expert_add(
    *, case_id: int, actor: Any, data: Mapping[str, Any] | None, expected_version: int | None = None
) -> ExpertAssessment:
    fields = Fields(data)
    with transaction.atomic():
        case = _lock(
            case_id,
            actor,
            expected_version,
            permissions.may_keep_court_record,
            "keep the court record",
        )
        values = _parse_expert(fields, case)
        fields.check()
        expert = ExpertAssessment.objects.create(case=case, **values)
        _audit(
            case,
            actor,
            CaseEventKind.EXPERT_CHANGED,
            change="added",
            expert=expert.pk,
            assessment_type=expert.assessment_type,
            repeat=expert.done_in_pre_proceedings,
        )
    return expert


def expert_update(
    *,
    expert_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> ExpertAssessment:
    fields = Fields(data)
    found = ExpertAssessment.objects.filter(pk=expert_id).values_list("case_id", flat=True).first()
    if found is None:
        raise NotFound(EXPERT_NOT_FOUND)
    with transaction.atomic():
        try:
            case = _lock(
                found,
                actor,
                expected_version,
                permissions.may_keep_court_record,
                "keep the court record",
            )
        except NotFound as error:
            raise NotFound(EXPERT_NOT_FOUND) from error
        expert = ExpertAssessment.objects.select_for_update().get(pk=expert_id)
        values = _parse_expert(fields, case)
        fields.check()
        changed = _changes(expert, values)
        expert.save()
        _audit(
            case,
            actor,
            CaseEventKind.EXPERT_CHANGED,
            change="changed",
            expert=expert.pk,
            fields=changed,
        )
    return expert


# --- the 26 weeks per child -----------------------------------------------------------------


def child_join_application(
    *,
    case_id: int,
    child_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> ChildTimetable:
    """A child (a baby born during proceedings, say) joins the application on a later date
    and has their own 26 weeks from it."""
    fields = Fields(data)
    with transaction.atomic():
        case = _lock(
            case_id,
            actor,
            expected_version,
            permissions.may_keep_court_record,
            "keep the court record",
        )
        child = Child.objects.filter(pk=child_id, case=case).first()
        if child is None:
            raise NotFound("There is no such child on this case that you can see.")
        joined = fields.date(
            "issued_on", not_before=_application_date(case), not_before_label="the application"
        )
        fields.check()
        row, _ = ChildTimetable.objects.update_or_create(
            child=child, defaults={"case": case, "issued_on": joined}
        )
        _audit(
            case,
            actor,
            CaseEventKind.TIMETABLE_CHANGED,
            change="child_joined",
            child=child.pk,
            issued_on=str(joined),
        )
    return row


def timetable_extend(
    *, case_id: int, actor: Any, data: Mapping[str, Any] | None, expected_version: int | None = None
) -> TimetableExtension:
    """The court extends the 26 weeks for the children it names (all, if none are named):
    at most 8 weeks at a time, with reasons and the judge who approved it."""
    fields = Fields(data)
    raw_weeks = fields.data.get("weeks")
    weeks = id_or_none(raw_weeks) if raw_weeks not in (None, "") else None
    if weeks is None or weeks < 1:
        fields.error("weeks", "Enter the extension in whole weeks, from 1 to 8.")
    elif weeks > EXTENSION_MAX_WEEKS:
        fields.error(
            "weeks",
            f"The court extends the timetable by at most {EXTENSION_MAX_WEEKS} weeks at a time "
            f"(this said {weeks}). Record a longer extension as two decisions.",
        )
    reasons_text = fields.text("reasons", max_length=5000)
    judge = fields.text("judge_name", max_length=200)
    with transaction.atomic():
        case = _lock(
            case_id,
            actor,
            expected_version,
            permissions.may_keep_court_record,
            "keep the court record",
        )
        decided = fields.date(
            "decided_on", not_before=_application_date(case), not_before_label="the application"
        )
        raw_children = fields.data.get("children")
        children = list(case.children.all())
        if raw_children not in (None, "", []):
            ids = raw_children if isinstance(raw_children, list) else [raw_children]
            wanted = {id_or_none(i) for i in ids}
            named = [c for c in children if c.pk in wanted]
            if len(named) != len(wanted):
                fields.error("children", "Name only children of this case.")
            children = named
        if not children:
            fields.error("children", "The case has no child to extend the timetable for.")
        fields.check()
        assert weeks is not None and decided is not None
        extension = TimetableExtension.objects.create(
            case=case,
            weeks=weeks,
            decided_on=decided,
            reasons=reasons_text,
            judge_name=judge,
            recorded_by=actor,
        )
        extension.children.set(children)
        _audit(
            case,
            actor,
            CaseEventKind.TIMETABLE_CHANGED,
            change="extended",
            weeks=weeks,
            children=[c.pk for c in children],
            decided_on=str(decided),
        )
    return extension
