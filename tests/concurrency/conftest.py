"""Fixtures for the concurrency tests: the race figures, which are printed as each test
runs (`-s`) and repeated in the terminal summary."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from tests.figures import FigureLog

FIGURES = FigureLog("concurrency figures")


@pytest.fixture
def race_figures() -> Callable[..., None]:
    def report(test: str, line: str, *, vendor: str | None = None) -> None:
        FIGURES.report(f"{test} [{vendor or connection.vendor}]", line)

    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    FIGURES.summary(terminalreporter)
