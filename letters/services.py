"""The one write path for the schedule of expectations and for letters.

Every function is keyword-only, takes `actor=`, checks what the actor may do, and writes
in one transaction with the case row locked, appending an audit `CaseEvent`. Changes to
case data (the schedule, the letter details) bump the case's version, so that someone
acting on an older copy of the case is told it changed (409). Making, approving or
downloading a letter does not change the case, so it does not bump the version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from legaltracker.cases import services as case_services
from legaltracker.cases.choices import CaseEventKind
from legaltracker.cases.events import case_event_append, case_lock, case_touch
from legaltracker.cases.inputs import Fields
from legaltracker.cases.models import Adult, Case
from legaltracker.core import clock
from legaltracker.core.errors import Conflict, GuardRefused, InvalidInput, NotFound, NotPermitted

from . import conf, pdf, permissions, readability, rendering, selectors, storage
from .choices import ExpectationStatus, LetterKind, LetterStatus, SendMethod
from .models import Expectation, ExpectationReview, Letter, LetterDetails, LetterTemplate
from .registry import REGISTRY, current_template, template_by_sha

MAX_ITEM_TEXT = 2_000
MAX_NOTE = 3_000
CASE_NOT_FOUND = "There is no case with that id that you can see."
LETTER_NOT_FOUND = "There is no letter with that id that you can see."


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise GuardRefused("This case is closed: its schedule of expectations cannot change.")


# --- the schedule of expectations ------------------------------------------------------------


def _adult_ids(fields: Fields, case: Case, *, required: bool) -> list[int] | None:
    raw = fields.data.get("adults")
    if raw is None:
        if required:
            fields.error("adults", "Choose at least one adult this applies to.")
        return None
    values = raw if isinstance(raw, list | tuple) else [raw]
    ids: list[int] = []
    for value in values:
        text = str(value).strip()
        if isinstance(value, bool) or not text.isascii() or not text.isdigit():
            fields.error("adults", "Send the adults as a list of adult ids from the case.")
            return None
        ids.append(int(text))
    if not ids:
        fields.error("adults", "Choose at least one adult this applies to.")
        return None
    known = set(Adult.objects.filter(case=case, pk__in=ids).values_list("pk", flat=True))
    unknown = [i for i in ids if i not in known]
    if unknown:
        fields.error(
            "adults", f"These are not adults on this case: {', '.join(map(str, unknown))}."
        )
        return None
    return sorted(set(ids))


def _due_by(fields: Fields, case: Case, *, required: bool) -> dt.date | None:
    day = fields.date("due_by", required=required, not_future=False)
    if day is None:
        return None
    if day <= clock.today():
        fields.error(
            "due_by",
            "Choose a date after today: the family needs time to make this change.",
        )
    elif day > clock.today() + dt.timedelta(days=366):
        fields.error("due_by", "Choose a date within a year.")
    return day


ITEM_TEXTS = {
    "action": "what needs to change",
    "why_it_matters": "why it matters for the child",
    "help_offered": "the help we will give",
    "how_judged": "how we will know it has happened",
}


def expectation_create(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Expectation:
    """Add an item to the case's schedule of expectations."""
    fields = Fields(data)
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_edit_expectations(actor, case):
            raise NotPermitted("Your role cannot change this case's schedule of expectations.")
        _require_open(case)
        texts = {name: fields.text(name, max_length=MAX_ITEM_TEXT) for name in ITEM_TEXTS}
        adults = _adult_ids(fields, case, required=True)
        due_by = _due_by(fields, case, required=True)
        fields.check()
        last = Expectation.objects.filter(case=case).order_by("-position").first()
        now = clock.now()
        expectation = Expectation.objects.create(
            case=case,
            position=(last.position + 1) if last else 1,
            due_by=due_by,
            created_by=actor,
            created_at=now,
            updated_at=now,
            **texts,
        )
        expectation.adults.set(adults or [])
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.EXPECTATION_ADDED,
            details={
                "expectation_id": expectation.pk,
                "position": expectation.position,
                "due_by": due_by.isoformat() if due_by else None,
                "adults": adults,
                **texts,
            },
        )
    return expectation


