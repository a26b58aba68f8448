"""The one write path for cases: create, transition, record and correct events.

Every function is keyword-only, takes `actor=` and runs in one transaction: lock the
case row, check the actor may act and the case allows it (raising a DomainError with a
message a person can act on), write, append the audit event, recompute deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import prefetch_related_objects

from legaltracker.accounts.models import Role, Team
from legaltracker.core import clock
from legaltracker.core.errors import (
    Conflict,
    GuardRefused,
    InvalidInput,
    NotFound,
    NotPermitted,
    TransitionNotAvailable,
)
from legaltracker.core.upn import LENGTH as UPN_LENGTH
from legaltracker.core.upn import upn_problem

from . import day1, permissions
from .choices import (
    CaseEventKind,
    EventKind,
    ExtensionKind,
    ExtensionRequestStatus,
    HearingType,
    Relationship,
    Stage,
    Transition,
)
from .communication import communication_parse
from .dateconfirm import EVENT_DATES, TRANSITION_DATES, refuse_unconfirmed
from .events import case_event_append, case_lock, case_touch
from .facts import deadlines_recompute
from .inputs import MAX_ADULTS, MAX_CHILDREN, Fields, id_or_none, years_after, years_before
from .models import Adult, Case, Child, Extension, ExtensionRequest, Family, RecordedEvent
from .search import search_text_refresh
from .signals import extension_request_changed
from .transitions import TRANSITIONS, extension_end

EVENT_NOT_FOUND = "There is no event with that id that you can see."

# --- creating a case -------------------------------------------------------------------


# No case can have been opened under the Children Act 1989 before it came into force.
EARLIEST_OPENED_ON = dt.date(1991, 10, 14)
# A child is under 18 (Children Act 1989, s.105); a pregnancy lasts at most about 43 weeks.
CHILD_AGE_LIMIT_YEARS = 18
PREGNANCY = dt.timedelta(weeks=43)
# A hearing listed further ahead than this is a mistyped year.
HEARING_YEARS_AHEAD = 2


def _parse_people(
    fields: Fields, name: str, items: Any, parse_one: Any, *, required: bool, limit: int
) -> list[dict[str, Any]]:
    if items is None or items == []:
        if required:
            fields.error(name, f"Add at least one {name[:-1] if name != 'children' else 'child'}.")
        return []
    if not isinstance(items, list):
        fields.error(name, "Send a list.")
        return []
    if fields.too_many(name, items, limit, name):
        return []
    parsed = []
    for index, item in enumerate(items):
        sub = Fields(item if isinstance(item, Mapping) else {})
        values = parse_one(sub)
        for key, messages in sub.errors.items():
            for message in messages:
                fields.error(name, f"{index + 1}, {key}: {message}")
        parsed.append(values)
    return parsed


def _parse_child(f: Fields, *, opened_on: dt.date) -> dict[str, Any]:
    today = clock.today()
    return {
        "first_name": f.text("first_name", required=False, max_length=100),
        "last_name": f.text("last_name", max_length=100),
        "date_of_birth": f.date(
            "date_of_birth",
            required=False,
            not_before=years_before(opened_on, CHILD_AGE_LIMIT_YEARS),
            not_before_label=f"{CHILD_AGE_LIMIT_YEARS} years before the case was opened "
            "(the child must be under 18)",
        ),
        "expected_date_of_birth": f.date(
            "expected_date_of_birth",
            required=False,
            not_future=False,
            not_before=opened_on - PREGNANCY,
            not_before_label="43 weeks before the case was opened",
            not_after=today + PREGNANCY,
            not_after_label="43 weeks from today",
        ),
        **_parse_child_identifiers(f, opened_on=opened_on),
    }


def _parse_child_identifiers(f: Fields, *, opened_on: dt.date) -> dict[str, Any]:
    """The child's identifiers: the id in the council's main case system and the census
    ones (docs/census.md): the UPN, checked by its check letter and kept in capitals; the
    CIN referral date, on or before today; the CIN episode id."""
    upn = f.text("upn", required=False, max_length=UPN_LENGTH * 3).replace(" ", "").upper()
    if upn and (problem := upn_problem(upn)):
        f.error("upn", problem)
    return {
        "la_child_id": f.text("la_child_id", required=False, max_length=10),
        "upn": upn,
        "cin_referral_date": f.date(
            "cin_referral_date",
            required=False,
            not_before=years_before(opened_on, CHILD_AGE_LIMIT_YEARS),
            not_before_label=f"{CHILD_AGE_LIMIT_YEARS} years before the case was opened",
        ),
        "cin_episode_id": f.text("cin_episode_id", required=False, max_length=20),
    }


def _parse_adult(f: Fields) -> dict[str, Any]:
    email = f.text("email", required=False, max_length=254)
    if email and "@" not in email:
        f.error("email", "Enter an email address like name@example.org.")
    return {
        "first_name": f.text("first_name", max_length=100),
        "last_name": f.text("last_name", max_length=100),
        "relationship": f.choice("relationship", Relationship),
        "parental_responsibility": f.boolean("parental_responsibility"),
        "address": f.text("address", required=False, max_length=1000),
        "email": email,
        "phone": f.text("phone", required=False, max_length=40),
        "preferred_language": f.text("preferred_language", required=False, max_length=60)
        or "English",
        "interpreter_needed": f.boolean("interpreter_needed"),
        "advocate_needed": f.boolean("advocate_needed"),
    }


def case_create(*, actor: Any, data: Mapping[str, Any]) -> Case:
    """Open a case in `concern` with its children and adults."""
    fields = Fields(data)
    team_code = fields.text("team", max_length=40)
    username = fields.text("social_worker", max_length=150)
    team = Team.objects.filter(code=team_code).first() if team_code else None
    if team_code and team is None:
        fields.error("team", f"There is no team with the code '{team_code}'.")
    social_worker = None
    if username:
        social_worker = get_user_model().objects.filter(username=username, is_active=True).first()
        if social_worker is None:
            fields.error("social_worker", f"There is no active user '{username}'.")
        elif social_worker.role not in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER):
            fields.error("social_worker", f"{social_worker.display_name} is not a social worker.")
        elif team is not None and social_worker.team_id != team.pk:
            fields.error("social_worker", f"{social_worker.display_name} is not in {team.name}.")
    opened_on = (
        fields.date(
            "opened_on",
            required=False,
            not_before=EARLIEST_OPENED_ON,
            not_before_label="the Children Act 1989 came into force",
        )
        or clock.today()
    )
    children = _parse_people(
        fields,
        "children",
        data.get("children") if isinstance(data, Mapping) else None,
        lambda f: _parse_child(f, opened_on=opened_on),
        required=True,
        limit=MAX_CHILDREN,
    )
    adults = _parse_people(
        fields,
        "adults",
        data.get("adults") if isinstance(data, Mapping) else None,
        _parse_adult,
        required=False,
        limit=MAX_ADULTS,
    )
    unborn = fields.boolean("unborn_baby")
    previous_id = data.get("previous_case") if isinstance(data, Mapping) else None
    previous = None
    if team is not None and not permissions.can_create_case(actor, team.pk):
        raise NotPermitted("Your role cannot open a case for this team.")
    if previous_id is not None and id_or_none(previous_id) is None:
        fields.error(
            "previous_case", "Enter the earlier case's id as a whole number, using the digits 0-9."
        )
    elif previous_id is not None:
        previous = Case.objects.filter(pk=id_or_none(previous_id)).first()
        if previous is None or not permissions.can_view_case(actor, previous):
            fields.error("previous_case", "There is no earlier case with that id that you can see.")
    fields.check()
    assert team is not None and social_worker is not None
    with transaction.atomic():
        family = previous.family if previous else Family.objects.create()
        case: Case = Case.objects.create(
            family=family,
            team=team,
            social_worker=social_worker,
            unborn_baby=unborn,
            opened_on=opened_on,
            stage_entered_on=opened_on,
            created_by=actor,
        )
        case.reference = f"LT-{opened_on.year}-{case.pk:06d}"
        case.save(update_fields=["reference"])
        Child.objects.bulk_create(Child(case=case, **c) for c in children)
        Adult.objects.bulk_create(Adult(case=case, **a) for a in adults)
        search_text_refresh(case_ids=[case.pk])
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.CASE_CREATED,
            to_stage=Stage.CONCERN,
            effective_date=opened_on,
            details={
                "children": len(children),
                "adults": len(adults),
                "previous_case": previous.pk if previous else None,
            },
        )
        deadlines_recompute(case=case)
    return case


# --- transitions -----------------------------------------------------------------------


def transition_label(name: str) -> str:
    spec = TRANSITIONS.get(name)
    if spec is None:
        # AttributeError, as when this looked the name up on the model: the history page
        # catches it to show a name the audit trail holds but no transition has any more.
        raise AttributeError(f"There is no transition called '{name}'.")
    return spec.label


def transition_sources(name: str) -> list[str]:
    return TRANSITIONS[name].sources


def _take(case: Case, name: str, method_kwargs: dict[str, Any]) -> None:
    """Run the @transition method and move the stage, as django-fsm would, minus its own
    second look at the guards: django-fsm can only judge them as of today, and
    `case_transition` has just judged them on the date of the decision, which may be
    earlier (a step down decided before the assessment went stale is still a step down).
    The stages and permissions have been checked by then too."""
    method = getattr(Case, name)
    target = method._django_fsm.next_state(case.stage)
    method.__wrapped__(case, **method_kwargs)
    Case._meta.get_field("stage").set_state(case, target)


def case_transition(
    *,
    case_id: int,
    transition: str,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
    ask_non_working_day: bool = False,
    audit_extra: Mapping[str, Any] | None = None,
) -> Case:
    """Move a case through one transition of the state machine (docs/domain/stages.md).

    `ask_non_working_day`: a meeting or issue date on a weekend or bank holiday needs
    `confirm_non_working_day: true` in `data` (the API; the web form asks with a box).
    `audit_extra`: more details for the audit row, from a caller in this app (the
    extension request an approval comes from), never from the person's values."""
    spec = TRANSITIONS.get(transition)
    if spec is None:
        raise NotFound(f"There is no transition called '{transition}'.")
    label = spec.label
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_transition(transition, case, actor):
            raise NotPermitted(f"Your role cannot do this on this case: {label}.")
        meta = getattr(Case, transition)._django_fsm
        if not meta.has_transition(case.stage):
            sources = ", ".join(Stage(s).label.lower() for s in spec.sources)
            raise TransitionNotAvailable(
                f"This case is at the {Stage(case.stage).label.lower()} stage. "
                f"'{label}' can only be done at: {sources}."
            )
        parsed = spec.parse(Fields(data, actor=actor), case)
        if ask_non_working_day:
            dates = TRANSITION_DATES.get(transition, {})
            refuse_unconfirmed({n: (parsed.date, what) for n, what in dates.items()}, data)
        prefetch_related_objects([case], "recorded_events")
        if spec.prepare is not None:
            spec.prepare(case, parsed)
        # Judged on the date of the decision, which may be in the past, not on today.
        for guard in meta.get_transition(case.stage).conditions:
            message = guard.explain(case, on=parsed.date)
            if message:
                raise GuardRefused(message)
        from_stage = case.stage
        court_reference = case.court_reference
        _take(case, transition, parsed.method_kwargs)
        if case.stage != from_stage:
            case.stage_entered_on = parsed.date
        case_touch(case)
        if case.court_reference != court_reference:
            # The court case number is searchable (cases/search.py).
            search_text_refresh(case_ids=[case.pk])
        if spec.write is not None:
            spec.write(case, parsed, actor, spec.name.value)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.TRANSITION,
            from_stage=from_stage,
            to_stage=case.stage,
            effective_date=parsed.date,
            reasons=parsed.reasons,
            details={"transition": transition, **parsed.audit, **(audit_extra or {})},
        )
        deadlines_recompute(case=case)
    return case


