"""The import through the services: what a dry run and a real run write, and what not."""

import datetime as dt

import pytest
from django.apps import apps

from legaltracker.audit.models import AccessLog
from legaltracker.cases.choices import CaseEventKind, EventKind, Stage
from legaltracker.cases.facts import deadlines_recompute
from legaltracker.cases.models import Case, CaseEvent, GatewayDecision, RecordedEvent
from legaltracker.core.errors import NotPermitted
from legaltracker.deadlines.models import Deadline
from legaltracker.imports import services
from legaltracker.imports.models import ImportedCase, ImportRun

from .conftest import SAMPLE
from .helpers import csv_bytes, row


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _run(hos, content: bytes, *, dry_run: bool, name: str = "tracker.csv"):
    return services.import_sheet(actor=hos, content=content, file_name=name, dry_run=dry_run)


def test_a_dry_run_writes_nothing_in_any_table(hos, import_day):
    rows = [
        row(),
        row(Reference="TRK-2", **{"Gateway meeting on": "10/01/2026"}),
        row(Reference="TRK-3", Stage="issue", **{"Issue decided on": "2 March 2026"}),
    ]
    before = _counts()
    report = _run(hos, csv_bytes(*rows), dry_run=True)
    assert _counts() == before
    assert report.counts == {"would be created": 2, "already imported": 0, "not imported": 1}
    # The check went through the services: the problems they find are reported too.
    [problem] = report.problems
    assert "cannot be before the case entered this stage" in problem.message


@pytest.mark.slow
def test_a_dry_run_of_the_sample_writes_nothing_in_any_table(hos, import_day):
    before = _counts()
    report = _run(hos, SAMPLE.read_bytes(), dry_run=True, name=SAMPLE.name)
    assert _counts() == before
    assert report.dry_run and report.created > 400
    # The check went through the services: the problems they find are reported too.
    assert any("cannot be before the case entered this stage" in p.message for p in report.problems)
    assert any("cannot be in the future" in p.message for p in report.problems)


def test_a_pre_proceedings_row_is_walked_to_its_stage_with_the_sheets_dates(hos, import_day):
    report = _run(hos, csv_bytes(row()), dry_run=False)
    assert report.counts == {"created": 1, "already imported": 0, "not imported": 0}
    case = Case.objects.get()
    assert case.stage == Stage.PRE_PROCEEDINGS
    assert case.team.code == "riverside" and case.social_worker.username == "sw-riverside-1"
    assert case.opened_on == dt.date(2026, 1, 5)
    assert case.referred_on == dt.date(2026, 1, 20)
    assert case.pre_proceedings_started_on == dt.date(2026, 1, 29)
    assert case.stage_entered_on == dt.date(2026, 1, 29)
    events = {e.kind: e.date for e in RecordedEvent.objects.filter(case=case)}
    assert events[EventKind.LETTER_BEFORE_PROCEEDINGS_SENT] == dt.date(2026, 2, 3)
    assert events[EventKind.INITIAL_MEETING_HELD] == dt.date(2026, 2, 12)
    child = case.children.get()
    assert (child.first_name, child.last_name, child.date_of_birth) == (
        "Ada",
        "Ashcombe",
        dt.date(2019, 6, 14),
    )
    assert case.adults.get().relationship == "mother"
    gateway = GatewayDecision.objects.get(case=case)
    assert gateway.meeting_date == dt.date(2026, 1, 29) and gateway.threshold_view == "met"
    # The deadlines are those of the dates in the sheet: recomputing changes nothing.
    before = list(Deadline.objects.filter(case=case).order_by("id").values())
    assert before
    deadlines_recompute(case=case)
    assert list(Deadline.objects.filter(case=case).order_by("id").values()) == before


