"""The performance reports page and the links that start its exports (docs/reports.md).

Thin views: the filters are read by `PerformanceFilterForm`, the figures come from one
selector, and a filter that cannot be used is a form error on the page, never a 500.
No case is named or linked: the performance officer's role reaches no case page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from legaltracker.accounts.http import AuthenticatedHttpRequest
from legaltracker.core import clock
from legaltracker.exports.services import TooManyExports, export_request
from legaltracker.web.access import PERFORMANCE_REPORT_ROLES, has_role

from . import exports
from .forms import PerformanceFilterForm
from .presentation import sections
from .selectors import performance_report


def _form(request: AuthenticatedHttpRequest) -> PerformanceFilterForm:
    if not has_role(request.user, PERFORMANCE_REPORT_ROLES):
        raise PermissionDenied(exports.REFUSED)
    return PerformanceFilterForm(request.GET, user=request.user, today=clock.today())


def _context(request: AuthenticatedHttpRequest, form: PerformanceFilterForm) -> dict[str, Any]:
    context: dict[str, Any] = {"form": form, "report": None, "sections": []}
    if form.is_valid():
        filters = form.filters()
        report = performance_report(user=request.user, filters=filters)
        query = "?" + urlencode({k: v for k, v in filters.items() if v is not None})
        context.update(
            report=report,
            sections=sections(report),
            team_name=dict(form.fields["team"].choices).get(filters["team"] or "", ""),  # type: ignore[attr-defined]
            lawyer_name=dict(form.fields["lawyer"].choices).get(  # type: ignore[attr-defined]
                str(filters["lawyer"] or ""), ""
            ),
            export_csv_url=reverse("performance:export_csv") + query,
            export_xlsx_url=reverse("performance:export_xlsx") + query,
        )
    return context


@login_required
@require_GET
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _form(request)
    context = _context(request, form)
    # As on the board, a page with filters to correct is still the page (200).
    return render(request, "performance/reports.html", context)


def _export(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(request, "performance/reports.html", _context(request, form), status=400)
    try:
        job = export_request(
            actor=request.user,
            kind=exports.NAME,
            file_format=file_format,
            params=form.filters(),
            today=clock.today(),
        )
    except TooManyExports as err:
        context = _context(request, form)
        context["export_error"] = err.message
        return render(request, "performance/reports.html", context, status=err.status)
    return redirect("exports:job", export_id=job.pk)


@login_required
@require_GET
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export(request, "csv")


@login_required
@require_GET
def export_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export(request, "xlsx")