def available_transitions(case: Case, user: Any) -> list[str]:
    """Transitions from the case's stage that this user's role may do (guards aside:
    a refused guard explains itself when tried)."""
    return [
        name
        for name in TRANSITIONS
        if getattr(Case, name)._django_fsm.has_transition(case.stage)
        and permissions.may_transition(name, case, user)
    ]


# --- recorded events -------------------------------------------------------------------

SUMMARY_REQUIRED_KINDS = frozenset(
    {
        EventKind.MANAGEMENT_OVERSIGHT,
        EventKind.CHANGE_OF_CIRCUMSTANCES,
        EventKind.NOTE,
        EventKind.ASSESSMENT_COMPLETED,
    }
)


EFFECTIVE_QUESTION = "Did the meeting go ahead as a pre-proceedings meeting?"
EFFECTIVE_ASKED = "did the meeting go ahead as a pre-proceedings meeting?"


def _parse_initial_meeting(
    fields: Fields, case: Case, details: dict[str, Any], *, previous: Mapping[str, Any] | None
) -> None:
    """An initial meeting's two answers (docs/decisions.md, 153): `effective`, whether it
    went ahead as a pre-proceedings meeting (required when it is first recorded; a meeting
    recorded before the question existed keeps no answer and counts as held), and
    `solicitor_present_for`, the ids of the case's adults with parental responsibility
    who had a solicitor there (absent: not recorded). A correction (`previous`: the
    event's details before it) keeps a parent already named even if they have since lost
    parental responsibility."""
    new = previous is None
    raw = fields.data.get("effective")
    if raw is None or raw == "":
        if new:
            fields.error("effective", f"Answer yes or no: {EFFECTIVE_ASKED}")
    elif isinstance(raw, bool):
        details["effective"] = raw
    elif isinstance(raw, str) and raw.lower() in ("yes", "true", "no", "false"):
        details["effective"] = raw.lower() in ("yes", "true")
    else:
        fields.error("effective", f"Send true or false: {EFFECTIVE_ASKED}")
    if "solicitor_present_for" not in fields.data:
        return
    items = fields.data.get("solicitor_present_for")
    if items is None:
        return
    if not isinstance(items, list | tuple):
        fields.error(
            "solicitor_present_for",
            "Send a list of the ids of the parents who had a solicitor at the meeting.",
        )
        return
    if fields.too_many("solicitor_present_for", items, MAX_ADULTS, "parents"):
        return
    parents = set(
        Adult.objects.filter(case=case, parental_responsibility=True).values_list("pk", flat=True)
    )
    kept = (previous or {}).get("solicitor_present_for") or []
    parents |= set(Adult.objects.filter(case=case, pk__in=kept).values_list("pk", flat=True))
    chosen: list[int] = []
    for item in items:
        adult_id = id_or_none(item)
        if adult_id is None or adult_id not in parents:
            fields.error(
                "solicitor_present_for",
                f"'{str(item)[:40]}' is not the id of an adult with parental responsibility "
                "on this case: choose from the case's parents.",
            )
        elif adult_id not in chosen:
            chosen.append(adult_id)
    details["solicitor_present_for"] = sorted(chosen)


