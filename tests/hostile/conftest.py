"""Fixtures and the `hostile` marker for the hostile-input tests; their figures are printed
as they run (`-s`) and repeated in the terminal summary, for docs/security.md."""

from __future__ import annotations

from collections.abc import Callable

import pytest

_FIGURES: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "hostile: hostile input at scale (schemathesis against the API, the workflow state "
        "machine); part of the default run",
    )


@pytest.fixture(scope="session")
def hostile_figures() -> Callable[[str, str], None]:
    def report(test: str, text: str) -> None:
        entry = f"{test}: {text}"
        print(f"\n{entry}")
        _FIGURES.append(entry)

    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("hostile input figures")
        for entry in _FIGURES:
            terminalreporter.write_line(entry)
