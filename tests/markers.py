"""Markers shared by the test suites."""

import pytest
from django.db import connection

# Row locks and sessions racing each other are what these tests are about: they run in the
# PostgreSQL half of CI (.ci/run). SQLite serialises whole transactions, so nothing races.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: set DATABASE_URL=postgres://... (the second half of .ci/run)",
)
