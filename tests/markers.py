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
