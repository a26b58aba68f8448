"""Fixtures for the concurrency tests: the race figures, which are printed as each test
runs (`-s`) and repeated in the terminal summary."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

_FIGURES: list[str] = []


@pytest.fixture
def race_figures() -> Callable[..., None]:
    def report(test: str, line: str, *, vendor: str | None = None) -> None:
        entry = f"{test} [{vendor or connection.vendor}]: {line}"
        print(f"\n{entry}")  # shown with `-s`; the summary repeats it
        _FIGURES.append(entry)

    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("concurrency figures")
        for entry in _FIGURES:
            terminalreporter.write_line(entry)
