"""The application pack's page and its PDF (docs/court.md, "The application pack").

A case the person may not see is a 404; a case before the decision to issue shows a
sentence saying so. The PDF is the pack written as a Word file and converted by the
letters' LibreOffice path; a server without LibreOffice answers 503 with a sentence.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from letters import pdf

from .pack import BEFORE_ISSUE, ApplicationPack, application_pack, hidden_sentence, pack_docx

NOT_VISIBLE = "There is no case with that id that you can see."


def _pack(request: HttpRequest, case_id: int) -> ApplicationPack:
    pack = application_pack(user=request.user, case_id=case_id)
    if pack is None:
        raise Http404(NOT_VISIBLE)
    return pack


def _page(
    request: HttpRequest, pack: ApplicationPack, *, status: int = 200, problem: str = ""
) -> HttpResponse:
    context = {
        "pack": pack,
        "case": pack.case,
        "case_url": reverse("casework:case_court", args=[pack.case.pk]),
        "pdf_url": reverse("court_pack:application_pack_pdf", args=[pack.case.pk]),
        "before_issue": BEFORE_ISSUE,
        "hidden": hidden_sentence(pack),
        "problem": problem,
    }
    return render(request, "court/application_pack.html", context, status=status)


@login_required
@require_GET
def application_pack_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return _page(request, _pack(request, case_id))


@login_required
@require_GET
def application_pack_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    pack = _pack(request, case_id)
    if not pack.available:
        return _page(request, pack, status=400, problem=BEFORE_ISSUE)
    try:
        data = pdf.docx_to_pdf(pack_docx(pack))
    except pdf.PdfUnavailable as err:
        return _page(request, pack, status=err.status, problem=err.message)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pack.file_name}.pdf"'
    return response
