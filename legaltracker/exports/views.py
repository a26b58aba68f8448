"""The export's page (progress, then the download), the download and the retry.

The page refreshes itself while the file is being made: `static/js/export-progress.js`
fetches it again and swaps the progress panel (no inline script: the CSP forbids it);
without JavaScript the page has a link to check again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from legaltracker.core.downloads import attachment
from legaltracker.core.errors import DomainError, NotFound

from . import registry, selectors, services
from .choices import ExportStatus
from .models import ExportJob

REFRESH_SECONDS = 2


def _job_page(
    request: HttpRequest, job: ExportJob, *, status: int = 200, error: str = ""
) -> HttpResponse:
    spec = registry.get(job.kind)
    stalled = services.is_stalled(job)
    context: dict[str, Any] = {
        "job": job,
        "label": spec.label if spec else job.kind,
        "filters": spec.describe(job.params) if spec else [],
        "back_url": spec.back_url(job.params) if spec else "",
        "stalled": stalled,
        "refresh": job.is_active and not stalled,
        "refresh_seconds": REFRESH_SECONDS,
        "may_retry": job.status == ExportStatus.FAILED or stalled,
        "error": error,
    }
    response = render(request, "exports/job.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_detail(request: HttpRequest, export_id: int) -> HttpResponse:
    job = selectors.job_of(request.user, export_id)
    if job is None:
        raise Http404(services.EXPORT_NOT_FOUND)
    return _job_page(request, job)


def _refused(request: HttpRequest, export_id: int, err: DomainError) -> HttpResponse:
    """A refused download or retry: 404 when the export is not the person's (or not
    there), otherwise its page with the reason."""
    job = None if isinstance(err, NotFound) else selectors.job_of(request.user, export_id)
    if job is None:
        raise Http404(err.message if isinstance(err, NotFound) else services.EXPORT_NOT_FOUND)
    return _job_page(request, job, status=err.status, error=err.message)


@login_required
@require_GET
def job_download(request: HttpRequest, export_id: int) -> HttpResponse | FileResponse:
    try:
        download = services.export_download(actor=request.user, job_id=export_id)
    except DomainError as err:
        return _refused(request, export_id, err)
    return attachment(download)


@login_required
@require_POST
def job_retry(request: HttpRequest, export_id: int) -> HttpResponse:
    try:
        job = services.export_retry(actor=request.user, job_id=export_id)
    except DomainError as err:
        return _refused(request, export_id, err)
    return redirect("exports:job", export_id=job.pk)
