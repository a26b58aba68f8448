"""The write path of the alerts app.

- `alerts_scan`: the daily decision. In ONE transaction, one scan at a time (on
  PostgreSQL a transaction-level advisory lock; SQLite has one writer anyway), it reads
  the deadlines that can need an alert and writes their ledger rows in one `INSERT ...
  SELECT`, leaving out every key (deadline, level, recipient) the ledger already holds,
  so a re-run or a second worker writes nothing twice (and the unique key refuses a
  second row if anything ever tried); then one digest delivery per person for the rows
  it inserted (and an immediate one per newly overdue item for people who asked); only
  after commit does it hand the delivery ids to django-q2.
- `delivery_send`: one attempt at one delivery. It claims the row (select_for_update
  skip_locked, status and due time checked in the same statement) and commits the claim
  before talking to the mail server, so two workers never send the same delivery. A
  ledger row belongs to one digest from the moment it is written (its run's digest for
  its person, unique per run and person), so no ledger key is ever in two digests.
  Success marks the delivery and its ledger rows sent in one transaction; failure
  records the error and the next attempt (exponential backoff).
- `deliveries_send_due`: the sweep that retries failures and finishes claims left by a
  worker that died.
- The person-facing services: mark read, dismiss or retry a failed delivery, alert
  settings, the calendar feed token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from legaltracker.accounts.models import Role
from legaltracker.audit import recording
from legaltracker.audit.models import AccessOutcome, CaseRestriction, CaseRestrictionAccess
from legaltracker.calendars.services import get_calendar
from legaltracker.cases.choices import OPEN_STAGES
from legaltracker.cases.models import Case
from legaltracker.core import clock
from legaltracker.core.errors import InvalidInput, NotFound
from legaltracker.deadlines.models import Deadline, TimescalePolicy

from . import channels, conf, court_digest, messages, schedules, selectors
from .choices import AlertMode, DeliveryKind, DeliveryStatus, Level
from .levels import (
    ADDED_LEVELS,
    EXCLUSIVE_LEVELS,
    RECIPIENTS,
    Audience,
    DueRange,
    Recipients,
    Window,
    changed_since,
    level_ranges,
    window_for,
)
from .models import Alert, AlertPreference, AlertRun, CalendarFeed, Delivery

logger = logging.getLogger(__name__)

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"
# A delivery whose every alert is about a case its recipient may no longer see: closed
# without an email (docs/alerts.md, "Retries and restricted cases").
WITHHELD = "withheld"
WITHHELD_NOTE = (
    "Not sent: the recipient may no longer see the cases it was about. "
    "Its alerts are not shown to them either."
)
# A court digest with nothing left to list when it is sent (the hearings vacated, the
# directions filed, or the cases restricted since): closed without an email.
COURT_DIGEST_WITHHELD_NOTE = (
    "Not sent: nothing it would list is still due, or the recipient may no longer see it."
)
# A deadline row changed by a transaction that began before the previous run read the
# table, but committed after, carries an `updated_at` earlier than that run's start. An
# hour is far longer than any transaction here.
SINCE_MARGIN = dt.timedelta(hours=1)
INSERT_BATCH = 1000


@dataclass
class ScanResult:
    day: dt.date
    skipped: str = ""
    run_id: int | None = None
    new_alerts: int = 0
    delivery_ids: list[int] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        if self.skipped:
            return f"{self.day}: {self.skipped}"
        return f"{self.day}: {self.new_alerts} new alerts, {len(self.delivery_ids)} deliveries"


# --- the scan ---------------------------------------------------------------------------

# The rules of `levels` (its level ranges and its RECIPIENTS table, from which the
# `levelled` and `told` parts below are generated), applied by the database in one
# statement: read the outstanding deadlines due by the end of the due-soon window
# through the partial index, joined to their case (open cases only: outstanding
# deadlines are on open cases anyway, and saying so keeps the planner from reading the
# closed ones when it builds a hash of cases), give each its levels, join the
# people to tell (on a restricted case, only those named on it: legaltracker.audit;
# a person two rules reach is told once, for the first rule's reason), and insert the
# rows whose key (deadline, level, person) the ledger does not hold yet.
#
# The keys already held are read once, as a set (`known`: the ledger rows of the
# candidate deadlines, through the unique index), and the insert is a plain one: `ON
# CONFLICT DO NOTHING` would probe the unique index again for every row before writing
# it, which measured a third of writing the day's rows (docs/performance.md, "Alerts").
# That is safe because scans take turns (`_take_turn`); the unique key stays, so a
# writer that did not would fail rather than alert twice. Rows are written in key order,
# which keeps the unique index's inserts close together. Returns the rows inserted.
# Portable: PostgreSQL and SQLite 3.35+ (RETURNING).
_INSERT_ALERTS = """
WITH candidate AS (
    SELECT d.id AS deadline_id, d.case_id AS case_id, d.milestone AS milestone, d.due AS due,
           c.team_id AS team_id, c.social_worker_id AS social_worker_id,
           d.owner_id AS owner_id, c.allocated_lawyer_id AS lawyer_id
    FROM {deadline} d
    JOIN {case} c ON c.id = d.case_id
    WHERE d.applies = %s AND d.met_on IS NULL AND d.due <= %s {changed}
      AND c.stage IN ({open_stages})
),
levelled AS (
{levelled}
),
told AS (
{told}
),
allowed AS (
    SELECT deadline_id, case_id, level, recipient_id, reason, due
    FROM told
    WHERE NOT EXISTS (
        SELECT 1 FROM {restriction} r
        WHERE r.case_id = told.case_id
          AND NOT EXISTS (
              SELECT 1 FROM {restriction_access} a
              WHERE a.restriction_id = r.id AND a.user_id = told.recipient_id
          )
    )
),
known AS (
    SELECT k.deadline_id, k.level, k.recipient_id FROM {alert} k
    WHERE k.deadline_id IN (SELECT deadline_id FROM candidate)
)
INSERT INTO {alert} (deadline_id, case_id, level, recipient_id, reason, due, run_id, created_at)
SELECT n.deadline_id, n.case_id, n.level, n.recipient_id, n.reason, n.due, %s, %s
FROM allowed n
LEFT JOIN known k
  ON k.deadline_id = n.deadline_id AND k.level = n.level AND k.recipient_id = n.recipient_id
