"""One function writes the audit rows of case changes: `cases.events.case_event_append`
(through `case_event_build`). This reads every module of the project and fails if any
other one creates a `CaseEvent`, so a new app cannot grow a second audit writer."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "legaltracker" / "cases" / "events.py"
CREATING_METHODS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def _project_modules() -> list[Path]:
    return [
        path
        for package in ("legaltracker", "letters")
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def audit_row_writes(source: str) -> list[tuple[int, str]]:
    """(line, call) for each call in `source` that makes a CaseEvent row."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        parts = name.split(".")
        makes_instance = parts[-1] == "CaseEvent"
        writes_through_manager = parts[-1] in CREATING_METHODS and (
            "CaseEvent" in parts or "audit_events" in parts
        )
        if makes_instance or writes_through_manager:
            found.append((node.lineno, name))
    return found


def test_the_detector_finds_each_way_of_writing_an_audit_row():
    source = """
CaseEvent.objects.create(case=case)
models.CaseEvent(case=case).save()
case.audit_events.create(action="x")
CaseEvent.objects.bulk_create(rows)
Other.objects.create()
"""
    assert [name for _, name in sorted(audit_row_writes(source))] == [
        "CaseEvent.objects.create",
        "models.CaseEvent",
        "case.audit_events.create",
        "CaseEvent.objects.bulk_create",
    ]


def test_only_the_audit_writer_creates_case_events():
    modules = _project_modules()
    assert WRITER in modules
    writers = {
        f"{path.relative_to(ROOT)}:{line} {call}"
        for path in modules
        if path != WRITER
        for line, call in audit_row_writes(path.read_text())
    }
    assert writers == set(), (
        "Only legaltracker/cases/events.py may create audit rows; use case_event_append: "
        + ", ".join(sorted(writers))
    )
    assert audit_row_writes(WRITER.read_text()), "the writer itself creates the rows"