# The event values that belong to some kinds of event only.
KIND_ONLY_FIELDS: dict[str, tuple[str, ...]] = {
    "effective": (EventKind.INITIAL_MEETING_HELD,),
    "solicitor_present_for": (EventKind.INITIAL_MEETING_HELD,),
    "document": (EventKind.DOCUMENT_READY,),
    "hearing_type": (EventKind.HEARING_LISTED, EventKind.HEARING_HELD),
    "hearing_date": (EventKind.HEARING_LISTED,),
}


def _parse_event(
    fields: Fields, case: Case, kind: str, *, previous: Mapping[str, Any] | None = None
) -> tuple[dt.date | None, str, dict[str, Any]]:
    day = fields.date("date", not_before=case.opened_on, not_before_label="the case was opened")
    summary = fields.text("summary", required=kind in SUMMARY_REQUIRED_KINDS)
    details: dict[str, Any] = {}
    # A value for another kind of event is refused rather than dropped, so that a client
    # never believes it recorded something that was not kept.
    for name, kinds in KIND_ONLY_FIELDS.items():
        if kind not in kinds and fields._raw(name) not in (None, []):
            labels = " or ".join(f"'{EventKind(k).label.lower()}'" for k in kinds)
            fields.error(name, f"'{name}' belongs to {labels} only: leave it out for this event.")
    if kind == EventKind.INITIAL_MEETING_HELD:
        _parse_initial_meeting(fields, case, details, previous=previous)
    if kind == EventKind.DOCUMENT_READY:
        # The council's active items; a correction may keep an item since switched off.
        allowed = day1.required_codes()
        kept = (previous or {}).get("document")
        if kept and kept not in allowed:
            allowed.append(str(kept))
        details["document"] = fields.choice("document", allowed)
    if kind in (EventKind.HEARING_LISTED, EventKind.HEARING_HELD):
        details["hearing_type"] = fields.choice("hearing_type", HearingType)
    if kind == EventKind.HEARING_LISTED:
        hearing = fields.date(
            "hearing_date",
            not_future=False,
            not_before=case.opened_on,
            not_before_label="the case was opened",
            not_after=years_after(clock.today(), HEARING_YEARS_AHEAD),
            not_after_label=f"{HEARING_YEARS_AHEAD} years from today",
        )
        details["hearing_date"] = hearing.isoformat() if hearing else None
    if kind == EventKind.LETTER_BEFORE_PROCEEDINGS_SENT and day:
        if case.pre_proceedings_started_on is None:
            fields.error(
                "kind",
                "The case has not entered pre-proceedings, so no letter before proceedings "
                "can have been sent.",
            )
        elif day < case.pre_proceedings_started_on:
            fields.error(
                "date",
                "The letter before proceedings cannot be sent before the decision to enter "
                "pre-proceedings.",
            )
    if kind == EventKind.LETTER_OF_ISSUE_SENT and day:
        if case.issue_decided_on is None:
            fields.error("kind", "There is no decision to issue proceedings on this case yet.")
        elif day < case.issue_decided_on:
            fields.error("date", "The letter of issue cannot be sent before the decision to issue.")
    return day, summary, details


