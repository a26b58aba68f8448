"""Two requests racing on one case over the API, on PostgreSQL (real row locks between
connections): the one that loses is told the case changed (409) even though it sent no
version, because the API holds it to the version it read when it arrived."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from legaltracker.cases import services
from legaltracker.cases.models import Case, CaseEvent
from tests.factories import case_at, gateway_data
from tests.markers import postgresql_only

pytestmark = [
    pytest.mark.postgres,
    postgresql_only,
]


def wait_until_someone_waits_for_us(timeout: float = 10.0) -> None:
    """Until another connection waits for a lock this one holds (read live from pg_locks;
    other databases on the cluster do not count)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks "
                "WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the racing request never reached the row lock")


@pytest.mark.parametrize("attempt", range(5))
def test_the_request_that_loses_the_race_gets_409(
    transactional_db, staff, client_for, today, attempt
):
    case = case_at("legal_gateway", staff)
    lawyer = client_for(staff.legal)
    answers = {}

    def loser() -> None:
        try:
            answers["response"] = lawyer.post(
                f"/api/v1/cases/{case.pk}/transitions/gateway_enter_pre_proceedings/",
                gateway_data(today),
                format="json",
            )
        finally:
            connections.close_all()

    thread = threading.Thread(target=loser)
    with transaction.atomic():
        # The winner holds the row: the lawyer's request reads the case, then waits.
        Case.objects.select_for_update().get(pk=case.pk)
        thread.start()
        wait_until_someone_waits_for_us()
        services.case_transition(
            case_id=case.pk,
            transition="gateway_continue_plan",
            actor=staff.head_of_service,
            data=gateway_data(today),
        )
    thread.join(timeout=30)
    assert not thread.is_alive()

    response = answers["response"]
    assert response.status_code == 409, response.json()
    assert response.json()["detail"].startswith("Someone else changed this case")
    final = Case.objects.get(pk=case.pk)
    assert (final.stage, final.outcome) == ("closed", "continue_plan")
    transitions = CaseEvent.objects.filter(case=case, action="transition")
    assert [e.details["transition"] for e in transitions] == [
        "refer_to_gateway",
        "gateway_continue_plan",
    ]
    assert final.gateway_decisions.count() == 1
