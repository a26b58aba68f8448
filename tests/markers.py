"""Markers shared by the test suites."""

import os

import pytest
from django.db import connection

# Row locks and sessions racing each other are what these tests are about: they run in the
# PostgreSQL half of CI (.ci/run). SQLite serialises whole transactions, so nothing races.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: set DATABASE_URL=postgres://... (the second half of .ci/run)",
)

# The other half: what a command says where PostgreSQL is not the database (the SQLite run).
not_on_postgresql = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="checks the message on other databases (the SQLite half of .ci/run)",
)

# Pages, their scripts and their accessibility do not depend on the database: the browser
# tests drive Chromium in the SQLite half of CI only, and leave the PostgreSQL half its
# time for what does (docs/decisions.md, entry 43).
browser_on_sqlite = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="browser tests run in the SQLite half of .ci/run (pages do not depend on the database)",
)

# .ci/run runs the suite twice side by side and names each half in LT_CI_HALF. There, the
# access sweeps (the role x page matrix, the IDOR sweeps), whose subject is the
# permission code and not the database, run in the SQLite half only (docs/decisions.md,
# entry 174). Run anywhere else (the README's test command, a developer's run, a
# PostgreSQL run by hand) they always run.
CI_HALF = os.environ.get("LT_CI_HALF", "")


def ci_half(name: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        CI_HALF not in ("", name),
        reason=f"runs in the {name} half of .ci/run (docs/decisions.md, entry 174)",
    )