def expectation_update(
    *,
    expectation_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> Expectation:
    """Change an item's wording, adults or date, or withdraw it (with a reason). Only the
    values sent change; the audit trail keeps what they were before."""
    fields = Fields(data)
    found = Expectation.objects.filter(pk=expectation_id).only("case_id").first()
    if found is None:
        raise NotFound("There is no expectation with that id.")
    with transaction.atomic():
        case = case_lock(found.case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_edit_expectations(actor, case):
            raise NotPermitted("Your role cannot change this case's schedule of expectations.")
        _require_open(case)
        expectation = Expectation.objects.prefetch_related("adults").get(pk=expectation_id)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name in ITEM_TEXTS:
            if name in fields.data:
                value = fields.text(name, max_length=MAX_ITEM_TEXT)
                if value != getattr(expectation, name):
                    before[name], after[name] = getattr(expectation, name), value
        if "due_by" in fields.data:
            day = _due_by(fields, case, required=True)
            if day is not None and day != expectation.due_by:
                before["due_by"], after["due_by"] = expectation.due_by.isoformat(), day.isoformat()
        adults = None
        if "adults" in fields.data:
            adults = _adult_ids(fields, case, required=True)
            current = sorted(a.pk for a in expectation.adults.all())
            if adults is not None and adults != current:
                before["adults"], after["adults"] = current, adults
        if "withdrawn" in fields.data:
            withdrawn = fields.boolean("withdrawn")
            if withdrawn != expectation.withdrawn:
                reason = fields.text("withdrawn_reason", required=withdrawn)
                before["withdrawn"], after["withdrawn"] = expectation.withdrawn, withdrawn
                after["withdrawn_reason"] = reason if withdrawn else ""
        fields.check()
        if not after:
            return expectation
        for name, value in after.items():
            if name == "due_by":
                expectation.due_by = dt.date.fromisoformat(value)
            elif name != "adults":
                setattr(expectation, name, value)
        expectation.updated_at = clock.now()
        expectation.save()
        if "adults" in after:
            expectation.adults.set(after["adults"])
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.EXPECTATION_WITHDRAWN
            if after.get("withdrawn")
            else CaseEventKind.EXPECTATION_CHANGED,
            reasons=str(after.get("withdrawn_reason", "")),
            details={"expectation_id": expectation.pk, "before": before, "after": after},
        )
    return expectation


def expectation_review(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> list[ExpectationReview]:
    """Record where every item of the schedule stood at a review meeting:
    {"date": "YYYY-MM-DD", "items": [{"expectation": id, "status": ..., "note": ...}]}.
    Every current item gets a status; recording the same date again replaces it."""
    fields = Fields(data)
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_edit_expectations(actor, case):
            raise NotPermitted("Your role cannot review this case's schedule of expectations.")
        _require_open(case)
        day = fields.date("date", not_before=case.opened_on, not_before_label="the case was opened")
        current = {e.pk: e for e in Expectation.objects.filter(case=case, withdrawn=False)}
        raw_items = fields.data.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            fields.error("items", "Give a status for each item of the schedule.")
            raw_items = []
        statuses: dict[int, tuple[str, str]] = {}
        for number, raw in enumerate(raw_items, start=1):
            item = Fields(raw if isinstance(raw, Mapping) else {})
            ident = str(item.data.get("expectation", "")).strip()
            if not ident.isascii() or not ident.isdigit() or int(ident) not in current:
                fields.error(
                    "items", f"Item {number}: this is not a current expectation of the case."
                )
                continue
            expectation = current[int(ident)]
            status = item.choice("status", ExpectationStatus)
            note = item.text("note", required=False, max_length=MAX_ITEM_TEXT)
            for messages in item.errors.values():
                for message in messages:
                    fields.error("items", f"Item {expectation.position}: {message}")
            if day and status == ExpectationStatus.NOT_YET_DUE and expectation.due_by <= day:
                fields.error(
                    "items",
                    f"Item {expectation.position} was due by {expectation.due_by:%d %B %Y}: "
                    "choose met, partly met or not met.",
                )
            statuses[expectation.pk] = (status, note)
        missing = sorted(e.position for pk, e in current.items() if pk not in statuses)
        if raw_items and missing:
            fields.error(
                "items",
                "Give a status for every item. Missing: "
                + ", ".join(f"item {p}" for p in missing)
                + ".",
            )
        fields.check()
        assert day is not None
        now = clock.now()
        reviews = []
        for pk, (status, note) in statuses.items():
            review, _ = ExpectationReview.objects.update_or_create(
                expectation_id=pk,
                reviewed_on=day,
                defaults={"status": status, "note": note, "recorded_by": actor, "recorded_at": now},
            )
            reviews.append(review)
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.EXPECTATIONS_REVIEWED,
            effective_date=day,
            details={
                "items": [
                    {"expectation_id": pk, "status": s, "note": n}
                    for pk, (s, n) in statuses.items()
                ]
            },
        )
    return reviews


# --- the letter details ---------------------------------------------------------------------

DETAIL_TEXTS = {
    "concerns": 5_000,
    "history": 5_000,
    "help_given": 5_000,
    "meeting_place": 500,
    "fgdm_how_to_accept": 1_000,
    "fgdm_exception_reason": 3_000,
    "legal_contact_name": 200,
    "legal_contact_phone": 40,
    "legal_contact_email": 254,
    "legal_reference": 64,
}
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _meeting_time(fields: Fields) -> dt.time | None:
    raw = fields.data.get("meeting_time")
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.time):
        return raw
    match = _TIME.fullmatch(str(raw).strip())
    if not match:
        fields.error("meeting_time", "Enter a time like 10:00 or 14:30.")
        return None
    return dt.time(int(match.group(1)), int(match.group(2)))