def _event_dates(kind: str, day: dt.date | None, details: Mapping[str, Any]) -> dict[str, Any]:
    """The dates of an event that ask for a confirmation off a working day."""
    values = {"date": day, "hearing_date": details.get("hearing_date")}
    return {
        name: (dt.date.fromisoformat(v) if isinstance(v := values[name], str) else v, what)
        for name, what in EVENT_DATES.get(kind, {}).items()
    }


def event_record(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
    ask_non_working_day: bool = False,
) -> RecordedEvent:
    """Record something that happened on the case, on the date it happened
    (`ask_non_working_day`: as for `case_transition`)."""
    fields = Fields(data)
    kind = fields.choice("kind", EventKind)
    fields.check()
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_record_event(kind, case, actor):
            raise NotPermitted(f"Your role cannot record '{EventKind(kind).label}' on this case.")
        if not case.is_open:
            raise GuardRefused("This case is closed: nothing more can be recorded on it.")
        day, summary, details = _parse_event(fields, case, kind)
        fields.check()
        if ask_non_working_day:
            refuse_unconfirmed(_event_dates(kind, day, details), data)
        event = RecordedEvent.objects.create(  # type: ignore[misc]  # checked
            case=case, kind=kind, date=day, summary=summary, details=details, recorded_by=actor
        )
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.EVENT_RECORDED,
            effective_date=day,
            details={"event_id": event.pk, "kind": kind, **details},
        )
        deadlines_recompute(case=case)
    return event


