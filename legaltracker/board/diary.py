"""The court diary and a lawyer's "My cases" (docs/court.md): the hearings of the cases a
person may see, by day and by week (Monday to Sunday), filtered by court, team and
lawyer, printable as a weekly court list and exported as CSV or XLSX; and the open cases
allocated to a lawyer with their next hearing, next deadline and overdue directions.

Selectors first, then the views. A diary page costs the same few queries whatever the
number of hearings: the hearings with their court, case, team and lawyer in one query,
the children of those cases in one more. Times are Europe/London wall-clock times.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from legaltracker.accounts.http import AuthenticatedHttpRequest
from legaltracker.accounts.models import Role, Team
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case, Child
from legaltracker.core import clock
from legaltracker.court.choices import LONDON, HearingKind, HearingMode, HearingStatus
from legaltracker.court.models import CourtCentre, Hearing
from legaltracker.deadlines.selectors import Today
from legaltracker.exports.writers import CONTENT_TYPES, Cell, Layout, write_csv, write_xlsx

from .forms import DEFAULT_SORT, YesNoField
from .permissions import may_view_board
from .rows import BoardRow
from .selectors import with_children, with_columns

REFUSED = (
    "The court diary is for the court liaison officer, the legal team, heads of service "
    "and team managers."
)
MY_CASES_REFUSED = (
    "My cases lists the cases allocated to a council lawyer: it is for the legal team. "
    "Use the tracker board or My work instead."
)

WEEK, DAY = "week", "day"
# Adjourned and vacated hearings are left off unless asked for: a court list shows what
# sits.
SITTING = (HearingStatus.LISTED.value, HearingStatus.HELD.value)


# --- selectors --------------------------------------------------------------------------


def london_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week `day` falls in."""
    return day - dt.timedelta(days=day.weekday())


def _filtered(
    user: Any,
    *,
    start: dt.date,
    end: dt.date,
    court_centre: str = "",
    team: str = "",
    lawyer: int | None = None,
    cancelled: bool = False,
) -> QuerySet[Hearing]:
    cases = Case.objects.visible_to(user)
    hearings = Hearing.objects.filter(
        case__in=cases.values("pk"),
        starts_at__gte=london_midnight(start),
        starts_at__lt=london_midnight(end),
    )
    if not cancelled:
        hearings = hearings.filter(status__in=SITTING)
    if court_centre:
        hearings = hearings.filter(court_centre__code=court_centre)
    if team:
        hearings = hearings.filter(case__team__code=team)
    if lawyer:
        hearings = hearings.filter(case__allocated_lawyer_id=lawyer)
    return hearings.order_by("starts_at", "court_centre__name", "id")


def diary_hearings(user: Any, **filters: Any) -> QuerySet[Hearing]:
    """The hearings from the start of `start` to the start of `end` (London days) of the
    cases `user` may see, by time, then court (the keys of `_filtered`)."""
    return _filtered(user, **filters)


# What a diary row shows, read as plain values: a week can hold hundreds of hearings, and
# making a model instance of each hearing, case, court, team and lawyer cost more than the
# query.
_ROW_VALUES = (
    "id",
    "case_id",
    "kind",
    "starts_at",
    "time_estimate_minutes",
    "status",
    "courtroom",
    "mode",
    "judge_name",
    "court_centre__name",
    "case__reference",
    "case__court_reference",
    "case__team__name",
    "case__allocated_lawyer__first_name",
    "case__allocated_lawyer__last_name",
    "case__allocated_lawyer__username",
)


