"""Every module that writes a case's reference or court case number, children (with their
LA child ids) or adults also refreshes the case's search text
(`cases.search.search_text_refresh`, docs/performance.md "Search"): otherwise the search
would find the old names, or miss the new ones. This
reads every module of the project and fails if one writes them without the refresh."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFRESH = "search_text_refresh"
PEOPLE_MODELS = {"Child", "Adult"}
PEOPLE_RELATIONS = {"children", "adults"}
WRITING_METHODS = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_update",
    "delete",
    "add",
    "set",
    "remove",
    "clear",
    "save",
}
# The case's and people's fields in the text (cases/search.py, `search_text`).
SEARCHED_FIELDS = {"reference", "court_reference", "first_name", "last_name", "la_child_id"}
# Modules the detector flags that write no name or reference, each read by a person:
# a module joins this list only with the reason.
READ_ONLY = {
    "legaltracker/cases/models.py": "defines the models",
    "legaltracker/cases/search.py": "the refresh itself",
    "legaltracker/demo/cases.py": "its `Child` is the demo script's dataclass; the demo "
    "command writes through case_create",
    "letters/services/expectations.py": "`expectation.adults` links an expectation to "
    "adults; it changes no adult",
}


def _chain(node: ast.AST) -> list[str]:
    """The names along a call chain: `Child.objects.filter(x).update` is
    [Child, objects, filter, update]."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [*_chain(node.value), node.attr]
    if isinstance(node, ast.Call):
        return _chain(node.func)
    return []


def writes(source: str) -> list[tuple[int, str]]:
    """(line, what) for each place in `source` that may write people or a reference."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            chain = _chain(node.func)
            if not chain:
                continue
            if chain[-1] in PEOPLE_MODELS:
                found.append((node.lineno, ".".join(chain)))  # an instance built to save
            elif chain[-1] in WRITING_METHODS and (
                set(chain[:-1]) & (PEOPLE_MODELS | PEOPLE_RELATIONS)
            ):
                found.append((node.lineno, ".".join(chain)))
            elif any(isinstance(a, ast.Name) and a.id in PEOPLE_MODELS for a in node.args):
                # A model handed to a writer (the load generator's COPY tables).
                found.append((node.lineno, f"{'.'.join(chain)}(model)"))
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in SEARCHED_FIELDS:
                    found.append((node.lineno, f"{'.'.join(_chain(target))} ="))
    return found


def refreshes(source: str) -> bool:
    return any(
        isinstance(node, ast.Call) and _chain(node.func)[-1:] == [REFRESH]
        for node in ast.walk(ast.parse(source))
    )


def test_the_detector_finds_each_way_of_writing_people():
    source = """
Child.objects.bulk_create(Child(case=case, **c) for c in children)
Adult.objects.filter(case=case).update(last_name="x")
case.children.create(last_name="x")
case.adults.all().delete()
_Table(Child, ("case_id",), now)
case.reference = "LT-1"
child.first_name = "Ann"
case.court_reference = "ZW26C00001"
child.la_child_id = "A123"
Other.objects.create()
other.name = "x"
"""
    found = [what for _, what in sorted(writes(source))]
    assert found == [
        "Child",
        "Child.objects.bulk_create",
        "Adult.objects.filter.update",
        "case.children.create",
        "case.adults.all.delete",
        "_Table(model)",
        "case.reference =",
        "child.first_name =",
        "case.court_reference =",
        "child.la_child_id =",
    ]
    assert refreshes("search_text_refresh(case_ids=[1])")
    assert refreshes("search.search_text_refresh(case_ids=ids)")
    assert not refreshes("refresh(case_ids=ids)")


def test_every_writer_of_people_or_references_refreshes_the_search_text():
    offenders = []
    writers = []
    for package in ("legaltracker", "letters"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or relative in READ_ONLY:
                continue
            source = path.read_text()
            found = writes(source)
            if not found:
                continue
            writers.append(relative)
            if not refreshes(source):
                offenders.append(f"{relative}: {found}")
    assert not offenders, (
        f"These write a reference, children or adults without calling {REFRESH}:\n"
        + "\n".join(offenders)
    )
    # The detector still sees the writers there are: the case service and the loader.
    assert {"legaltracker/cases/services.py", "legaltracker/demo/loadgen.py"} <= set(writers)