def event_correct(
    *,
    event_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
    ask_non_working_day: bool = False,
) -> RecordedEvent:
    """Correct the date or wording of an event; the deadlines that depend on it follow
    (`ask_non_working_day`: as for `case_transition`, for a date the correction changes)."""
    existing = RecordedEvent.objects.filter(pk=event_id).only("case_id").first()
    if existing is None:
        raise NotFound(EVENT_NOT_FOUND)
    with transaction.atomic():
        try:
            case = case_lock(existing.case_id, viewer=actor, expected_version=expected_version)
        except NotFound:
            # Another team's event is answered like a missing one, so ids cannot be probed.
            raise NotFound(EVENT_NOT_FOUND) from None
        event = RecordedEvent.objects.get(pk=event_id)
        if not permissions.may_record_event(event.kind, case, actor):
            raise NotPermitted("Your role cannot change this event.")
        fields = Fields(
            {"summary": event.summary, "date": event.date, **event.details, **(data or {})}
        )
        reason = fields.text("reason_for_change")
        day, summary, details = _parse_event(fields, case, event.kind, previous=event.details)
        fields.check()
        if ask_non_working_day:
            was = _event_dates(event.kind, event.date, event.details)
            now = _event_dates(event.kind, day, details)
            refuse_unconfirmed({n: pair for n, pair in now.items() if pair != was[n]}, data)
        before = {"date": event.date.isoformat(), "summary": event.summary, **event.details}
        event.date, event.summary, event.details = day, summary, details  # type: ignore[assignment]
        event.save()
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.EVENT_CORRECTED,
            effective_date=day,
            reasons=reason,
            details={
                "event_id": event.pk,
                "kind": event.kind,
                "before": before,
                "after": {"date": day.isoformat(), "summary": summary, **details},  # type: ignore[union-attr]
            },
        )
        deadlines_recompute(case=case)
    return event


# --- Day 1 documents recorded together ---------------------------------------------------


def day1_documents_record(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> list[RecordedEvent]:
    """Record several Day 1 documents as ready at once, all or none: each through
    `event_record`, so each is one "document ready" event with its own audit row, and
    each date is judged as if recorded alone. An error about the Nth document comes back
    as "N, date: ..." under `documents`."""
    fields = Fields(data)
    items = data.get("documents") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not items:
        fields.error("documents", "Tick at least one document that is ready.")
        fields.check()
    assert isinstance(items, list)
    if fields.too_many("documents", items, len(day1.required()), "documents"):
        fields.check()
    recorded: list[RecordedEvent] = []
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_record_event(EventKind.DOCUMENT_READY, case, actor):
            raise NotPermitted("Your role cannot record Day 1 documents on this case.")
        if not case.is_open:
            raise GuardRefused("This case is closed: nothing more can be recorded on it.")
        ready = {
            e.details.get("document"): e.date
            for e in RecordedEvent.objects.filter(case=case, kind=EventKind.DOCUMENT_READY)
        }
        seen: set[str] = set()
        for index, item in enumerate(items, start=1):
            item = item if isinstance(item, Mapping) else {}
            document = item.get("document")
            if document in seen:
                fields.error("documents", f"{index}, document: This document is listed twice.")
                continue
            if document in ready:
                label = day1.label(str(document))
                fields.error(
                    "documents",
                    f"{index}, document: {label} is already recorded as ready (on "
                    f"{ready[document]:%d %B %Y}); correct that entry on the Court page instead.",
                )
                continue
            seen.add(str(document))
            try:
                recorded.append(
                    event_record(
                        case_id=case.pk,
                        actor=actor,
                        data={
                            "kind": EventKind.DOCUMENT_READY,
                            "document": document,
                            "date": item.get("date"),
                            "summary": item.get("summary", ""),
                        },
                    )
                )
            except InvalidInput as err:
                for key, messages in err.field_errors.items():
                    for message in messages:
                        fields.error("documents", f"{index}, {key}: {message}")
        # Any error undoes every document recorded before it.
        fields.check()
    return recorded


# --- giving the case to another social worker --------------------------------------------

REASSIGNABLE_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)


def reassignable_workers(case: Case) -> list[Any]:
    """Who the case can be given to: the active social workers (and managers, who may
    hold cases, as when a case is opened) of the case's team, but its current one."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, role__in=REASSIGNABLE_ROLES, team_id=case.team_id)
        .exclude(pk=case.social_worker_id)
        .order_by("last_name", "first_name", "username")
    )


def case_reassign(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Case:
    """Give the case to another social worker of its team (docs/decisions.md)."""
    fields = Fields(data)
    username = fields.text("social_worker", max_length=150)
    reason = fields.text("reason", required=False, max_length=2000)
    fields.check()
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_reassign(actor, case):
            raise NotPermitted("Your role cannot give this case to another social worker.")
        if not case.is_open:
            raise GuardRefused("This case is closed: it stays with its last social worker.")
        worker = get_user_model().objects.filter(username=username, is_active=True).first()
        if worker is None:
            fields.error("social_worker", f"There is no active user '{username}'.")
        elif worker.role not in REASSIGNABLE_ROLES:
            fields.error("social_worker", f"{worker.display_name} is not a social worker.")
        elif worker.team_id != case.team_id:
            fields.error("social_worker", f"{worker.display_name} is not in {case.team.name}.")
        elif worker.pk == case.social_worker_id:
            fields.error("social_worker", f"The case is already {worker.display_name}'s.")
        fields.check()
        assert worker is not None  # fields.check() raised otherwise
        previous = case.social_worker
        case.social_worker = worker
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.CASE_REASSIGNED,
            effective_date=clock.today(),
            reasons=reason,
            details={
                "from": previous.username,
                "from_name": previous.display_name,
                "to": worker.username,
                "to_name": worker.display_name,
            },
        )
    return case


# --- the case's lawyer -----------------------------------------------------------------


def allocatable_lawyers() -> list[Any]:
    """Who a case's lawyer can be: the active users of the legal team."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, role=Role.LEGAL)
        .order_by("last_name", "first_name", "username")
    )