def _video_link(fields: Fields) -> str:
    link = fields.text("meeting_video_link", required=False, max_length=500)
    if link and not re.fullmatch(r"https://[^\s<>\"']+", link):
        fields.error(
            "meeting_video_link", "Enter the video link as a web address starting https://."
        )
    return link


def _text_list(fields: Fields, name: str, *, limit: int = 20) -> list[str]:
    raw = fields.data.get(name)
    if raw in (None, ""):
        return []
    values = raw.splitlines() if isinstance(raw, str) else raw
    if not isinstance(values, list | tuple):
        fields.error(name, "Send a list of names.")
        return []
    cleaned = [rendering.clean_value(str(v))[:200] for v in values if str(v).strip()]
    if len(cleaned) > limit:
        fields.error(name, f"List at most {limit}.")
    return [c for c in cleaned if c]


def _assessments(fields: Fields) -> list[dict[str, str]]:
    raw = fields.data.get("assessments")
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        fields.error("assessments", "Send the assessments as a list.")
        return []
    parsed = []
    for number, item in enumerate(raw, start=1):
        sub = Fields(item if isinstance(item, Mapping) else {})
        what = sub.text("what", max_length=500)
        why = sub.text("why", max_length=500)
        who = sub.text("who", max_length=200)
        when = sub.date("when", not_future=False)
        for key, messages in sub.errors.items():
            for message in messages:
                fields.error("assessments", f"{number}, {key}: {message}")
        if when is not None:
            parsed.append({"what": what, "why": why, "who": who, "when": when.isoformat()})
    return parsed


