"""Running exports in tests: the queue in django-q2's sync mode (the task runs inside
`async_task`, in this process, against the test database), with the callbacks that
queue it run at the end of the request as they would at commit."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.urls import Resolver404, resolve, reverse

from legaltracker.exports.models import ExportJob


@contextlib.contextmanager
def sync_queue(settings) -> Iterator[None]:
    from django_q.conf import Conf

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    previous, Conf.SYNC = Conf.SYNC, True
    try:
        yield
    finally:
        Conf.SYNC = previous


def start(client, url: str, capture) -> tuple[object, ExportJob | None]:
    """GET a link; (response, the export job it redirected to, if it started one)."""
    with capture(execute=True):
        response = client.get(url)
    if response.status_code != 302:
        return response, None
    try:
        match = resolve(response["Location"])
    except Resolver404:
        return response, None
    if match.view_name != "exports:job":
        return response, None
    job_id = match.kwargs["export_id"]
    assert response["Location"] == reverse("exports:job", args=[job_id])
    return response, ExportJob.objects.get(pk=job_id)


def download(client, job: ExportJob):
    return client.get(reverse("exports:download", args=[job.pk]))
