"""Reads for the tracker board: every open case in a legal stage that the user may see,
with each column chosen up front so that a page costs the same few queries whether it
shows 3 cases or 50, and whether the database holds 20,000 closed cases or 200,000.

`filtered_cases` applies the filters; `board_rows` adds every column and the sort;
`board_counts` counts the filtered set by stage and RAG in one grouped query (its total
doubles as the pagination count); `board_page` puts them together for the HTML page and
the JSON twin: it chooses the page's ids by the sort key alone, then reads the columns
of those rows only (a written-out query), so that the last page costs what the first
does; `iter_board_rows`
walks every row for the exports.

The court columns (docs/court.md): the next listed hearing from now, the proceedings'
court and judge, HMCTS's "at risk" test and the council directions overdue. The "at
risk" filter is the test in SQL (`at_risk_condition`); the rows work it out in Python
(`rows.at_risk_reasons`, in words) from the first listed or held hearing of each kind,
read with the other columns; tests/board/test_court_columns.py keeps the two equal.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThan

from legaltracker.cases.choices import LEGAL_STAGES, EventKind, Stage
from legaltracker.cases.models import Case, Child, Extension, RecordedEvent
from legaltracker.cases.search import search_cases
from legaltracker.core import clock
from legaltracker.court.choices import (
    LONDON,
    OPEN_DIRECTION_STATUSES,
    DirectionParty,
    HearingStatus,
)
from legaltracker.court.models import Direction, Hearing
from legaltracker.court.timescales import AT_RISK_DAYS
from legaltracker.deadlines.choices import Milestone, Rag
from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.selectors import (
    Today,
    earliest_outstanding_due,
    rag_condition,
    rag_for,
    rag_from_earliest_due,
)
from legaltracker.deadlines.selectors import outstanding_deadlines as _outstanding

from .forms import DEFAULT_PAGE_SIZE, DEFAULT_SORT, MAX_SEARCH_TERMS
from .rows import BoardRow, ChildCell, child_name

RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN]

# Only the columns the board shows are read (the case row also holds free text).
_CASE_COLUMNS = (
    "id",
    "reference",
    "stage",
    "stage_entered_on",
    "pre_proceedings_started_on",
    "issued_on",
    "urgent",
    "unborn_baby",
    "team_id",
    "social_worker_id",
    "team__code",
    "team__name",
    "social_worker__username",
    "social_worker__first_name",
    "social_worker__last_name",
)
_CHILD_COLUMNS = (
    "id",
    "case_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
)


def _rank(field_name: str, values: list[Any]) -> models.Case:
    return models.Case(
        *(When(**{field_name: value}, then=Value(i)) for i, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def _last_event_on(kind: str) -> Subquery:
    latest = (
        RecordedEvent.objects.filter(case=OuterRef("pk"), kind=kind)
        .order_by()
        .values("case")
        .annotate(latest=Max("date"))
        .values("latest")
    )
    return Subquery(latest, output_field=DateField())


def _search(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Every word must match the reference or a child's or adult's name on the case
    (`cases/search.py`: the open cases' trigram index on PostgreSQL)."""
    return search_cases(queryset, text, max_terms=MAX_SEARCH_TERMS)


