""" "Find a case" (`/cases/search/?q=`) and the team case list (`/cases/team/`).

Thin views: parse the query string with a form, call one selector, render. A query that
cannot be searched is a form error (the page again with its message, as on the board),
never a 500. Each
search is in the access log with the ids of the cases it showed (docs/retention.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from legaltracker.accounts.http import AuthenticatedHttpRequest
from legaltracker.audit import recording
from legaltracker.cases.models import Case
from legaltracker.cases.search import Query, fold

from . import selectors
from .access import may_find, may_list_team
from .forms import PAGE_SIZE, TEAM_PAGE_SIZE, TEAM_SORTS, FindForm, TeamListForm


def url_with(params: QueryDict, **changes: Any) -> str:
    """The query string of `params` with some keys replaced (None removes the key)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def pagination(params: QueryDict, page: Page[Any]) -> dict[str, Any]:
    """GOV.UK pagination (templates/board/_pagination.html): first, last and the pages
    next to the current one."""
    last = page.paginator.num_pages
    wanted = {1, last, page.number - 1, page.number, page.number + 1}
    items: list[dict[str, Any]] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append(
            {
                "number": number,
                "url": url_with(params, page=number),
                "current": number == page.number,
            }
        )
        previous = number
    return {
        "items": items,
        "previous_url": url_with(params, page=page.number - 1) if page.has_previous() else "",
        "next_url": url_with(params, page=page.number + 1) if page.has_next() else "",
    }


def _exact_hit(query: Query, page: Page[Case]) -> Case | None:
    """The one case found when the query was that case's whole reference or court case
    number: it opens straight away (docs/decisions.md, "Finding any case")."""
    if page.paginator.count != 1 or query.dates or len(query.terms) != 1:
        return None
    case = page.object_list[0]
    whole = {fold(case.reference or ""), fold(case.court_reference)} - {""}
    return case if query.terms[0] in whole else None


@login_required
@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_find(request.user):
        raise PermissionDenied("Finding cases is for the people who work on them.")
    form = FindForm(request.GET if "q" in request.GET else None)
    context: dict[str, Any] = {"form": form, "page": None}
    if form.is_bound and form.is_valid():
        query: Query = form.cleaned_data["q"]
        found = selectors.search(user=request.user, query=query)
        page = Paginator(found, PAGE_SIZE).get_page(form.cleaned_data["page"])
        hit = _exact_hit(query, page)
        if hit is not None:
            recording.note(request, case_id=hit.pk)
            return redirect("casework:case_detail", case_id=hit.pk)
        recording.note(request, cases=[case.pk for case in page.object_list])
        context.update(page=page, pagination=pagination(request.GET, page))
    return render(request, "find/search.html", context)


@login_required
@require_GET
def team(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_list_team(request.user):
        raise PermissionDenied("The team case list is for social workers and team managers.")
    form = TeamListForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    options = form.options()
    cases = selectors.team_cases(
        user=request.user, closed=options["closed"], mine=options["mine"], sort=options["sort"]
    )
    page = Paginator(cases, TEAM_PAGE_SIZE).get_page(options["page"])
    return render(
        request,
        "find/team.html",
        {
            "form": form,
            "options": options,
            "sorts": TEAM_SORTS,
            "page": page,
            "pagination": pagination(request.GET, page),
            "team": request.user.team,
        },
    )
