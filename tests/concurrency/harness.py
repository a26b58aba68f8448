"""The race harness for the concurrency tests.

Runs callables in real threads, each with its own database connection (Django opens one
per thread), lets every thread read what it needs, then releases them together through a
barrier so that no one writes before everyone has read. The per-round checks return
problems as sentences rather than asserting, so that the PostgreSQL tests and the SQLite
subprocess (`sqlite_race`) share them and a failure says which round and which thread.

Import this module only once Django is set up: it imports the models.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from legaltracker.cases import services
from legaltracker.cases.choices import Outcome as CaseOutcome
from legaltracker.cases.choices import Stage
from legaltracker.cases.facts import deadlines_recompute
from legaltracker.cases.models import Case, CaseEvent, Extension, GatewayDecision, RecordedEvent
from legaltracker.core import clock
from legaltracker.core.errors import Conflict, DomainError, TransitionNotAvailable
from tests.factories import Staff, case_at, record

# Long enough for a slow CI machine, short enough that a deadlock fails the run instead
# of hanging it (PostgreSQL's own deadlock detector answers within a second).
THREAD_TIMEOUT = 60.0


@dataclass
class Task:
    """One thread's part in a race: `read` runs before the barrier, `act(read())` after."""

    name: str
    who: str
    act: Callable[[Any], Any]
    read: Callable[[], Any] | None = None


@dataclass
class Result:
    task: Task
    value: Any = None
    error: BaseException | None = None

    @property
    def won(self) -> bool:
        return self.error is None

    def describe(self) -> str:
        label = f"{self.task.name} by {self.task.who}"
        if self.error is None:
            return f"{label}: succeeded"
        if isinstance(self.error, DomainError):
            return (
                f"{label}: {type(self.error).__name__} ({self.error.status}) '{self.error.message}'"
            )
        return f"{label}: crashed with {self.error!r}"


def run_together(
    tasks: Sequence[Task], *, during: Callable[[], None] | None = None
) -> list[Result]:
    """Run each task in its own thread and connection; return what each one got.

    `during` runs in the calling thread while the workers run (for example to release a
    lock they are queued on); the workers are joined even if it fails.
    """
    barrier = threading.Barrier(len(tasks))
    results: list[Result] = [Result(task, error=RuntimeError("did not finish")) for task in tasks]

    def work(index: int, task: Task) -> None:
        passed = False
        try:
            before = task.read() if task.read is not None else None
            barrier.wait(timeout=THREAD_TIMEOUT)
            passed = True
            results[index] = Result(task, value=task.act(before))
        except BaseException as exc:  # a thread's failure is a finding: report it, never lose it
            if not passed:
                barrier.abort()  # the others would wait for a thread that is not coming
            results[index] = Result(task, error=exc)
        finally:
            # Each thread opened its own connection; leaving it open would keep a session
            # (and on PostgreSQL, its locks) alive past the test and block the flush.
            connection.close()

    threads = [
        threading.Thread(target=work, args=(i, t), name=f"race-{t.name}-{i}", daemon=True)
        for i, t in enumerate(tasks)
    ]
    for thread in threads:
        thread.start()
    try:
        if during is not None:
            during()
    finally:
        for thread in threads:
            thread.join(THREAD_TIMEOUT)
    for index, thread in enumerate(threads):
        if thread.is_alive():
            results[index] = Result(
                tasks[index], error=TimeoutError(f"still running after {THREAD_TIMEOUT:.0f} s")
            )
    return results


# --- a case that every competing transition could take -------------------------------


def case_ready_for_any_exit(staff: Staff) -> Case:
    """A case in pre-proceedings that step_down, escalate_to_gateway, close and
    extend_pre_proceedings would each accept on their own: an assessment completed since
    pre-proceedings began (step_down's guard) and an initial meeting held (so there is a
    decision point to extend)."""
    today = clock.today()
    start = today - dt.timedelta(days=30)
    case = case_at(Stage.PRE_PROCEEDINGS, staff, start=start)
    record(case, staff.legal, "letter_before_proceedings_sent", start + dt.timedelta(days=3))
    record(case, staff.social_worker, "initial_meeting_held", start + dt.timedelta(days=10))
    record(
        case,
        staff.social_worker,
        "assessment_completed",
        start + dt.timedelta(days=12),
        summary="Parenting assessment updated.",
    )
    return Case.objects.get(pk=case.pk)