def letter_details_update(
    *,
    case_id: int,
    actor: Any,
    data: Mapping[str, Any] | None,
    expected_version: int | None = None,
) -> LetterDetails:
    """Set what the letters say that is not recorded elsewhere on the case. Only the
    values sent change."""
    fields = Fields(data)
    with transaction.atomic():
        case = case_lock(case_id, viewer=actor, expected_version=expected_version)
        if not permissions.may_edit_details(actor, case):
            raise NotPermitted("Your role cannot change what this case's letters say.")
        details = LetterDetails.objects.filter(case=case).first()
        values: dict[str, Any] = {}
        for name, limit in DETAIL_TEXTS.items():
            if name in fields.data:
                values[name] = fields.text(name, required=False, max_length=limit)
        if "meeting_date" in fields.data:
            values["meeting_date"] = fields.date("meeting_date", required=False, not_future=False)
        if "meeting_time" in fields.data:
            values["meeting_time"] = _meeting_time(fields)
        if "meeting_video_link" in fields.data:
            values["meeting_video_link"] = _video_link(fields)
        if "meeting_attendees" in fields.data:
            values["meeting_attendees"] = _text_list(fields, "meeting_attendees")
        if "assessments" in fields.data:
            values["assessments"] = _assessments(fields)
        fields.check()
        if details is None:
            details = LetterDetails(case=case, updated_by=actor, updated_at=clock.now())
        changed = sorted(k for k, v in values.items() if getattr(details, k, None) != v)
        if not changed and details.pk:
            return details
        for name, value in values.items():
            setattr(details, name, value)
        details.updated_by, details.updated_at = actor, clock.now()
        details.save()
        case_touch(case)
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LETTER_DETAILS_CHANGED,
            details={"fields": changed},
        )
    return details


# --- letters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    """A rendered letter before it is recorded."""

    context: dict[str, Any]
    rendered: rendering.Rendered
    report: readability.Report
    template_sha256: str
    template_source: str
    dated: dt.date


def _make(case: Case, kind: str, recipient_id: int, note: str) -> Made:
    spec = REGISTRY[kind]
    today = clock.today()
    facts = selectors.letter_facts(
        case=case, kind=kind, recipient_id=recipient_id, note=note, today=today
    )
    context = spec.context(facts)
    template = current_template(kind)
    logo, _ = selectors.council_logo()
    rendered = rendering.render(
        template.data, context, logo=logo, logo_alt=f"{facts.council.get('name', '')} logo"
    )
    report = readability.analyse(
        rendered.blocks, explained=[g["term"] for g in context["glossary"]]
    )
    # Keep what the letter was made from, so that it can be made again for a court.
    storage.save_template(template.data)
    storage.save_asset(logo)
    return Made(context, rendered, report, template.sha256, template.source, today)


def _parse_request(data: Mapping[str, Any] | None) -> tuple[str, int | None, str]:
    fields = Fields(data)
    kind = fields.choice("kind", LetterKind)
    raw = fields.data.get("recipient")
    recipient = None
    if raw in (None, ""):
        fields.error("recipient", "Choose who the letter is for (an adult on the case).")
    elif isinstance(raw, bool) or not str(raw).strip().isascii() or not str(raw).strip().isdigit():
        fields.error("recipient", "Send the recipient as the id of an adult on the case.")
    else:
        recipient = int(str(raw).strip())
    note = fields.text("note", required=False, max_length=MAX_NOTE)
    fields.check()
    return kind, recipient, note


