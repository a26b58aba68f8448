"""On PostgreSQL, the audit tables refuse UPDATE, DELETE and TRUNCATE (docs/retention.md).

The ORM already refuses to change or delete `cases.CaseEvent` and `audit.AccessLog` rows;
these triggers make the database refuse too, whatever SQL the application's role sends.
TRUNCATE is allowed only in a session that sets `legaltracker.allow_audit_truncate` to
`on` (the test settings do, because pytest-django empties tables with TRUNCATE).

Nothing to do on SQLite (development and the default test run).
"""

from django.db import migrations

TABLES = ("cases_caseevent", "audit_accesslog")

FUNCTION = """
CREATE OR REPLACE FUNCTION legaltracker_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('legaltracker.allow_audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def _triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION legaltracker_audit_append_only();",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION legaltracker_audit_append_only();",
    ]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        for statement in _triggers(table):
            schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS legaltracker_audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
