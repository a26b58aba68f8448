"""The two-role deployment (docs/operations.md, "Two database roles"), on real PostgreSQL:
two throwaway roles get the grants `manage.py db_roles` writes, then a session signed in
as the runtime role may INSERT and SELECT on the audit tables and nothing else: no UPDATE,
DELETE or TRUNCATE, no disabling or replacing the triggers, no escape setting."""

from __future__ import annotations

import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from legaltracker.audit.management.commands import db_roles
from tests.factories import case_at
from tests.markers import not_on_postgresql, postgresql_only

AUDIT_TABLES = ("cases_caseevent", "audit_accesslog")


@not_on_postgresql
def test_db_roles_says_it_needs_postgresql(db):
    with pytest.raises(CommandError, match="db_roles is for PostgreSQL"):
        call_command("db_roles", "--owner", "lt_owner", "--runtime", "lt_app")


@pytest.mark.parametrize("name", ["app; DROP TABLE x", "", "app-role", "rôle"])
def test_db_roles_refuses_odd_role_names(name):
    with pytest.raises(CommandError, match="letters, digits and underscores"):
        db_roles.statements(None, owner="lt_owner", runtime=name, database="db")


def test_db_roles_wants_two_roles():
    with pytest.raises(CommandError, match="two different roles"):
        db_roles.statements(None, owner="lt_app", runtime="lt_app", database="db")


def _connect(**overrides):
    import psycopg

    settings = connection.settings_dict
    params = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "autocommit": True,
    }
    params.update(overrides)
    return psycopg.connect(**params)


@pytest.fixture
def two_roles(staff, today):
    """(runtime session, admin session, case id, runtime role): the roles are dropped
    afterwards and the tables handed back to the test database's owner."""
    case = case_at("pre_proceedings", staff)
    suffix = uuid.uuid4().hex[:12]
    owner, runtime = f"lt_test_owner_{suffix}", f"lt_test_app_{suffix}"
    password = uuid.uuid4().hex
    admin = _connect()
    session = None
    try:
        with admin.cursor() as cursor:
            # The password is hex digits: safe to write into the statement.
            cursor.execute(f"CREATE ROLE \"{owner}\" LOGIN PASSWORD '{password}'")
            cursor.execute(f"CREATE ROLE \"{runtime}\" LOGIN PASSWORD '{password}'")
            for statement in db_roles.statements(
                cursor,
                owner=owner,
                runtime=runtime,
                database=connection.settings_dict["NAME"],
                take_ownership=True,
            ):
                cursor.execute(statement)
        session = _connect(user=runtime, password=password)
        yield session, admin, case.pk, runtime
    finally:
        if session is not None:
            session.close()
        with admin.cursor() as cursor:
            cursor.execute(f'REASSIGN OWNED BY "{owner}", "{runtime}" TO CURRENT_USER')
            # One at a time: both in one statement trips over the owner's default ACL.
            cursor.execute(f'DROP OWNED BY "{owner}"')
            cursor.execute(f'DROP OWNED BY "{runtime}"')
            cursor.execute(f'DROP ROLE "{owner}"')
            cursor.execute(f'DROP ROLE "{runtime}"')
        admin.close()


def _count(session, table: str) -> int:
    with session.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def _refused(session, sql: str) -> None:
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege), session.cursor() as cursor:
        cursor.execute(sql)


def _insert(session, table: str, case_id: int) -> None:
    with session.cursor() as cursor:
        if table == "audit_accesslog":
            cursor.execute(
                "INSERT INTO audit_accesslog (at, case_id, object_type, action, status, outcome,"
                " request_id, details) VALUES (now(), %s, '', 'x GET', 200, 'allowed', %s, '{}')",
                [case_id, uuid.uuid4()],
            )
        else:
            cursor.execute(
                "INSERT INTO cases_caseevent (case_id, at, action, from_stage, to_stage,"
                " reasons, details) VALUES (%s, now(), 'event_recorded', '', '', '', '{}')",
                [case_id],
            )


@postgresql_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_the_runtime_role_can_only_insert_and_select_on_the_audit_tables(two_roles, table):
    session, _, case_id, _ = two_roles
    _insert(session, table, case_id)
    rows = _count(session, table)
    assert rows >= 1

    _refused(session, f"UPDATE {table} SET id = id")
    _refused(session, f"DELETE FROM {table}")
    _refused(session, f"TRUNCATE {table} CASCADE")
    _refused(session, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    _refused(session, f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    _refused(session, f"DROP TRIGGER {table}_append_only ON {table}")
    _refused(session, "SET session_replication_role = replica")
    _refused(
        session,
        "CREATE OR REPLACE FUNCTION legaltracker_audit_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END; $$",
    )
    with session.cursor() as cursor:
        # Anyone may set a custom setting; it must not open anything to this role.
        cursor.execute("SET legaltracker.allow_audit_truncate = 'on'")
    _refused(session, f"TRUNCATE {table} CASCADE")
    _refused(session, f"DELETE FROM {table}")
    assert _count(session, table) == rows

    # What the app needs besides: its other tables, and moving the chain heads on.
    with session.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET version = version WHERE id = %s", [case_id])
        cursor.execute("UPDATE core_auditchainhead SET length = length")


@postgresql_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_escape_setting_works_only_for_the_tables_owner(two_roles):
    """Even a non-owner that was granted TRUNCATE by mistake is refused by the trigger."""
    session, admin, _, runtime = two_roles
    with admin.cursor() as cursor:
        cursor.execute(f'GRANT TRUNCATE ON audit_accesslog TO "{runtime}"')
    rows = _count(session, "audit_accesslog")
    with session.cursor() as cursor:
        cursor.execute("SET legaltracker.allow_audit_truncate = 'on'")
    _refused(session, "TRUNCATE audit_accesslog")
    assert _count(session, "audit_accesslog") == rows


@postgresql_only
@pytest.mark.postgres
def test_db_roles_prints_the_grants(db):
    out = StringIO()
    call_command("db_roles", "--owner", "lt_owner", "--runtime", "lt_app", stdout=out)
    printed = out.getvalue()
    assert (
        "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON cases_caseevent, "
        'audit_accesslog FROM "lt_app";' in printed
    )
    assert 'ALTER DEFAULT PRIVILEGES FOR ROLE "lt_owner"' in printed


@pytest.mark.parametrize(
    ("command", "user"),
    [("migrate", "lt_owner"), ("db_roles", "lt_owner"), ("runserver", "lt_app")],
)
def test_migrate_signs_in_as_the_owner_and_the_rest_as_the_runtime_role(command, user):
    """MIGRATE_DATABASE_URL is for the commands that change the schema or the grants."""
    import os
    import subprocess
    import sys

    code = (
        f"import sys; sys.argv = ['manage.py', {command!r}]; "
        "from legaltracker.settings import production as s; "
        "print(s.DATABASES['default']['USER'])"
    )
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://lt_app:pw@db.internal:5432/legaltracker",
        "MIGRATE_DATABASE_URL": "postgres://lt_owner:pw@db.internal:5432/legaltracker",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == user