def letter_generate(*, case_id: int, actor: Any, data: Mapping[str, Any] | None) -> Letter:
    """Make a draft letter of a kind, for one recipient, from the case as it is now:
    {"kind": ..., "recipient": <adult id>, "note": optional message}."""
    kind, recipient_id, note = _parse_request(data)
    case = selectors.load_case(case_id)
    if case is None or not permissions.can_view(actor, case):
        raise NotFound(CASE_NOT_FOUND)
    if not permissions.may_draft(actor, case):
        raise NotPermitted("Your role cannot write letters on this case.")
    if recipient_id not in {a.pk for a in case.adults.all()}:
        raise InvalidInput(
            "Choose an adult on this case as the recipient.",
            field_errors={"recipient": ["This is not an adult on this case."]},
        )
    spec = REGISTRY[kind]
    refusal = spec.unavailable(case)
    if refusal:
        raise GuardRefused(refusal)
    # Render outside the lock (it is the slow part); record only if the case did not
    # change meanwhile, else render again from the new facts.
    for _ in range(3):
        made = _make(case, kind, recipient_id, note)
        with transaction.atomic():
            locked = case_lock(case_id, viewer=actor)
            if locked.version != case.version:
                case = selectors.load_case(case_id)
                continue
            digest, _ = storage.save_letter_file(case_id, made.rendered.data)
            letter = Letter.objects.create(
                case=locked,
                kind=kind,
                recipient_id=recipient_id,
                dated=made.dated,
                template_sha256=made.template_sha256,
                template_source=made.template_source,
                context=made.context,
                file_sha256=digest,
                file_size=len(made.rendered.data),
                text=made.rendered.text,
                readability=made.report.as_dict(),
                reading_ease=made.report.reading_ease,
                grade=made.report.grade,
                generated_by=actor,
                generated_at=clock.now(),
            )
            case_event_append(
                case=locked,
                actor=actor,
                kind=CaseEventKind.LETTER_GENERATED,
                details={
                    "letter_id": letter.pk,
                    "kind": kind,
                    "recipient_id": recipient_id,
                    "template_sha256": made.template_sha256,
                    "file_sha256": digest,
                    "reading_ease": made.report.reading_ease,
                    "grade": made.report.grade,
                },
            )
            return letter
    raise Conflict("The case kept changing while the letter was being made. Try again.")


def letter_approval_problems(letter: Letter) -> list[str]:
    """Why a letter before proceedings cannot be approved yet (empty when it can):
    docs/domain/letters.md, read from what the letter actually says."""
    if not REGISTRY[letter.kind].is_letter_before_proceedings:
        return []
    context = letter.context
    problems = []
    expectations = context.get("expectations") or []
    if not expectations:
        problems.append(
            "The letter has no expectations. Add at least one item to the schedule of "
            "expectations, then make the letter again."
        )
    elif any(not item.get("due_iso") for item in expectations):
        problems.append("Every expectation needs a date by which it is expected.")
    meeting = context.get("meeting") or {}
    missing = [
        words
        for words, present in (
            ("the date", meeting.get("has")),
            ("the time", meeting.get("time")),
            ("the place or video link", meeting.get("place") or meeting.get("video_link")),
            ("who will be there", meeting.get("attendees")),
        )
        if not present
    ]
    if missing:
        problems.append(
            "The meeting details are not complete: add "
            + ", ".join(missing)
            + " of the meeting, then make the letter again."
        )
    fgdm = context.get("fgdm") or {}
    offered = fgdm.get("offer") and fgdm.get("how_to_accept")
    if conf.nation() == "england" and not fgdm.get("exception") and not offered:
        problems.append(
            "The letter must offer a family group decision-making meeting and say how to "
            "accept it (s31ZA Children Act 1989), or the reason it is not in the child's "
            "best interests must be recorded. Add how to accept the offer, then make the "
            "letter again."
        )
    return problems


