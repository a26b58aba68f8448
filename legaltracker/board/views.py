"""The tracker board page, and the links that start its CSV and XLSX exports.

Thin views: parse the query string with `BoardFilterForm`, call one selector, render.
An export is made off the web worker (legaltracker/exports): its link records the job
and redirects to the job's page, where the file can be downloaded when it is ready.
Filters that cannot be used are shown as form errors (the valid ones still apply), so a
mistyped bookmark never becomes a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.views.decorators.http import require_GET

from legaltracker.accounts.http import AuthenticatedHttpRequest
from legaltracker.accounts.models import Role
from legaltracker.cases.choices import LEGAL_STAGES
from legaltracker.core import clock
from legaltracker.core.forms import choice_field
from legaltracker.deadlines.choices import DeadlineStatus, Milestone, Rag
from legaltracker.deadlines.selectors import Today
from legaltracker.exports.services import TooManyExports, export_request

from . import exports
from .forms import DEFAULT_SORT, SORTS, BoardFilterForm
from .permissions import may_view_board
from .rows import BoardRow
from .selectors import RAG_ORDER, BoardPage, board_page

# The columns a person can sort by: (sort key, heading).
SORTABLE = {
    "case": ("reference", "Case"),
    "stage": ("stage", "Stage"),
    "weeks": ("weeks", "Weeks"),
    "next_deadline": ("next_deadline", "Next deadline"),
    "rag": ("rag", "RAG"),
}


def _board_form(request: HttpRequest) -> BoardFilterForm:
    if not may_view_board(request.user):
        raise PermissionDenied(
            "The tracker board is for the court liaison officer, the legal team, heads of "
            "service and team managers."
        )
    return BoardFilterForm(request.GET or None, user=request.user)


def url_with(params: QueryDict, **changes: Any) -> str:
    """The query string of `params` with some keys replaced (a list sets several values;
    None removes the key)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        elif isinstance(value, list | tuple):
            query.setlist(key, [str(v) for v in value])
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _sort_headers(params: QueryDict, sort: str) -> dict[str, dict[str, str]]:
    headers = {}
    for name, (key, label) in SORTABLE.items():
        if sort == key:
            aria, next_sort = "ascending", f"-{key}"
        elif sort == f"-{key}":
            aria, next_sort = "descending", key
        else:
            aria, next_sort = "none", key
        headers[name] = {
            "label": label,
            "aria_sort": aria,
            "url": url_with(params, sort=next_sort, page=None),
        }
    return headers


def _pagination(params: QueryDict, page: BoardPage) -> dict[str, Any]:
    """GOV.UK pagination: first, last and the pages next to the current one."""
    wanted = {1, page.num_pages, page.number - 1, page.number, page.number + 1}
    items: list[dict[str, Any]] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= page.num_pages):
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
        "previous_url": url_with(params, page=page.number - 1) if page.has_previous else "",
        "next_url": url_with(params, page=page.number + 1) if page.has_next else "",
    }


# A case id no case has, to reverse the case page's URL once and fill in each row's id.
_ID_PLACEHOLDER = 918273645546372819


