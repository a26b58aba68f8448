"""The one write path for exports: ask for one, build it (the task), retry it, download
it, and remove expired files.

The request only records the job and queues the task: the web worker counts no rows and
writes no file (docs/performance.md, "Exports"). The task builds the file as the person
who asked, with the filters and the day recorded in the job.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F

from legaltracker.core import clock
from legaltracker.core.downloads import Download
from legaltracker.core.errors import DomainError, GuardRefused, InvalidInput, NotFound, NotPermitted

from . import conf, registry, storage, writers
from .choices import ACTIVE_STATUSES, ExportFormat, ExportStatus
from .models import ExportJob

logger = logging.getLogger(__name__)

EXPORT_NOT_FOUND = "There is no such export of yours."
FAILED_MESSAGE = "The file could not be made. Try again; if it fails again, tell the service desk."
NO_LONGER_ALLOWED = (
    "You can no longer download this export: your role or team has changed since you "
    "asked for it. Start a new export from the page."
)
# How often the task records its progress (rows, seconds), whichever comes later.
PROGRESS_EVERY_ROWS = 200
PROGRESS_EVERY_SECONDS = 0.5


class ExportExpired(DomainError):
    status = 410


class TooManyExports(DomainError):
    status = 429


def params_key(params: Mapping[str, Any]) -> str:
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _kind(name: str) -> registry.ExportKind:
    kind = registry.get(name)
    if kind is None:
        raise InvalidInput(
            "Choose what to export from the list.",
            field_errors={"kind": [f"Choose one of: {', '.join(registry.names())}."]},
        )
    return kind


def _same_person(job: ExportJob, actor: Any) -> bool:
    """The person is still who they were when they asked (role and team)."""
    return actor.role == job.role_at_request and actor.team_id == job.team_id_at_request


def _enqueue(job_id: int) -> None:
    from django_q.tasks import async_task

    async_task(
        "legaltracker.exports.tasks.export_build",
        job_id,
        group="exports",
        task_name=f"export-{job_id}",
        timeout=conf.task_timeout(),
    )


def export_request(
    *,
    actor: Any,
    kind: str,
    file_format: str,
    params: dict[str, Any],
    today: Any,
) -> ExportJob:
    """Record an export of `kind` with the cleaned `params` as of `today`, and queue its
    task (after commit). Asking again for the same export while it is being made gives
    the job already under way."""
    spec = _kind(kind)
    if file_format not in ExportFormat.values:
        raise InvalidInput(
            "Choose the format CSV or XLSX.", field_errors={"format": ["Choose csv or xlsx."]}
        )
    if not spec.may_use(actor):
        raise NotPermitted(spec.refused_message)
    key = params_key(params)
    with transaction.atomic():
        active = ExportJob.objects.filter(requested_by=actor, status__in=ACTIVE_STATUSES)
        same = active.filter(
            kind=kind, file_format=file_format, params_key=key, today=today
        ).first()
        if same is not None:
            return same
        limit = conf.max_active_per_person()
        if active.count() >= limit:
            raise TooManyExports(
                f"You have {limit} exports being made. Wait for one to finish, then try again."
            )
        job = ExportJob.objects.create(
            kind=kind,
            file_format=file_format,
            requested_by=actor,
            requested_at=clock.now(),
            role_at_request=actor.role,
            team_id_at_request=actor.team_id,
            params=params,
            params_key=key,
            today=today,
        )
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _own_job(actor: Any, job_id: int) -> ExportJob:
    """The export `actor` asked for, while they may still use its page: NotFound for
    anyone else's (or none), NotPermitted once their role or team has changed."""
    job = ExportJob.objects.filter(pk=job_id, requested_by=actor).first()
    if job is None:
        raise NotFound(EXPORT_NOT_FOUND)
    if not _kind(job.kind).may_use(actor) or not _same_person(job, actor):
        raise NotPermitted(NO_LONGER_ALLOWED)
    return job


def export_retry(*, actor: Any, job_id: int) -> ExportJob:
    """Queue a failed (or stalled) export again, with the same filters and day."""
    job = _own_job(actor, job_id)
    retryable = job.status == ExportStatus.FAILED or is_stalled(job)
    if not retryable:
        raise GuardRefused("Only an export that failed or stopped can be tried again.")
    with transaction.atomic():
        updated = ExportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ExportStatus.QUEUED, error="", rows_done=0, heartbeat_at=None
        )
        if updated:
            transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job


def is_stalled(job: ExportJob) -> bool:
    """Running, but no progress for longer than a task may run: its worker died and the
    queue has given up on it, or will hand it to another worker later."""
    if job.status != ExportStatus.RUNNING:
        return False
    last = job.heartbeat_at or job.started_at
    return last is None or clock.now() - last > conf.stalled_after()