def letter_approve(*, letter_id: int, actor: Any, data: Mapping[str, Any] | None = None) -> Letter:
    """Approve a draft letter. Below the readability gate it needs a team manager's
    override with a reason: {"override_reason": "..."}."""
    fields = Fields(data)
    reason = fields.text("override_reason", required=False, max_length=MAX_NOTE)
    fields.check()
    found = Letter.objects.filter(pk=letter_id).only("case_id").first()
    if found is None:
        raise NotFound(LETTER_NOT_FOUND)
    with transaction.atomic():
        case = case_lock(found.case_id, viewer=actor)
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if not permissions.may_approve(actor, case):
            raise NotPermitted("Only the case's team manager or a lawyer can approve letters.")
        if letter.status != LetterStatus.DRAFT:
            raise GuardRefused(f"This letter is already {letter.get_status_display().lower()}.")
        problems = letter_approval_problems(letter)
        if problems:
            raise GuardRefused(" ".join(problems))
        gate = conf.approval_min_reading_ease()
        overridden = letter.reading_ease < gate
        if overridden:
            if not permissions.may_override_gate(actor, case):
                raise GuardRefused(
                    f"This letter's reading ease is {letter.reading_ease:g}, below the "
                    f"{gate:g} needed. Make it plainer and make it again, or ask the case's "
                    "team manager to approve it with a reason."
                )
            if not reason:
                raise InvalidInput(
                    f"This letter's reading ease is {letter.reading_ease:g}, below the {gate:g} "
                    "needed. Say why it should go as it is.",
                    field_errors={
                        "override_reason": [
                            "Give the reason for approving a letter below the readability gate."
                        ]
                    },
                )
        letter.status = LetterStatus.APPROVED
        letter.approved_by, letter.approved_at = actor, clock.now()
        letter.override_reason = reason if overridden else ""
        letter.save(update_fields=["status", "approved_by", "approved_at", "override_reason"])
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LETTER_APPROVED,
            reasons=letter.override_reason,
            details={
                "letter_id": letter.pk,
                "kind": letter.kind,
                "reading_ease": letter.reading_ease,
                "gate": gate,
                "override": overridden,
            },
        )
    return letter


def letter_record_sent(*, letter_id: int, actor: Any, data: Mapping[str, Any] | None) -> Letter:
    """Record that an approved letter was sent: {"date": "YYYY-MM-DD", "method": ...}.
    A letter before proceedings or a letter of issue also records its case event, which
    starts the clocks of docs/domain/milestones.md."""
    fields = Fields(data)
    found = Letter.objects.filter(pk=letter_id).only("case_id").first()
    if found is None:
        raise NotFound(LETTER_NOT_FOUND)
    with transaction.atomic():
        case = case_lock(found.case_id, viewer=actor)
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        spec = REGISTRY[letter.kind]
        if not permissions.may_record_sent(actor, case, spec.sent_event):
            raise NotPermitted("Your role cannot record this letter as sent.")
        if letter.status == LetterStatus.SENT:
            raise GuardRefused(
                f"This letter was already recorded as sent on {letter.sent_on:%d %B %Y}."
            )
        if letter.status != LetterStatus.APPROVED:
            raise GuardRefused(
                "This letter has not been approved yet. It must be approved before it is sent."
            )
        day = fields.date(
            "date", not_before=letter.dated, not_before_label="the date on the letter"
        )
        method = fields.choice("method", SendMethod)
        fields.check()
        assert day is not None
        event = None
        if spec.sent_event:
            event = case_services.event_record(
                case_id=case.pk,
                actor=actor,
                data={
                    "kind": spec.sent_event,
                    "date": day.isoformat(),
                    "summary": f"Letter {letter.pk} ({spec.label.lower()}) sent "
                    f"{SendMethod(method).label.lower()}.",
                },
            )
        letter.status = LetterStatus.SENT
        letter.sent_on, letter.sent_method = day, method
        letter.sent_by, letter.sent_at, letter.sent_event = actor, clock.now(), event
        letter.save(
            update_fields=["status", "sent_on", "sent_method", "sent_by", "sent_at", "sent_event"]
        )
        case_event_append(
            case=case,
            actor=actor,
            kind=CaseEventKind.LETTER_SENT,
            effective_date=day,
            details={
                "letter_id": letter.pk,
                "kind": letter.kind,
                "method": method,
                "event_id": event.pk if event else None,
            },
        )
    return letter


