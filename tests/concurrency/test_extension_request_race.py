"""Two heads of service decide one extension request at the same moment, on PostgreSQL,
each in its own session, without naming the version they read: only the case's row lock
stands between them (decision 117). One decision holds; the other is told who decided."""

from __future__ import annotations

import pytest

from legaltracker.accounts.models import Role
from legaltracker.calendars.workingdays import add_weeks
from legaltracker.cases import services
from legaltracker.cases.models import CaseEvent, Extension, ExtensionRequest
from legaltracker.cases.transitions import current_end
from legaltracker.core.errors import Conflict
from tests.concurrency.harness import Task, case_ready_for_any_exit, run_together
from tests.factories import UserFactory
from tests.markers import postgresql_only

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    postgresql_only,
    pytest.mark.usefixtures("today"),
]

ROUNDS = 5


def test_two_heads_of_service_deciding_at_once_one_wins(staff):
    second = UserFactory(username="hos-two", role=Role.HEAD_OF_SERVICE)
    for _ in range(ROUNDS):
        case = case_ready_for_any_exit(staff)
        end = current_end(case, "pre_proceedings")
        assert end is not None
        ask = services.extension_request_create(
            case_id=case.pk,
            actor=staff.team_manager,
            data={"new_end_date": add_weeks(end, 3).isoformat(), "reason": "Race."},
        )

        def decide(actor, decision, request_id=ask.pk):
            return lambda _: services.extension_request_decide(
                request_id=request_id, actor=actor, data={"decision": decision, "reason": "Race."}
            )

        results = run_together(
            [
                Task("approve", "hos", decide(staff.head_of_service, "approve")),
                Task("decline", "hos-two", decide(second, "decline")),
            ]
        )
        winners = [r for r in results if r.won]
        losers = [r for r in results if not r.won]
        assert len(winners) == 1, [r.describe() for r in results]
        assert isinstance(losers[0].error, Conflict), losers[0].describe()
        ask.refresh_from_db()
        assert ask.status == winners[0].value.status
        decisions = CaseEvent.objects.filter(
            case=case,
            action__in=["extension_request_approved", "extension_request_declined"],
        )
        assert decisions.count() == 1
        assert Extension.objects.filter(case=case).count() == (ask.status == "approved")
        assert ExtensionRequest.objects.filter(case=case, status="pending").count() == 0
