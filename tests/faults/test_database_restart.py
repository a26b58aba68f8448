"""The database goes away in the middle of a run of transitions, events, corrections and
alert scans, on PostgreSQL: nothing half-written, and work resumes (docs/security.md, section 7).

Worker threads, each with its own session, keep changing cases through the services; a
thread runs the daily alert scan over and over when the alerts app is installed. Three
times during the run every server process serving the test database is terminated from
a separate connection, which is what the application sees when PostgreSQL restarts:
every session dies at once, in whatever statement or transaction it was.

Why not restart the server itself: `pg_ctlcluster ... restart` would cut off every other
database on this shared machine (other test runs and benchmarks use the same cluster).
`pg_terminate_backend` on the sessions of the test database alone does to this run
exactly what a restart does to it: each backend process is killed, its transaction rolled
back by the server, and its client gets a broken connection.

Afterwards:

- every case's stage, version, side records and deadlines agree with its audit trail
  (trail.trail_problems), so no transaction was half-applied;
- every change a worker was told had succeeded is in the database with its audit row;
- each alert run holds exactly the alerts and deliveries it counted;
- work resumed: every worker succeeded again after the last cut, and after
  `connection.close()` the test's own session works.

The alert scans run when `legaltracker.alerts` is installed (it was merged into main
separately); on a branch without it the run is transitions, events and corrections only.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
from django.apps import apps
from django.db import Error as DatabaseError
from django.db import connection

from legaltracker.cases import services
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from legaltracker.core import clock
from legaltracker.core.errors import DomainError
from tests.concurrency.harness import case_ready_for_any_exit, transition_data
from tests.factories import Staff, case_at, case_data, gateway_data, record
from tests.markers import postgresql_only

from .trail import trail_problems

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    postgresql_only,
    pytest.mark.usefixtures("today"),
]

WORKERS = 8
CASES = 16
CUTS = 3
SECONDS_BETWEEN_CUTS = 1.5
SECONDS_AFTER_LAST_CUT = 3.0

TERMINATE = (
    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
    # Client sessions only: an autovacuum worker on the same database would be cut too,
    # harmlessly, but it would muddle the count.
    "AND backend_type = 'client backend'"
)


@dataclass
class Ack:
    """A change the service returned from, so it told its caller it was committed."""

    kind: str
    case_id: int
    version: int
    event_id: int | None = None
    transition: str | None = None


@dataclass
class WorkerLog:
    name: str
    acks: list[Ack] = field(default_factory=list)
    ack_times: list[float] = field(default_factory=list)
    refused: int = 0
    database_errors: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    scans: int = 0
    scan_times: list[float] = field(default_factory=list)


def _cut_every_session(settings: dict[str, Any]) -> int:
    """Terminate every other session of the test database from a connection of our own
    (not Django's: ours must survive the cut)."""
    with (
        psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname=settings["NAME"],
            autocommit=True,
        ) as killer,
        killer.cursor() as cursor,
    ):
        cursor.execute(TERMINATE)
        return cursor.fetchone()[0]