WHERE k.deadline_id IS NULL
ORDER BY n.deadline_id, n.level, n.recipient_id
RETURNING id, recipient_id, level, due
"""

# Any fixed number: the key of the advisory lock that makes scans take turns.
_SCAN_LOCK = 7_240_311_905


def _take_turn() -> None:
    """Wait until no other scan's transaction is open (PostgreSQL: a transaction-level
    advisory lock, let go at commit or rollback). The statements after it see what that
    scan wrote, so a second scan of the day finds every key already held and writes
    nothing. SQLite lets one transaction write at a time already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCAN_LOCK])


_CANDIDATE_COLUMNS = (
    "deadline_id, case_id, milestone, due, team_id, social_worker_id, owner_id, lawyer_id"
)


def _placeholders(values: Iterable[Any]) -> str:
    return ", ".join("%s" for _ in values)


def _due_in(due_range: DueRange) -> tuple[str, list[Any]]:
    day = connection.ops.adapt_datefield_value
    if due_range.earliest is None:
        return "due <= %s", [day(due_range.latest)]
    return "due >= %s AND due <= %s", [day(due_range.earliest), day(due_range.latest)]


def _levelled_sql(window: Window) -> tuple[str, list[Any]]:
    """`levels.level_ranges` as SQL: one row per candidate for its exclusive level, and
    one more for each added level it has."""
    ranges = {r.level: r for r in level_ranges(window)}
    whens, params = [], []
    for level in EXCLUSIVE_LEVELS:
        condition, condition_params = _due_in(ranges[level])
        whens.append(f"WHEN {condition} THEN %s")
        params += [*condition_params, level]
    sql = [
        f"    SELECT {_CANDIDATE_COLUMNS},\n"  # noqa: S608 - placeholders only
        f"           CASE {' '.join(whens)} END AS level\n"
        "    FROM candidate"
    ]
    for level in ADDED_LEVELS:
        condition, condition_params = _due_in(ranges[level])
        sql.append(f"    SELECT {_CANDIDATE_COLUMNS}, %s FROM candidate WHERE {condition}")  # noqa: S608
        params += [level, *condition_params]
    return "\n    UNION ALL\n".join(sql), params