class _Progress:
    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = time.monotonic()

    def __call__(self, done: int) -> None:
        if done % PROGRESS_EVERY_ROWS:
            return
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        ExportJob.objects.filter(pk=self.job_id).update(rows_done=done, heartbeat_at=clock.now())


def _fail(job: ExportJob, message: str, temporary: Path | None = None) -> ExportJob:
    if temporary is not None:
        temporary.unlink(missing_ok=True)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=message[:300], finished_at=clock.now()
    )
    job.refresh_from_db()
    return job


def export_build(*, job_id: int) -> ExportJob | None:
    """Make the job's file (the task's body). Idempotent: a finished, failed or expired
    job is left as it is; a job handed over again after its worker died starts again."""
    now = clock.now()
    claimed = ExportJob.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).update(
        status=ExportStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        rows_done=0,
        error="",
    )
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    spec = registry.get(job.kind)
    user = job.requested_by
    if spec is None:
        return _fail(job, "This kind of export is no longer offered.")
    if not (user.is_active and spec.may_use(user) and _same_person(job, user)):
        return _fail(job, NO_LONGER_ALLOWED)
    extension = job.file_format
    temporary: Path | None = None
    try:
        total = spec.count(user, job.params, job.today)
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
        temporary = storage.temporary(extension)
        rows = spec.rows(user, job.params, job.today)
        progress = _Progress(job.pk)
        if job.file_format == ExportFormat.XLSX:
            written = writers.write_xlsx(
                temporary,
                spec.headers,
                rows,
                title=spec.sheet_title,
                progress=progress,
                layout=spec.layout,
            )
        else:
            written = writers.write_csv(temporary, spec.headers, rows, progress=progress)
        name = storage.new_name(job.pk, extension)
        size = temporary.stat().st_size
        digest = storage.sha256_of(temporary)
        temporary.replace(storage.path_of(name))
        temporary = None
    except Exception:
        # The cause goes to the log (ids only); the person is told plainly.
        logger.exception("Export %s could not be made", job.pk)
        return _fail(job, FAILED_MESSAGE, temporary)
    finished = clock.now()
    previous = job.file_name
    updated = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE,
        rows_done=written,
        rows_total=written,
        finished_at=finished,
        heartbeat_at=finished,
        expires_at=finished + conf.ttl(),
        file_name=name,
        file_size=size,
        file_sha256=digest,
    )
    if not updated:
        # Cancelled or expired meanwhile: keep no file nobody can reach.
        storage.remove(name)
    elif previous and previous != name:
        storage.remove(previous)
    job.refresh_from_db()
    return job


def _expire(job: ExportJob) -> None:
    storage.remove(job.file_name)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file_name="")


def export_download(*, actor: Any, job_id: int) -> Download:
    """The file of a finished export, for the person who asked for it while they may
    still use that page. The request is recorded in the access log by the audit
    middleware (the URL names the export)."""
    job = _own_job(actor, job_id)
    if job.status == ExportStatus.DONE and job.expires_at and job.expires_at <= clock.now():
        _expire(job)
        job.status = ExportStatus.EXPIRED
    if job.status == ExportStatus.EXPIRED:
        raise ExportExpired(
            "This export has expired and its file has been removed. Start a new export."
        )
    if job.status != ExportStatus.DONE:
        raise GuardRefused("This export is not ready yet.")
    path = storage.path_of(job.file_name)
    try:
        matches = storage.sha256_of(path) == job.file_sha256
    except OSError:
        matches = False
    if not matches:
        raise GuardRefused("The file of this export is missing or has changed. Start a new export.")
    ExportJob.objects.filter(pk=job.pk).update(
        downloads=F("downloads") + 1, last_downloaded_at=clock.now()
    )
    return Download(
        path,
        f"{_kind(job.kind).file_stem(job.today)}.{job.file_format}",
        writers.CONTENT_TYPES[job.file_format],
    )


def exports_cleanup(*, now: Any = None) -> int:
    """Remove the files of expired exports and of failed ones; returns how many jobs
    were expired. The job rows stay (who exported what, and when)."""
    now = now or clock.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=now):
        _expire(job)
        expired += 1
    # Half-written files of tasks killed mid-write.
    cutoff = time.time() - conf.stalled_after().total_seconds()
    for part in conf.storage_root().glob(".part-*") if conf.storage_root().exists() else []:
        if part.stat().st_mtime < cutoff:
            part.unlink(missing_ok=True)
    return expired
