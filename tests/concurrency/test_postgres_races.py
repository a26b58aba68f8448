"""Real races on PostgreSQL: threads with their own sessions act on the same case at once.

Each round builds a fresh case in pre-proceedings that every competing transition would
accept on its own, lets every thread read the case's version, then releases them together.
The service must let exactly one through; everyone else is told the case changed (409),
and the audit trail, the version and the side records show exactly one change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from legaltracker.cases.models import Case
from legaltracker.core.errors import Conflict, TransitionNotAvailable
from tests.markers import postgresql_only

from .harness import (
    Snapshot,
    Tally,
    Task,
    case_ready_for_any_exit,
    event_race_problems,
    note_task,
    run_together,
    transition_round_problems,
    transition_task,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    postgresql_only,
    pytest.mark.usefixtures("today"),
]

ROUNDS = 50
# Six sessions per round: two ways out of pre-proceedings each for two transitions, plus
# close and a self-loop that writes a side record (an extension), each by a different role.
CONTENDERS = [
    ("step_down", "team_manager"),
    ("escalate_to_gateway", "social_worker"),
    ("extend_pre_proceedings", "head_of_service"),
    ("close", "head_of_service"),
    ("step_down", "head_of_service"),
    ("escalate_to_gateway", "legal"),
]


def test_conflicting_transitions_have_exactly_one_winner_and_the_rest_get_409(staff, race_figures):
    tally = Tally()
    failures: list[str] = []
    for round_number in range(1, ROUNDS + 1):
        case = case_ready_for_any_exit(staff)
        before = Snapshot.of(case.pk)
        # Rotate the start order so that no transition always gets the first thread.
        shift = round_number % len(CONTENDERS)
        order = CONTENDERS[shift:] + CONTENDERS[:shift]
        results = run_together(
            [transition_task(case.pk, name, who, staff, expect_version=True) for name, who in order]
        )
        tally.add(results)
        failures += [
            f"round {round_number}: {problem}"
            for problem in transition_round_problems(case.pk, before, results, loser_error=Conflict)
        ]
    race_figures("conflicting transitions, expected_version given", tally.line())
    assert not failures, "\n".join(failures)
    assert tally.attempts == ROUNDS * len(CONTENDERS)
    assert tally.winners == ROUNDS
    assert tally.conflicts == ROUNDS * (len(CONTENDERS) - 1)


def test_concurrent_event_writers_lose_no_update(staff, race_figures):
    """Eight sessions each record five notes on one case at once, naming no version. The
    row lock must queue them: every note stored, the version up by exactly the number of
    notes (no read-modify-write lost), one audit row per note."""
    writers = [
        "social_worker",
        "team_manager",
        "head_of_service",
        "legal",
        "court_liaison_officer",
        "social_worker",
        "team_manager",
        "legal",
    ]
    notes_each = 5
    tally = Tally()
    failures: list[str] = []
    writes = 0
    for round_number in range(1, 4):
        case = case_ready_for_any_exit(staff)
        before = Snapshot.of(case.pk)
        results = run_together(
            [
                note_task(case.pk, who, staff, notes=notes_each, tag=f"writer {i}")
                for i, who in enumerate(writers)
            ]
        )
        tally.add(results)
        failures += [
            f"round {round_number}: {problem}"
            for problem in event_race_problems(case.pk, before, results)
        ]
        writes += sum(len(r.value) for r in results if r.won)
    race_figures(
        "concurrent event writers",
        f"rounds={tally.rounds} threads={len(writers)} writes={writes} "
        f"failed_writers={tally.attempts - tally.winners}",
    )
    assert not failures, "\n".join(failures)
    assert writes == tally.rounds * len(writers) * notes_each


# --- the lock, not the version check, is what stops a double transition -----------------


def _sessions_waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND cardinality(pg_blocking_pids(pid)) > 0"
        )
        return cursor.fetchone()[0]


class RowLockHolder(threading.Thread):
    """Holds the case's row lock in its own session until told to let go, so that the
    racing threads are provably all inside the service, queued on the lock, at once."""

    def __init__(self, case_id: int):
        super().__init__(name="row-lock-holder", daemon=True)
        self.case_id = case_id
        self.locked = threading.Event()
        self.release = threading.Event()

    def run(self) -> None:
        try:
            with transaction.atomic():
                Case.objects.select_for_update().get(pk=self.case_id)
                self.locked.set()
                self.release.wait(30)
        finally:
            connection.close()


def _release_when_queued(holder: RowLockHolder, waiting: int) -> Callable[[], None]:
    def during() -> None:
        try:
            deadline = time.monotonic() + 15
            while _sessions_waiting_on_a_lock() < waiting:
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"only {_sessions_waiting_on_a_lock()} of {waiting} racing sessions "
                        "reached the row lock"
                    )
                time.sleep(0.005)
        finally:
            holder.release.set()

    return during


def test_without_a_version_the_row_lock_still_allows_one_transition(staff, race_figures):
    """No expected_version: nothing but the row lock separates the threads. Every thread is
    shown to be queued on the lock before it is released; the first through moves the case
    out of pre-proceedings and each of the others, reading the case only once it holds the
    lock, finds the new stage and is refused. Without the lock each would have read
    pre-proceedings and all would have moved the case."""
    contenders = [
        ("step_down", "team_manager"),
        ("escalate_to_gateway", "social_worker"),
        ("step_down", "head_of_service"),
        ("escalate_to_gateway", "legal"),
    ]
    tally = Tally()
    failures: list[str] = []
    for round_number in range(1, 11):
        case = case_ready_for_any_exit(staff)
        before = Snapshot.of(case.pk)
        holder = RowLockHolder(case.pk)
        holder.start()
        assert holder.locked.wait(10), "the lock holder never got the row lock"
        try:
            results = run_together(
                [
                    transition_task(case.pk, name, who, staff, expect_version=False)
                    for name, who in contenders
                ],
                during=_release_when_queued(holder, waiting=len(contenders)),
            )
        finally:
            holder.release.set()
            holder.join(30)
        tally.add(results)
        failures += [
            f"round {round_number}: {problem}"
            for problem in transition_round_problems(
                case.pk, before, results, loser_error=TransitionNotAvailable
            )
        ]
    race_figures("conflicting transitions queued on the row lock, no version", tally.line())
    assert not failures, "\n".join(failures)
    assert tally.winners == tally.rounds
    assert tally.not_available == tally.rounds * (len(contenders) - 1)


def test_the_harness_sees_a_lost_update_when_nothing_locks_the_row(staff, race_figures):
    """A control for the harness, not a test of the app: the same threads and barrier doing
    an unlocked read-then-write of the version lose all but one update. So when the tests
    above find no lost update, it is because the service locked the row, not because the
    threads never overlapped."""
    case = case_ready_for_any_exit(staff)
    start = Case.objects.values_list("version", flat=True).get(pk=case.pk)
    threads = 6

    def read() -> int:
        return Case.objects.values_list("version", flat=True).get(pk=case.pk)

    def write(seen: int) -> int:
        # Deliberately what the service must never do: write back a value computed from
        # an unlocked read.
        return Case.objects.filter(pk=case.pk).update(version=seen + 1)

    results = run_together([Task("unlocked_bump", "control", write, read) for _ in range(threads)])
    assert all(r.won for r in results), [r.describe() for r in results]
    final = Case.objects.values_list("version", flat=True).get(pk=case.pk)
    race_figures(
        "control: unlocked read-then-write",
        f"threads={threads} writes={threads} lost_updates={start + threads - final}",
    )
    assert final == start + 1, "every thread read before any wrote, so all but one update is lost"