@pytest.mark.parametrize(
    ("changes", "stage", "check"),
    [
        (
            {
                "Stage": "concern",
                "Referred to gateway on": "",
                "Gateway meeting on": "",
                "Letter before proceedings sent on": "",
                "Initial meeting on": "",
            },
            Stage.CONCERN,
            lambda c: c.referred_on is None,
        ),
        (
            {
                "Stage": "Gateway",
                "Gateway meeting on": "",
                "Letter before proceedings sent on": "",
                "Initial meeting on": "",
            },
            Stage.LEGAL_GATEWAY,
            lambda c: c.referred_on == dt.date(2026, 1, 20),
        ),
        (
            {"Stage": "issue", "Letter before proceedings sent on": "", "Initial meeting on": ""},
            Stage.ISSUE,
            lambda c: (
                c.issue_decided_on == dt.date(2026, 1, 29) and c.pre_proceedings_started_on is None
            ),
        ),
        (
            {"Stage": "issue", "Issue decided on": "2 March 2026"},
            Stage.ISSUE,
            lambda c: (
                c.issue_decided_on == dt.date(2026, 3, 2)
                and c.pre_proceedings_started_on == dt.date(2026, 1, 29)
            ),
        ),
    ],
)
def test_each_stage(hos, import_day, changes, stage, check):
    report = _run(hos, csv_bytes(row(**changes)), dry_run=False)
    assert not report.problems, report.problems
    case = Case.objects.get()
    assert case.stage == stage and check(case)
    before = list(Deadline.objects.filter(case=case).order_by("id").values())
    deadlines_recompute(case=case)
    assert list(Deadline.objects.filter(case=case).order_by("id").values()) == before


def test_the_audit_trail_says_who_imported_it_from_which_file_and_row(hos, import_day):
    content = csv_bytes(row())
    report = _run(hos, content, dry_run=False)
    case = Case.objects.get()
    trail = list(CaseEvent.objects.filter(case=case).order_by("at", "id"))
    assert {e.actor_id for e in trail} == {hos.pk}
    assert trail[0].action == CaseEventKind.CASE_CREATED
    marked = [e for e in trail if e.action == CaseEventKind.TRANSITION]
    assert marked and all(report.sha256 in e.reasons and "row 2" in e.reasons for e in marked)
    note = RecordedEvent.objects.get(case=case, kind=EventKind.NOTE)
    assert report.sha256 in note.summary and "row 2" in note.summary
    assert "tracker.csv" in note.summary and "hos" in note.summary
    assert trail[-1].action == CaseEventKind.EVENT_RECORDED
    assert trail[-1].details["event_id"] == note.pk
    imported = ImportedCase.objects.get()
    assert (imported.reference, imported.case, imported.row) == ("TRK-1", case, 2)
    run = ImportRun.objects.get()
    assert (run.actor, run.sha256, run.created, run.failed) == (hos, report.sha256, 1, 0)
    logged = AccessLog.objects.get(action=services.IMPORT_ACTION)
    assert (logged.actor, logged.object_type, logged.object_id) == (hos, "import_run", run.pk)
    assert logged.details == {"cases": [case.pk]}


def test_a_second_run_creates_nothing_and_says_so(hos, import_day):
    content = csv_bytes(row(), row(Reference="TRK-2"))
    _run(hos, content, dry_run=False)
    before = _counts()
    again = _run(hos, content, dry_run=False)
    assert again.counts == {"already imported": 2, "not imported": 0}
    assert "nothing new was created" in again.summary()
    after = _counts()
    # The second run is recorded (its run and its access log row), and nothing else.
    assert after.pop("imports.ImportRun") == before.pop("imports.ImportRun") + 1
    assert after.pop("audit.AccessLog") == before.pop("audit.AccessLog") + 1
    assert after == before
    assert {r.case_reference for r in again.results} == set(
        Case.objects.values_list("reference", flat=True)
    )


def test_a_row_failing_mid_way_leaves_nothing_of_itself(hos, import_day):
    # The case is opened and referred, then the gateway date (before the referral) is
    # refused by the transition service: the whole row goes, the next row is imported.
    bad = row(Reference="TRK-BAD", **{"Gateway meeting on": "10/01/2026"})
    before = _counts()
    report = _run(hos, csv_bytes(bad, row(Reference="TRK-GOOD")), dry_run=False)
    [failed] = report.problems
    assert (failed.row, failed.column, failed.value) == (2, "Gateway meeting on", "10/01/2026")
    assert "before the case entered this stage" in failed.message
    assert Case.objects.count() == before["cases.Case"] + 1
    assert CaseEvent.objects.exclude(case__imported_from__reference="TRK-GOOD").count() == 0
    assert list(ImportedCase.objects.values_list("reference", flat=True)) == ["TRK-GOOD"]


