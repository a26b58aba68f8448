"""Shared helpers for the alerts tests: a case whose deadlines sit where a test wants."""

from __future__ import annotations

import datetime as dt

from legaltracker.alerts.choices import DeliveryKind, DeliveryStatus
from legaltracker.alerts.models import Alert, Delivery
from legaltracker.cases.choices import Stage
from legaltracker.core import clock
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline
from tests.factories import case_at

FAR = dt.date(2027, 6, 1)


def case_with_deadline(staff, due: dt.date, milestone: str = Milestone.GATEWAY_MEETING):
    """A case in the legal gateway whose `milestone` deadline is due on `due` and whose
    other outstanding deadlines are far away. Returns (case, deadline)."""
    with clock.frozen(dt.date(2026, 3, 4)):
        case = case_at(Stage.LEGAL_GATEWAY, staff)
    rows = Deadline.objects.outstanding().filter(case=case)
    target = rows.get(milestone=milestone)
    rows.exclude(pk=target.pk).update(due=FAR, updated_at=clock.now())
    Deadline.objects.filter(pk=target.pk).update(due=due, updated_at=clock.now())
    target.refresh_from_db()
    return case, target


def failed_digest(recipient) -> Delivery:
    """A digest to `recipient` that failed three times (the mail server refused): theirs
    (or an administrator's) to retry or dismiss."""
    return Delivery.objects.create(
        kind=DeliveryKind.DIGEST,
        recipient=recipient,
        status=DeliveryStatus.FAILED,
        attempts=3,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        created_at=clock.now(),
    )


def keys(deadline=None, run_id=None) -> set[tuple[str, str]]:
    """(level, username) of the ledger rows, for one deadline and/or one run."""
    alerts = Alert.objects.all()
    if deadline is not None:
        alerts = alerts.filter(deadline=deadline)
    if run_id is not None:
        alerts = alerts.filter(run_id=run_id)
    return set(alerts.values_list("level", "recipient__username"))


def expected_alerts(day: dt.date) -> set[tuple[int, str, int, str]]:
    """The rules as Python (levels.levels_for, levels.recipients_for) applied to every
    outstanding deadline: what a first scan of `day` must write, as (deadline id, level,
    recipient id, reason). The scan itself does it in SQL; tests compare the two."""
    from django.contrib.auth import get_user_model

    from legaltracker.accounts.models import Role
    from legaltracker.alerts import levels
    from legaltracker.audit.models import CaseRestriction, CaseRestrictionAccess
    from legaltracker.calendars.services import get_calendar
    from legaltracker.deadlines.models import TimescalePolicy

    policy = TimescalePolicy.current()
    window = levels.window_for(
        day,
        due_soon_working_days=policy.due_soon_working_days,
        escalation_working_days=policy.escalation_working_days,
        calendar=get_calendar(),
    )
    active = get_user_model().objects.filter(is_active=True)
    legal = tuple(active.filter(role=Role.LEGAL).values_list("id", flat=True))
    heads = tuple(active.filter(role=Role.HEAD_OF_SERVICE).values_list("id", flat=True))
    managers: dict[int, tuple[int, ...]] = {}
    for user_id, team_id in active.filter(role=Role.TEAM_MANAGER).values_list("id", "team_id"):
        managers[team_id] = (*managers.get(team_id, ()), user_id)
    named: dict[int, tuple[int, ...]] = {}
    for case_id, user_id in CaseRestrictionAccess.objects.values_list(
        "restriction__case_id", "user_id"
    ):
        named[case_id] = (*named.get(case_id, ()), user_id)
    restricted = set(CaseRestriction.objects.values_list("case_id", flat=True))
    expected = set()
    deadlines = Deadline.objects.outstanding().filter(due__lte=window.due_soon_until)
    related = ("case", "case__social_worker", "case__allocated_lawyer", "owner")
    for deadline in deadlines.select_related(*related):
        worker = deadline.case.social_worker
        owner, lawyer = deadline.owner, deadline.case.allocated_lawyer
        for level in levels.levels_for(deadline.due, window):
            for user_id, reason in levels.recipients_for(
                milestone=deadline.milestone,
                level=level,
                social_worker=worker.pk if worker.is_active else None,
                team_managers=tuple(sorted(managers.get(deadline.case.team_id, ()))),
                legal=legal,
                heads_of_service=heads,
                named=named.get(deadline.case_id, ()) if deadline.case_id in restricted else None,
                owner=owner.pk if owner is not None and owner.is_active else None,
                case_lawyer=lawyer.pk if lawyer is not None and lawyer.is_active else None,
            ):
                expected.add((deadline.pk, str(level), user_id, str(reason)))
    return expected


def ledger() -> set[tuple[int, str, int, str]]:
    return set(Alert.objects.values_list("deadline_id", "level", "recipient_id", "reason"))
