"""Fixtures for the fault tests: the PostgreSQL switch and the figures, printed as each
test runs (`-s`) and repeated in the terminal summary for docs/security.md."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

_FIGURES: list[str] = []


@pytest.fixture
def postgres_only() -> None:
    """Row locks, parallel sessions and killing server processes need a real server: the
    in-memory SQLite test database has none of them. Skips (with the reason) otherwise."""
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL (this run uses {connection.vendor}): "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/lt_hostile pytest tests/faults"
        )


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
