"""django-q2 tasks of the exports. Thin: an id in, one service call.

An export is long and uses a whole core; the web pages are short and someone is waiting
for each. On Linux the build runs in a thread whose scheduling priority is lowered
(`EXPORTS_NICE`, a nice value added to the worker's), so that a busy machine serves pages
first and makes files with what is left (docs/performance.md, "Exports"). The worker's
own thread keeps its priority for the tasks that come after. The database work of the
export is PostgreSQL's, at its usual priority.
"""

from __future__ import annotations

import os
import sys
import threading

from django.db import connections

from . import conf, services


def _lower_this_threads_priority(by: int) -> None:
    # On Linux a thread's nice value is its own (setpriority on its thread id); other
    # systems would take the id as a process id, so they are left alone.
    if by > 0 and sys.platform == "linux":
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, current + by))


def export_build(job_id: int) -> str:
    nice = conf.nice()
    if nice <= 0:
        job = services.export_build(job_id=job_id)
        return job.status if job is not None else "missing"
    outcome: list[str] = []

    def build() -> None:
        _lower_this_threads_priority(nice)
        try:
            job = services.export_build(job_id=job_id)
            outcome.append(job.status if job is not None else "missing")
        finally:
            # The thread's own database connection.
            connections.close_all()

    thread = threading.Thread(target=build, name=f"export-{job_id}")
    thread.start()
    thread.join()
    return outcome[0] if outcome else "failed"


def cleanup() -> int:
    return services.exports_cleanup()