def _rule_sql(rule: Recipients, user_table: str) -> tuple[str, list[Any]]:
    """Whether person `u` is in the rule's group for levelled deadline `l` (activity
    aside), as an SQL condition."""
    params: list[Any]
    if rule.audience is Audience.CASE_SOCIAL_WORKER:
        parts, params = ["u.id = l.social_worker_id"], []
    elif rule.audience is Audience.DEADLINE_OWNER:
        parts, params = ["u.id = l.owner_id"], []
    elif rule.audience is Audience.CASE_LAWYER:
        parts, params = ["u.id = l.lawyer_id"], []
    elif rule.audience is Audience.CASE_TEAM:
        parts, params = ["u.team_id = l.team_id", "u.role = %s"], [rule.role]
    elif rule.audience is Audience.EVERYONE_IF_NO_LAWYER:
        # No lawyer, or one who has left (levels.recipients_for): the case has no one.
        parts = [
            "u.role = %s",
            f"NOT EXISTS (SELECT 1 FROM {user_table} w"  # noqa: S608 - the model's table
            " WHERE w.id = l.lawyer_id AND w.is_active = %s)",
        ]
        params = [rule.role, True]
    else:
        parts, params = ["u.role = %s"], [rule.role]
    levels = sorted(rule.levels)
    parts.append(f"l.level IN ({_placeholders(levels)})")
    params += levels
    if rule.milestones is not None:
        milestones = sorted(rule.milestones)
        parts.append(f"l.milestone IN ({_placeholders(milestones)})")
        params += milestones
    return " AND ".join(parts), params


def _told_sql(user_table: str) -> tuple[str, list[Any]]:
    """`levels.RECIPIENTS` as SQL: one branch per row, in the table's order, each
    leaving out the people an earlier row already tells (a person is told once, for the
    first reason), so that every (deadline, level, person) comes out once."""
    branches, params = [], []
    earlier: list[tuple[str, list[Any]]] = []
    for rule in RECIPIENTS:
        condition, condition_params = _rule_sql(rule, user_table)
        where = [condition, "u.is_active = %s"]
        where_params: list[Any] = [*condition_params, True]
        for before, before_params in earlier:
            # NULL (a person with no team, say) is "not reached", not "unknown".
            where.append(f"NOT COALESCE(({before}), %s)")
            where_params += [*before_params, False]
        branches.append(
            "    SELECT l.deadline_id, l.case_id, l.level, u.id AS recipient_id, %s AS reason,"  # noqa: S608
            " l.due\n"
            f"    FROM levelled l JOIN {user_table} u ON {' AND '.join(where)}"
        )
        params += [rule.reason, *where_params]
        earlier.append((condition, condition_params))
    return "\n    UNION ALL\n".join(branches), params


def _window(run: AlertRun) -> Window:
    return Window(run.run_date, run.due_soon_until, run.escalate_on_or_before)


def _enqueue(delivery_ids: Iterable[int]) -> None:
    from django_q.tasks import async_task

    for delivery_id in delivery_ids:
        async_task("legaltracker.alerts.tasks.deliver", delivery_id, q_options={"group": "alerts"})


def alerts_scan(*, today: dt.date, dispatch: bool = True, dry_run: bool = False) -> ScanResult:
    """Decide and record today's alerts; deliveries go to the workers after commit.

    `dispatch=False` leaves the deliveries for the caller (the management command sends
    them itself); `dry_run=True` decides everything and then rolls it back.
    """
    calendar = get_calendar()
    result = ScanResult(day=today, dry_run=dry_run)
    if not calendar.is_working_day(today):
        result.skipped = "not a working day: no alerts"
        return result
    with transaction.atomic():
        _take_turn()
        _scan(today, calendar, result)
        if dry_run:
            transaction.set_rollback(True)
        elif dispatch and result.delivery_ids:
            ids = list(result.delivery_ids)
            transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return result