def _one_change(rnd: random.Random, case_ids: list[int], staff: Staff) -> Ack | None:
    case_id = rnd.choice(case_ids)
    roll = rnd.random()
    if roll < 0.3:
        name, who = rnd.choice(
            [
                ("extend_pre_proceedings", "head_of_service"),
                ("escalate_to_gateway", "social_worker"),
                ("step_down", "team_manager"),
                ("refer_to_gateway", "team_manager"),
                ("gateway_enter_pre_proceedings", "legal"),
                ("gateway_enter_pre_proceedings", "head_of_service"),
                ("refer_to_gateway", "social_worker"),
            ]
        )
        data = transition_data(name, staff)
        if name.startswith("gateway_"):
            data = gateway_data(clock.today())
        if name == "extend_pre_proceedings":
            data["new_end_date"] = (
                clock.today() + dt.timedelta(weeks=20 + rnd.randint(0, 40))
            ).isoformat()
        case = services.case_transition(
            case_id=case_id, transition=name, actor=staff.by_role(who), data=data
        )
        return Ack("transition", case_id, case.version, transition=name)
    if roll < 0.8:
        kind = rnd.choice(["note", "assessment_completed", "management_oversight"])
        who = "team_manager" if kind == "management_oversight" else "social_worker"
        day = clock.today() - dt.timedelta(days=rnd.randint(0, 5))
        event = services.event_record(
            case_id=case_id,
            actor=staff.by_role(who),
            data={"kind": kind, "date": day.isoformat(), "summary": f"{kind} {rnd.random():.6f}"},
        )
        return Ack("event_record", case_id, event.case.version, event_id=event.pk)
    event_ids = list(
        RecordedEvent.objects.filter(case_id=case_id, kind="note").values_list("pk", flat=True)
    )
    if not event_ids:
        return None
    event_id = rnd.choice(event_ids)
    day = clock.today() - dt.timedelta(days=rnd.randint(0, 5))
    event = services.event_correct(
        event_id=event_id,
        actor=staff.social_worker,
        data={
            "reason_for_change": "typo",
            "date": day.isoformat(),
            "summary": f"fixed {rnd.random()}",
        },
    )
    return Ack("event_correct", case_id, event.case.version, event_id=event_id)


def _worker(log: WorkerLog, seed: int, case_ids: list[int], staff: Staff, stop: threading.Event):
    rnd = random.Random(seed)
    try:
        while not stop.is_set():
            try:
                ack = _one_change(rnd, case_ids, staff)
            except DomainError:
                log.refused += 1
                continue
            except DatabaseError as error:
                # The session was cut: drop it; the next call opens a new one.
                log.database_errors[type(error).__name__] += 1
                connection.close()
                time.sleep(0.05)
                continue
            except Exception as error:  # anything else is a finding
                log.crashes.append(repr(error))
                continue
            if ack is not None:
                log.acks.append(ack)
                log.ack_times.append(time.monotonic())
    finally:
        connection.close()


def _scanner(log: WorkerLog, stop: threading.Event) -> None:
    from legaltracker.alerts.services import alerts_scan

    try:
        while not stop.is_set():
            try:
                alerts_scan(today=clock.today(), dispatch=False)
            except DatabaseError as error:
                log.database_errors[type(error).__name__] += 1
                connection.close()
                time.sleep(0.05)
                continue
            except Exception as error:
                log.crashes.append(repr(error))
                continue
            log.scans += 1
            log.scan_times.append(time.monotonic())
    finally:
        connection.close()


def _alert_problems() -> list[str]:
    from legaltracker.alerts.models import Alert, AlertRun, Delivery
    from legaltracker.deadlines.models import Deadline

    problems = []
    for run in AlertRun.objects.all():
        alerts = Alert.objects.filter(run=run).count()
        deliveries = Delivery.objects.filter(run=run).count()
        if (alerts, deliveries) != (run.new_alerts, run.deliveries_made):
            problems.append(
                f"alert run {run.pk} counted {run.new_alerts} alerts and {run.deliveries_made} "
                f"deliveries, holds {alerts} and {deliveries}"
            )
    missing = Alert.objects.exclude(deadline_id__in=Deadline.objects.values("pk")).count()
    if missing:
        problems.append(f"{missing} alerts for deadlines that do not exist")
    return problems