@dataclass(frozen=True)
class Download:
    path: Path
    file_name: str
    content_type: str


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def letter_download(*, letter_id: int, actor: Any, file_format: str = "docx") -> Download:
    """The letter's file (Word, or a PDF made from it), for someone who may see the
    case; every download is written to the audit trail."""
    if file_format not in CONTENT_TYPES:
        raise InvalidInput(
            "Choose the format docx or pdf.", field_errors={"format": ["Choose docx or pdf."]}
        )
    letter = selectors.letter_with_case(letter_id)
    if letter is None or not permissions.can_view(actor, letter.case):
        raise NotFound(LETTER_NOT_FOUND)
    docx_path = storage.letter_path(letter.case_id, letter.file_sha256, "docx")
    try:
        data = storage.read_verified(docx_path, letter.file_sha256)
    except OSError as error:
        raise GuardRefused(
            "The stored file of this letter is missing or does not match its checksum. "
            "Tell an administrator."
        ) from error
    path = docx_path
    if file_format == "pdf":
        # The PDF is named after the Word file it was made from, and made once.
        path = storage.letter_path(letter.case_id, letter.file_sha256, "pdf")
        if not path.exists():
            digest = storage.save_pdf(path, pdf.docx_to_pdf(data))
            Letter.objects.filter(pk=letter.pk).update(pdf_sha256=digest)
        elif letter.pdf_sha256:
            try:
                storage.read_verified(path, letter.pdf_sha256)
            except OSError as error:
                raise GuardRefused(
                    "The stored PDF of this letter does not match its checksum. "
                    "Tell an administrator."
                ) from error
    with transaction.atomic():
        case_event_append(
            case=letter.case,
            actor=actor,
            kind=CaseEventKind.LETTER_DOWNLOADED,
            details={"letter_id": letter.pk, "kind": letter.kind, "format": file_format},
        )
    return Download(path, f"{letter.file_name}.{file_format}", CONTENT_TYPES[file_format])


def letter_reproduce(letter: Letter) -> rendering.Rendered:
    """Render the letter's stored context with the template it was made from."""
    template = template_by_sha(letter.kind, letter.template_sha256)
    logo_sha = str(letter.context.get("logo", ""))
    logo_file = storage.asset_path(logo_sha)
    logo = logo_file.read_bytes() if logo_file.exists() else selectors.council_logo()[0]
    council = letter.context.get("council", {}).get("name", "")
    return rendering.render(template.data, letter.context, logo=logo, logo_alt=f"{council} logo")


# --- templates --------------------------------------------------------------------------------


def letter_template_upload(*, kind: str, data: bytes, file_name: str, actor: Any) -> LetterTemplate:
    """Accept a replacement template after the same checks as the shipped ones and a
    sample render; it becomes the active template of its kind."""
    from .checks import validate_template

    if kind not in REGISTRY:
        raise InvalidInput(
            "Choose a letter kind.", field_errors={"kind": ["Choose a letter kind."]}
        )
    if not getattr(actor, "is_active", False) or not (
        actor.is_superuser or getattr(actor, "role", "") == "administrator"
    ):
        raise NotPermitted("Only an administrator can replace a letter template.")
    report = validate_template(kind, data)
    if report["problems"]:
        raise InvalidInput(
            "The template was not accepted: " + " ".join(report["problems"]),
            field_errors={"file": report["problems"]},
        )
    digest = storage.save_template(data)
    with transaction.atomic():
        LetterTemplate.objects.filter(kind=kind, active=True).update(active=False)
        return LetterTemplate.objects.create(
            kind=kind,
            sha256=digest,
            file_name=rendering.clean_value(file_name)[:200],
            active=True,
            uploaded_by=actor,
            uploaded_at=clock.now(),
            check_report=report,
        )


def letter_template_deactivate(*, template_ids: list[int], actor: Any) -> int:
    """Stop using uploaded templates for new letters (they are kept for old ones)."""
    if not getattr(actor, "is_active", False) or not (
        actor.is_superuser or getattr(actor, "role", "") == "administrator"
    ):
        raise NotPermitted("Only an administrator can change which letter templates are used.")
    with transaction.atomic():
        return LetterTemplate.objects.filter(pk__in=template_ids, active=True).update(active=False)