def _insert_alerts(
    run: AlertRun,
    window: Window,
    *,
    since: dt.datetime | None,
    due_ranges: Iterable[tuple[dt.date, dt.date]],
) -> list[tuple[int, int, str, dt.date]]:
    """Write the run's ledger rows; returns the rows inserted (id, recipient id, level,
    due date): those a key already held are not returned."""
    ops = connection.ops
    day = ops.adapt_datefield_value
    changed, changed_params = "", []
    if since is not None:
        # Only deadlines whose levels can have moved since the previous run (their due
        # date lies in a range a boundary swept), or that changed since it.
        parts = ["d.updated_at >= %s"]
        changed_params.append(ops.adapt_datetimefield_value(since))
        for low, high in due_ranges:
            parts.append("(d.due >= %s AND d.due <= %s)")
            changed_params += [day(low), day(high)]
        changed = f"AND ({' OR '.join(parts)})"
    user_table = get_user_model()._meta.db_table
    levelled, levelled_params = _levelled_sql(window)
    told, told_params = _told_sql(user_table)
    sql = _INSERT_ALERTS.format(
        deadline=Deadline._meta.db_table,
        case=Case._meta.db_table,
        alert=Alert._meta.db_table,
        restriction=CaseRestriction._meta.db_table,
        restriction_access=CaseRestrictionAccess._meta.db_table,
        changed=changed,
        open_stages=_placeholders(OPEN_STAGES),
        levelled=levelled,
        told=told,
    )
    params = [
        True, day(window.due_soon_until), *changed_params, *OPEN_STAGES,
        *levelled_params,
        *told_params,
        run.pk, ops.adapt_datetimefield_value(run.started_at),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner's row estimates for the partial index are far above what it
            # returns, which switches JIT compilation on: measured at 120-380 ms of a
            # statement that runs in 600 ms. Off for this transaction only.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":  # which returns dates as text
        rows = [(i, r, lv, dt.date.fromisoformat(str(d))) for i, r, lv, d in rows]
    return rows


def _insert_digests(run: AlertRun, recipients: list[int]) -> list[int]:
    """One pending digest per person (a thousand a day is normal at scale), written in
    one statement; returns their ids."""
    if not recipients:
        return []
    ops = connection.ops
    when = ops.adapt_datetimefield_value(run.started_at)
    table = Delivery._meta.db_table
    columns = (
        "kind, recipient_id, run_id, reference, status, channel, attempts, "
        "next_attempt_at, last_error, created_at"
    )
    common: list[str | int | None] = [
        DeliveryKind.DIGEST,
        run.pk,
        DeliveryStatus.PENDING,
        "",
        when,
        "",
        when,
    ]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The people as one array and the references made by the server: building a
            # statement with ten parameters per person costs more than writing the rows.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names from the model
                "SELECT %s, person, %s, gen_random_uuid(), %s, %s, 0, %s, %s, %s "
                "FROM UNNEST(%s::bigint[]) AS person RETURNING id",
                [*common, recipients],
            )
            return sorted(row[0] for row in cursor.fetchall())
        reference = Delivery._meta.get_field("reference")
        kind, run_id, status, channel, next_at, error, created = common
        for start in range(0, len(recipients), INSERT_BATCH):
            batch = recipients[start : start + INSERT_BATCH]
            params: list[Any] = []
            for user_id in batch:
                params += [
                    kind, user_id, run_id, reference.get_db_prep_value(uuid.uuid4(), connection),
                    status, channel, 0, next_at, error, created,
                ]  # fmt: skip
            rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
            sql = f"INSERT INTO {table} ({columns}) VALUES {rows} RETURNING id"  # noqa: S608
            cursor.execute(sql, params)
            ids += sorted(row[0] for row in cursor.fetchall())
    return ids


def _insert_court_digests(run: AlertRun, span: court_digest.Span) -> list[int]:
    """One court digest for each person with something in the span who has none for the
    day yet (a second run of the day writes none; the unique key refuses a second one
    whatever wrote it). Their content is read when they are sent."""
    people = court_digest.people_with_news(span)
    done = court_digest.existing_digests(span.day, people)
    made = Delivery.objects.bulk_create(
        [
            Delivery(
                kind=DeliveryKind.COURT_DIGEST,
                recipient_id=person,
                run=run,
                day=span.day,
                created_at=run.started_at,
                next_attempt_at=run.started_at,
            )
            for person in people
            if person not in done
        ]
    )
    return [delivery.pk for delivery in made]


