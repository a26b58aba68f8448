"""Fixtures for the fault tests (PostgreSQL only: tests.markers.postgresql_only): the
figures, printed as each test runs (`-s`) and repeated in the terminal summary for
docs/security.md."""

from __future__ import annotations

from collections.abc import Callable

import pytest

_FIGURES: list[str] = []


@pytest.fixture
def fault_figures() -> Callable[[str, str], None]:
    def report(test: str, line: str) -> None:
        entry = f"{test}: {line}"
        print(f"\n{entry}")
        _FIGURES.append(entry)

    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("fault figures")
        for entry in _FIGURES:
            terminalreporter.write_line(entry)
