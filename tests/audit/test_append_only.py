"""The audit trail cannot be rewritten: not through the ORM, and on PostgreSQL not by raw
SQL from the application's role either (triggers from migration audit 0002)."""

from __future__ import annotations

import importlib
import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from legaltracker.audit import recording
from legaltracker.audit.models import AccessLog, AccessOutcome, RetentionDecision
from legaltracker.cases.models import CaseEvent
from tests.factories import case_at
from tests.markers import postgresql_only

pytestmark = pytest.mark.django_db

triggers = importlib.import_module("legaltracker.audit.migrations.0002_append_only_triggers")


@pytest.fixture
def rows(staff, today):
    case = case_at("legal_gateway", staff)
    recording.access_record(
        actor=staff.legal,
        action="casework:case_detail GET",
        status=200,
        outcome=AccessOutcome.ALLOWED,
        request_id=uuid.uuid4(),
        case_id=case.pk,
    )
    assert CaseEvent.objects.filter(case=case).exists()
    return case


def test_the_orm_refuses_to_change_or_delete_access_log_rows(rows):
    row = AccessLog.objects.get()
    row.status = 500
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.update(status=500)
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get().status == 200


def test_the_orm_refuses_to_change_retention_decisions():
    with pytest.raises(PermissionError):
        RetentionDecision.objects.update(reasons="rewritten")
    with pytest.raises(PermissionError):
        RetentionDecision.objects.all().delete()


def test_access_log_details_hold_ids_only():
    with pytest.raises(ValueError, match="ids only"):
        recording.clean_details({"children": ["Smith"]})
    with pytest.raises(ValueError, match="an id"):
        recording.clean_details({"note": "free text"})
    assert recording.clean_details({"children": [3, 1, 3], "case": "7"}) == {
        "children": [1, 3],
        "case": 7,
    }


def _refused(sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


@postgresql_only
@pytest.mark.parametrize("table", ["cases_caseevent", "audit_accesslog"])
def test_postgresql_refuses_update_and_delete(rows, table):
    before = _snapshot(table)
    _refused(f"UPDATE {table} SET id = id")
    _refused(f"DELETE FROM {table}")
    _refused(f"DELETE FROM {table} WHERE id = -1")  # refused even when nothing matches
    assert _snapshot(table) == before


@postgresql_only
@pytest.mark.parametrize("table", ["cases_caseevent", "audit_accesslog"])
def test_postgresql_refuses_truncate_unless_the_session_allows_it(rows, table):
    before = _snapshot(table)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Rows written earlier in the test's transaction have foreign key checks pending,
        # which would stop TRUNCATE before the trigger is reached.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL legaltracker.allow_audit_truncate = 'off'")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert _snapshot(table) == before


@postgresql_only
def test_postgresql_allows_truncate_in_a_session_that_says_so(rows):
    """What pytest-django's flush relies on (the test settings set it per connection)."""

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL legaltracker.allow_audit_truncate = 'on'")
            cursor.execute("TRUNCATE audit_accesslog")
            cursor.execute("SELECT count(*) FROM audit_accesslog")
            assert cursor.fetchone()[0] == 0
        raise Undo
    assert AccessLog.objects.count() == 1


@postgresql_only
def test_postgresql_inserts_still_work(rows, staff):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslog (at, actor_id, case_id, object_type, object_id, action,"
            " status, outcome, request_id, details) VALUES (now(), %s, NULL, '', NULL, 'x GET',"
            " 200, 'allowed', %s, '{}')",
            [staff.legal.pk, uuid.uuid4()],
        )
    assert AccessLog.objects.count() == 2


@postgresql_only
def test_the_migration_reverses_and_applies_again(rows):
    """Inside the test's transaction (PostgreSQL DDL is transactional): without the
    triggers an UPDATE goes through; with them back it is refused again."""
    with connection.schema_editor(atomic=False) as editor:
        triggers.remove(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslog SET status = 201")
    assert AccessLog.objects.get().status == 201
    with connection.schema_editor(atomic=False) as editor:
        triggers.install(None, editor)
    _refused("UPDATE audit_accesslog SET status = 202")


def test_the_triggers_exist_on_postgresql_only(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
            assert cursor.fetchone()[0] == 0
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s",
                ["%\\_append\\_only"],
            )
            assert cursor.fetchone()[0] == 2


def _snapshot(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_can_be_torn_down_on_postgresql(staff, today):
    """pytest-django empties the tables with TRUNCATE after this test: with the triggers
    installed, that works only because the test settings allow it for their sessions."""
    case_at("concern", staff)
    assert CaseEvent.objects.count() >= 1