def test_problems_name_the_row_the_column_and_the_value(hos, import_day):
    rows = [
        row(Reference="A", Team="Eastside"),
        row(Reference="B", **{"Opened on": "31/02/2026"}),
        row(Reference="C", **{"Child last name": ""}),
        row(Reference="A"),
        row(Reference="D", **{"Social worker": "J Bloggs"}),
        row(Reference="E", **{"Social worker": "sw-hilltop-1"}),
        row(Reference="F", Stage="Care proceedings"),
    ]
    report = _run(hos, csv_bytes(*rows), dry_run=True)
    lines = [p.line() for p in report.problems]
    assert lines[0].startswith("row 2, Team ('Eastside'): There is no team 'Eastside'")
    assert lines[1] == (
        "row 3, Opened on ('31/02/2026'): '31/02/2026' is not a real date: February 2026 "
        "has 28 days."
    )
    assert lines[2].startswith("row 4, Child last name: 'Child last name' is blank")
    assert lines[3].startswith("row 5, Reference ('A'): Row 2 has the same reference")
    assert lines[4].startswith("row 6, Social worker ('J Bloggs'): There is no active user")
    assert lines[5].startswith("row 7, Social worker ('sw-hilltop-1'): Tom Larchwood is not in")
    assert lines[6].startswith("row 8, Stage ('Care proceedings'): Cases already in care")
    assert report.counts == {"would be created": 0, "already imported": 0, "not imported": 7}


def test_cells_that_look_like_formulas_are_stored_as_text(hos, import_day):
    formula = '=HYPERLINK("http://example.invalid","click")'
    _run(
        hos,
        csv_bytes(row(**{"Child first name": formula, "Parent first name": "+SUM(1,2)"})),
        dry_run=False,
    )
    case = Case.objects.get()
    assert case.children.get().first_name == formula
    assert case.adults.get().first_name == "+SUM(1,2)"


def test_only_a_head_of_service_may_import(council, import_day):
    for user in council.values():
        if user.role == "head_of_service":
            continue
        with pytest.raises(NotPermitted):
            _run(user, csv_bytes(row()), dry_run=True)
    assert not Case.objects.exists()


@pytest.mark.slow
def test_the_sample_imports_with_a_clear_report_and_then_creates_nothing(hos, import_day):
    content = SAMPLE.read_bytes()
    real = _run(hos, content, dry_run=False, name=SAMPLE.name)
    counts = real.counts
    assert counts["created"] + counts["not imported"] == 500
    assert 450 <= counts["created"] <= 475
    assert Case.objects.count() == counts["created"] == ImportedCase.objects.count()
    again = _run(hos, content, dry_run=True, name=SAMPLE.name)
    assert again.counts["would be created"] == 0
    assert again.counts["already imported"] == counts["created"]


def test_a_workbook_with_date_cells_and_day_numbers(hos, import_day):
    import io

    from openpyxl import Workbook

    from legaltracker.imports.parsing import template_headings

    book = Workbook()
    sheet = book.active
    sheet.append(template_headings())
    cells = row()
    cells["Opened on"] = dt.datetime(2026, 1, 5)
    cells["Gateway meeting on"] = 46051  # a number cell: 29 January 2026
    cells["Reference"] = 1001  # a number cell: kept as "1001"
    sheet.append([cells[h] for h in template_headings()])
    out = io.BytesIO()
    book.save(out)
    report = _run(hos, out.getvalue(), dry_run=False, name="tracker.xlsx")
    assert not report.problems, report.problems
    case = Case.objects.get()
    assert case.opened_on == dt.date(2026, 1, 5)
    assert case.pre_proceedings_started_on == dt.date(2026, 1, 29)
    assert ImportedCase.objects.get().reference == "1001"
    again = _run(hos, out.getvalue(), dry_run=False, name="tracker.xlsx")
    assert again.counts["already imported"] == 1
