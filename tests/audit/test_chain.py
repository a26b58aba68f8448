"""The audit hash chains (legaltracker/core/hashchain.py) and `manage.py audit_verify`
(legaltracker/audit/chain.py): a clean database passes; a row removed, inserted or changed
behind the app's back (by raw SQL as the tables' owner, past the triggers) is found, and
the command exits non-zero."""

from __future__ import annotations

import threading
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from legaltracker.audit import chain, recording
from legaltracker.audit.models import AccessLog, AccessOutcome
from legaltracker.cases.choices import CaseEventKind
from legaltracker.cases.events import case_event_append, case_lock, case_touch
from legaltracker.cases.models import CaseEvent
from legaltracker.core import hashchain
from legaltracker.core.models import AuditChainHead
from tests.factories import case_at
from tests.markers import postgresql_only

pytestmark = pytest.mark.django_db


def verify() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def access_row(user, case_id=None) -> AccessLog:
    return recording.access_record(
        actor=user,
        action="casework:case_detail GET",
        status=200,
        outcome=AccessOutcome.ALLOWED,
        request_id=uuid.uuid4(),
        case_id=case_id,
    )


def behind_the_apps_back(sql: str, params: list | None = None) -> None:
    """Raw SQL as the tables' owner would send it: on PostgreSQL past the append-only
    triggers (a superuser's `session_replication_role`, or the owner disabling them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


@pytest.fixture
def history(staff, today):
    """Two cases with a few audit rows each, and a few access log rows."""
    first = case_at("pre_proceedings", staff)
    second = case_at("legal_gateway", staff)
    for case in (first, second):
        access_row(staff.legal, case.pk)
    access_row(staff.legal)
    assert CaseEvent.objects.filter(case=first).count() >= 3
    return first, second


def test_a_clean_database_passes(history):
    code, output = verify()
    assert code == 0, output
    assert "no problems" in output
    report = chain.verify()
    assert report.rows == AccessLog.objects.count() + CaseEvent.objects.count()
    assert report.chains == 3  # the access log and the two cases


def test_an_empty_database_passes(db):
    assert verify()[0] == 0


def test_every_row_the_writers_store_is_linked(history):
    assert not AccessLog.objects.filter(chain_hash="").exists()
    assert not CaseEvent.objects.filter(chain_hash="").exists()
    head = AuditChainHead.objects.get(chain=hashchain.ACCESS, key=0)
    assert head.length == AccessLog.objects.count()
    assert head.last_hash == AccessLog.objects.order_by("id").last().chain_hash


def test_a_removed_case_event_is_found(history):
    first, _ = history
    middle = CaseEvent.objects.filter(case=first).order_by("id")[1]
    behind_the_apps_back("DELETE FROM cases_caseevent WHERE id = %s", [middle.pk])
    code, output = verify()
    assert code == 1
    assert f"Case {first.pk} audit trail row" in output
    assert "the row before it was removed" in output


def test_a_removed_newest_access_row_is_found(history):
    newest = AccessLog.objects.order_by("id").last()
    behind_the_apps_back("DELETE FROM audit_accesslog WHERE id = %s", [newest.pk])
    code, output = verify()
    assert code == 1
    assert "Access log: the chain holds" in output
    assert "rows were removed" in output


def test_a_removed_whole_case_trail_is_found(history):
    first, _ = history
    behind_the_apps_back("DELETE FROM cases_caseevent WHERE case_id = %s", [first.pk])
    code, output = verify()
    assert code == 1
    assert f"Case {first.pk} audit trail: the app wrote" in output


def test_a_changed_row_is_found(history):
    first, _ = history
    event = CaseEvent.objects.filter(case=first).order_by("id").first()
    behind_the_apps_back(
        "UPDATE cases_caseevent SET reasons = %s WHERE id = %s", ["Rewritten.", event.pk]
    )
    code, output = verify()
    assert code == 1
    assert f"row {event.pk} does not match the chain" in output


def test_a_changed_access_row_is_found(history):
    row = AccessLog.objects.order_by("id").first()
    behind_the_apps_back("UPDATE audit_accesslog SET status = 404 WHERE id = %s", [row.pk])
    code, output = verify()
    assert code == 1
    assert f"Access log row {row.pk} does not match the chain" in output


@pytest.mark.parametrize("forged_hash", ["", "0" * 64, "copy"])
def test_a_forged_access_row_is_found(history, staff, forged_hash):
    """Without a hash, with a made-up one, or with the newest real one copied (the key is
    not in the database, so no one there can compute the right one)."""
    if forged_hash == "copy":
        forged_hash = AccessLog.objects.order_by("id").last().chain_hash
    behind_the_apps_back(
        "INSERT INTO audit_accesslog (at, actor_id, case_id, object_type, object_id, action,"
        " status, outcome, request_id, details, chain_hash) VALUES (%s, %s, NULL, '', NULL,"
        " 'casework:case_detail GET', 200, 'allowed', %s, '{}', %s)",
        [AccessLog.objects.last().at, staff.legal.pk, str(uuid.uuid4()), forged_hash],
    )
    forged = AccessLog.objects.order_by("id").last()
    code, output = verify()
    assert code == 1
    assert f"Access log row {forged.pk}" in output


def test_a_forged_case_event_is_found(history, staff):
    first, _ = history
    behind_the_apps_back(
        "INSERT INTO cases_caseevent (case_id, actor_id, at, action, from_stage, to_stage,"
        " reasons, details) VALUES (%s, %s, %s, 'event_recorded', '', '', 'Forged.', '{}')",
        [first.pk, staff.legal.pk, CaseEvent.objects.last().at],
    )
    forged = CaseEvent.objects.order_by("id").last()
    code, output = verify()
    assert code == 1
    assert f"row {forged.pk} has no hash: it was inserted outside the app" in output


def test_a_wound_back_chain_head_is_found(history):
    """Removing the newest row and setting the head to the row before it needs the key."""
    rows = list(AccessLog.objects.order_by("id"))
    behind_the_apps_back("DELETE FROM audit_accesslog WHERE id = %s", [rows[-1].pk])
    AuditChainHead.objects.filter(chain=hashchain.ACCESS).update(
        length=len(rows) - 1, last_hash=rows[-2].chain_hash
    )
    code, output = verify()
    assert code == 1
    assert "head record was changed outside the app" in output


def test_rows_from_before_the_chain_are_reported_not_failed(db, staff, today):
    behind_the_apps_back(
        "INSERT INTO audit_accesslog (at, actor_id, case_id, object_type, object_id, action,"
        " status, outcome, request_id, details) VALUES (%s, NULL, NULL, '', NULL, 'x GET',"
        " 200, 'allowed', %s, '{}')",
        ["2026-01-05T10:00:00+00:00", str(uuid.uuid4())],
    )
    access_row(staff.legal)
    code, output = verify()
    assert code == 0, output
    assert "1 rows were written before the hash chains existed" in output


@postgresql_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_each_chain_whole(staff, today):
    """Eight sessions append to the access log and to one case's trail at once: the head
    lock orders them, so each chain stays one line with no fork."""
    case = case_at("pre_proceedings", staff)
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            for _ in range(5):
                with transaction.atomic():
                    locked = case_lock(case.pk)
                    case_touch(locked)
                    case_event_append(
                        case=locked,
                        actor=staff.legal,
                        kind=CaseEventKind.EVENT_RECORDED,
                        details={"n": 1},
                    )
                access_row(staff.legal, case.pk)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert AccessLog.objects.count() == 40
    code, output = verify()
    assert code == 0, output
