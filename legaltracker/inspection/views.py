"""The inspection list's page: the period (the last 12 months unless changed) and one
button; the file is made by the exports task, and the export's own page shows its
progress and the download (legaltracker/exports)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from legaltracker.accounts.http import AuthenticatedHttpRequest
from legaltracker.core import clock
from legaltracker.exports.services import TooManyExports, export_request

from . import exports
from .access import REFUSED, may_produce
from .forms import PeriodForm, default_period

FORMATS = {"xlsx", "csv"}


def _page(
    request: AuthenticatedHttpRequest, form: PeriodForm, *, status: int = 200, error: str = ""
) -> HttpResponse:
    return render(
        request, "inspection/list.html", {"form": form, "export_error": error}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_produce(request.user):
        raise PermissionDenied(REFUSED)
    today = clock.today()
    if request.method == "GET":
        # Back from an export's page, the period it was made for; otherwise the default.
        asked = PeriodForm(request.GET) if "from" in request.GET else None
        if asked is not None and asked.is_valid():
            start, end = asked.period()
        else:
            start, end = default_period(today)
        return _page(request, PeriodForm(initial={"from": start, "to": end}))
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    file_format = request.POST.get("format", "xlsx")
    if file_format not in FORMATS:
        file_format = "xlsx"
    try:
        job = export_request(
            actor=request.user,
            kind=exports.KIND.name,
            file_format=file_format,
            params=form.params(),
            today=today,
        )
    except TooManyExports as err:
        return _page(request, form, status=err.status, error=err.message)
    return redirect("exports:job", export_id=job.pk)
