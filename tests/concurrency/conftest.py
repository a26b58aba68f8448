"""Fixtures for the concurrency tests: the PostgreSQL-only switch and the race figures,
which are printed as each test runs (`-s`) and repeated in the terminal summary."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

_FIGURES: list[str] = []


@pytest.fixture
def postgres_only() -> None:
    """Row locks and separate sessions are what these tests are about; SQLite's in-memory
    test database cannot give each thread its own session (see test_sqlite_race.py)."""
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL (this run uses {connection.vendor}); "
            "set DATABASE_URL=postgres://... to run it"
        )


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