def case_allocate_lawyer(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Case:
    """Allocate the case to a lawyer, change its lawyer, or (`allocated_lawyer` null)
    leave it with none (docs/decisions.md, 155). One audit row says from whom to whom."""
    fields = Fields(data)
    raw = fields.data.get("allocated_lawyer")
    lawyer_id = None if raw in (None, "") else id_or_none(raw)
    if raw not in (None, "") and lawyer_id is None:
        fields.error("allocated_lawyer", "Send the lawyer's user id as a whole number, or null.")
    reason = fields.text("reason", required=False, max_length=2000)
    fields.check()
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_allocate_lawyer(actor, case):
            raise NotPermitted("Your role cannot allocate this case to a lawyer.")
        if not case.is_open:
            raise GuardRefused("This case is closed: it stays with the lawyer it had.")
        lawyer = None
        if lawyer_id is not None:
            lawyer = get_user_model().objects.filter(pk=lawyer_id).first()
            if lawyer is None or not lawyer.is_active:
                fields.error("allocated_lawyer", "There is no active user with that id.")
            elif lawyer.role != Role.LEGAL:
                fields.error("allocated_lawyer", f"{lawyer.display_name} is not a lawyer.")
        if lawyer_id == case.allocated_lawyer_id:
            fields.error(
                "allocated_lawyer",
                f"The case is already {lawyer.display_name}'s."
                if lawyer is not None
                else "The case has no lawyer allocated already.",
            )
        fields.check()
        previous = case.allocated_lawyer
        case.allocated_lawyer = lawyer
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LAWYER_ALLOCATED,
            effective_date=clock.today(),
            reasons=reason,
            details={
                "from": previous.username if previous else None,
                "from_name": previous.display_name if previous else None,
                "to": lawyer.username if lawyer else None,
                "to_name": lawyer.display_name if lawyer else None,
            },
        )
    return case


# --- adding and changing the children and adults -----------------------------------------

# What the history shows of a change to a person: for these fields the old and new values
# (none of them personal details); for the others (names, dates of birth, identifiers,
# contact details, language) only that they changed, since the audit trail is kept after
# the personal data itself may be destroyed (docs/retention.md).
PERSON_VALUES_SHOWN = frozenset(
    {
        "relationship",
        "parental_responsibility",
        "interpreter_needed",
        "advocate_needed",
        "has_solicitor",
        "correspondence_language",
        "easy_read",
        "large_print",
    }
)
CHILD_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
    "la_child_id",
    "upn",
    "cin_referral_date",
    "cin_episode_id",
)
ADULT_FIELDS = (
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
    "has_solicitor",
    "correspondence_language",
    "correspondence_language_other",
    "easy_read",
    "large_print",
)
PERSON_NOT_FOUND = "There is no such person on this case that you can see."


def _parse_child_details(fields: Fields, case: Case) -> dict[str, Any]:
    return _parse_child(fields, opened_on=case.opened_on)


def _parse_adult_details(fields: Fields, person: Any = None) -> dict[str, Any]:
    values = _parse_adult(fields)
    # How letters reach them (a field left out keeps its value).
    letters = communication_parse(fields, person)
    for name in ("correspondence_language", "correspondence_language_other"):
        values[name] = letters[name]
    values["easy_read"], values["large_print"] = letters["easy_read"], letters["large_print"]
    raw = fields.data.get("has_solicitor")
    if raw in (None, "", "unknown"):
        values["has_solicitor"] = None
    elif isinstance(raw, bool):
        values["has_solicitor"] = raw
    elif raw in ("yes", "no"):
        values["has_solicitor"] = raw == "yes"
    else:
        fields.error("has_solicitor", "Choose one of: yes, no, unknown.")
    return values


def _people_lock(case_id: int, actor: Any, expected_version: int | None) -> Case:
    case = case_lock(case_id, viewer=actor, expected_version=expected_version)
    if not permissions.may_edit_people(actor, case):
        raise NotPermitted("Your role cannot change the people on this case.")
    if not case.is_open:
        raise GuardRefused("This case is closed: its people can no longer be changed.")
    return case


