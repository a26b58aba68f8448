"""An export's life: asked for, queued, built by the task with its progress recorded,
downloaded by the person who asked (and recorded in the access log), failed and tried
again, expired and removed. A made-up kind stands in for the board here; the board's own
file is tested in tests/board/test_exports.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import sys
import threading

import pytest
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.audit.models import AccessLog
from legaltracker.core import clock
from legaltracker.core.errors import NotFound, NotPermitted
from legaltracker.exports import registry, schedules, services
from legaltracker.exports.choices import ExportStatus
from legaltracker.exports.models import ExportJob

pytestmark = pytest.mark.django_db

seen_progress: list[int] = []


def _rows(user, params, day):
    for n in range(1, params["n"] + 1):
        if params.get("fail_at") == n:
            raise RuntimeError("made-up failure")
        # What the job's page would say while this row is written.
        if params.get("watch"):
            seen_progress.append(ExportJob.objects.get(pk=params["watch"]).rows_done)
        yield [n, f"=row {n}", day]


NUMBERS = registry.ExportKind(
    name="numbers",
    label="Numbers",
    headers=["Number", "Text", "Day"],
    may_use=lambda user: user.is_active and user.role != Role.ADMINISTRATOR,
    refused_message="Not for administrators.",
    parse=lambda user, data: (dict(data), {}),
    count=lambda user, params, day: params["n"],
    rows=_rows,
    file_stem=lambda day: f"numbers-{day.isoformat()}",
    back_url=lambda params: "/",
    describe=lambda params: [f"{params['n']} numbers"],
)


@pytest.fixture(autouse=True)
def numbers_kind(monkeypatch):
    monkeypatch.setitem(registry._KINDS, "numbers", NUMBERS)
    seen_progress.clear()


def ask(user, n=3, file_format="csv", capture=None, **params):
    def request():
        return services.export_request(
            actor=user,
            kind="numbers",
            file_format=file_format,
            params={"n": n, **params},
            today=dt.date(2026, 3, 4),
        )

    if capture is None:
        return request()
    with capture(execute=True):
        job = request()
    job.refresh_from_db()
    return job


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_request_queues_the_task_which_makes_the_file(
    client, staff, queue, django_capture_on_commit_callbacks, exports_storage
):
    user = staff.legal
    job = ask(user, n=3, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportStatus.DONE
    assert (job.rows_total, job.rows_done, job.attempts) == (3, 3, 1)
    assert job.expires_at == job.finished_at + dt.timedelta(hours=24)
    path = exports_storage / job.file_name
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert user.username not in job.file_name and "numbers" not in job.file_name

    page = signed_in(client, user).get(reverse("exports:job", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Your file is ready" in html
    assert reverse("exports:download", args=[job.pk]) in html
    assert "data-refresh-seconds" not in html

    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="numbers-2026-03-04.csv"'
    assert "no-store" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["Number", "Text", "Day"],
        ["1", "'=row 1", "2026-03-04"],
        ["2", "'=row 2", "2026-03-04"],
        ["3", "'=row 3", "2026-03-04"],
    ]
    job.refresh_from_db()
    assert job.downloads == 1 and job.last_downloaded_at is not None


def test_a_download_is_recorded_in_the_access_log(
    client, staff, queue, django_capture_on_commit_callbacks
):
    user = staff.court_liaison_officer
    job = ask(user, capture=django_capture_on_commit_callbacks)
    AccessLog.objects.all()  # nothing yet from the request made without a client
    response = signed_in(client, user).get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200
    row = AccessLog.objects.get(action="exports:download GET")
    assert (row.actor_id, row.object_type, row.object_id, row.status) == (
        user.pk,
        "export",
        job.pk,
        200,
    )


def test_the_task_records_its_progress_as_it_writes(
    staff, queue, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "PROGRESS_EVERY_ROWS", 2)
    monkeypatch.setattr(services, "PROGRESS_EVERY_SECONDS", 0)
    user = staff.legal
    job = ask(user, n=1)  # queued only: no callbacks run
    ExportJob.objects.filter(pk=job.pk).update(params={"n": 7, "watch": job.pk})
    services.export_build(job_id=job.pk)
    # Row n is asked for once row n-1 is written; every second count is saved.
    assert seen_progress == [0, 0, 2, 2, 4, 4, 6]
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.DONE, 7, 7)


def test_the_page_shows_rows_done_of_total_and_checks_again_without_inline_script(client, staff):
    user = staff.legal
    job = ask(user, n=10)
    page = signed_in(client, user).get(reverse("exports:job", args=[job.pk]))
    html = page.content.decode()
    assert "Waiting for a free worker" in html and 'data-refresh-seconds="2"' in html
    now = clock.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, rows_total=10, rows_done=4, started_at=now, heartbeat_at=now
    )
    html = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "<strong>4</strong> of <strong>10</strong> rows written (40%)" in html
    assert 'data-refresh-seconds="2"' in html
    assert 'src="/static/js/export-progress.js"' in html
    assert "<script>" not in html and '<script type="module">' not in html


def test_a_failed_export_says_so_and_can_be_tried_again(
    client, staff, queue, django_capture_on_commit_callbacks
):
    user = staff.legal
    job = ask(user, n=5, fail_at=3, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportStatus.FAILED and job.error == services.FAILED_MESSAGE
    assert not list(services.storage.root().iterdir()), "no half-written file is left"
    page = signed_in(client, user).get(reverse("exports:job", args=[job.pk]))
    html = page.content.decode()
    assert "The export failed" in html and services.FAILED_MESSAGE in html
    assert reverse("exports:retry", args=[job.pk]) in html
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 400

    ExportJob.objects.filter(pk=job.pk).update(params={"n": 5})  # the cause is fixed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:retry", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.attempts, job.error) == (ExportStatus.DONE, 5, 2, "")


def test_only_a_failed_or_stopped_export_can_be_tried_again(client, staff):
    user = staff.legal
    job = ask(user)
    response = signed_in(client, user).post(reverse("exports:retry", args=[job.pk]))
    assert response.status_code == 400
    assert "Only an export that failed or stopped" in response.content.decode()
    # Running, but silent for longer than a task may run: its worker died.
    long_ago = clock.now() - dt.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    html = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "The export stopped" in html and "data-refresh-seconds" not in html
    assert client.post(reverse("exports:retry", args=[job.pk])).status_code == 302
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.QUEUED


def test_a_finished_job_is_not_built_again(staff, queue, django_capture_on_commit_callbacks):
    job = ask(staff.legal, capture=django_capture_on_commit_callbacks)
    again = services.export_build(job_id=job.pk)
    assert again.attempts == 1 and again.file_name == job.file_name
    assert services.export_build(job_id=10**9) is None


def test_asking_twice_gives_the_same_job_and_there_is_a_limit(staff, settings):
    user = staff.legal
    first = ask(user, n=3)
    assert ask(user, n=3).pk == first.pk
    assert ask(user, n=3, file_format="xlsx").pk != first.pk
    ask(user, n=4)
    with pytest.raises(services.TooManyExports) as refused:
        ask(user, n=5)
    assert refused.value.status == 429
    assert "3 exports being made" in refused.value.message
    # Someone else is not held up by this person's exports.
    assert ask(staff.court_liaison_officer, n=5).status == ExportStatus.QUEUED


def test_bad_kind_and_format_are_input_errors(staff):
    with pytest.raises(services.InvalidInput):
        services.export_request(
            actor=staff.legal, kind="nope", file_format="csv", params={}, today=dt.date.today()
        )
    with pytest.raises(services.InvalidInput):
        ask(staff.legal, file_format="pdf")
    with pytest.raises(NotPermitted):
        ask(staff.administrator)


def test_only_the_person_who_asked_sees_or_downloads_it(
    client, staff, other_staff, queue, django_capture_on_commit_callbacks
):
    job = ask(staff.legal, capture=django_capture_on_commit_callbacks)
    for other in (staff.court_liaison_officer, other_staff.team_manager, staff.head_of_service):
        signed_in(client, other)
        for name in ("exports:job", "exports:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
        assert client.post(reverse("exports:retry", args=[job.pk])).status_code == 404
        with pytest.raises(NotFound):
            services.export_download(actor=other, job_id=job.pk)
    client.logout()
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign_in"))


def test_a_changed_role_or_team_can_no_longer_download(
    client, staff, other_staff, queue, django_capture_on_commit_callbacks
):
    manager = staff.team_manager
    job = ask(manager, capture=django_capture_on_commit_callbacks)
    manager.team = other_staff.team
    manager.save()
    response = signed_in(client, manager).get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 403
    assert "your role or team has changed" in response.content.decode()


def test_an_expired_file_is_removed_on_access(
    client, staff, queue, django_capture_on_commit_callbacks, exports_storage
):
    user = staff.legal
    job = ask(user, capture=django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=clock.now() - dt.timedelta(seconds=1))
    response = signed_in(client, user).get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and job.file_name == ""
    assert not any(exports_storage.iterdir())


def test_the_cleanup_removes_expired_files_and_keeps_the_record(
    staff, queue, django_capture_on_commit_callbacks, exports_storage
):
    old = ask(staff.legal, n=1, capture=django_capture_on_commit_callbacks)
    fresh = ask(staff.legal, n=2, capture=django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=old.pk).update(expires_at=clock.now() - dt.timedelta(hours=1))
    assert services.exports_cleanup() == 1
    assert ExportJob.objects.get(pk=old.pk).status == ExportStatus.EXPIRED
    assert [p.name for p in exports_storage.iterdir()] == [fresh.file_name]
    assert services.exports_cleanup(now=fresh.expires_at) == 1
    assert not any(exports_storage.iterdir())
    assert ExportJob.objects.count() == 2


def test_a_tampered_file_is_not_served(
    client, staff, queue, django_capture_on_commit_callbacks, exports_storage
):
    job = ask(staff.legal, capture=django_capture_on_commit_callbacks)
    (exports_storage / job.file_name).write_bytes(b"changed")
    response = signed_in(client, staff.legal).get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 400
    assert "missing or has changed" in response.content.decode()


def test_the_cleanup_schedule_is_declared_once():
    from django_q.models import Schedule

    assert schedules.sync_schedule() == "created"
    assert schedules.sync_schedule() == "unchanged"
    row = Schedule.objects.get(name=schedules.CLEANUP)
    assert (row.func, row.schedule_type) == (schedules.FUNC, Schedule.HOURLY)


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own priority is Linux's")
def test_the_build_thread_runs_at_a_lower_priority_and_the_worker_keeps_its_own():
    from legaltracker.exports import tasks

    seen: list[int] = []

    def build():
        tasks._lower_this_threads_priority(5)
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=build)
    thread.start()
    thread.join()
    assert seen == [min(19, before + 5)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before
