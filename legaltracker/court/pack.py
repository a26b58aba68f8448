"""The application pack: what the court's online application (form C110A) asks for,
gathered from the case so that the lawyer can key it in (docs/court.md, "The
application pack").

`application_pack` reads it in a fixed number of queries whatever the size of the family
or its history; `pack_docx` writes the same content as a Word file, which
`letters.pdf.docx_to_pdf` (the letters' LibreOffice path) turns into a tagged PDF. What
the tracker does not keep (the children's gender), or what nobody has recorded yet on the
court record (the orders sought, an international element), is said to be not recorded,
so that nobody takes a blank for a "no".
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from legaltracker.cases import day1
from legaltracker.cases.choices import (
    CorrespondenceLanguage,
    EventKind,
    Outcome,
    Relationship,
    Stage,
    ThresholdView,
    Transition,
)
from legaltracker.cases.models import Adult, Case, GatewayDecision, RecordedEvent

from . import permissions
from .choices import JudgeLevel
from .models import Proceedings
from .presenters import international_words, orders_sought_words

NOT_RECORDED = "Not recorded"
BEFORE_ISSUE = (
    "The application pack is available from the decision to issue proceedings. This case "
    "has not reached it: record the legal gateway's decision to issue first."
)
ORDERS_TO_CHOOSE = (
    "Not recorded on the court record yet: record the orders sought on the case's court "
    "record (for example a care order or a supervision order, and whether an interim order "
    "is sought now), or choose them in the online application."
)
ALLOCATION_TO_PROPOSE = (
    "No level of judge is recorded on the court record: propose one in the application "
    "(lay justices, district judge, circuit judge or High Court judge)."
)
INTERNATIONAL_NOT_RECORDED = (
    "Not recorded on the court record yet (a party or child living abroad, another "
    "country's proceedings, a foreign nationality). Check with the social worker before "
    "answering, and record the answer on the court record."
)


def _long(day: dt.date | None) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


def _choice(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass
class PackChild:
    name: str
    born: str
    gender: str
    la_child_id: str


@dataclass
class PackRespondent:
    name: str
    relationship: str
    address: str
    contact: str
    solicitor: str


@dataclass
class PackLanguage:
    name: str
    language: str
    interpreter: str


@dataclass
class PackEpisode:
    reference: str
    opened_on: str
    where: str
    court: str


@dataclass
class PackDocument:
    label: str
    ready_on: dt.date | None
    required: bool

    @property
    def status(self) -> str:
        if self.ready_on:
            return f"Ready ({_long(self.ready_on)})"
        return "Not ready"


@dataclass
class ApplicationPack:
    case: Case
    available: bool
    children: list[PackChild] = field(default_factory=list)
    respondents: list[PackRespondent] = field(default_factory=list)
    others: list[PackRespondent] = field(default_factory=list)
    orders_sought: str = ORDERS_TO_CHOOSE
    decision: str = ""
    threshold: str = NOT_RECORDED
    grounds: str = ""
    timing: str = ""
    allocation: str = ALLOCATION_TO_PROPOSE
    court_centre: str = NOT_RECORDED
    episodes: list[PackEpisode] = field(default_factory=list)
    hidden_episodes: int = 0
    international: str = INTERNATIONAL_NOT_RECORDED
    languages: list[PackLanguage] = field(default_factory=list)
    documents: list[PackDocument] = field(default_factory=list)

    @property
    def documents_missing(self) -> list[str]:
        return [d.label for d in self.documents if d.required and not d.ready_on]

    @property
    def file_name(self) -> str:
        reference = self.case.reference or f"case-{self.case.pk}"
        return f"application-pack-{reference}"


def _child(child: Any) -> PackChild:
    name = f"{child.first_name} {child.last_name}".strip() or NOT_RECORDED
    if child.date_of_birth:
        born = _long(child.date_of_birth)
    elif child.expected_date_of_birth:
        born = f"Unborn: expected {_long(child.expected_date_of_birth)}"
    else:
        born = NOT_RECORDED
    # The tracker keeps no gender: C110A asks for it, so the pack says it is not kept.
    gender = str(getattr(child, "gender", "") or NOT_RECORDED)
    return PackChild(name, born, gender, child.la_child_id or NOT_RECORDED)


def _solicitor(adult: Adult) -> str:
    # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
    representation = getattr(adult, "representation", None)
    if representation is None:
        if adult.has_solicitor is False:
            return "Not represented (as recorded before proceedings)"
        return "Not recorded on the court record"
    if not representation.represented:
        return "Not represented"
    parts = [
        representation.solicitor_name,
        representation.firm,
        representation.phone,
        representation.email,
    ]
    return ", ".join(p for p in parts if p) or "Represented: the solicitor is not recorded"


def _respondent(adult: Adult) -> PackRespondent:
    contact = ", ".join(p for p in (adult.phone, adult.email) if p) or NOT_RECORDED
    return PackRespondent(
        name=f"{adult.first_name} {adult.last_name}".strip(),
        relationship=_choice(Relationship, adult.relationship),
        address=adult.address.strip() or NOT_RECORDED,
        contact=contact,
        solicitor=_solicitor(adult),
    )


def _language(adult: Adult) -> PackLanguage:
    if adult.correspondence_language == CorrespondenceLanguage.WELSH:
        written = "Welsh"
    elif adult.correspondence_language == CorrespondenceLanguage.OTHER:
        written = adult.correspondence_language_other or "Another language (not named)"
    else:
        written = "English"
    spoken = (adult.preferred_language or "").strip()
    # Both: the court asks for the language a party speaks, and for Welsh in particular.
    language = f"{spoken or written}; letters in {written}"
    return PackLanguage(
        name=f"{adult.first_name} {adult.last_name}".strip(),
        language=language,
        interpreter="Interpreter needed" if adult.interpreter_needed else "No interpreter needed",
    )


def _decision(decisions: list[GatewayDecision]) -> GatewayDecision | None:
    """The decision to issue, else the latest gateway decision."""
    to_issue = [d for d in decisions if d.transition == Transition.GATEWAY_ISSUE]
    chosen = to_issue or decisions
    return max(chosen, key=lambda d: (d.meeting_date, d.pk)) if chosen else None


def _episode(other: Case) -> PackEpisode:
    if other.stage == Stage.CLOSED:
        outcome = _choice(Outcome, other.outcome) if other.outcome else "no outcome recorded"
        where = f"Closed {_long(other.closed_on)}: {outcome.lower()}"
    else:
        where = f"Open: {_choice(Stage, other.stage).lower()}"
    court = (
        f"Proceedings issued {_long(other.issued_on)}"
        + (f", court case number {other.court_reference}" if other.court_reference else "")
        if other.issued_on
        else "No proceedings issued"
    )
    return PackEpisode(other.reference or f"Case {other.pk}", _long(other.opened_on), where, court)


def application_pack(*, user: Any, case_id: int) -> ApplicationPack | None:
    """The pack of a case the person may see (None: no such case for them)."""
    adults = Adult.objects.select_related("representation").order_by("id")
    case = (
        Case.objects.visible_to(user)
        .select_related("team")
        .prefetch_related(
            "children",
            Prefetch("adults", queryset=adults),
            "gateway_decisions",
            Prefetch(
                "recorded_events",
                queryset=RecordedEvent.objects.filter(kind=EventKind.DOCUMENT_READY),
                to_attr="documents_ready",
            ),
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None or not permissions.may_view_court(user, case):
        return None
    pack = ApplicationPack(case=case, available=permissions.has_court_record(case))
    if not pack.available:
        return pack

    pack.children = [_child(child) for child in case.children.all()]
    people = list(case.adults.all())
    pack.respondents = [_respondent(a) for a in people if a.parental_responsibility]
    pack.others = [_respondent(a) for a in people if not a.parental_responsibility]
    pack.languages = [_language(a) for a in people]

    decision = _decision(list(case.gateway_decisions.all()))
    if decision is not None:
        pack.decision = f"Legal gateway meeting, {_long(decision.meeting_date)}"
        pack.threshold = _choice(ThresholdView, decision.threshold_view)
        pack.grounds = decision.reasons.strip()
    if case.urgent:
        reason = case.short_notice_reason.strip() or "no reason recorded"
        pack.timing = f"Short-notice (urgent) application: {reason}"
    else:
        pack.timing = "Standard application: no urgent or without-notice hearing asked for"

    proceedings = Proceedings.objects.select_related("court_centre").filter(case_id=case.pk).first()
    if proceedings is not None:
        if proceedings.judge_level:
            pack.allocation = _choice(JudgeLevel, proceedings.judge_level)
            if proceedings.judge_name:
                pack.allocation += f" ({proceedings.judge_name})"
        if proceedings.court_centre is not None:
            centre = proceedings.court_centre
            pack.court_centre = f"{centre.name} ({centre.code})"
        pack.orders_sought = orders_sought_words(proceedings) or ORDERS_TO_CHOOSE
        pack.international = international_words(proceedings) or INTERNATIONAL_NOT_RECORDED

    family = Case.objects.filter(family_id=case.family_id).exclude(pk=case.pk)
    visible = list(family.visible_to(user).order_by("opened_on", "id"))
    pack.episodes = [_episode(other) for other in visible]
    pack.hidden_episodes = family.count() - len(visible)

    ready: dict[str, dt.date] = {}
    for event in case.documents_ready:
        code = str(event.details.get("document", ""))
        if code and (code not in ready or event.date < ready[code]):
            ready[code] = event.date
    pack.documents = [
        PackDocument(entry.label, ready.get(entry.code), entry.active)
        for entry in day1.checklist()
        if entry.active or entry.code in ready
    ]
    return pack


# --- the Word file, for the PDF --------------------------------------------------------


def _set_language(document: Any, language: str = "en-GB") -> None:
    # LibreOffice takes the PDF's /Lang from the default run language: screen readers
    # then read the pack in an English voice (as the letters do, docs/letter-formats.md).
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run = defaults.find(qn("w:rPrDefault"))
    if run is None:
        return
    properties = run.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), language)


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def _pairs(document: Any, pairs: list[tuple[str, str]]) -> None:
    for label, value in pairs:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)


def pack_docx(pack: ApplicationPack) -> bytes:
    """The pack as a Word file (the same headings and content as the page)."""
    from docx import Document

    assert pack.available
    case = pack.case
    document = Document()
    _set_language(document)
    title = f"Application pack: case {case.reference or case.pk}"
    document.core_properties.title = title
    document.core_properties.language = "en-GB"
    document.add_heading(title, level=1)
    document.add_paragraph(
        "What the court's online application (form C110A) asks for, as recorded on the "
        "tracker. Check each answer before keying it in."
    )

    document.add_heading("The children", level=2)
    if pack.children:
        _table(
            document,
            ["Name", "Date of birth", "Gender", "LA child id"],
            [[c.name, c.born, c.gender, c.la_child_id] for c in pack.children],
        )
    else:
        document.add_paragraph("No children are recorded on the case.")

    document.add_heading("Respondents (parental responsibility)", level=2)
    if pack.respondents:
        for person in pack.respondents:
            document.add_heading(f"{person.name} ({person.relationship})", level=3)
            _pairs(
                document,
                [
                    ("Address", person.address),
                    ("Phone or email", person.contact),
                    ("Solicitor", person.solicitor),
                ],
            )
    else:
        document.add_paragraph("No adult with parental responsibility is recorded.")
    if pack.others:
        document.add_heading("Other people named on the case", level=3)
        _table(
            document,
            ["Name", "Relationship", "Address"],
            [[p.name, p.relationship, p.address] for p in pack.others],
        )

    document.add_heading("Orders sought", level=2)
    document.add_paragraph(pack.orders_sought)

    document.add_heading("Grounds and risks", level=2)
    _pairs(
        document,
        [
            ("Decision", pack.decision or NOT_RECORDED),
            ("Threshold", pack.threshold),
            ("Timing", pack.timing),
        ],
    )
    document.add_paragraph(pack.grounds or "No reasons recorded.")

    document.add_heading("Allocation proposal", level=2)
    _pairs(document, [("Level of judge", pack.allocation), ("Court", pack.court_centre)])

    document.add_heading("Other or previous proceedings", level=2)
    if pack.episodes:
        _table(
            document,
            ["Case", "Opened", "Where it stands", "Court"],
            [[e.reference, e.opened_on, e.where, e.court] for e in pack.episodes],
        )
    else:
        document.add_paragraph("No earlier episode of this family is recorded.")
    if pack.hidden_episodes:
        document.add_paragraph(_hidden_sentence(pack.hidden_episodes))

    document.add_heading("International element", level=2)
    document.add_paragraph(pack.international)

    document.add_heading("Language and interpreters", level=2)
    if pack.languages:
        _table(
            document,
            ["Name", "Language", "Interpreter"],
            [[p.name, p.language, p.interpreter] for p in pack.languages],
        )
    else:
        document.add_paragraph("No adults are recorded on the case.")

    document.add_heading("Day 1 documents", level=2)
    _table(
        document,
        ["Document", "Status"],
        [[d.label, d.status] for d in pack.documents],
    )
    if pack.documents_missing:
        document.add_paragraph("Still to be ready: " + ", ".join(pack.documents_missing) + ".")

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _hidden_sentence(count: int) -> str:
    episodes = "episode" if count == 1 else "episodes"
    return (
        f"{count} other {episodes} of this family cannot be shown to you (restricted). "
        "Ask the people named on it about other proceedings."
    )


def hidden_sentence(pack: ApplicationPack) -> str:
    return _hidden_sentence(pack.hidden_episodes) if pack.hidden_episodes else ""
