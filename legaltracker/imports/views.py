"""The import page (heads of service): upload a tracker, check it, then import it.

Both buttons run the same rows through the same services (docs/imports.md); "Check the
file" rolls every row back. The report is the response to the POST: nothing about the
cases goes into a URL.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from legaltracker.core.errors import DomainError

from . import forms, parsing, services
from .columns import COLUMNS

PROBLEMS_SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer(request: HttpRequest) -> None:
    if not services.may_import(request.user):
        raise PermissionDenied(services.NOT_PERMITTED)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = forms.ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    context: dict[str, object] = {
        "form": form,
        "columns": COLUMNS,
        "max_rows": parsing.PAGE_MAX_ROWS,
    }

    def page(status: int = 200) -> HttpResponse:
        response = render(request, "imports/upload.html", context, status=status)
        response["Cache-Control"] = "no-store"
        return response

    if request.method == "GET":
        return page()
    if not form.is_valid():
        return page(400)
    upload = form.cleaned_data["file"]
    if upload.size > parsing.MAX_BYTES:
        form.add_error(
            "file",
            f"The file is larger than the limit of {parsing.MAX_BYTES // 1024 // 1024} MB: "
            "split it into smaller files.",
        )
        return page(400)
    dry_run = request.POST.get("action") != forms.IMPORT
    try:
        mapping = parsing.parse_mapping(form.cleaned_data["mapping"])
    except DomainError as error:
        form.add_error("mapping", error.message)
        return page(400)
    try:
        report = services.import_sheet(
            actor=request.user,
            content=upload.read(),
            file_name=upload.name or "",
            mapping=mapping,
            dry_run=dry_run,
            max_rows=parsing.PAGE_MAX_ROWS,
        )
    except DomainError as error:
        form.add_error("file", error.message)
        return page(400)
    context.update(
        report=report,
        problems=report.problems[:PROBLEMS_SHOWN],
        more_problems=max(0, len(report.problems) - PROBLEMS_SHOWN),
        done=[r for r in report.results if r.outcome != services.Outcome.FAILED],
    )
    return page()


@login_required
@require_GET
def template_sheet(request: HttpRequest) -> HttpResponse:
    """The template sheet: the headings the import knows, an example row, and a second
    sheet saying what each column holds."""
    _require_importer(request)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Cases"
    sheet.append([c.heading for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            14, len(column.heading) + 2
        )
    notes = book.create_sheet("Columns")
    notes.append(["Heading", "Field (for a mapping)", "Required", "What it holds"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        notes.append([column.heading, column.field, "yes" if column.required else "", column.help])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="tracker-import-template.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