def _plural(number: int, word: str) -> str:
    """`{{ number }} {{ word }}{{ number|pluralize }}`."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def _table_rows(rows: list[BoardRow]) -> list[dict[str, Any]]:
    """The table's cells as plain text, worked out here once per row: the page shows 50
    rows of nine cells, and the template language's filters, includes and tag lookups
    cost more per cell than the rest of the page together (docs/performance.md). The
    RAG and status tags are rendered once per value from the shared includes, so their
    words stay in one place."""
    case_url = reverse("casework:case_detail", args=[_ID_PLACEHOLDER])
    placeholder = str(_ID_PLACEHOLDER)
    months = [""] + [str(MONTHS_3[number]).title() for number in range(1, 13)]
    rag_tags = {
        rag.value: render_to_string("includes/rag_tag.html", {"rag": rag.value, "short": True})
        for rag in Rag
    }
    status_tags = {
        status.value: render_to_string(
            "includes/deadline_status_tag.html", {"status": status.value}
        )
        for status in DeadlineStatus
    }

    def day(value: Any) -> str:  # the `date:"j M Y"` filter
        return f"{value.day} {months[value.month]} {value.year}"

    table = []
    for row in rows:
        if row.days_in_stage < 14:
            in_stage = _plural(row.days_in_stage, "day")
        else:
            in_stage = f"{row.weeks_in_stage} weeks"
        # The weeks are shown; what they count is read out (the stage beside says it).
        if row.weeks_in_pre_proceedings is not None:
            clock, clock_since = _plural(row.weeks_in_pre_proceedings, "week"), "in pre-proceedings"
        elif row.weeks_since_issue is not None:
            clock, clock_since = _plural(row.weeks_since_issue, "week"), "since issue"
        else:
            clock, clock_since = "", ""
        deadline = row.next_deadline
        table.append(
            {
                "url": case_url.replace(placeholder, str(row.id)),
                "reference": row.reference,
                "children": row.children_names,
                "urgent": row.urgent,
                "unborn_baby": row.unborn_baby,
                "team_name": row.team_name,
                "social_worker_name": row.social_worker_name,
                "stage": row.stage_label,
                "in_stage": in_stage,
                "clock": clock,
                "clock_since": clock_since,
                "milestone": deadline.milestone_label if deadline else "",
                "due": day(deadline.due) if deadline else "",
                "status_tag": status_tags.get(deadline.status, "") if deadline else "",
                "rag_tag": rag_tags.get(row.rag, ""),
                "oversight": (
                    _plural(row.days_since_oversight, "day")
                    if row.days_since_oversight is not None
                    else ""
                ),
                "assessment": day(row.last_assessment_on) if row.last_assessment_on else "",
                "stale": row.assessment_stale,
                "held_early": row.held_early,
                "extensions": str(row.extensions),
                **_court_cells(row, day),
            }
        )
    return table


def _court_cells(row: BoardRow, day: Any) -> dict[str, Any]:
    """The court columns' cells: the next hearing, the court and judge, the "at risk"
    reasons (in words, for the tag's title and screen readers) and the directions
    overdue."""
    hearing = row.next_hearing
    return {
        "hearing_when": f"{day(hearing.day)} {hearing.time}" if hearing else "",
        "hearing_kind": hearing.kind_label if hearing else "",
        "hearing_court": hearing.court_centre if hearing else "",
        "court": row.court_centre,
        "judge": row.judge_name,
        "at_risk": " ".join(row.at_risk_reasons),
        "directions_overdue": row.directions_overdue,
    }


def _social_worker_options(form: BoardFilterForm) -> list[tuple[int, str]]:
    """The workers of the team in view: listing every worker in a national deployment
    would make a select of thousands, so the list follows the team filter."""
    user = form.user
    team_id = None
    code = form.team_code()
    if code:
        team_id = next((pk for c, _, pk in form.team_options if c == code), None)
    elif user.role == Role.TEAM_MANAGER:
        team_id = user.team_id
    elif form.social_worker_user is not None:
        team_id = form.social_worker_user.team_id
    if team_id is None:
        return []
    workers = (
        get_user_model()
        .objects.filter(team_id=team_id, role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER])
        .order_by("last_name", "first_name", "id")
        .only("id", "first_name", "last_name", "username")
    )
    return [(w.pk, w.get_full_name() or w.username) for w in workers]


def _selected_filters(
    form: BoardFilterForm,
    filters: dict[str, Any],
    params: QueryDict,
    workers: list[tuple[int, str]],
) -> list[dict[str, Any]]:
    """The MoJ filter tags: each applied filter with a link that removes it."""
    groups: list[dict[str, Any]] = []

    def group(heading: str, tags: list[tuple[str, str]]) -> None:
        if tags:
            groups.append({"heading": heading, "tags": [{"label": a, "url": b} for a, b in tags]})

    if filters.get("q"):
        group("Reference or name", [(f"“{filters['q']}”", url_with(params, q=None, page=None))])
    stages = filters.get("stage", [])
    group(
        "Stage",
        [
            (
                # Django keeps the choices as a list of pairs; the stubs type the
                # getter like the setter, which takes any form of choices.
                dict(choice_field(form, "stage").choices)[s],  # type: ignore[arg-type]
                url_with(params, stage=[x for x in stages if x != s], page=None),
            )
            for s in stages
        ],
    )
    if filters.get("team"):
        name = next((n for c, n, _ in form.team_options if c == filters["team"]), filters["team"])
        group("Team", [(name, url_with(params, team=None, social_worker=None, page=None))])
    if filters.get("social_worker"):
        worker = form.social_worker_user
        name = dict(workers).get(filters["social_worker"]) or (
            worker.get_full_name() or worker.username if worker else str(filters["social_worker"])
        )
        group("Social worker", [(name, url_with(params, social_worker=None, page=None))])
    rags = filters.get("rag", [])
    group(
        "RAG status",
        [
            (Rag(r).label, url_with(params, rag=[x for x in rags if x != r], page=None))
            for r in rags
        ],
    )
    if filters.get("overdue"):
        group("Overdue", [("Something overdue", url_with(params, overdue=None, page=None))])
    if filters.get("mine"):
        group("Lawyer", [("My cases", url_with(params, mine=None, page=None))])
    if filters.get("court_centre"):
        group(
            "Court",
            [
                (
                    form.court_name(filters["court_centre"]),
                    url_with(params, court_centre=None, page=None),
                )
            ],
        )
    if filters.get("judge"):
        group("Judge", [(f"“{filters['judge']}”", url_with(params, judge=None, page=None))])
    if filters.get("at_risk"):
        group("At risk", [("At risk (HMCTS)", url_with(params, at_risk=None, page=None))])
    if filters.get("directions_overdue"):
        group(
            "Directions",
            [
                (
                    "A council direction overdue",
                    url_with(params, directions_overdue=None, page=None),
                )
            ],
        )
    if filters.get("due_within") is not None:
        days = filters["due_within"]
        group(
            "Due within",
            [
                (
                    f"{days} day{'s' if days != 1 else ''}",
                    url_with(params, due_within=None, page=None),
                )
            ],
        )
    if filters.get("milestone"):
        group(
            "Milestone",
            [(Milestone(filters["milestone"]).label, url_with(params, milestone=None, page=None))],
        )
    return groups


def _values(params: QueryDict) -> dict[str, Any]:
    """What the person typed or chose, to show it back in the filter form (even when it
    had an error)."""
    worker = params.get("social_worker", "")
    return {
        "q": params.get("q", ""),
        "stage": params.getlist("stage"),
        "rag": params.getlist("rag"),
        "overdue": params.get("overdue", "") not in ("", "0", "false", "False"),
        "mine": params.get("mine", "") not in ("", "0", "false", "False"),
        "at_risk": params.get("at_risk", "") not in ("", "0", "false", "False"),
        "directions_overdue": params.get("directions_overdue", "")
        not in ("", "0", "false", "False"),
        "court_centre": params.get("court_centre", ""),
        "judge": params.get("judge", ""),
        "due_within": params.get("due_within", ""),
        "milestone": params.get("milestone", ""),
        "team": params.get("team", ""),
        "social_worker": int(worker) if worker.isascii() and worker.isdigit() else worker,
        "page_size": params.get("page_size", ""),
    }


def _board_context(request: AuthenticatedHttpRequest, form: BoardFilterForm) -> dict[str, Any]:
    filters = form.filters()
    page = board_page(
        user=request.user,
        today=Today.now(),
        filters=filters,
        page=form.page_number(),
        page_size=form.rows_per_page(),
    )
    params = request.GET
    sort = filters.get("sort", DEFAULT_SORT)
    workers = _social_worker_options(form)
    export_params = url_with(params, page=None, page_size=None)
    return {
        "form": form,
        "page": page,
        "table_rows": _table_rows(page.rows),
        "filters": filters,
        "sort": sort,
        "headers": _sort_headers(params, sort),
        "pagination": _pagination(params, page),
        "selected_filters": _selected_filters(form, filters, params, workers),
        "team_options": form.team_options,
        "court_options": form.court_options,
        "social_worker_options": workers,
        "stage_counts": [
            (
                stage.label,
                page.counts.stage.get(stage.value, 0),
                url_with(params, stage=stage.value, page=None),
            )
            for stage in LEGAL_STAGES
        ],
        "rag_counts": [
            (
                rag.value,
                page.counts.rag.get(rag.value, 0),
                url_with(params, rag=rag.value, page=None),
            )
            for rag in RAG_ORDER
        ],
        "export_csv_url": reverse("board:export_csv") + export_params,
        "export_xlsx_url": reverse("board:export_xlsx") + export_params,
        "sort_choices": choice_field(form, "sort").choices,
        "sort_label": SORTS.get(sort, SORTS[DEFAULT_SORT]),
        "values": _values(params),
        "is_team_manager": request.user.role == Role.TEAM_MANAGER,
    }


@login_required
@require_GET
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _board_form(request)
    return render(request, "board/board.html", _board_context(request, form))


def _export(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    """Start an export of the board as it is filtered, and go to its page. The file is
    made by a task (legaltracker/exports): this request only records the job."""
    form = _board_form(request)
    if form.is_bound and not form.is_valid():
        # The links on the page carry the filters as typed: say what to fix, on the board.
        return render(request, "board/board.html", _board_context(request, form), status=400)
    try:
        job = export_request(
            actor=request.user,
            kind=exports.KIND.name,
            file_format=file_format,
            params=form.filters(),
            today=clock.today(),
        )
    except TooManyExports as err:
        context = _board_context(request, form)
        context["export_error"] = err.message
        return render(request, "board/board.html", context, status=err.status)
    return redirect("exports:job", export_id=job.pk)


@login_required
@require_GET
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export(request, "csv")


@login_required
@require_GET
def export_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export(request, "xlsx")