def _scan(today: dt.date, calendar: Any, result: ScanResult) -> None:
    policy = TimescalePolicy.current()
    window = window_for(
        today,
        due_soon_working_days=policy.due_soon_working_days,
        escalation_working_days=policy.escalation_working_days,
        calendar=calendar,
    )
    started = clock.now()
    previous = selectors.previous_run(today)
    if previous is not None:
        since = previous.started_at - SINCE_MARGIN
        ranges = changed_since(_window(previous), window)
        before = _window(previous)
    else:
        since, ranges = None, ()
        before = window_for(
            calendar.add_working_days(today, -1),
            due_soon_working_days=policy.due_soon_working_days,
            escalation_working_days=policy.escalation_working_days,
            calendar=calendar,
        )
    run = AlertRun.objects.create(
        run_date=today,
        due_soon_until=window.due_soon_until,
        escalate_on_or_before=window.escalate_on_or_before,
        since=since,
        started_at=started,
    )
    inserted = _insert_alerts(run, window, since=since, due_ranges=ranges)

    digest_ids = _insert_digests(run, sorted({recipient for _, recipient, _, _ in inserted}))
    immediate_ids = []
    immediate_people = selectors.immediate_alert_people()
    # An item that became overdue (or escalated) since the previous run: older news
    # goes in the digest only.
    newly = [
        (due, alert_id, recipient)
        for alert_id, recipient, level, due in inserted
        if recipient in immediate_people
        and (
            (level == Level.OVERDUE and due >= before.today)
            or (level == Level.ESCALATED and due > before.escalate_on_or_before)
        )
    ]
    for _, alert_id, recipient in sorted(newly):
        delivery = Delivery.objects.create(
            kind=DeliveryKind.IMMEDIATE,
            recipient_id=recipient,
            run=run,
            created_at=started,
            next_attempt_at=started,
        )
        Alert.objects.filter(pk=alert_id).update(immediate_delivery=delivery)
        immediate_ids.append(delivery.pk)
    court_ids = _insert_court_digests(run, court_digest.span_for(today, calendar))
    result.run_id = run.pk
    result.new_alerts = len(inserted)
    # Immediate alerts first: they exist to arrive before anything else.
    result.delivery_ids = immediate_ids + digest_ids + court_ids
    AlertRun.objects.filter(pk=run.pk).update(
        new_alerts=result.new_alerts, deliveries_made=len(result.delivery_ids)
    )