def transition_data(name: str, staff: Staff) -> dict[str, Any]:
    day = clock.today().isoformat()
    data: dict[str, Any] = {"date": day, "reasons": f"Decided at the race ({name})."}
    if name == "step_down":
        data["step_down_to"] = "child_in_need_plan"
    elif name == "close":
        data["outcome"] = CaseOutcome.WITHDRAWN.value
    elif name == "extend_pre_proceedings":
        data["approved_by"] = staff.head_of_service.username
        data["new_end_date"] = (clock.today() + dt.timedelta(weeks=20)).isoformat()
    return data


def transition_task(
    case_id: int, name: str, who: str, staff: Staff, *, expect_version: bool
) -> Task:
    actor = staff.by_role(who)
    data = transition_data(name, staff)

    def read() -> int:
        # What a person's screen showed: the version they loaded before pressing the button.
        return Case.objects.values_list("version", flat=True).get(pk=case_id)

    def act(version: int) -> Case:
        return services.case_transition(
            case_id=case_id,
            transition=name,
            actor=actor,
            data=data,
            expected_version=version if expect_version else None,
        )

    return Task(name=name, who=who, act=act, read=read)


@dataclass
class Snapshot:
    version: int
    last_audit_id: int
    gateway_decisions: int
    extensions: int
    recorded_events: int

    @classmethod
    def of(cls, case_id: int) -> Snapshot:
        last = CaseEvent.objects.filter(case_id=case_id).order_by("-id").first()
        return cls(
            version=Case.objects.values_list("version", flat=True).get(pk=case_id),
            last_audit_id=last.pk if last else 0,
            gateway_decisions=GatewayDecision.objects.filter(case_id=case_id).count(),
            extensions=Extension.objects.filter(case_id=case_id).count(),
            recorded_events=RecordedEvent.objects.filter(case_id=case_id).count(),
        )


def transition_round_problems(
    case_id: int, before: Snapshot, results: Sequence[Result], *, loser_error: type[DomainError]
) -> list[str]:
    """Everything wrong with one round of conflicting transitions, as sentences."""
    problems: list[str] = []
    winners = [r for r in results if r.won]
    if len(winners) != 1:
        problems.append(
            f"{len(winners)} winners instead of exactly one: "
            + "; ".join(r.describe() for r in results)
        )
    for result in results:
        if not result.won and not isinstance(result.error, loser_error):
            problems.append(
                f"a loser got the wrong answer (wanted {loser_error.__name__}): "
                + result.describe()
            )
    case = Case.objects.get(pk=case_id)
    if case.version != before.version + 1:
        problems.append(f"version went from {before.version} to {case.version}, not up by one")
    audit = list(
        CaseEvent.objects.filter(case_id=case_id, id__gt=before.last_audit_id).order_by("id")
    )
    transitions = [e for e in audit if e.action == "transition"]
    if len(audit) != 1 or len(transitions) != 1:
        problems.append(
            f"{len(audit)} new audit rows ({len(transitions)} transitions) instead of one: "
            + ", ".join(f"{e.action} {e.from_stage}->{e.to_stage}" for e in audit)
        )
    else:
        row = transitions[0]
        if row.to_stage != case.stage or row.from_stage != Stage.PRE_PROCEEDINGS:
            problems.append(
                f"the audit row says {row.from_stage}->{row.to_stage} but the case went "
                f"from {Stage.PRE_PROCEEDINGS} to {case.stage}"
            )
    winner = winners[0].task.name if len(winners) == 1 else None
    if winner is not None and transitions and transitions[0].details.get("transition") != winner:
        problems.append(
            f"the audit row names {transitions[0].details.get('transition')!r}, the winner was "
            f"{winner!r}"
        )
    if winner is not None and winners[0].value.stage != case.stage:
        problems.append(f"the winner saw {winners[0].value.stage}, the database has {case.stage}")
    extensions = Extension.objects.filter(case_id=case_id).count()
    wanted = before.extensions + (1 if winner == "extend_pre_proceedings" else 0)
    if extensions != wanted:
        problems.append(
            f"{extensions - before.extensions} extensions written, wanted "
            f"{wanted - before.extensions}"
        )
    gateway = GatewayDecision.objects.filter(case_id=case_id).count()
    if gateway != before.gateway_decisions:
        problems.append(f"{gateway - before.gateway_decisions} gateway decisions written, wanted 0")
    if RecordedEvent.objects.filter(case_id=case_id).count() != before.recorded_events:
        problems.append("recorded events changed during a transition race")
    # The winner recomputed the deadlines inside its transaction; a loser must not have
    # left them out of step. A recomputation now must find nothing to change.
    stale = deadlines_recompute(case=case)
    if stale:
        problems.append(
            "deadline rows were out of step after the race: "
            + ", ".join(f"{d.milestone}#{d.cycle}" for d in stale)
        )
    return problems


