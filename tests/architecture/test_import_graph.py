"""No import cycle between apps. This reads every module of the project (ast, no import),
builds the graph of imports between apps (an app is `legaltracker.<x>` or `letters`; the
project's own `legaltracker/*.py` files, which wire every app together, are not an app),
and fails with the cycle printed if one exists.

Module-level and function-level imports count alike (an import inside a function is still
a dependency, only a later one); imports under `if TYPE_CHECKING:` do not (they never run).
`include("app.urls")` and settings strings are not imports and are not counted.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("legaltracker", "letters")

Graph = dict[str, set[str]]

# An app's `choices` module is its published vocabulary (TextChoices and sets of them, the
# identifiers of docs/domain/identifiers.md): it imports nothing of the project but other
# vocabulary, so using it ties an app to words, not to code. The deadline rules speak of
# stages and recorded events, for example, while cases use the deadline vocabulary. Imports
# of a `choices` module are therefore not edges of the graph; every other import is, and
# `test_vocabulary_modules_import_no_code` holds the vocabulary to that promise.
VOCABULARY = "choices"


def _project_modules() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and "tests" not in path.parts
    ]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str | None:
    """The app a dotted module name belongs to, or None for the project files and for
    anything outside the project."""
    parts = module.split(".")
    if parts[0] == "letters":
        return "letters"
    if parts[0] == "legaltracker" and len(parts) > 1:
        return f"legaltracker.{parts[1]}"
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except under `if TYPE_CHECKING:`."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imported_modules(
    source: str, module: str, *, is_package: bool = False
) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of each module `source` imports; `from x import y` gives x.y,
    which is x's app unless x is the project package itself."""
    package = module if is_package else module.rpartition(".")[0]
    for node in _imports(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            yield node.lineno, f"{base}.{alias.name}" if alias.name != "*" else base


def import_graph(modules: Iterable[Path]) -> tuple[Graph, dict[tuple[str, str], list[str]]]:
    """The app graph, and for each edge where it comes from (`path:line`)."""
    graph: Graph = defaultdict(set)
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in modules:
        module = module_name(path)
        source_app = app_of(module)
        if source_app is None:
            continue
        is_package = path.name == "__init__.py"
        for line, target in imported_modules(path.read_text(), module, is_package=is_package):
            target_app = app_of(target)
            if target_app is None or target_app == source_app or _is_vocabulary(target):
                continue
            graph[source_app].add(target_app)
            where[(source_app, target_app)].append(f"{path.relative_to(ROOT)}:{line}")
    return dict(graph), dict(where)


def _is_vocabulary(module: str) -> bool:
    # `from legaltracker.cases.choices import Stage` reads as the module
    # `legaltracker.cases.choices.Stage`; `from legaltracker.cases import choices` as
    # `legaltracker.cases.choices`.
    parts = module.split(".")
    return VOCABULARY in parts[1:] and parts.index(VOCABULARY) >= len(parts) - 2


def find_cycle(graph: Graph) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None when the graph has none (depth-first search,
    in sorted order so the answer is the same on every run)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def without(graph: Graph, edges: Iterable[tuple[str, str]]) -> Graph:
    dropped = set(edges)
    return {a: {b for b in targets if (a, b) not in dropped} for a, targets in graph.items()}


def describe(cycle: list[str], where: dict[tuple[str, str], list[str]]) -> str:
    lines = [" -> ".join(cycle)]
    for a, b in pairwise(cycle):
        lines.append(f"  {a} -> {b}: {', '.join(where.get((a, b), [])[:3])}")
    return "\n".join(lines)


def test_the_detector_finds_a_cycle_in_a_made_up_graph():
    acyclic = {"a": {"b", "c"}, "b": {"c"}, "c": set()}
    assert find_cycle(acyclic) is None
    cyclic = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(cyclic) == ["a", "b", "c", "a"]
    assert find_cycle(without(cyclic, {("c", "a")})) is None


def test_the_graph_reads_every_kind_of_import():
    source = """
from typing import TYPE_CHECKING
import legaltracker.cases.models
from legaltracker.deadlines import rules
from legaltracker import audit
from .. import web
from ..board.selectors import board_page
if TYPE_CHECKING:
    from legaltracker.alerts.models import Alert
def later():
    from letters.services import letter_generate
"""
    found = {app_of(name) for _, name in imported_modules(source, "legaltracker.api.views")}
    assert found - {None} == {
        "legaltracker.cases",
        "legaltracker.deadlines",
        "legaltracker.audit",
        "legaltracker.web",
        "legaltracker.board",
        "letters",
    }


def test_no_import_cycle_between_apps():
    graph, where = import_graph(_project_modules())
    assert "legaltracker.cases" in graph, "the graph was read"
    cycle = find_cycle(graph)
    assert cycle is None, "Import cycle between apps:\n" + describe(cycle, where)


KITS = ("legaltracker.core", "legaltracker.api")


def test_core_and_api_are_kits_that_import_no_domain_app():
    graph, where = import_graph(_project_modules())
    for kit in KITS:
        assert graph.get(kit, set()) <= set(KITS), {
            (a, b): places for (a, b), places in where.items() if a == kit
        }


def test_vocabulary_modules_import_no_code():
    offenders = []
    for path in _project_modules():
        if path.stem != VOCABULARY:
            continue
        module = module_name(path)
        for line, target in imported_modules(path.read_text(), module):
            if app_of(target) is not None and not _is_vocabulary(target):
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert offenders == []


def test_vocabulary_imports_are_told_apart_from_code():
    assert _is_vocabulary("legaltracker.cases.choices")
    assert _is_vocabulary("legaltracker.cases.choices.Stage")
    assert _is_vocabulary("letters.choices.LetterKind")
    assert not _is_vocabulary("legaltracker.cases.models.Case")
    assert not _is_vocabulary("legaltracker.choices_helpers.x")