def _audit_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _changes(person: Any, values: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """{field: [old, new]} for the values shown, {field: None} for the others changed."""
    changed: dict[str, Any] = {}
    for name in names:
        old, new = getattr(person, name), values[name]
        if old != new:
            changed[name] = (
                [_audit_value(old), _audit_value(new)] if name in PERSON_VALUES_SHOWN else None
            )
    return changed


def _unborn_flag_follow(case: Case) -> None:
    """The case's unborn flag: set while a child is expected and not yet born; cleared
    when the last one is born."""
    expecting = Child.objects.filter(
        case=case, date_of_birth__isnull=True, expected_date_of_birth__isnull=False
    ).exists()
    if expecting and not case.unborn_baby:
        case.unborn_baby = True
    elif case.unborn_baby and not expecting:
        case.unborn_baby = False


def person_add(
    *,
    case_id: int,
    who: str,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Child | Adult:
    """Add a child or an adult (`who`: "child" or "adult") to an open case."""
    if who not in ("child", "adult"):
        raise NotFound("You can add a child or an adult.")
    fields = Fields(data)
    with transaction.atomic():
        case = _people_lock(case_id, actor, expected_version)
        limit, count = (
            (MAX_CHILDREN, case.children.count())
            if who == "child"
            else (MAX_ADULTS, case.adults.count())
        )
        if count >= limit:
            raise GuardRefused(
                f"This case already has {count} {'children' if who == 'child' else 'adults'}, "
                "the most it can hold."
            )
        person: Child | Adult
        if who == "child":
            values = _parse_child_details(fields, case)
            fields.check()
            person = Child.objects.create(case=case, **values)
            _unborn_flag_follow(case)
        else:
            values = _parse_adult_details(fields)
            fields.check()
            person = Adult.objects.create(case=case, **values)
        case_touch(case)  # saves the whole row: the search text is refreshed after it
        search_text_refresh(case_ids=[case.pk])
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.PERSON_ADDED,
            details={"person": who, "person_id": person.pk},
        )
    return person


def person_update(
    *,
    case_id: int,
    who: str,
    person_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Child | Adult:
    """Change a child's or an adult's details; the history lists the fields changed."""
    model: Any = {"child": Child, "adult": Adult}.get(who)
    if model is None:
        raise NotFound(PERSON_NOT_FOUND)
    fields = Fields(data)
    with transaction.atomic():
        case = _people_lock(case_id, actor, expected_version)
        person: Child | Adult | None = model.objects.filter(pk=person_id, case=case).first()
        if person is None:
            raise NotFound(PERSON_NOT_FOUND)
        names: tuple[str, ...]
        if who == "child":
            values, names = _parse_child_details(fields, case), CHILD_FIELDS
        else:
            values, names = _parse_adult_details(fields, person), ADULT_FIELDS
        fields.check()
        changed = _changes(person, values, names)
        if not changed:
            return person  # nothing to write, nothing to audit
        for name in names:
            setattr(person, name, values[name])
        person.save()
        if who == "child" and {"date_of_birth", "expected_date_of_birth"} & set(changed):
            _unborn_flag_follow(case)
        case_touch(case)  # saves the whole row: the search text is refreshed after it
        search_text_refresh(case_ids=[case.pk])
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.PERSON_CHANGED,
            details={"person": who, "person_id": person.pk, "changed": changed},
        )
        deadlines_recompute(case=case)
    return person


def child_born(
    *,
    case_id: int,
    child_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Child:
    """Record the birth of a child who was expected: the date of birth and, if known,
    the first name. The case's unborn flag clears when no child is still expected."""
    fields = Fields(data)
    with transaction.atomic():
        case = _people_lock(case_id, actor, expected_version)
        child = Child.objects.filter(pk=child_id, case=case).first()
        if child is None:
            raise NotFound(PERSON_NOT_FOUND)
        if child.date_of_birth is not None:
            raise GuardRefused(
                f"This child's date of birth is already recorded ({child.date_of_birth:%d %B %Y})."
                " Change it from the child's details if it is wrong."
            )
        born = fields.date(
            "date_of_birth",
            not_before=case.opened_on - PREGNANCY,
            not_before_label="43 weeks before the case was opened",
        )
        first_name = fields.text("first_name", required=False, max_length=100)
        fields.check()
        changed = ["date_of_birth"]
        child.date_of_birth = born
        if first_name and first_name != child.first_name:
            child.first_name = first_name
            changed.append("first_name")
        child.save()
        was_unborn = case.unborn_baby
        _unborn_flag_follow(case)
        case_touch(case)  # saves the whole row: the search text is refreshed after it
        search_text_refresh(case_ids=[case.pk])
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.CHILD_BORN,
            effective_date=born,
            details={
                "person": "child",
                "person_id": child.pk,
                "changed": dict.fromkeys(changed),
                "unborn_flag_cleared": was_unborn and not case.unborn_baby,
            },
        )
        deadlines_recompute(case=case)
    return child


# --- extension requests ----------------------------------------------------------------
# A team manager asks, a head of service decides (docs/domain/roles.md, "Extension
# requests"). Approving takes the `extend_pre_proceedings` transition through
# `case_transition`, with the head of service who decided as its approver and recorder.

EXTENSION_REQUEST_NOT_FOUND = "There is no extension request with that id that you can see."
REQUEST_DECISIONS = ("approve", "decline", "withdraw")


def _announce(request_id: int, change: str) -> None:
    transaction.on_commit(
        lambda: extension_request_changed.send(
            sender=ExtensionRequest, request_id=request_id, change=change
        )
    )


def extension_request_create(
    *, case_id: int, actor: Any, data: Mapping[str, Any] | None, expected_version: int | None = None
) -> ExtensionRequest:
    """A team manager asks a head of service to extend pre-proceedings to a new end date.
    The same limits as the extension itself apply now, and again when it is approved."""
    fields = Fields(data)
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_request_extension(case, actor):
            raise NotPermitted(
                "Only a team manager of the case's team can ask for a pre-proceedings extension."
            )
        if case.stage != Stage.PRE_PROCEEDINGS:
            raise TransitionNotAvailable(
                f"This case is at the {Stage(case.stage).label.lower()} stage: an extension of "
                "pre-proceedings can be asked for only during pre-proceedings."
            )
        waiting = (
            case.extension_requests.filter(status=ExtensionRequestStatus.PENDING)
            .select_related("requested_by")
            .first()
        )
        if waiting is not None:
            raise GuardRefused(
                f"{waiting.requested_by.display_name} already asked for an extension to "
                f"{waiting.new_end:%d %B %Y}, still waiting for a head of service to decide. "
                "Wait for that decision, or withdraw that request first."
            )
        reason = fields.text("reason")
        previous, new_end = extension_end(fields, case, ExtensionKind.PRE_PROCEEDINGS)
        fields.check()
        assert previous is not None and new_end is not None
        request = ExtensionRequest.objects.create(
            case=case,
            kind=ExtensionKind.PRE_PROCEEDINGS,
            previous_end=previous,
            new_end=new_end,
            reason=reason,
            requested_by=actor,
            requested_at=clock.now(),
        )
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.EXTENSION_REQUESTED,
            effective_date=clock.today(),
            reasons=reason,
            details={
                "extension_request": request.pk,
                "previous_end": previous.isoformat(),
                "new_end": new_end.isoformat(),
            },
        )
        _announce(request.pk, "requested")
    return request