# --- delivery ---------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure: base, 2 x base, 4 x base ... up to the cap."""
    base = float(conf.get("ALERTS_RETRY_BASE_SECONDS"))
    cap = float(conf.get("ALERTS_RETRY_MAX_SECONDS"))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def delivery_send(*, delivery_id: int, channel: channels.AlertChannel | None = None) -> str:
    """One attempt at one delivery: SENT, FAILED, or SKIPPED (not due, already done, or
    in another worker's hands)."""
    now = clock.now()
    token = uuid.uuid4()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "run")
            .filter(pk=delivery_id, status__in=selectors.UNFINISHED, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return SKIPPED
        channel = channel or channels.current()
        resend = delivery.attempts > 0
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        # The claim lasts as long as a task may run: django-q2 kills a task at its
        # timeout, so a claim older than that belongs to a worker that is gone.
        delivery.next_attempt_at = now + dt.timedelta(seconds=conf.q_timeout())
        delivery.claim_token = token
        delivery.channel = channel.name
        delivery.save(
            update_fields=["status", "attempts", "next_attempt_at", "claim_token", "channel"]
        )
    try:
        # Read again at every attempt: what the person may see now, not at the scan.
        if delivery.kind == DeliveryKind.COURT_DIGEST:
            alerts: list[Alert] = []
            content = court_digest.content_for(
                delivery.recipient,
                court_digest.span_for(delivery.day or delivery.created_at.date(), get_calendar()),
            )
            if not content:
                _record_withheld(delivery, token, note=COURT_DIGEST_WITHHELD_NOTE)
                return WITHHELD
            message = messages.build_court_digest(delivery, content)
        else:
            alerts = selectors.delivery_alerts(delivery)
            if not alerts and selectors.delivery_rows(delivery).exists():
                _record_withheld(delivery, token)
                return WITHHELD
            message = messages.build(delivery, alerts)
        channel.send(message, resend=resend)
    except channels.PermanentFailure as exc:
        _record_failure(delivery, token, exc, permanent=True)
        return FAILED
    except Exception as exc:  # any other error may pass: record it and retry later
        _record_failure(delivery, token, exc, permanent=False)
        return FAILED
    _record_sent(delivery, token, [alert.pk for alert in alerts])
    return SENT


def _record_failure(
    delivery: Delivery, token: uuid.UUID, exc: Exception, *, permanent: bool
) -> None:
    gave_up = permanent or delivery.attempts >= int(conf.get("ALERTS_MAX_ATTEMPTS"))
    next_at = None if gave_up else clock.now() + backoff(delivery.attempts)
    error = f"{type(exc).__name__}: {exc}"[:1000]
    Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(
        status=DeliveryStatus.FAILED, next_attempt_at=next_at, claim_token=None, last_error=error
    )
    # Ids and the error's type only: the message can hold an email address.
    logger.warning(
        "alert delivery %s failed on attempt %s (%s)%s",
        delivery.pk,
        delivery.attempts,
        type(exc).__name__,
        "; no further automatic attempts" if gave_up else "",
    )


def _record_withheld(delivery: Delivery, token: uuid.UUID, note: str = WITHHELD_NOTE) -> None:
    """Close a delivery that has nothing left its recipient may see: no email, no further
    attempts, and its ledger rows stay unemailed (they were not)."""
    Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(
        status=DeliveryStatus.DISMISSED,
        dismissed_at=clock.now(),
        next_attempt_at=None,
        claim_token=None,
        last_error=note,
    )
    logger.info(
        "alert delivery %s withheld: nothing in it is visible to its recipient", delivery.pk
    )


def _record_sent(delivery: Delivery, token: uuid.UUID, alert_ids: list[int]) -> None:
    now = clock.now()
    with transaction.atomic():
        claimed = Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(
            status=DeliveryStatus.SENT,
            sent_at=now,
            next_attempt_at=None,
            claim_token=None,
            last_error="",
        )
        # Only the rows the email carried: one about a case left out stays unemailed.
        selectors.delivery_rows(delivery).filter(pk__in=alert_ids, emailed_at__isnull=True).update(
            emailed_at=now
        )
    if not claimed:
        logger.warning("alert delivery %s was sent after its claim had expired", delivery.pk)
    else:
        logger.info("alert delivery %s sent on attempt %s", delivery.pk, delivery.attempts)


def deliveries_send_due(*, budget_seconds: float, wait_seconds: float = 0) -> dict[int, str]:
    """Attempt every delivery that is due, for at most `budget_seconds`; then, if the
    next one falls due within `wait_seconds`, wait for it and go on. Returns the last
    outcome for each delivery attempted."""
    stop = time.monotonic() + budget_seconds
    outcomes: dict[int, str] = {}
    while time.monotonic() < stop:
        for delivery_id in selectors.deliveries_due(clock.now()):
            if time.monotonic() >= stop:
                return outcomes
            outcome = delivery_send(delivery_id=delivery_id)
            if outcome != SKIPPED or delivery_id not in outcomes:
                outcomes[delivery_id] = outcome
        upcoming = selectors.next_delivery_due()
        if upcoming is None:
            break
        wait = (upcoming - clock.now()).total_seconds()
        if wait > wait_seconds or time.monotonic() + wait >= stop:
            break
        # At least a moment: a delivery that is due but held by another worker's claim
        # transaction is skipped, and must not turn this loop into a busy one.
        time.sleep(max(wait, 0) + 0.05)
    return outcomes


def delivery_wait_and_send(*, delivery_id: int, wait_seconds: float) -> str:
    """Retry one failed delivery when its backoff ends, if that is within
    `wait_seconds`; otherwise leave it to the sweep."""
    next_at = (
        Delivery.objects.filter(pk=delivery_id, status__in=selectors.UNFINISHED)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if next_at is None:
        return SKIPPED
    wait = (next_at - clock.now()).total_seconds()
    if wait > wait_seconds:
        return SKIPPED
    if wait > 0:
        time.sleep(wait + 0.05)
    return delivery_send(delivery_id=delivery_id)


def daily_run_missing(*, now: dt.datetime) -> dt.date | None:
    """Today's date if the daily schedule is declared, today is a working day, its time
    has passed and no run has been recorded for it (the daily task was lost: the Redis
    broker does not redeliver a task whose worker died); otherwise None."""
    if not schedules.exists(schedules.DAILY):
        return None
    local = timezone.localtime(now)
    today = local.date()
    if local.time() < conf.daily_time():
        return None
    if not get_calendar().is_working_day(today):
        return None
    if AlertRun.objects.filter(run_date=today).exists():
        return None
    return today


# --- what a person does -----------------------------------------------------------------


def alerts_mark_read(*, actor: Any) -> int:
    """Mark every alert the actor has so far as read; returns how many were unread."""
    now = clock.now()
    unread = selectors.unread_alerts(actor).filter(created_at__lte=now).count()
    AlertPreference.objects.update_or_create(user=actor, defaults={"read_up_to": now})
    return unread


def _own_failed_delivery(actor: Any, delivery_id: int) -> Delivery:
    delivery = (
        Delivery.objects.select_for_update()
        .filter(pk=delivery_id, status=DeliveryStatus.FAILED)
        .first()
    )
    if delivery is None or not (
        delivery.recipient_id == actor.pk or actor.has_role(Role.ADMINISTRATOR)
    ):
        raise NotFound("There is no failed alert email with that id for you.")
    return delivery


def delivery_dismiss(*, actor: Any, delivery_id: int) -> Delivery:
    """Stop trying to send a failed delivery; its alerts stay in the in-app list."""
    with transaction.atomic():
        delivery = _own_failed_delivery(actor, delivery_id)
        delivery.status = DeliveryStatus.DISMISSED
        delivery.next_attempt_at = None
        delivery.dismissed_at = clock.now()
        delivery.dismissed_by = actor
        delivery.save(update_fields=["status", "next_attempt_at", "dismissed_at", "dismissed_by"])
    return delivery


def delivery_retry(*, actor: Any, delivery_id: int) -> Delivery:
    """Try a failed delivery again now (after commit, on a worker)."""
    with transaction.atomic():
        delivery = _own_failed_delivery(actor, delivery_id)
        delivery.next_attempt_at = clock.now()
        delivery.save(update_fields=["next_attempt_at"])
        transaction.on_commit(lambda: _enqueue([delivery.pk]), robust=True)
    return delivery


def alert_preference_set(*, actor: Any, mode: str) -> AlertPreference:
    if mode not in AlertMode.values:
        raise InvalidInput(
            "Choose how you want to get alerts.", field_errors={"mode": ["Choose an option."]}
        )
    preference, _ = AlertPreference.objects.update_or_create(user=actor, defaults={"mode": mode})
    return preference


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def calendar_feed_enable(*, actor: Any) -> str:
    """Turn on the actor's calendar feed, or replace its secret. Returns the new token:
    shown once; only its hash is stored, and the old URL stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=actor,
        defaults={
            "token_hash": hash_token(token),
            "created_at": clock.now(),
            "last_read_at": None,
        },
    )
    return token


def calendar_feed_rotate(*, actor: Any) -> str:
    """Replace the secret of the actor's feed (one that works, or one that expired): the
    old address stops working at once. Returns the new token, shown once."""
    with transaction.atomic():
        if not CalendarFeed.objects.select_for_update().filter(user=actor).exists():
            raise NotFound(
                "You have no calendar feed to replace. Turn your calendar feed on instead."
            )
        return calendar_feed_enable(actor=actor)


@dataclass(frozen=True)
class FeedRead:
    owner: Any
    items: list[selectors.CalendarItem]


FEED_READ_ACTION = "alerts:calendar_feed"


def calendar_feed_read(*, token: str, method: str, request_id: uuid.UUID) -> FeedRead | None:
    """One read of a calendar feed by its secret address; None when the address does not
    work (unknown, replaced, turned off, expired, or its owner deactivated).

    The read is the owner's, whoever fetched it (a calendar app has no session): one
    access log row by the owner with the feed's id and the ids of the cases it listed,
    written in the same transaction that moves the feed's last read on. Nothing of the
    address is stored. If the row cannot be written this raises and nothing is shown
    (fail closed, as for every audited read: docs/retention.md)."""
    now = clock.now()
    with transaction.atomic():
        feed = selectors.live_feed(hash_token(token), now=now)
        if feed is None:
            return None
        items = selectors.calendar_items(feed.user, today=clock.today())
        recording.access_record(
            actor=feed.user,
            action=f"{FEED_READ_ACTION} {recording.method_word(method)}",
            status=200,
            outcome=AccessOutcome.ALLOWED,
            request_id=request_id,
            object_type="calendar_feed",
            object_id=feed.pk,
            details={"cases": [item.case_id for item in items]},
            at=now,
        )
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    return FeedRead(owner=feed.user, items=items)


def calendar_feed_revoke(*, actor: Any) -> bool:
    deleted, _ = CalendarFeed.objects.filter(user=actor).delete()
    return bool(deleted)
