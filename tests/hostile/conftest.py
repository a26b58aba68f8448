"""Fixtures and the `hostile` marker for the hostile-input tests; their figures are printed
as they run (`-s`) and repeated in the terminal summary, for docs/security.md."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.figures import FigureLog

FIGURES = FigureLog("hostile input figures")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "hostile: hostile input at scale (schemathesis against the API, the workflow state "
        "machine); part of the default run",
    )


@pytest.fixture(scope="session")
def hostile_figures() -> Callable[[str, str], None]:
    return FIGURES.report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    FIGURES.summary(terminalreporter)
