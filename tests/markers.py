"""Markers shared by the test suites."""

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