def test_cutting_every_session_mid_run_leaves_nothing_half_written_and_work_resumes(
    staff, fault_figures
):
    alerts_installed = apps.is_installed("legaltracker.alerts")
    start = clock.today() - dt.timedelta(days=40)
    case_ids = [case_ready_for_any_exit(staff).pk for _ in range(CASES - 4)]
    case_ids += [case_at(Stage.CONCERN, staff, start=start).pk for _ in range(2)]
    case_ids += [case_at(Stage.LEGAL_GATEWAY, staff, start=start).pk for _ in range(2)]
    for case_id in case_ids:
        record(
            Case.objects.get(pk=case_id),
            staff.social_worker,
            "note",
            clock.today(),
            summary="to correct",
        )
    settings = dict(connection.settings_dict)
    connection.close()

    stop = threading.Event()
    logs = [WorkerLog(f"worker {n}") for n in range(WORKERS)]
    threads = [
        threading.Thread(target=_worker, args=(log, n, case_ids, staff, stop), daemon=True)
        for n, log in enumerate(logs)
    ]
    if alerts_installed:
        scan_log = WorkerLog("alert scanner")
        logs.append(scan_log)
        threads.append(threading.Thread(target=_scanner, args=(scan_log, stop), daemon=True))
    for thread in threads:
        thread.start()
    cut_counts, cut_times = [], []
    try:
        for _ in range(CUTS):
            time.sleep(SECONDS_BETWEEN_CUTS)
            cut_counts.append(_cut_every_session(settings))
            cut_times.append(time.monotonic())
        time.sleep(SECONDS_AFTER_LAST_CUT)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert not any(t.is_alive() for t in threads), "a worker did not stop"

    # Our own session was cut too: closing it is all it takes to work again.
    connection.close()
    fresh = services.case_create(actor=staff.social_worker, data=case_data(staff))
    after = services.event_record(
        case_id=fresh.pk,
        actor=staff.social_worker,
        data={"kind": "note", "date": clock.today().isoformat(), "summary": "after the cuts"},
    )
    assert RecordedEvent.objects.filter(pk=after.pk).exists()

    problems: list[str] = []
    for log in logs:
        problems += [f"{log.name} crashed: {c}" for c in log.crashes[:3]]
    for case_id in case_ids:
        problems += trail_problems(case_id)
    # Every acknowledged change is in the database, with its audit row in its place: the
    # change that made version v is the v-th row of the case's trail.
    trails = {
        case_id: list(CaseEvent.objects.filter(case_id=case_id).order_by("id"))
        for case_id in case_ids
    }
    acks = [ack for log in logs for ack in log.acks]
    lost_acks = 0
    for ack in acks:
        rows = trails[ack.case_id]
        row = rows[ack.version - 1] if len(rows) >= ack.version else None
        wanted = {
            "transition": "transition",
            "event_record": "event_recorded",
            "event_correct": "event_corrected",
        }[ack.kind]
        if (
            row is None
            or row.action != wanted
            or (ack.transition and row.details.get("transition") != ack.transition)
            or (ack.event_id and row.details.get("event_id") != ack.event_id)
        ):
            lost_acks += 1
            problems.append(f"acknowledged {ack} is not in the trail at version {ack.version}")
    if alerts_installed:
        problems += _alert_problems()

    last_cut = cut_times[-1]
    stalled = [
        log.name for log in logs if not any(t > last_cut for t in log.ack_times + log.scan_times)
    ]
    errors = sum((log.database_errors for log in logs), Counter())
    scans = sum(log.scans for log in logs) if alerts_installed else "alerts app not installed"
    fault_figures(
        "sessions cut mid-run",
        f"cuts={CUTS} sessions_terminated={sum(cut_counts)} ({cut_counts}) workers={WORKERS} "
        f"changes_acknowledged={len(acks)} refused={sum(log.refused for log in logs)} "
        f"database_errors={sum(errors.values())} ({dict(errors)}) "
        f"alert_scans={scans} "
        f"half_written_or_inconsistent={len(problems) - lost_acks} lost_acknowledged={lost_acks} "
        f"workers_not_resumed={len(stalled)}",
    )
    assert all(count > 0 for count in cut_counts), f"a cut found no session: {cut_counts}"
    assert sum(errors.values()) > 0, "no worker noticed the cuts: they proved nothing"
    assert not problems, "\n".join(problems[:30])
    assert not stalled, f"did not work again after the last cut: {stalled}"
