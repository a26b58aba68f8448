"""Figures that tests print for the docs (race counts, fuzzing totals, fault counts): each
is printed as its test runs (shown with `-s`) and repeated in a section of pytest's
terminal summary, so a CI log carries them."""

from __future__ import annotations

import pytest


class FigureLog:
    def __init__(self, section: str) -> None:
        self.section = section
        self.entries: list[str] = []

    def report(self, test: str, line: str) -> None:
        entry = f"{test}: {line}"
        print(f"\n{entry}")
        self.entries.append(entry)

    def summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.entries:
            terminalreporter.section(self.section)
            for entry in self.entries:
                terminalreporter.write_line(entry)