def note_task(case_id: int, who: str, staff: Staff, *, notes: int, tag: str) -> Task:
    """A thread that records `notes` events one after another, none of them naming the
    version it read: only the row lock stands between them and a lost update."""
    actor = staff.by_role(who)

    def act(_: Any) -> list[int]:
        day = clock.today().isoformat()
        return [
            services.event_record(
                case_id=case_id,
                actor=actor,
                data={"kind": "note", "date": day, "summary": f"{tag}: note {n + 1} by {who}"},
            ).pk
            for n in range(notes)
        ]

    return Task(name="event_record", who=who, act=act)


def event_race_problems(case_id: int, before: Snapshot, results: Sequence[Result]) -> list[str]:
    """Everything wrong after threads recorded events on one case at once."""
    problems = [r.describe() for r in results if not r.won]
    ids = [pk for r in results if r.won for pk in r.value]
    writes = len(ids)
    if len(set(ids)) != writes:
        problems.append("two writers were handed the same event id")
    stored = set(
        RecordedEvent.objects.filter(case_id=case_id, pk__in=ids).values_list("pk", flat=True)
    )
    if stored != set(ids):
        problems.append(f"{writes - len(stored)} of {writes} recorded events are missing")
    new_events = RecordedEvent.objects.filter(case_id=case_id).count() - before.recorded_events
    if new_events != writes:
        problems.append(f"{new_events} events stored for {writes} writes")
    version = Case.objects.values_list("version", flat=True).get(pk=case_id)
    if version != before.version + writes:
        problems.append(
            f"version went from {before.version} to {version} after {writes} writes: "
            f"{before.version + writes - version} updates lost"
        )
    audit = list(CaseEvent.objects.filter(case_id=case_id, id__gt=before.last_audit_id))
    audited = sorted(e.details.get("event_id") for e in audit if e.action == "event_recorded")
    if len(audit) != writes or audited != sorted(ids):
        problems.append(
            f"{len(audit)} new audit rows ({len(audited)} event_recorded) for {writes} writes"
        )
    return problems


@dataclass
class Tally:
    """The figures a race reports: attempts, winners, conflicts."""

    rounds: int = 0
    attempts: int = 0
    winners: int = 0
    conflicts: int = 0
    not_available: int = 0
    other: int = 0
    wins_by_transition: Counter[str] = field(default_factory=Counter)

    def add(self, results: Sequence[Result]) -> None:
        self.rounds += 1
        for result in results:
            self.attempts += 1
            if result.won:
                self.winners += 1
                self.wins_by_transition[result.task.name] += 1
            elif isinstance(result.error, Conflict):
                self.conflicts += 1
            elif isinstance(result.error, TransitionNotAvailable):
                self.not_available += 1
            else:
                self.other += 1

    def line(self) -> str:
        wins = ", ".join(f"{k} {v}" for k, v in sorted(self.wins_by_transition.items()))
        return (
            f"rounds={self.rounds} attempts={self.attempts} winners={self.winners} "
            f"conflicts={self.conflicts} not_available={self.not_available} "
            f"other_errors={self.other} (wins: {wins or 'none'})"
        )
