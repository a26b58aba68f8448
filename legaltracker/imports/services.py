"""Importing a council's live cases from its spreadsheet tracker (docs/imports.md).

Each row is one transaction: it creates the case and walks it to the sheet's stage through
the same services the app uses (`cases.services`), each step dated as in the sheet, then
records a note saying it was imported (who, when, which file by its SHA-256, which row)
and keeps the sheet's reference. A row that fails anywhere leaves nothing of itself and
the next row goes on. A dry run does every row the same way and rolls each one back, so
that it reports the problems the real run would meet and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q

from legaltracker.accounts.models import Role, Team
from legaltracker.audit import recording, requestid
from legaltracker.audit.models import AccessOutcome
from legaltracker.cases import services as case_services
from legaltracker.cases.choices import AttendeeRole, EventKind, Stage, Transition
from legaltracker.core import clock
from legaltracker.core.errors import DomainError, NotPermitted
from legaltracker.core.upn import upn_problem

from . import parsing
from .columns import BY_FIELD
from .models import ImportedCase, ImportRun

logger = logging.getLogger(__name__)

MAX_REFERENCE = 64
IMPORT_ACTION = "imports: import_tracker run"

# Who may import: docs/imports.md and docs/decisions.md (entry 99).
IMPORTER_ROLES = frozenset({Role.HEAD_OF_SERVICE})
NOT_PERMITTED = (
    "Only a head of service can import cases: they may open a case for any team and take "
    "the gateway decisions an import records."
)


def may_import(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "role", None) in IMPORTER_ROLES
    )


class Outcome:
    CREATED = "created"
    WOULD_CREATE = "would be created"
    ALREADY = "already imported"
    FAILED = "not imported"


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str

    def line(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        value = f" ('{self.value}')" if self.value else ""
        return f"{where}{value}: {self.message}"


@dataclass
class RowResult:
    row: int
    reference: str
    outcome: str
    case_reference: str = ""
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Report:
    file_name: str
    sha256: str
    dry_run: bool
    results: list[RowResult] = field(default_factory=list)
    ignored_headings: list[str] = field(default_factory=list)
    run_id: int | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(r.outcome for r in self.results)
        return {o: counts[o] for o in self._outcomes() if counts[o] or o != Outcome.CREATED}

    def _outcomes(self) -> list[str]:
        first = Outcome.WOULD_CREATE if self.dry_run else Outcome.CREATED
        return [first, Outcome.ALREADY, Outcome.FAILED]

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.results for p in r.problems]

    @property
    def created(self) -> int:
        return sum(r.outcome in (Outcome.CREATED, Outcome.WOULD_CREATE) for r in self.results)

    def summary(self) -> str:
        what = "Dry run: nothing was written." if self.dry_run else "Import finished."
        counts = ", ".join(f"{n} {o}" for o, n in self.counts.items())
        lines = [f"{what} {len(self.results)} rows: {counts}."]
        already = self.counts.get(Outcome.ALREADY, 0)
        if already and not self.created:
            lines.append(
                f"Every case in the sheet that could be imported already was: nothing new "
                f"was created ({already} already imported)."
            )
        return " ".join(lines)


class _RowFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


class _DryRunRollback(Exception):
    pass


# --- reading one row --------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    sheet: parsing.Sheet
    cells: list[Any]
    problems: list[Problem] = field(default_factory=list)

    def raw(self, name: str) -> Any:
        return self.sheet.value(self.cells, name)

    def problem(self, name: str, message: str, value: Any = None) -> None:
        column = self.column(name)
        shown = parsing.shown(self.raw(name) if value is None and name else value)
        self.problems.append(Problem(self.number, column, shown, message))

    def column(self, name: str) -> str:
        if not name:
            return ""
        index = self.sheet.columns.get(name)
        if index is not None and index < len(self.sheet.headings):
            return self.sheet.headings[index] or BY_FIELD[name].heading
        return BY_FIELD[name].heading

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.raw(name)
        if value is None:
            if required:
                self.problem(name, f"'{BY_FIELD[name].heading}' is blank: fill it in.")
            return ""
        return parsing.shown(value) if not isinstance(value, str) else value

    def date(self, name: str, *, required: bool = False, why: str = "") -> dt.date | None:
        try:
            day = parsing.parse_date(self.raw(name))
        except parsing.DateProblem as problem:
            self.problem(name, str(problem))
            return None
        if day is None and required:
            self.problem(name, f"'{BY_FIELD[name].heading}' is blank: {why or 'enter the date'}.")
        return day

    def choice(self, name: str, parse: Callable[[Any], str], *, required: bool, why: str) -> str:
        value = self.raw(name)
        if value is None:
            if required:
                self.problem(name, f"'{BY_FIELD[name].heading}' is blank: {why}.")
            return ""
        try:
            return parse(value)
        except ValueError as error:
            self.problem(name, str(error))
            return ""


@dataclass
class _Plan:
    """What one valid row will do, in order."""

    reference: str
    create: dict[str, Any]
    stage: str
    referred_on: dt.date | None = None
    gateway_on: dt.date | None = None
    threshold_view: str = ""
    attendees: list[dict[str, str]] = field(default_factory=list)
    via_pre_proceedings: bool = False
    events: list[tuple[str, str, dt.date]] = field(default_factory=list)  # field, kind, date
    issue_decided_on: dt.date | None = None


_EVENT_COLUMNS = [
    ("letter_before_proceedings_on", EventKind.LETTER_BEFORE_PROCEEDINGS_SENT),
    ("initial_meeting_on", EventKind.INITIAL_MEETING_HELD),
    ("review_meeting_on", EventKind.REVIEW_MEETING_HELD),
]


def _find_team(row: _Row) -> str:
    raw = row.text("team", required=True)
    if not raw:
        return ""
    team = Team.objects.filter(Q(code__iexact=raw) | Q(name__iexact=raw)).first()
    if team is None:
        row.problem(
            "team",
            f"There is no team '{raw}' in the tracker: use a team's code or name as the "
            "tracker has it, or ask the administrator to add the team first.",
        )
        return ""
    return team.code


def _find_worker(row: _Row) -> str:
    raw = row.text("social_worker", required=True)
    if not raw:
        return ""
    users = get_user_model().objects.filter(is_active=True)
    found = list(users.filter(username__iexact=raw)[:1])
    if not found:
        first, _, last = raw.strip().rpartition(" ")
        found = list(users.filter(first_name__iexact=first, last_name__iexact=last)[:2])
    if len(found) > 1:
        row.problem(
            "social_worker",
            f"More than one person is called '{raw}': use the social worker's username.",
        )
        return ""
    if not found:
        row.problem(
            "social_worker",
            f"There is no active user '{raw}': use the social worker's username or full name "
            "as the tracker has it, or ask the administrator to add them first.",
        )
        return ""
    return str(found[0].username)


def _child_identifiers(row: _Row) -> dict[str, str]:
    """The child's identifiers from their columns, as the case's service takes them; a
    UPN whose check letter is wrong is a problem of the row (the service checks the rest)."""
    values: dict[str, str] = {}
    for name in ("child_la_child_id", "child_upn", "child_cin_episode_id"):
        if text := row.text(name).strip():
            values[name.removeprefix("child_")] = text
    if upn := values.get("upn"):
        upn = upn.replace(" ", "").upper()
        if problem := upn_problem(upn):
            row.problem("child_upn", problem)
        values["upn"] = upn
    referral = row.date("child_cin_referral_date")
    if referral is not None:
        values["cin_referral_date"] = referral.isoformat()
    return values


def _plan(row: _Row, worker_name: Callable[[str], str]) -> _Plan | None:
    reference = row.text("reference", required=True)
    if len(reference) > MAX_REFERENCE:
        row.problem("reference", f"Keep the reference to {MAX_REFERENCE} characters or fewer.")
    team = _find_team(row)
    worker = _find_worker(row)
    opened_on = row.date("opened_on", required=True, why="enter the date the case was opened")
    child_last = row.text("child_last_name", required=True)
    child_dob = row.date("child_date_of_birth")
    identifiers = _child_identifiers(row)
    parent_last = row.text("parent_last_name")
    relationship = row.choice(
        "parent_relationship", parsing.parse_relationship, required=False, why=""
    )
    stage = row.choice(
        "stage",
        parsing.parse_stage,
        required=True,
        why="write concern, legal gateway, pre-proceedings or issue",
    )
    past_gateway = stage in (Stage.PRE_PROCEEDINGS, Stage.ISSUE)
    referred_on = row.date(
        "referred_on",
        required=stage != Stage.CONCERN and bool(stage),
        why="a case at the legal gateway or later was referred to it on a date",
    )
    gateway_on = row.date(
        "gateway_on",
        required=past_gateway,
        why="a case in pre-proceedings or at issue had a gateway meeting that decided so",
    )
    threshold = ""
    attendees: list[dict[str, str]] = []
    if past_gateway:
        threshold = row.choice(
            "threshold_view",
            parsing.parse_threshold,
            required=True,
            why="the gateway's decision records its view of the threshold",
        )
        chair = row.text("gateway_chair")
        lawyer = row.text("gateway_lawyer")
        if not chair:
            row.problem("gateway_chair", "Name the manager or chair at the gateway meeting.")
        if not lawyer:
            row.problem("gateway_lawyer", "Name the lawyer at the gateway meeting.")
        attendees = [
            {"name": worker_name(worker) if worker else "", "role": AttendeeRole.SOCIAL_WORKER},
            {"name": chair, "role": AttendeeRole.CHAIR},
            {"name": lawyer, "role": AttendeeRole.LEGAL},
        ]
    events = []
    for name, kind in _EVENT_COLUMNS:
        day = row.date(name)
        if day is not None:
            events.append((name, str(kind), day))
    issue_on = row.date("issue_decided_on")
    via_pre = stage == Stage.PRE_PROCEEDINGS
    if stage == Stage.ISSUE:
        via_pre = bool(issue_on and gateway_on and issue_on != gateway_on)
        if events and not via_pre:
            row.problem(
                "issue_decided_on",
                "The row has pre-proceedings dates, so the decision to issue came at a later "
                "gateway meeting: enter its date in 'Issue decided on'.",
            )
    elif events and stage in (Stage.CONCERN, Stage.LEGAL_GATEWAY):
        name = events[0][0]
        row.problem(
            name,
            "A case before pre-proceedings has no pre-proceedings letters or meetings: "
            "check the stage.",
        )
    if issue_on and stage != Stage.ISSUE:
        row.problem(
            "issue_decided_on",
            "Only a case at the issue stage has a decision to issue: check the stage.",
        )
    if row.problems:
        return None
    children = [{"first_name": row.text("child_first_name"), "last_name": child_last}]
    if child_dob:
        children[0]["date_of_birth"] = child_dob.isoformat()
    children[0].update(identifiers)
    adults = []
    if parent_last:
        adults.append(
            {
                "first_name": row.text("parent_first_name") or "Not known",
                "last_name": parent_last,
                "relationship": relationship or "other",
                # The sheet does not say; the case's page is where it is recorded.
                "parental_responsibility": False,
            }
        )
    assert opened_on is not None
    return _Plan(
        reference=reference,
        create={
            "team": team,
            "social_worker": worker,
            "opened_on": opened_on.isoformat(),
            "children": children,
            "adults": adults,
        },
        stage=stage,
        referred_on=referred_on,
        gateway_on=gateway_on,
        threshold_view=threshold,
        attendees=attendees,
        via_pre_proceedings=via_pre,
        events=sorted(events, key=lambda e: e[2]),
        issue_decided_on=issue_on if via_pre and stage == Stage.ISSUE else None,
    )


# --- doing one row ----------------------------------------------------------------------

# Which column a service's field error is about, for each step.
_CREATE_FIELDS = {
    "team": "team",
    "social_worker": "social_worker",
    "opened_on": "opened_on",
    "children": "child_last_name",
    "adults": "parent_last_name",
}


_PERSON_ERROR = re.compile(r"\d+, (\w+): (.*)", re.DOTALL)


def _step(row: _Row, fields: Mapping[str, str], act: Callable[[], Any]) -> Any:
    try:
        return act()
    except DomainError as error:
        problems = []
        for key, messages in (error.field_errors or {}).items():
            name = fields.get(key, fields.get("*", ""))
            for message in messages:
                # A child's or adult's error reads "1, date_of_birth: ...".
                person = _PERSON_ERROR.fullmatch(message) if key in ("children", "adults") else None
                if person:
                    prefix = "child_" if key == "children" else "parent_"
                    sub = prefix + person[1]
                    name = sub if sub in BY_FIELD else name
                    message = person[2]
                row.problem(name, message)
                problems.append(row.problems[-1])
        if not problems:
            row.problem(fields.get("*", ""), error.message)
        raise _RowFailed(row.problems) from None


def _do_row(plan: _Plan, row: _Row, actor: Any, note: str) -> Any:
    case = _step(
        row, _CREATE_FIELDS, lambda: case_services.case_create(actor=actor, data=plan.create)
    )
    reasons = f"Imported from the council's spreadsheet tracker. {note}"

    def move(name: Transition, day: dt.date, column: str, **extra: Any) -> None:
        data = {"date": day, "reasons": reasons, **extra}
        fields = {
            "date": column,
            "attendees": "gateway_chair",
            "threshold_view": "threshold_view",
            "*": column,
        }
        _step(
            row,
            fields,
            lambda: case_services.case_transition(
                case_id=case.pk, transition=name, actor=actor, data=data
            ),
        )

    gateway = {"attendees": plan.attendees, "threshold_view": plan.threshold_view}
    if plan.stage != Stage.CONCERN:
        assert plan.referred_on is not None
        move(Transition.REFER_TO_GATEWAY, plan.referred_on, "referred_on")
    if plan.via_pre_proceedings:
        assert plan.gateway_on is not None
        move(Transition.GATEWAY_ENTER_PRE_PROCEEDINGS, plan.gateway_on, "gateway_on", **gateway)
        for column, kind, day in plan.events:
            _step(
                row,
                {"date": column, "kind": column, "*": column},
                lambda kind=kind, day=day: case_services.event_record(  # type: ignore[misc]
                    case_id=case.pk, actor=actor, data=_event_data(kind, day)
                ),
            )
    if plan.stage == Stage.ISSUE:
        decided = plan.issue_decided_on or plan.gateway_on
        column = "issue_decided_on" if plan.issue_decided_on else "gateway_on"
        assert decided is not None
        if plan.via_pre_proceedings:
            move(Transition.ESCALATE_TO_GATEWAY, decided, column)
        move(Transition.GATEWAY_ISSUE, decided, column, **gateway)
    _step(
        row,
        {"*": ""},
        lambda: case_services.event_record(
            case_id=case.pk,
            actor=actor,
            data={"kind": EventKind.NOTE, "date": clock.today(), "summary": reasons},
        ),
    )
    return case


def _event_data(kind: str, day: dt.date) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": kind, "date": day}
    if kind == EventKind.INITIAL_MEETING_HELD:
        # A sheet's initial meeting date is of a meeting that was held (docs/imports.md).
        data["effective"] = True
    return data


def import_sheet(
    *,
    actor: Any,
    content: bytes,
    file_name: str,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = True,
    max_rows: int | None = None,
) -> Report:
    """Import (or, with `dry_run`, check) every row of the sheet. Raises `SheetError` when
    the file as a whole cannot be read and `NotPermitted` for someone who may not import."""
    if not may_import(actor):
        raise NotPermitted(NOT_PERMITTED)
    sha256 = hashlib.sha256(content).hexdigest()
    headings, rows = parsing.read_sheet(content, file_name, max_rows=max_rows)
    columns, ignored = parsing.map_columns(headings, mapping or {})
    sheet = parsing.Sheet(headings, rows, columns, ignored)
    report = Report(file_name=file_name, sha256=sha256, dry_run=dry_run, ignored_headings=ignored)
    run = None
    if not dry_run:
        run = ImportRun.objects.create(
            started_at=clock.now(),
            actor=actor,
            file_name=file_name[:255],
            sha256=sha256,
            rows=len(rows),
        )
        report.run_id = run.pk
    names: dict[str, str] = {}

    def worker_name(username: str) -> str:
        if username not in names:
            user = get_user_model().objects.filter(username=username).first()
            names[username] = user.display_name if user else username
        return names[username]

    seen: dict[str, int] = {}
    created_ids: list[int] = []
    already = dict(
        ImportedCase.objects.filter(
            reference__in=[parsing.shown(sheet.value(c, "reference")) for _, c in rows]
        ).values_list("reference", "case__reference")
    )
    when = clock.now()
    for number, cells in rows:
        row = _Row(number, sheet, cells)
        reference = row.text("reference")
        result = RowResult(number, reference, Outcome.FAILED)
        report.results.append(result)
        if reference and reference in seen:
            row.problem(
                "reference",
                f"Row {seen[reference]} has the same reference: each case needs its own. "
                "Check whether the rows are the same case; this row is left out.",
            )
            result.problems = row.problems
            continue
        if reference:
            seen[reference] = number
        if reference and reference in already:
            result.outcome = Outcome.ALREADY
            result.case_reference = already[reference] or ""
            continue
        plan = _plan(row, worker_name)
        if plan is None:
            result.problems = row.problems
            continue
        note = (
            f"File {file_name} (SHA-256 {sha256}), row {number}, sheet reference "
            f"{reference}; imported by {actor.username} on {when:%d %B %Y at %H:%M} UTC."
        )
        try:
            with transaction.atomic():
                case = _do_row(plan, row, actor, note)
                if dry_run or run is None:
                    raise _DryRunRollback
                ImportedCase.objects.create(reference=reference, case=case, run=run, row=number)
            result.outcome = Outcome.CREATED
            result.case_reference = str(case.reference)
            created_ids.append(case.pk)
        except _DryRunRollback:
            result.outcome = Outcome.WOULD_CREATE
            result.case_reference = ""
        except _RowFailed as failed:
            result.problems = failed.problems
        except IntegrityError:
            # Another run imported the same reference between our look and our write.
            result.problems = [
                Problem(
                    number,
                    row.column("reference"),
                    reference,
                    "Another import took "
                    "this reference at the same moment; nothing of this row was written. "
                    "Run the file again: it will show as already imported.",
                )
            ]
        except Exception:
            # Not the row's values: a fault. The row is rolled back and the others go on.
            logger.exception("import: row %s of an import stopped by a fault", number)
            result.problems = [
                Problem(
                    number,
                    "",
                    "",
                    "A fault stopped this row and nothing of it was "
                    "written. Tell the service desk the file and the row number.",
                )
            ]
    if run is not None:
        _finish(run, report, actor, created_ids)
    return report


def _finish(run: ImportRun, report: Report, actor: Any, created_ids: list[int]) -> None:
    """The run's counts, and one access log row naming the run and the cases it opened
    (ids only, docs/security.md), in one transaction."""
    counts = Counter(r.outcome for r in report.results)
    run.finished_at = clock.now()
    run.created = counts[Outcome.CREATED]
    run.already_imported = counts[Outcome.ALREADY]
    run.failed = counts[Outcome.FAILED]
    with transaction.atomic():
        run.save()
        recording.access_record(
            actor=actor,
            action=IMPORT_ACTION,
            status=0,
            outcome=AccessOutcome.ALLOWED,
            request_id=requestid.current() or uuid.uuid4(),
            object_type="import_run",
            object_id=run.pk,
            details={"cases": created_ids},
        )