def _ordering(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    next_due = (
        F("next_due").desc(nulls_last=True) if descending else F("next_due").asc(nulls_last=True)
    )
    if key == "reference":
        return [F("reference").desc() if descending else F("reference").asc(), "id"]
    if key == "stage":
        return [F("stage_rank").desc() if descending else F("stage_rank").asc(), next_due, "id"]
    if key == "rag":
        return [F("rag_rank").desc() if descending else F("rag_rank").asc(), next_due, "id"]
    if key == "weeks":
        # Fewest weeks first is the latest start first; cases with no clock go last.
        started = F("clock_started_on")
        first = started.asc(nulls_last=True) if descending else started.desc(nulls_last=True)
        return [first, "id"]
    if key == "time_in_stage":
        entered = F("stage_entered_on")
        return [entered.asc() if descending else entered.desc(), "id"]
    return [next_due, "id"]


# --- the court columns ---------------------------------------------------------------

# A hearing still standing, or that took place: what the "at risk" test reads.
LIVE_HEARING_STATUSES = (HearingStatus.LISTED.value, HearingStatus.HELD.value)
_OPEN_DIRECTIONS = sorted(status.value for status in OPEN_DIRECTION_STATUSES)


def hearings_from(today: Today) -> dt.datetime:
    """The moment the next hearing is looked for from: now, or the start of the day
    when the board is read as of another day (an export made for its day, a test)."""
    now = clock.now()
    if now.astimezone(LONDON).date() == today.today:
        return now
    return dt.datetime.combine(today.today, dt.time(), tzinfo=LONDON)


class PlusDays(Func):
    """A date column plus a whole number of days, as a date on every database
    (PostgreSQL: a date plus an integer is a date)."""

    template = "(%(expressions)s + %(days)s)"
    output_field = DateField()

    def __init__(self, expression: Any, days: int) -> None:
        super().__init__(expression, days=int(days))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "date(%(expressions)s, '+%(days)s days')"
        return self.as_sql(compiler, connection, template=template, **extra)


def _live_hearings(kind: str) -> QuerySet[Hearing]:
    return Hearing.objects.filter(case=OuterRef("pk"), kind=kind, status__in=LIVE_HEARING_STATUSES)


def _first_live_day(kind: str) -> Subquery:
    """The London day of the case's first listed or held hearing of this kind."""
    first = (
        _live_hearings(kind)
        .order_by("starts_at")
        .annotate(day=TruncDate("starts_at", tzinfo=LONDON))
        .values("day")[:1]
    )
    return Subquery(first, output_field=DateField())


def at_risk_condition(day: dt.date) -> Q:
    """HMCTS's "at risk" test in SQL (`rows.at_risk_reasons` in Python): the first live
    case management hearing later than 24 days after issue, the issues resolution
    hearing later than 140, the final hearing later than 182; or, in proceedings, none
    live once that many days have passed since issue."""
    late = Q()
    for kind, limit in AT_RISK_DAYS.items():
        late |= Q(GreaterThan(_first_live_day(kind), PlusDays(F("issued_on"), limit)))
        late |= Q(
            ~Exists(_live_hearings(kind)),
            stage=Stage.PROCEEDINGS,
            issued_on__lt=day - dt.timedelta(days=limit),
        )
    return Q(issued_on__isnull=False) & late


def overdue_directions(day: dt.date) -> QuerySet[Direction]:
    """The case's council directions still to be done whose due date has passed."""
    return Direction.objects.filter(
        case=OuterRef("pk"),
        party=DirectionParty.COUNCIL,
        status__in=_OPEN_DIRECTIONS,
        due_on__lt=day,
    )


def with_court_columns(queryset: QuerySet[Case], today: Today) -> QuerySet[Case]:
    """The court columns (`rows.COURT_VALUES`) as annotations, for the exports."""
    next_hearing = Hearing.objects.filter(
        case=OuterRef("pk"), status=HearingStatus.LISTED, starts_at__gte=hearings_from(today)
    ).order_by("starts_at", "id")
    overdue = (
        overdue_directions(today.today)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    firsts = {
        f"first_{kind}": Subquery(
            _live_hearings(kind).order_by().values("case").annotate(m=Min("starts_at")).values("m")
        )
        for kind in AT_RISK_DAYS
    }
    return queryset.annotate(
        next_hearing_kind=Subquery(next_hearing.values("kind")[:1]),
        next_hearing_at=Subquery(next_hearing.values("starts_at")[:1]),
        next_hearing_minutes=Subquery(next_hearing.values("time_estimate_minutes")[:1]),
        next_hearing_court=Subquery(next_hearing.values("court_centre__name")[:1]),
        court_centre_name=F("proceedings__court_centre__name"),
        judge_name=F("proceedings__judge_name"),
        directions_overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
        **firsts,
    )


def filtered_cases(
    user: Any, today: Today, filters: dict[str, Any] | None = None
) -> QuerySet[Case]:
    """Open cases in a legal stage visible to `user` that pass `filters` (the keys
    `BoardFilterForm.filters()` gives), with no columns chosen yet: the counts read this
    light queryset, the page reads `board_rows`."""
    filters = filters or {}
    # One condition on the stage: two (the legal stages, then the chosen ones) make
    # PostgreSQL multiply their selectivities and expect a tenth of the rows it gets.
    stages = [s for s in LEGAL_STAGES if s in filters.get("stage", LEGAL_STAGES)]
    outstanding = _outstanding()
    queryset = Case.objects.visible_to(user).filter(stage__in=stages)
    if filters.get("team"):
        queryset = queryset.filter(team__code=filters["team"])
    if filters.get("social_worker"):
        queryset = queryset.filter(social_worker_id=filters["social_worker"])
    if filters.get("rag") and set(filters["rag"]) != set(Rag.values):
        queryset = queryset.filter(rag_condition(today, filters["rag"]))
    if filters.get("overdue"):
        queryset = queryset.filter(Exists(outstanding.filter(due__lt=today.today)))
    if filters.get("mine"):
        queryset = queryset.filter(allocated_lawyer_id=user.pk)
    if filters.get("court_centre"):
        queryset = queryset.filter(proceedings__court_centre__code=filters["court_centre"])
    if filters.get("judge"):
        queryset = queryset.filter(proceedings__judge_name__icontains=filters["judge"])
    if filters.get("at_risk"):
        queryset = queryset.filter(at_risk_condition(today.today))
    if filters.get("directions_overdue"):
        queryset = queryset.filter(Exists(overdue_directions(today.today)))
    due_within = filters.get("due_within")
    milestone = filters.get("milestone")
    if due_within is not None or milestone:
        wanted = outstanding
        if milestone:
            wanted = wanted.filter(milestone=milestone)
        if due_within is not None:
            wanted = wanted.filter(
                due__gte=today.today, due__lte=today.today + dt.timedelta(days=due_within)
            )
        queryset = queryset.filter(Exists(wanted))
    if filters.get("q"):
        queryset = _search(queryset, filters["q"])
    return queryset


def board_rows(user: Any, today: Today, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    """The board: `filtered_cases` annotated with every column and sorted as
    `filters["sort"]` says (next deadline first by default)."""
    filters = filters or {}
    return with_columns(filtered_cases(user, today, filters), today, filters.get("sort"))


def _clock_started_on() -> models.Case:
    # The clock the board counts weeks on: pre-proceedings from the gateway decision,
    # proceedings from issue (Day 1); none at the gateway or issue stage.
    return models.Case(
        When(stage=Stage.PRE_PROCEEDINGS, then=F("pre_proceedings_started_on")),
        When(stage=Stage.PROCEEDINGS, then=F("issued_on")),
        default=None,
        output_field=DateField(),
    )


def _sorted(queryset: QuerySet[Case], today: Today, sort: str | None) -> QuerySet[Case]:
    """`queryset` with the annotations `sort` orders by (and only those), in its order."""
    sort = sort or DEFAULT_SORT
    key = sort.lstrip("-")
    if key not in ("reference", "weeks", "time_in_stage"):  # the rest break ties on it
        queryset = queryset.annotate(next_due=earliest_outstanding_due())
    if key == "weeks":
        queryset = queryset.annotate(clock_started_on=_clock_started_on())
    if key == "stage":
        queryset = queryset.annotate(stage_rank=_rank("stage", list(LEGAL_STAGES)))
    if key == "rag":
        queryset = queryset.annotate(rag=rag_from_earliest_due(today, "next_due"))
        queryset = queryset.annotate(rag_rank=_rank("rag", RAG_ORDER))
    return queryset.order_by(*_ordering(sort))


def _held_early() -> QuerySet[Deadline]:
    """A deadline of the case, still applying, met before its not-before date (a meeting
    held before the family's notice ran out, a hearing before day 12):
    docs/domain/milestones.md, "Deadline statuses"."""
    return Deadline.objects.filter(
        case=OuterRef("pk"), applies=True, met_on__isnull=False, met_on__lt=F("not_before")
    )


def with_columns(queryset: QuerySet[Case], today: Today, sort: str | None) -> QuerySet[Case]:
    """Every board column of the cases in `queryset`, chosen up front, and the sort."""
    outstanding = _outstanding()
    next_deadline = outstanding.order_by("due", "id")
    extensions = (
        Extension.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        queryset.select_related("team", "social_worker")
        .only(*_CASE_COLUMNS)
        .annotate(
            next_milestone=Subquery(next_deadline.values("milestone")[:1]),
            next_due=earliest_outstanding_due(),
            clock_started_on=_clock_started_on(),
        )
        .annotate(
            # From the next due date just read: the earliest outstanding deadline is
            # overdue (due soon) exactly when any is.
            rag=rag_from_earliest_due(today, "next_due"),
            last_oversight_on=_last_event_on(EventKind.MANAGEMENT_OVERSIGHT),
            last_assessment_on=_last_event_on(EventKind.ASSESSMENT_COMPLETED),
            assessment_stale=Exists(
                outstanding.filter(milestone=Milestone.ASSESSMENT_CURRENCY, due__lt=today.today)
            ),
            extension_count=Coalesce(Subquery(extensions, output_field=IntegerField()), 0),
            held_early=Exists(_held_early()),
        )
    )
    queryset = with_court_columns(queryset, today)
    sort = sort or DEFAULT_SORT
    if sort.lstrip("-") == "stage":
        queryset = queryset.annotate(stage_rank=_rank("stage", list(LEGAL_STAGES)))
    if sort.lstrip("-") == "rag":
        queryset = queryset.annotate(rag_rank=_rank("rag", RAG_ORDER))
    return queryset.order_by(*_ordering(sort))


# The page's rows with their columns and children, for the ids the ORM's sorted query
# chooses (`{ids}`: its SQL, embedded, so that choosing and reading are one statement; `n`
# keeps its order). Written out: building the same query with the ORM's annotations took
# longer than PostgreSQL takes to run it. The children are joined in, one row each; the
# columns are worked out once per case, in the derived table (its LIMIT, which leaves out
# nothing, keeps the database from merging it into the join).
_PAGE_COLUMNS_SQL = """
WITH page_ids(id) AS ({ids}),
     page AS (SELECT id, row_number() OVER () AS n FROM page_ids)
SELECT p.*, nh.kind, nh.starts_at, nh.time_estimate_minutes, ncc.name,
       ch.id, ch.first_name, ch.last_name, ch.date_of_birth, ch.expected_date_of_birth
  FROM (SELECT c.id, c.reference, c.stage, c.stage_entered_on, c.pre_proceedings_started_on,
               c.issued_on, c.urgent, c.unborn_baby, t.code, t.name, c.social_worker_id,
               u.first_name, u.last_name, u.username,
               (SELECT d.milestone FROM deadlines_deadline d
                 WHERE d.case_id = c.id AND d.applies AND d.met_on IS NULL
                 ORDER BY d.due, d.id LIMIT 1),
               (SELECT d.due FROM deadlines_deadline d
                 WHERE d.case_id = c.id AND d.applies AND d.met_on IS NULL
                 ORDER BY d.due, d.id LIMIT 1),
               (SELECT max(e.date) FROM cases_recordedevent e
                 WHERE e.case_id = c.id AND e.kind = %s),
               (SELECT max(e.date) FROM cases_recordedevent e
                 WHERE e.case_id = c.id AND e.kind = %s),
               EXISTS (SELECT 1 FROM deadlines_deadline s
                        WHERE s.case_id = c.id AND s.applies AND s.met_on IS NULL
                          AND s.milestone = %s AND s.due < %s),
               (SELECT count(*) FROM cases_extension x WHERE x.case_id = c.id),
               page.n,
               EXISTS (SELECT 1 FROM deadlines_deadline h
                        WHERE h.case_id = c.id AND h.applies AND h.met_on < h.not_before),
               pcc.name,
               pr.judge_name,
               (SELECT h.id FROM court_hearing h
                 WHERE h.case_id = c.id AND h.status = %s AND h.starts_at >= %s
                 ORDER BY h.starts_at, h.id LIMIT 1) AS next_hearing_id,
               (SELECT count(*) FROM court_direction dr
                 WHERE dr.case_id = c.id AND dr.party = %s AND dr.status IN (%s, %s)
                   AND dr.due_on < %s),
               {first_live}
          FROM page
          JOIN cases_case c ON c.id = page.id
          JOIN accounts_team t ON t.id = c.team_id
          JOIN accounts_user u ON u.id = c.social_worker_id
          LEFT JOIN court_proceedings pr ON pr.case_id = c.id
          LEFT JOIN court_courtcentre pcc ON pcc.id = pr.court_centre_id
         LIMIT {limit}) p
  LEFT JOIN court_hearing nh ON nh.id = p.next_hearing_id
  LEFT JOIN court_courtcentre ncc ON ncc.id = nh.court_centre_id
  LEFT JOIN cases_child ch ON ch.case_id = p.id
 ORDER BY p.n, ch.date_of_birth, ch.id
"""
# The start of the case's first listed or held hearing of one kind (one per kind of
# `AT_RISK_DAYS`, in its order).
_FIRST_LIVE_SQL = """(SELECT min(h.starts_at) FROM court_hearing h
                 WHERE h.case_id = c.id AND h.kind = %s AND h.status IN (%s, %s))"""
# Positions in the page query's rows: the case's columns (its court columns from
# _COURT_AT), then the next hearing's, then the child's (from _CHILD_AT).
_COURT_AT = 22
_FIRST_LIVE_AT = _COURT_AT + 4
_NEXT_HEARING_AT = _FIRST_LIVE_AT + len(AT_RISK_DAYS)
_CHILD_AT = _NEXT_HEARING_AT + 4


def _date(value: Any) -> dt.date | None:
    # SQLite returns the dates of a written-out query as text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _page_query(ids: QuerySet[Case, int], today: Today, limit: int) -> tuple[str, list[Any]]:
    """The SQL and parameters of the page's rows (see above) for the ids `ids` chooses."""
    ids_sql, ids_params = ids.query.sql_with_params()
    sql = _PAGE_COLUMNS_SQL.format(
        ids=ids_sql,
        limit=int(limit),
        first_live=",\n               ".join([_FIRST_LIVE_SQL] * len(AT_RISK_DAYS)),
    )
    params: list[Any] = [
        *ids_params,
        EventKind.MANAGEMENT_OVERSIGHT.value,
        EventKind.ASSESSMENT_COMPLETED.value,
        Milestone.ASSESSMENT_CURRENCY.value,
        today.today,
        HearingStatus.LISTED.value,
        hearings_from(today),
        DirectionParty.COUNCIL.value,
        *_OPEN_DIRECTIONS,
        today.today,
    ]
    for kind in AT_RISK_DAYS:
        params += [kind, *LIVE_HEARING_STATUSES]
    return sql, params


def _page_rows(fetched: Iterable[tuple[Any, ...]], today: Today) -> list[BoardRow]:
    """The board's rows from the page query's rows (one per child), in the page's order."""
    cases: dict[int, dict[str, Any]] = {}
    children: dict[int, list[ChildCell]] = {}
    for row in fetched:
        pk = row[0]
        if pk not in cases:
            stage, pre_proceedings_started_on = row[2], _date(row[4])
            next_due = _date(row[15])
            clock = None  # as _clock_started_on
            if stage == Stage.PRE_PROCEEDINGS:
                clock = pre_proceedings_started_on
            elif stage == Stage.PROCEEDINGS:
                clock = _date(row[5])
            cases[pk] = {
                "id": pk,
                "reference": row[1],
                "stage": stage,
                "stage_entered_on": _date(row[3]),
                "urgent": bool(row[6]),
                "unborn_baby": bool(row[7]),
                "team__code": row[8],
                "team__name": row[9],
                "social_worker_id": row[10],
                "social_worker__first_name": row[11],
                "social_worker__last_name": row[12],
                "social_worker__username": row[13],
                "next_milestone": row[14],
                "next_due": next_due,
                "clock_started_on": clock,
                # The one rule, from the earliest outstanding due date: something is
                # overdue (due soon) exactly when the earliest is.
                "rag": str(
                    rag_for(
                        stage=stage,
                        pre_proceedings_started_on=pre_proceedings_started_on,
                        outstanding_dues=[next_due] if next_due else [],
                        today=today,
                    )
                ),
                "last_oversight_on": _date(row[16]),
                "last_assessment_on": _date(row[17]),
                "assessment_stale": bool(row[18]),
                "extension_count": row[19],
                "held_early": bool(row[21]),
                "issued_on": _date(row[5]),
                "court_centre_name": row[_COURT_AT],
                "judge_name": row[_COURT_AT + 1],
                "directions_overdue": row[_COURT_AT + 3],
                **{f"first_{kind}": row[_FIRST_LIVE_AT + i] for i, kind in enumerate(AT_RISK_DAYS)},
                "next_hearing_kind": row[_NEXT_HEARING_AT],
                "next_hearing_at": row[_NEXT_HEARING_AT + 1],
                "next_hearing_minutes": row[_NEXT_HEARING_AT + 2],
                "next_hearing_court": row[_NEXT_HEARING_AT + 3],
            }
            children[pk] = []
        child = row[_CHILD_AT:]
        if child[0] is not None:
            first, last, born, expected = child[1], child[2], _date(child[3]), _date(child[4])
            children[pk].append(
                ChildCell(child[0], child_name(first, last, born, expected), born, expected)
            )
    # The rows come ordered by their place on the page (`n`), children by birth.
    return [BoardRow.from_values(values, children[pk], today) for pk, values in cases.items()]


def with_children(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """The children of the rows fetched, in one more query."""
    children = Child.objects.only(*_CHILD_COLUMNS).order_by("date_of_birth", "id")
    return queryset.prefetch_related(Prefetch("children", queryset=children))


@dataclass(frozen=True)
class BoardCounts:
    total: int
    stage: dict[str, int]
    rag: dict[str, int]


# `deadlines.selectors.rag_expression` written out for the counts query, whose case table
# is never aliased: the same two lookups of the partial index per case, without the cost
# of building them with the ORM for every request (about 1.5 ms, as much as a search's
# counts take to run). tests/board/test_selectors.py keeps it equal to `rag_for`.
_COUNTS_RAG_SQL = """CASE
    WHEN EXISTS (SELECT 1 FROM deadlines_deadline d
                  WHERE d.case_id = cases_case.id AND d.applies AND d.met_on IS NULL
                    AND d.due < %s) THEN %s
    WHEN EXISTS (SELECT 1 FROM deadlines_deadline d
                  WHERE d.case_id = cases_case.id AND d.applies AND d.met_on IS NULL
                    AND d.due <= %s) THEN %s
    WHEN cases_case.stage = %s AND cases_case.pre_proceedings_started_on < %s THEN %s
    ELSE %s END"""


def _counts_rag(today: Today) -> RawSQL:
    # A constant text; every value is a bound parameter.
    return RawSQL(  # noqa: S611  # nosec B611
        _COUNTS_RAG_SQL,
        [
            today.today,
            Rag.RED.value,
            today.due_soon_until,
            Rag.AMBER.value,
            Stage.PRE_PROCEEDINGS.value,
            today.pre_proceedings_amber_before,
            Rag.AMBER.value,
            Rag.GREEN.value,
        ],
        output_field=models.CharField(),
    )


def _grouped(
    queryset: QuerySet[Case], today: Today, only_rag: str | None
) -> QuerySet[Any, tuple[Any, ...]]:
    """The counts query: (stage, RAG, n), or (stage, n) when `only_rag` is given."""
    queryset = queryset.order_by()
    if only_rag is not None:
        return queryset.values_list("stage").annotate(n=Count("pk"))
    return (
        queryset.annotate(board_rag=_counts_rag(today))
        .values_list("stage", "board_rag")
        .annotate(n=Count("pk"))
    )


def _tally(rows: Iterable[tuple[Any, ...]], only_rag: str | None) -> BoardCounts:
    stage = {s.value: 0 for s in LEGAL_STAGES}
    rag = {r.value: 0 for r in RAG_ORDER}
    total = 0
    for row in rows:
        stage_value, rag_value, n = (row[0], only_rag, row[1]) if only_rag else row
        stage[stage_value] = stage.get(stage_value, 0) + n
        rag[rag_value] = rag.get(rag_value, 0) + n
        total += n
    return BoardCounts(total=total, stage=stage, rag=rag)


def board_counts(
    queryset: QuerySet[Case], today: Today, *, only_rag: str | None = None
) -> BoardCounts:
    """Cases in `queryset` (`filtered_cases`) by stage and by RAG, from one grouped query.

    `only_rag` says that the filters already chose one RAG status: every case has it, so
    the query need not work it out again for each case.
    """
    return _tally(_grouped(queryset, today, only_rag), only_rag)


@dataclass
class BoardPage:
    rows: list[BoardRow]
    counts: BoardCounts
    number: int
    size: int
    requested: int  # the page asked for; `number` is clamped to the pages there are
    num_pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.num_pages = max(1, math.ceil(self.counts.total / self.size))

    @property
    def count(self) -> int:
        return self.counts.total

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def board_page(
    *,
    user: Any,
    today: Today,
    filters: dict[str, Any] | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> BoardPage:
    """One page of the board and the counts of the whole filtered set, whatever the number
    of cases: the counts, then the page's rows (its ids chosen by the sort key alone, then
    their columns and children, one statement). On PostgreSQL both go to the database in
    one round trip; a page past the last is read again as the last (rarely: the API
    refuses it, the page shows the last).

    The page's ids are chosen by the sort key alone, and every other column is read for
    those rows only: had the columns been read in the sorted query, PostgreSQL would work
    them out for every row it skips to reach a later page.
    """
    filters = filters or {}
    chosen_rags = set(filters.get("rag") or [])
    only_rag = next(iter(chosen_rags)) if len(chosen_rags) == 1 else None
    cases = filtered_cases(user, today, filters)
    sorted_ids = _sorted(cases, today, filters.get("sort")).values_list("pk", flat=True)

    def page_query(number: int) -> tuple[str, list[Any]]:
        offset = (number - 1) * page_size
        return _page_query(sorted_ids[offset : offset + page_size], today, page_size)

    number = max(1, page)
    counts_sql, counts_params = _grouped(cases, today, only_rag).query.sql_with_params()
    page_sql, page_params = page_query(number)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Client-side binding (Django's default with psycopg 3) sends both at once.
            cursor.execute(f"{counts_sql};\n{page_sql}", [*counts_params, *page_params])
            counts = _tally(cursor.fetchall(), only_rag)
            cursor.nextset()
        else:
            cursor.execute(counts_sql, counts_params)
            counts = _tally(cursor.fetchall(), only_rag)
            cursor.execute(page_sql, page_params)
        fetched = cursor.fetchall()
        last_page = max(1, math.ceil(counts.total / page_size))
        if number > last_page:
            number = last_page
            cursor.execute(*page_query(number))
            fetched = cursor.fetchall()
    rows = _page_rows(fetched, today)
    return BoardPage(rows=rows, counts=counts, number=number, size=page_size, requested=page)


def iter_board_rows(
    *, user: Any, today: Today, filters: dict[str, Any] | None = None, chunk_size: int = 1000
) -> Iterator[BoardRow]:
    """Every row of the filtered board, in its order, a chunk at a time (for exports)."""
    queryset = with_children(board_rows(user, today, filters))
    for case in queryset.iterator(chunk_size=chunk_size):
        yield BoardRow.from_case(case, today)
