"""The daily scan against a real database: who is told what on each boundary day, once.

Deadline rows are real (cases are walked through the case services); a test moves one
deadline's due date onto the boundary it is about.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_q.models import OrmQ

from legaltracker.accounts.models import Role
from legaltracker.alerts import selectors, services
from legaltracker.alerts.choices import AlertMode, DeliveryKind, Level, Reason
from legaltracker.alerts.models import Alert, AlertPreference, AlertRun, Delivery
from legaltracker.audit import services as audit_services
from legaltracker.cases.models import Case
from legaltracker.core import clock
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline
from tests.factories import UserFactory

from .conftest import set_due
from .helpers import case_with_deadline, expected_alerts, keys, ledger

pytestmark = pytest.mark.django_db

D = dt.date
TEAM = {"sw-north", "tm-north"}
LEGAL_MILESTONE_PEOPLE = TEAM | {"lawyer"}


def people(level: str, names: set[str]) -> set[tuple[str, str]]:
    return {(level, name) for name in names}


def test_each_boundary_day_across_easter_alerts_each_level_once(staff, other_staff, scan):
    # Due the Tuesday after Easter Monday; runs on every working day from 26 March.
    _, deadline = case_with_deadline(staff, D(2026, 4, 7))
    expected = {
        D(2026, 3, 26): set(),
        D(2026, 3, 27): people(Level.DUE_SOON, LEGAL_MILESTONE_PEOPLE),
        D(2026, 3, 30): set(),
        D(2026, 3, 31): set(),
        D(2026, 4, 1): set(),
        D(2026, 4, 2): set(),
        D(2026, 4, 7): people(Level.DUE_TODAY, LEGAL_MILESTONE_PEOPLE),
        D(2026, 4, 8): people(Level.OVERDUE, LEGAL_MILESTONE_PEOPLE),
        D(2026, 4, 9): set(),
        D(2026, 4, 10): people(Level.ESCALATED, {"hos"}),
        D(2026, 4, 13): set(),
    }
    for day, new in expected.items():
        result = scan(day)
        assert not result.skipped, day
        assert keys(deadline, run_id=result.run_id) == new, day
    # The other team's manager and the roles with no part in it were never told.
    told = set(Alert.objects.values_list("recipient__username", flat=True))
    assert told == LEGAL_MILESTONE_PEOPLE | {"hos"}


def test_no_run_on_bank_holidays_or_weekends(staff, scan):
    case_with_deadline(staff, D(2026, 4, 7))
    for day in (D(2026, 4, 3), D(2026, 4, 4), D(2026, 4, 6)):
        result = scan(day)
        assert result.skipped == "not a working day: no alerts"
        assert result.run_id is None
    assert not AlertRun.objects.exists()
    assert not Alert.objects.exists()


def test_team_tasks_go_to_the_team_only(staff, scan):
    _, deadline = case_with_deadline(staff, D(2026, 3, 4), Milestone.MANAGEMENT_OVERSIGHT)
    result = scan(D(2026, 3, 4))
    assert keys(deadline, run_id=result.run_id) == people(Level.DUE_TODAY, TEAM)
    reasons = dict(Alert.objects.values_list("recipient__username", "reason"))
    assert reasons == {"sw-north": Reason.SOCIAL_WORKER, "tm-north": Reason.TEAM_MANAGER}


def test_every_lawyer_and_no_inactive_person(staff, second_lawyer, scan):
    _, deadline = case_with_deadline(staff, D(2026, 3, 4))
    gone = UserFactory(username="lawyer-gone", role=Role.LEGAL, is_active=False)
    staff.team_manager.is_active = False
    staff.team_manager.save()
    scan(D(2026, 3, 4))
    told = {name for _, name in keys(deadline)}
    assert told == {"sw-north", "lawyer", "lawyer-2"}
    assert gone.username not in told


def test_running_a_day_twice_writes_nothing_new(staff, scan):
    case_with_deadline(staff, D(2026, 3, 4))
    first = scan(D(2026, 3, 4))
    ledger = set(Alert.objects.values_list("deadline_id", "level", "recipient_id"))
    deliveries = Delivery.objects.count()
    second = scan(D(2026, 3, 4))
    assert first.new_alerts == 3
    assert second.new_alerts == 0
    assert second.delivery_ids == []
    assert set(Alert.objects.values_list("deadline_id", "level", "recipient_id")) == ledger
    assert Delivery.objects.count() == deliveries


def test_catching_up_after_downtime_alerts_the_level_it_has_now(staff, scan):
    """No run for a fortnight: the deadline passed due soon and due today unseen. It is
    alerted once, as overdue, not three times with stale news."""
    _, deadline = case_with_deadline(staff, D(2026, 4, 7))
    scan(D(2026, 3, 20))
    result = scan(D(2026, 4, 8))
    assert keys(deadline) == people(Level.OVERDUE, LEGAL_MILESTONE_PEOPLE)
    assert result.new_alerts == 3


def test_a_deadline_changed_since_the_last_run_is_read_even_far_from_the_boundaries(staff, scan):
    _, deadline = case_with_deadline(staff, D(2026, 6, 1))
    scan(D(2026, 3, 4))
    assert not Alert.objects.exists()
    # A correction moves the due date into the past, far from any boundary the next
    # run sweeps: it is found because the row changed.
    with clock.frozen(D(2026, 3, 4)):
        set_due(deadline, D(2026, 2, 2))
    scan(D(2026, 3, 5))
    assert keys(deadline) == people(Level.OVERDUE, LEGAL_MILESTONE_PEOPLE) | people(
        Level.ESCALATED, {"hos"}
    )


def test_an_unchanged_deadline_away_from_the_boundaries_is_not_read_again(staff, scan):
    """A later run reads only deadlines whose level can have moved, or that changed.
    Shown by removing the ledger rows of one that did neither: they are not written again
    (a run that read it would write them, the key being free)."""
    _, deadline = case_with_deadline(staff, D(2026, 2, 2))  # long overdue
    _, moving = case_with_deadline(staff, D(2026, 3, 12))  # due today on the 12th
    # Both last changed well before the first run (runs allow an hour for slow
    # transactions to commit).
    Deadline.objects.update(updated_at=clock.now() - dt.timedelta(hours=3))
    scan(D(2026, 3, 4))
    assert keys(deadline) == people(Level.OVERDUE, LEGAL_MILESTONE_PEOPLE) | people(
        Level.ESCALATED, {"hos"}
    )
    Alert.objects.filter(deadline=deadline).delete()
    later = scan(D(2026, 3, 12))
    assert keys(deadline) == set()
    assert keys(moving, run_id=later.run_id) == people(Level.DUE_TODAY, LEGAL_MILESTONE_PEOPLE)
    # A run for a day with no earlier run reads everything again.
    AlertRun.objects.exclude(pk=later.run_id).update(run_date=D(2026, 3, 13))
    scan(D(2026, 3, 12))
    assert keys(deadline) == people(Level.OVERDUE, LEGAL_MILESTONE_PEOPLE) | people(
        Level.ESCALATED, {"hos"}
    )


def test_the_sql_scan_applies_the_rules_as_written_in_python(staff, other_staff, scan):
    """Deadlines spread over five weeks around a run day, every milestone kind, two
    teams, an inactive social worker, a second lawyer and manager: the ledger the SQL
    statement writes equals the Python rules (levels.levels_for, levels.recipients_for)."""
    UserFactory(username="lawyer-2", role=Role.LEGAL)
    UserFactory(username="tm-north-2", role=Role.TEAM_MANAGER, team=staff.team)
    milestones = [Milestone.GATEWAY_MEETING, Milestone.MANAGEMENT_OVERSIGHT]
    day = D(2026, 4, 8)  # the Wednesday after Easter
    for n in range(36):
        team = staff if n % 3 else other_staff
        case_with_deadline(team, day + dt.timedelta(days=n - 24), milestones[n % 2])
    other_staff.social_worker.is_active = False
    other_staff.social_worker.save()
    expected = expected_alerts(day)
    result = scan(day)
    assert ledger() == expected
    assert result.new_alerts == len(expected) > 100
    assert {level for _, level, _, _ in expected} == set(Level.values)


def test_a_restricted_case_is_told_only_to_the_people_named_on_it(staff, scan):
    """A restricted case (legaltracker.audit) is not there for anyone not named on it:
    not on a page, and not in an email either."""
    case, deadline = case_with_deadline(staff, D(2026, 4, 1))
    audit_services.case_restrict(
        case_id=case.pk,
        actor=staff.head_of_service,
        reason="A parent works in children's services.",
        named_user_ids=[staff.team_manager.pk],
    )
    expected = expected_alerts(D(2026, 4, 8))
    scan(D(2026, 4, 8))  # overdue and escalated
    assert keys(deadline) == {(Level.OVERDUE, "tm-north"), (Level.ESCALATED, "hos")}
    assert ledger() == expected  # the Python rules say the same


def test_alerts_about_a_case_restricted_since_leave_the_notifications_page(staff, scan):
    case, _ = case_with_deadline(staff, D(2026, 4, 1))
    scan(D(2026, 4, 8))
    assert len(selectors.alerts_for_user(staff.social_worker)) == 1
    audit_services.case_restrict(
        case_id=case.pk,
        actor=staff.head_of_service,
        reason="A parent works in children's services.",
        named_user_ids=[staff.team_manager.pk],
    )
    assert selectors.alerts_for_user(staff.social_worker) == []
    assert len(selectors.alerts_for_user(staff.team_manager)) == 1


def test_one_digest_per_person_per_run(staff, scan):
    first_case, _ = case_with_deadline(staff, D(2026, 3, 4))
    second_case, _ = case_with_deadline(staff, D(2026, 3, 6))
    result = scan(D(2026, 3, 4))
    digests = Delivery.objects.filter(run_id=result.run_id, kind=DeliveryKind.DIGEST)
    assert sorted(digests.values_list("recipient__username", flat=True)) == sorted(
        LEGAL_MILESTONE_PEOPLE
    )
    lawyer = digests.get(recipient=staff.legal)
    rows = selectors.delivery_rows(lawyer)
    assert set(rows.values_list("case_id", flat=True)) == {first_case.pk, second_case.pk}
    # Every ledger row is in its person's digest for the run.
    assert sum(selectors.delivery_rows(d).count() for d in digests) == Alert.objects.count()


def test_immediate_overdue_alert_only_for_those_who_asked_and_only_when_new(staff, scan):
    AlertPreference.objects.create(user=staff.legal, mode=AlertMode.DIGEST_AND_IMMEDIATE)
    _, deadline = case_with_deadline(staff, D(2026, 3, 4))
    _, old = case_with_deadline(staff, D(2026, 1, 5))  # long overdue: old news
    scan(D(2026, 3, 3))
    scan(D(2026, 3, 4))
    assert not Delivery.objects.filter(kind=DeliveryKind.IMMEDIATE).exists()
    result = scan(D(2026, 3, 5))
    immediate = Delivery.objects.filter(kind=DeliveryKind.IMMEDIATE)
    assert [d.recipient.username for d in immediate] == ["lawyer"]
    (alert,) = immediate.get().immediate_alerts.all()
    assert (alert.deadline_id, alert.level) == (deadline.pk, Level.OVERDUE)
    # The same alert is in the lawyer's digest too, and immediate ones go out first.
    digest = Delivery.objects.get(
        run_id=result.run_id, kind=DeliveryKind.DIGEST, recipient=staff.legal
    )
    assert alert in selectors.delivery_rows(digest)
    assert result.delivery_ids[0] == immediate.get().pk
    assert not old.alerts.filter(immediate_delivery__isnull=False).exists()


def test_dry_run_records_nothing(staff, scan):
    case_with_deadline(staff, D(2026, 3, 4))
    result = scan(D(2026, 3, 4), dry_run=True)
    assert result.new_alerts == 3
    assert not AlertRun.objects.exists()
    assert not Alert.objects.exists()
    assert not Delivery.objects.exists()


def test_deliveries_are_queued_only_after_commit(staff, django_capture_on_commit_callbacks):
    case_with_deadline(staff, D(2026, 3, 4))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with clock.frozen(D(2026, 3, 4)):
            result = services.alerts_scan(today=D(2026, 3, 4))
        assert OrmQ.objects.count() == 0  # decided and written, nothing queued yet
    assert len(callbacks) == 1
    callbacks[0]()
    queued = sorted(task.task["args"][0] for task in OrmQ.objects.all())
    assert queued == sorted(result.delivery_ids)
    assert len(queued) == 3


def test_the_scan_reads_deadlines_not_case_history(staff, scan):
    """A fixed number of queries whatever the number of cases and their histories, and
    none of them on the audit trail or recorded events."""
    for n in range(6):
        case_with_deadline(staff, D(2026, 3, 4) + dt.timedelta(days=n % 2))
    with CaptureQueriesContext(connection) as few:
        scan(D(2026, 3, 4))
    for _ in range(6):
        case_with_deadline(staff, D(2026, 3, 5))
    with CaptureQueriesContext(connection) as more:
        scan(D(2026, 3, 5))
    tables = " ".join(q["sql"] for q in more.captured_queries)
    assert "cases_caseevent" not in tables
    assert "cases_recordedevent" not in tables
    assert len(more.captured_queries) == len(few.captured_queries)
    assert Deadline.objects.outstanding().filter(due__lte=D(2026, 3, 12)).count() == 12


def test_a_person_two_rules_reach_is_told_once_for_the_first_reason(staff, scan):
    """The team's manager is one case's social worker, the lawyer another's: each hears
    once per deadline and level, as the social worker (the earlier row of the table), and
    the SQL agrees with the Python reading of the rules."""
    day = D(2026, 3, 4)
    managed, _ = case_with_deadline(staff, day)
    lawyered, _ = case_with_deadline(staff, day)
    Case.objects.filter(pk=managed.pk).update(social_worker=staff.team_manager)
    Case.objects.filter(pk=lawyered.pk).update(social_worker=staff.legal)
    expected = expected_alerts(day)
    scan(day)
    assert ledger() == expected
    rows = Alert.objects.values_list("case_id", "recipient__username", "reason")
    assert sorted(r for r in rows if r[0] == managed.pk) == [
        (managed.pk, "lawyer", Reason.LEGAL),
        (managed.pk, "tm-north", Reason.SOCIAL_WORKER),
    ]
    assert sorted(r for r in rows if r[0] == lawyered.pk) == [
        (lawyered.pk, "lawyer", Reason.SOCIAL_WORKER),
        (lawyered.pk, "tm-north", Reason.TEAM_MANAGER),
    ]


def test_ledger_rows_already_there_count_as_alerted(staff, scan):
    """A row the scan did not write in this session (as rows written before an upgrade)
    keeps its key from being alerted again; the other keys are written."""
    day = D(2026, 3, 4)
    _, deadline = case_with_deadline(staff, day)
    earlier = AlertRun.objects.create(
        run_date=D(2026, 3, 3),
        due_soon_until=D(2026, 3, 10),
        escalate_on_or_before=D(2026, 2, 24),
        started_at=clock.now(),
    )
    Alert.objects.create(
        deadline=deadline,
        case=deadline.case,
        level=Level.DUE_TODAY,
        recipient=staff.legal,
        reason=Reason.LEGAL,
        due=day,
        run=earlier,
        created_at=earlier.started_at,
    )
    result = scan(day)
    assert result.new_alerts == 2
    assert keys(deadline) == people(Level.DUE_TODAY, {"sw-north", "tm-north", "lawyer"})
    assert Alert.objects.filter(recipient=staff.legal).get().run_id == earlier.pk


def test_the_unique_key_refuses_a_second_row(staff, scan):
    day = D(2026, 3, 4)
    case_with_deadline(staff, day)
    scan(day)
    alert = Alert.objects.filter(recipient=staff.legal).get()
    alert.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        alert.save()
