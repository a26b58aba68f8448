"""Running exports in tests: the queue in django-q2's sync mode (the task runs inside
`async_task`, in this process, against the test database), with the callbacks that
queue it run at the end of the request as they would at commit."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.urls import reverse

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
    """GET an export link; (response, the job it redirected to, if any)."""
    with capture(execute=True):
        response = client.get(url)
    job = None
    if response.status_code == 302:
        job_id = int(response["Location"].rstrip("/").split("/")[-1])
        assert response["Location"] == reverse("exports:job", args=[job_id])
        job = ExportJob.objects.get(pk=job_id)
    return response, job


def download(client, job: ExportJob):
    return client.get(reverse("exports:download", args=[job.pk]))