def _already_decided(request: ExtensionRequest) -> Conflict:
    who = request.decided_by.display_name if request.decided_by else "someone"
    when = f" on {request.decided_at:%d %B %Y}" if request.decided_at else ""
    verb = {"approved": "approved", "declined": "declined", "withdrawn": "withdrew"}
    return Conflict(
        f"Someone else changed this request while you were working on it: {who} "
        f"{verb.get(request.status, 'decided')} it{when}. Reload the case to see what changed."
    )


def extension_request_decide(
    *,
    request_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> ExtensionRequest:
    """Approve or decline a waiting request (a head of service), or withdraw it (a team
    manager of the case's team). A decline needs a reason; approving applies the
    extension as the approver's own, under the extension's rules as they are today."""
    existing = ExtensionRequest.objects.filter(pk=id_or_none(request_id) or 0).first()
    if existing is None:
        raise NotFound(EXTENSION_REQUEST_NOT_FOUND)
    fields = Fields(data, actor=actor)
    decision = fields.choice("decision", list(REQUEST_DECISIONS))
    reason = fields.text("reason", required=decision == "decline")
    if decision == "decline" and "reason" in fields.errors:
        fields.errors["reason"] = ["Say why the extension is declined: the team is told."]
    with transaction.atomic():
        try:
            case = case_lock(existing.case_id, viewer=actor, expected_version=expected_version)
        except NotFound:
            raise NotFound(EXTENSION_REQUEST_NOT_FOUND) from None
        request = ExtensionRequest.objects.select_related("requested_by", "decided_by").get(
            pk=existing.pk
        )
        may_decide = permissions.may_decide_extension_request(case, actor)
        may_withdraw = permissions.may_withdraw_extension_request(case, actor)
        if decision == "withdraw":
            allowed = may_withdraw
        elif decision:
            allowed = may_decide
        else:  # no decision sent: a role that may make none is refused before the values
            allowed = may_decide or may_withdraw
        if not allowed:
            raise NotPermitted(
                "Only a team manager of the case's team can withdraw this request."
                if decision == "withdraw"
                else "Only a head of service can approve or decline an extension request."
            )
        fields.check()
        if not request.is_pending:
            raise _already_decided(request)
        now = clock.now()
        request.decided_by, request.decided_at, request.decision_reason = actor, now, reason
        if decision == "approve":
            try:
                case_transition(
                    case_id=case.pk,
                    transition=Transition.EXTEND_PRE_PROCEEDINGS,
                    actor=actor,
                    data={
                        "date": clock.today().isoformat(),
                        "reasons": request.reason,
                        "new_end_date": request.new_end.isoformat(),
                        "approved_by": actor.username,
                    },
                    audit_extra={
                        "extension_request": request.pk,
                        "requested_by": request.requested_by.username,
                    },
                )
            except InvalidInput as err:
                messages = [m for ms in err.field_errors.values() for m in ms] or [err.message]
                raise GuardRefused(
                    "This extension cannot be approved as asked: "
                    + " ".join(messages)
                    + " Decline it with that reason, so that the team can ask again."
                ) from err
            request.extension = Extension.objects.filter(case=case).latest("id")
            request.status = ExtensionRequestStatus.APPROVED
            kind = CaseEventKind.EXTENSION_REQUEST_APPROVED
        else:
            request.status = (
                ExtensionRequestStatus.DECLINED
                if decision == "decline"
                else ExtensionRequestStatus.WITHDRAWN
            )
            kind = (
                CaseEventKind.EXTENSION_REQUEST_DECLINED
                if decision == "decline"
                else CaseEventKind.EXTENSION_REQUEST_WITHDRAWN
            )
            case_touch(case)
        request.save()
        case_event_append(
            case=case,
            actor=actor,
            kind=kind,
            effective_date=clock.today(),
            reasons=reason,
            details={
                "extension_request": request.pk,
                "requested_by": request.requested_by.username,
                "new_end": request.new_end.isoformat(),
                **({"extension": request.extension_id} if request.extension_id else {}),
            },
        )
        _announce(request.pk, request.status)
    return request
