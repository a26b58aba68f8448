"""The TRUNCATE escape of the audit triggers (migration 0002) works only for the tables'
owner role (docs/security.md, "Finding 2").

The runtime role (docs/operations.md, "Two database roles") has no TRUNCATE privilege on
the audit tables anyway; this makes the setting useless to it even if one were granted.
The owner (and a superuser) can still empty the tables in a test database, which is what
the setting is for. Nothing to do on SQLite.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION legaltracker_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('legaltracker.allow_audit_truncate', true), '') = 'on'
       AND pg_has_role(
           current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER'
       ) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        previous = import_module("legaltracker.audit.migrations.0002_append_only_triggers")
        schema_editor.execute(previous.FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_hash_chains")]

    operations = [migrations.RunPython(install, restore, elidable=False)]
