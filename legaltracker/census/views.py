"""The census return page (`/census/<year>/`): the year's counts, every finding with the
page where it is fixed, and the downloads (docs/census-export.md, "The page").

For the performance team and the heads of service only (`web.access.CENSUS_ROLES`). The
CSV and XLSX files are made by the exports app's task (who asked, when and for which year
are in its ExportJob); the XML is streamed as it is written, with its own access log row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from legaltracker.accounts.models import BOARD_ROLES
from legaltracker.cases.models import Case
from legaltracker.core import clock
from legaltracker.exports.services import TooManyExports, export_request
from legaltracker.web.access import has_role

from . import exporting
from .models import OutcomeCode

PAGE_SIZE = 50


def _may_use(request: HttpRequest) -> None:
    if not exporting.may_use(request.user):
        raise PermissionDenied(exporting.REFUSED)


def _year_or_error(request: HttpRequest, year: str) -> tuple[int | None, HttpResponse | None]:
    """The census year of the URL, or the page saying what is wrong with it (400)."""
    number, error = exporting.parse_year(year)
    if number is None:
        context = {
            "error": error,
            "year_text": year[:20],
            "current_url": reverse("census:return", kwargs={"year": exporting.current_year()}),
        }
        return None, render(request, "census/return_error.html", context, status=400)
    return number, None


@login_required
@require_GET
def return_current(request: HttpRequest) -> HttpResponse:
    """The return of the year chosen in the page's year list (`?year=`), or of the census
    year today falls in."""
    _may_use(request)
    chosen = request.GET.get("year")
    if chosen is not None:
        number, failed = _year_or_error(request, chosen)
        if number is None:
            assert failed is not None
            return failed
        return redirect("census:return", year=number)
    return redirect("census:return", year=exporting.current_year())


def _years(current: int, shown: int) -> list[int]:
    """The years offered in the year list, latest first: from the first return with the
    block to the year after this one, and the year shown."""
    years = set(range(min(current, exporting.FIRST_YEAR), max(current, exporting.FIRST_YEAR) + 2))
    return sorted(years | {shown}, reverse=True)


@login_required
@require_GET
def return_page(request: HttpRequest, year: str) -> HttpResponse:
    _may_use(request)
    number, failed = _year_or_error(request, year)
    if number is None:
        assert failed is not None
        return failed
    return _render_return(request, number)


@dataclass(frozen=True)
class ShownFinding:
    """A finding as this person sees it: the link to the page where it is fixed only when
    they may open that page; otherwise who can fix it (docs/census-export.md, "The page")."""

    row: exporting.FindingRow
    fix_link: str
    fixed_by: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def _shown(user: Any, rows: list[exporting.FindingRow]) -> list[ShownFinding]:
    case_ids = {r.finding.case_id for r in rows if r.finding.case_id is not None}
    openable = set(
        Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    shown = []
    for r in rows:
        url, link, by = r.finding.fix_url, "", ""
        if url.startswith(reverse("admin:index")):
            link, by = (url, "") if user.is_staff else ("", "an administrator")
        elif r.finding.case_id is not None:
            link, by = (url, "") if r.finding.case_id in openable else ("", "the case's team")
        elif url and has_role(user, BOARD_ROLES):
            link = url
        shown.append(ShownFinding(r, link, by))
    return shown


def _render_return(
    request: HttpRequest, year: int, *, status: int = 200, export_error: str = ""
) -> HttpResponse:
    report = exporting.return_report(year)
    page = Paginator(report.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "year": year,
        "year_label": exporting.year_label(year),
        "years": _years(exporting.current_year(), year),
        "counts": report.counts,
        "page": page,
        "rows": _shown(request.user, list(page.object_list)),
        "codes_unconfirmed": OutcomeCode.objects.filter(confirmed=False).exists(),
        "export_error": export_error,
    }
    return render(request, "census/return.html", context, status=status)


@login_required
@require_GET
def return_xml(request: HttpRequest, year: str) -> HttpResponseBase:
    """The year's blocks as XML, streamed while they are read."""
    _may_use(request)
    number, failed = _year_or_error(request, year)
    if number is None:
        assert failed is not None
        return failed
    exporting.record_run(
        actor=request.user,
        year=number,
        file_format="xml",
        action=exporting.PAGE_ACTION,
        status=200,
    )
    response = StreamingHttpResponse(
        exporting.xml_chunks(
            number, exporting.blocks_for_year(number, chunk_size=exporting.CHUNK_SIZE)
        ),
        content_type="application/xml; charset=utf-8",
    )
    name = f"cin-census-pre-proceedings-{number}-{clock.today().isoformat()}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _export(request: HttpRequest, year: str, file_format: str) -> HttpResponse:
    """Ask the exports app for the year's CSV or XLSX, and go to its progress page."""
    _may_use(request)
    number, failed = _year_or_error(request, year)
    if number is None:
        assert failed is not None
        return failed
    try:
        job = export_request(
            actor=request.user,
            kind=exporting.KIND.name,
            file_format=file_format,
            params={"year": number},
            today=clock.today(),
        )
    except TooManyExports as err:
        return _render_return(request, number, status=err.status, export_error=err.message)
    return redirect("exports:job", export_id=job.pk)


@login_required
@require_POST
def export_csv(request: HttpRequest, year: str) -> HttpResponse:
    return _export(request, year, "csv")


@login_required
@require_POST
def export_xlsx(request: HttpRequest, year: str) -> HttpResponse:
    return _export(request, year, "xlsx")
