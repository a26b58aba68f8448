"""The two PostgreSQL roles of a deployment (docs/operations.md, "Two database roles"):
an owner role that owns the tables and runs `migrate`, and a runtime role that the web
and worker processes sign in as, with INSERT and SELECT only on the audit tables.

    manage.py db_roles --owner legaltracker_owner --runtime legaltracker_app          # print
    manage.py db_roles --owner legaltracker_owner --runtime legaltracker_app --apply  # run

The SQL is idempotent: run it after every `migrate` (new tables get the owner's default
privileges, and this takes back from the runtime role what it must not have on the audit
tables). `--take-ownership` also hands every table in the schema to the owner role: once,
as a superuser, when moving a one-role database to two roles.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# The append-only tables (the triggers of audit migration 0002 cover the same two).
AUDIT_TABLES = ("cases_caseevent", "audit_accesslog")
TRIGGER_FUNCTION = "legaltracker_audit_append_only()"
SCHEMA = "public"


def _ident(name: str) -> str:
    if not name or not name.replace("_", "").isalnum() or not name.isascii():
        raise CommandError(
            f"Role name {name!r}: use letters, digits and underscores only (for example "
            "legaltracker_owner)."
        )
    return '"' + name + '"'


def _owned_elsewhere(cursor: Any, owner: str) -> list[tuple[str, str]]:
    """Tables, views and free-standing sequences of the schema the owner does not own."""
    cursor.execute(
        """
        SELECT c.relkind, c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND pg_get_userbyid(c.relowner) <> %s
          AND NOT (c.relkind = 'S' AND EXISTS (
              SELECT 1 FROM pg_depend d
              WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                AND d.deptype IN ('a', 'i')))
        ORDER BY c.relname
        """,
        [SCHEMA, owner],
    )
    return [(kind, name) for kind, name in cursor.fetchall()]


def statements(
    cursor: Any, *, owner: str, runtime: str, database: str, take_ownership: bool = False
) -> list[str]:
    """The SQL that makes `owner` and `runtime` the deployment's roles. `cursor` is any
    DB-API cursor on the database (only read, to list what `take_ownership` moves)."""
    if owner == runtime:
        raise CommandError("The owner and the runtime role must be two different roles.")
    o, r, db = _ident(owner), _ident(runtime), _ident(database)
    sql: list[str] = []
    if take_ownership:
        # Once, as a superuser: what only a superuser (or the database's owner) may grant.
        kinds = {"S": "SEQUENCE", "v": "VIEW", "m": "MATERIALIZED VIEW"}
        for kind, name in _owned_elsewhere(cursor, owner):
            sql.append(f'ALTER {kinds.get(kind, "TABLE")} "{name}" OWNER TO {o};')
        cursor.execute(
            "SELECT 1 FROM pg_proc WHERE proname = %s", ["legaltracker_audit_append_only"]
        )
        if cursor.fetchone():
            sql.append(f"ALTER FUNCTION {TRIGGER_FUNCTION} OWNER TO {o};")
        sql += [
            # The runtime role is a plain login: never the owner, a member of it, or above.
            f"ALTER ROLE {r} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;",
            f"REVOKE {o} FROM {r};",
            f"GRANT CONNECT ON DATABASE {db} TO {o}, {r};",
            f"REVOKE CREATE ON SCHEMA {SCHEMA} FROM PUBLIC;",
            f"GRANT USAGE, CREATE ON SCHEMA {SCHEMA} TO {o};",
            f"GRANT USAGE ON SCHEMA {SCHEMA} TO {r};",
        ]
    audit = ", ".join(AUDIT_TABLES)
    sql += [
        # Everything the app reads and writes, today and after later migrations ...
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {SCHEMA} TO {r};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {r};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {SCHEMA} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {SCHEMA} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {r};",
        # ... but the audit tables only grow: INSERT and SELECT, nothing else.
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {r};",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {SCHEMA} FROM {r};",
    ]
    return sql


class Command(BaseCommand):
    help = (
        "Print (or with --apply, run) the GRANTs that make an owner role and a runtime role "
        "the deployment's PostgreSQL roles. Run it after every migrate."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--owner", required=True, help="The role that owns the tables.")
        parser.add_argument("--runtime", required=True, help="The role the app signs in as.")
        parser.add_argument(
            "--take-ownership",
            action="store_true",
            help="Once, as a superuser: also give the owner role every table, and set up "
            "the roles, the schema and the database grants.",
        )
        parser.add_argument("--apply", action="store_true", help="Run the SQL, not just print.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "db_roles is for PostgreSQL: set DATABASE_URL (or MIGRATE_DATABASE_URL) to "
                "the PostgreSQL database first."
            )
        with connection.cursor() as cursor:
            sql = statements(
                cursor,
                owner=options["owner"],
                runtime=options["runtime"],
                database=connection.settings_dict["NAME"],
                take_ownership=options["take_ownership"],
            )
            if options["apply"]:
                for statement in sql:
                    cursor.execute(statement)
        for statement in sql:
            self.stdout.write(statement)
        if options["apply"]:
            self.stdout.write(self.style.SUCCESS(f"Applied {len(sql)} statements."))
