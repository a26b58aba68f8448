"""django-q2 tasks of the exports. Thin: an id in, one service call."""

from __future__ import annotations

from . import services


def export_build(job_id: int) -> str:
    job = services.export_build(job_id=job_id)
    return job.status if job is not None else "missing"


def cleanup() -> int:
    return services.exports_cleanup()
