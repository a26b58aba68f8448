"""Fixtures for the fault tests (PostgreSQL only: tests.markers.postgresql_only): the
figures, printed as each test runs (`-s`) and repeated in the terminal summary for
docs/security.md."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.figures import FigureLog

FIGURES = FigureLog("fault figures")


@pytest.fixture
def fault_figures() -> Callable[[str, str], None]:
    return FIGURES.report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    FIGURES.summary(terminalreporter)