def _estimate(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def _child(first: str, last: str, born: Any, expected: Any) -> str:
    if not first and expected and not born:
        return f"Unborn baby {last}".strip()
    return f"{first} {last}".strip()


_KIND_LABELS = dict(HearingKind.choices)
_MODE_LABELS = dict(HearingMode.choices)


@dataclass(frozen=True)
class DiaryRow:
    """One hearing as the diary, its print page and its exports show it."""

    id: int
    case_id: int
    day: dt.date
    time: str
    estimate_minutes: int
    kind: str
    status: str
    court_centre: str
    courtroom: str
    mode: str
    judge: str
    reference: str
    court_reference: str
    children: str
    team: str
    lawyer: str

    @property
    def estimate(self) -> str:
        return _estimate(self.estimate_minutes)

    @property
    def status_label(self) -> str:
        return HearingStatus(self.status).label

    @property
    def sitting(self) -> bool:
        return self.status in SITTING


def diary_rows(user: Any, **filters: Any) -> list[DiaryRow]:
    """The rows of `diary_hearings`, from two queries whatever their number: the hearings
    with their court, case, team and lawyer, and the children of those cases."""
    hearings = _filtered(user, **filters)
    children: dict[int, list[str]] = {}
    kids = (
        Child.objects.filter(case__in=hearings.values("case_id"))
        .order_by("case_id", "date_of_birth", "id")
        .values_list(
            "case_id", "first_name", "last_name", "date_of_birth", "expected_date_of_birth"
        )
    )
    fetched = list(hearings.values_list(*_ROW_VALUES))
    for case_id, first, last, born, expected in kids:
        children.setdefault(case_id, []).append(_child(first, last, born, expected))
    rows = []
    for (
        pk,
        case_id,
        kind,
        starts_at,
        minutes,
        status,
        courtroom,
        mode,
        judge,
        court,
        reference,
        court_reference,
        team,
        first,
        last,
        username,
    ) in fetched:
        local = starts_at.astimezone(LONDON)
        rows.append(
            DiaryRow(
                id=pk,
                case_id=case_id,
                day=local.date(),
                time=f"{local:%H:%M}",
                estimate_minutes=minutes,
                kind=_KIND_LABELS.get(kind, kind),
                status=status,
                court_centre=court or "",
                courtroom=courtroom,
                mode=_MODE_LABELS.get(mode, ""),
                judge=judge,
                reference=reference or f"Case {case_id}",
                court_reference=court_reference,
                children=", ".join(children.get(case_id, [])),
                team=team,
                lawyer=" ".join((first or "", last or "")).strip() or (username or ""),
            )
        )
    return rows


def my_cases(user: Any, today: Today) -> list[BoardRow]:
    """The open cases allocated to `user` (a lawyer) that they may see, with the board's
    columns (stage, next hearing, next deadline, directions overdue), next deadline
    first."""
    cases = Case.objects.visible_to(user).exclude(stage=Stage.CLOSED)
    cases = cases.filter(allocated_lawyer_id=user.pk)
    queryset = with_children(with_columns(cases, today, DEFAULT_SORT))
    return [BoardRow.from_case(case, today) for case in queryset]


# --- the filters --------------------------------------------------------------------------


class DiaryFilterForm(forms.Form):
    """The diary's GET parameters. A value that cannot be used is a form error naming
    it; the valid ones still apply."""

    view = forms.ChoiceField(
        required=False,
        choices=[(WEEK, "Week"), (DAY, "Day")],
        error_messages={"invalid_choice": "Choose the week or the day view."},
    )
    date = forms.DateField(
        label="Date",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a real date as year-month-day, like 2026-03-09."},
    )
    court_centre = forms.CharField(
        label="Court",
        required=False,
        max_length=10,
        error_messages={"max_length": "Choose a court from the list."},
    )
    team = forms.CharField(
        label="Team",
        required=False,
        max_length=40,
        error_messages={"max_length": "Choose a team from the list."},
    )
    lawyer = forms.IntegerField(
        label="Lawyer",
        required=False,
        min_value=1,
        error_messages={
            "invalid": "Choose a lawyer from the list.",
            "min_value": "Choose a lawyer from the list.",
        },
    )
    cancelled = YesNoField(label="Show adjourned and vacated hearings", required=False)

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        self._courts: list[tuple[str, str]] | None = None
        self._teams: list[tuple[str, str]] | None = None
        self._lawyers: list[tuple[int, str]] | None = None

    @property
    def court_options(self) -> list[tuple[str, str]]:
        if self._courts is None:
            self._courts = list(
                CourtCentre.objects.filter(active=True).order_by("name").values_list("code", "name")
            )
        return self._courts

    @property
    def team_options(self) -> list[tuple[str, str]]:
        if self._teams is None:
            teams = Team.objects.order_by("name")
            if self.user.role == Role.TEAM_MANAGER:
                # A team manager sees their own team's cases only.
                teams = teams.filter(pk=self.user.team_id)
            self._teams = list(teams.values_list("code", "name"))
        return self._teams

    @property
    def lawyer_options(self) -> list[tuple[int, str]]:
        if self._lawyers is None:
            lawyers = (
                get_user_model()
                .objects.filter(role=Role.LEGAL, is_active=True)
                .order_by("last_name", "first_name", "id")
                .only("id", "first_name", "last_name", "username")
            )
            self._lawyers = [(u.pk, u.get_full_name() or u.username) for u in lawyers]
        return self._lawyers

    def clean_court_centre(self) -> str:
        code = (self.cleaned_data.get("court_centre") or "").strip()
        if code and not CourtCentre.objects.filter(code=code).exists():
            raise forms.ValidationError("Choose a court from the list.")
        return code

    def clean_team(self) -> str:
        code = (self.cleaned_data.get("team") or "").strip()
        if code and code not in dict(self.team_options):
            raise forms.ValidationError("Choose a team from the list.")
        return code

    def clean_lawyer(self) -> int | None:
        lawyer = self.cleaned_data.get("lawyer")
        if lawyer is not None and lawyer not in dict(self.lawyer_options):
            raise forms.ValidationError("Choose a lawyer from the list.")
        return lawyer

    def _valid(self, name: str, default: Any = None) -> Any:
        if not self.is_bound:
            return default
        self.is_valid()
        if name in self.errors:
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    def period(self, today: dt.date) -> tuple[str, dt.date, dt.date]:
        """(view, first day, the day after the last)."""
        view = self._valid("view", WEEK)
        day = self._valid("date", today)
        if view == DAY:
            return DAY, day, day + dt.timedelta(days=1)
        monday = week_start(day)
        return WEEK, monday, monday + dt.timedelta(days=7)

    def filters(self) -> dict[str, Any]:
        return {
            "court_centre": self._valid("court_centre", ""),
            "team": self._valid("team", ""),
            "lawyer": self._valid("lawyer"),
            "cancelled": bool(self._valid("cancelled", False)),
        }


# --- views --------------------------------------------------------------------------------


def _diary_form(request: HttpRequest) -> DiaryFilterForm:
    if not may_view_board(request.user):
        raise PermissionDenied(REFUSED)
    return DiaryFilterForm(request.GET or None, user=request.user)


def _url_with(params: QueryDict, **changes: Any) -> str:
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _day_title(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class DiaryDay:
    day: dt.date
    title: str
    rows: list[SafeString]  # each row's <tr>, from `_row_html`
    day_url: str
    is_today: bool


# A case id no case has, to reverse the case page's URL once and fill in each row's id.
_ID_PLACEHOLDER = 918273645546372819


def _row_html(row: DiaryRow, case_url: str, printing: bool) -> SafeString:
    """One hearing's table row (court/diary_table.html), made here once per row: a week
    can list hundreds of hearings, and the template language's lookups and tags cost more
    per cell than the query (docs/performance.md, "Court diary"). Every value is
    escaped by format_html."""
    status = ""
    if row.status != HearingStatus.LISTED:
        colour = "govuk-tag--green" if row.sitting else "govuk-tag--grey"
        status = format_html(' <strong class="govuk-tag {}">{}</strong>', colour, row.status_label)
    room = format_html(", room {}", row.courtroom) if row.courtroom else ""
    if printing:
        case = format_html("{}", row.reference)
    else:
        url = case_url.replace(str(_ID_PLACEHOLDER), str(row.case_id))
        case = format_html('<a class="govuk-link" href="{}">{}</a>', url, row.reference)
    court_ref = (
        format_html('<br><span class="app-secondary">{}</span>', row.court_reference)
        if row.court_reference
        else ""
    )
    lawyer = (
        format_html('<br><span class="app-secondary">{}</span>', row.lawyer) if row.lawyer else ""
    )
    return format_html(
        '<tr class="govuk-table__row">'
        '<td class="govuk-table__cell"><strong>{}</strong><br>'
        '<span class="app-secondary">{}</span></td>'
        '<td class="govuk-table__cell">{}{}</td>'
        '<td class="govuk-table__cell">{}{}<br><span class="app-secondary">{}</span></td>'
        '<td class="govuk-table__cell">{}{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        "</tr>",
        row.time,
        row.estimate,
        row.kind,
        status,
        row.court_centre or "Court not recorded",
        room,
        row.mode,
        case,
        court_ref,
        row.children,
        row.team,
        lawyer,
        row.judge,
    )


def _diary_context(
    request: AuthenticatedHttpRequest, form: DiaryFilterForm, *, printing: bool = False
) -> dict[str, Any]:
    today = clock.today()
    view, start, end = form.period(today)
    filters = form.filters()
    rows = diary_rows(request.user, start=start, end=end, **filters)
    params = request.GET
    diary = reverse("court_diary:diary")
    case_url = reverse("casework:case_detail", args=[_ID_PLACEHOLDER])
    by_day: dict[dt.date, list[SafeString]] = {}
    for row in rows:
        by_day.setdefault(row.day, []).append(_row_html(row, case_url, printing))
    days = []
    day = start
    while day < end:
        days.append(
            DiaryDay(
                day=day,
                title=_day_title(day),
                rows=by_day.get(day, []),
                day_url=diary + _url_with(params, view=DAY, date=day.isoformat()),
                is_today=day == today,
            )
        )
        day += dt.timedelta(days=1)
    step = dt.timedelta(days=1 if view == DAY else 7)
    unit = "day" if view == DAY else "week"
    if view == DAY:
        title = _day_title(start)
    else:
        last = end - dt.timedelta(days=1)
        title = f"Week of {_day_title(start)} to {_day_title(last)}"
    period_params = _url_with(params, view=view, date=start.isoformat())
    return {
        "form": form,
        "view": view,
        "title": title,
        "start": start,
        "days": days,
        "count": len(rows),
        "unit": unit,
        "previous_url": diary + _url_with(params, date=(start - step).isoformat()),
        "next_url": diary + _url_with(params, date=(start + step).isoformat()),
        "current_url": diary + _url_with(params, date=None),
        "week_url": diary + _url_with(params, view=WEEK, date=start.isoformat()),
        "day_url": diary + _url_with(params, view=DAY, date=start.isoformat()),
        "print_url": reverse("court_diary:diary_print")
        + _url_with(params, view=WEEK, date=start.isoformat()),
        "csv_url": reverse("court_diary:diary_csv") + period_params,
        "xlsx_url": reverse("court_diary:diary_xlsx") + period_params,
        "values": {
            "court_centre": params.get("court_centre", ""),
            "team": params.get("team", ""),
            "lawyer": params.get("lawyer", ""),
            "cancelled": params.get("cancelled", "") not in ("", "0", "false", "False"),
        },
        "is_team_manager": request.user.role == Role.TEAM_MANAGER,
    }


@login_required
@require_GET
def diary(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _diary_form(request)
    return render(request, "court/diary.html", _diary_context(request, form))


@login_required
@require_GET
def diary_print(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The weekly court list, laid out for paper (no navigation, no filters)."""
    form = _diary_form(request)
    context = _diary_context(request, form, printing=True)
    context["printed_at"] = clock.now().astimezone(LONDON)
    return render(request, "court/diary_print.html", context)


HEADERS = [
    "Date",
    "Time",
    "Time estimate (minutes)",
    "Hearing",
    "Status",
    "Court",
    "Courtroom",
    "Mode",
    "Judge",
    "Case reference",
    "Court case number",
    "Children",
    "Team",
    "Lawyer",
]
LAYOUT = Layout(
    widths={"Hearing": 30, "Court": 24, "Children": 30, "Team": 22, "Lawyer": 22, "Judge": 22}
)


def export_values(row: DiaryRow) -> list[Cell]:
    return [
        row.day,
        row.time,
        row.estimate_minutes,
        row.kind,
        row.status_label,
        row.court_centre,
        row.courtroom,
        row.mode,
        row.judge,
        row.reference,
        row.court_reference,
        row.children,
        row.team,
        row.lawyer,
    ]


def _export(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    """The diary's period (the week or the day shown) as a file, made here: a week's
    hearings are a few hundred rows at most."""
    form = _diary_form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "court/diary.html", _diary_context(request, form), status=400)
    view, start, end = form.period(clock.today())
    rows = diary_rows(request.user, start=start, end=end, **form.filters())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"diary.{file_format}"
        values = (export_values(row) for row in rows)
        if file_format == "csv":
            write_csv(path, HEADERS, values)
        else:
            write_xlsx(path, HEADERS, values, title="Court diary", layout=LAYOUT)
        body = path.read_bytes()
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    name = f"court-diary-{view}-{start.isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def diary_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export(request, "csv")


@login_required
@require_GET
def diary_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@login_required
@require_GET
def my_cases_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.role != Role.LEGAL or not request.user.is_active:
        # Said on the page (the site's 403 page does not show a view's reason).
        context = {"message": MY_CASES_REFUSED, "board": may_view_board(request.user)}
        return render(request, "court/my_cases_refused.html", context, status=403)
    today = Today.now()
    rows = my_cases(request.user, today)
    return render(
        request,
        "court/my_cases.html",
        {
            "rows": rows,
            "board_url": reverse("board:board") + "?mine=1",
            "diary_url": reverse("court_diary:diary") + f"?lawyer={request.user.pk}",
        },
    )
