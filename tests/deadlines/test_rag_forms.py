"""The RAG rule is written several ways in `legaltracker.deadlines.selectors`: `rag_for`
(Python), `rag_expression` (an annotation), `rag_condition` (a filter), and
`rag_from_earliest_due` (an annotation from the earliest outstanding due date). Over a
table of cases around every boundary, they all give the same answer."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.deadlines.choices import Milestone, Rag
from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.selectors import (
    Today,
    earliest_outstanding_due,
    rag_condition,
    rag_expression,
    rag_for,
    rag_from_earliest_due,
)
from tests.factories import case_at

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)

# (name, stage, pre-proceedings start, [(due, applies, met)], expected) with dates as
# functions of `Today`, so each row sits on the boundary it names.
TABLE = [
    ("nothing outstanding", Stage.CONCERN, None, [], Rag.GREEN),
    ("overdue by a day", Stage.CONCERN, None, [(lambda t: t.today - DAY, True, False)], Rag.RED),
    ("due today", Stage.CONCERN, None, [(lambda t: t.today, True, False)], Rag.AMBER),
    (
        "due on the last due-soon day",
        Stage.LEGAL_GATEWAY,
        None,
        [(lambda t: t.due_soon_until, True, False)],
        Rag.AMBER,
    ),
    (
        "due the day after the due-soon window",
        Stage.LEGAL_GATEWAY,
        None,
        [(lambda t: t.due_soon_until + DAY, True, False)],
        Rag.GREEN,
    ),
    ("overdue but met", Stage.CONCERN, None, [(lambda t: t.today - DAY, True, True)], Rag.GREEN),
    (
        "overdue but no longer applies",
        Stage.CONCERN,
        None,
        [(lambda t: t.today - DAY, False, False)],
        Rag.GREEN,
    ),
    (
        "pre-proceedings past the amber weeks",
        Stage.PRE_PROCEEDINGS,
        lambda t: t.pre_proceedings_amber_before - DAY,
        [],
        Rag.AMBER,
    ),
    (
        "pre-proceedings exactly at the amber weeks",
        Stage.PRE_PROCEEDINGS,
        lambda t: t.pre_proceedings_amber_before,
        [],
        Rag.GREEN,
    ),
    (
        "pre-proceedings past the amber weeks and overdue",
        Stage.PRE_PROCEEDINGS,
        lambda t: t.pre_proceedings_amber_before - DAY,
        [(lambda t: t.today - DAY, True, False)],
        Rag.RED,
    ),
    (
        "long ago in pre-proceedings, now in proceedings",
        Stage.PROCEEDINGS,
        lambda t: t.pre_proceedings_amber_before - 100 * DAY,
        [],
        Rag.GREEN,
    ),
    (
        "one overdue among later ones",
        Stage.PROCEEDINGS,
        None,
        [
            (lambda t: t.due_soon_until + 30 * DAY, True, False),
            (lambda t: t.today - 10 * DAY, True, False),
        ],
        Rag.RED,
    ),
    (
        "closed, with old rows no longer applying",
        Stage.CLOSED,
        lambda t: t.pre_proceedings_amber_before - DAY,
        [(lambda t: t.today - 50 * DAY, False, False)],
        Rag.GREEN,
    ),
]


@pytest.fixture
def table(staff, today):
    """One case per row: made through the services, then set to the row's stage, start
    date and deadlines directly (the rule reads only those)."""
    when = Today.now(today)
    made = {}
    for name, stage, started, deadlines, expected in TABLE:
        case = case_at(Stage.CONCERN, staff, start=today - 5 * DAY)
        Case.objects.filter(pk=case.pk).update(
            stage=stage, pre_proceedings_started_on=started(when) if started else None
        )
        Deadline.objects.filter(case=case).delete()
        rows = []
        for cycle, (due, applies, met) in enumerate(deadlines, start=1):
            due_on = due(when)
            rows.append(
                Deadline(
                    case=case,
                    milestone=Milestone.MANAGEMENT_OVERSIGHT,
                    cycle=cycle,
                    starts_from=due_on - 20 * DAY,
                    due=due_on,
                    applies=applies,
                    met_on=due_on if met else None,
                )
            )
        Deadline.objects.bulk_create(rows)
        made[name] = (case.pk, stage, started(when) if started else None, deadlines, expected)
    return when, made


def test_the_python_rule_gives_the_expected_rag(table):
    when, made = table
    for name, (_, stage, started, deadlines, expected) in made.items():
        dues = [due(when) for due, applies, met in deadlines if applies and not met]
        got = rag_for(
            stage=stage, pre_proceedings_started_on=started, outstanding_dues=dues, today=when
        )
        assert got == expected, name


def test_the_annotation_agrees_with_the_python_rule(table):
    when, made = table
    annotated = dict(Case.objects.annotate(rag=rag_expression(when)).values_list("pk", "rag"))
    for name, (pk, *_, expected) in made.items():
        assert annotated[pk] == expected, name


def test_the_rule_from_the_earliest_due_date_agrees_with_the_python_rule(table):
    when, made = table
    from_earliest = dict(
        Case.objects.annotate(first_due=earliest_outstanding_due())
        .annotate(rag=rag_from_earliest_due(when, "first_due"))
        .values_list("pk", "rag")
    )
    for name, (pk, *_, expected) in made.items():
        assert from_earliest[pk] == expected, name


@pytest.mark.parametrize(
    "values",
    [[Rag.RED], [Rag.AMBER], [Rag.GREEN], [Rag.RED, Rag.AMBER], [Rag.AMBER, Rag.GREEN]],
)
def test_the_filter_agrees_with_the_python_rule(table, values):
    when, made = table
    chosen = set(Case.objects.filter(rag_condition(when, values)).values_list("pk", flat=True))
    assert chosen == {pk for pk, *_, expected in made.values() if expected in values}


def test_the_table_covers_every_colour():
    assert {row[-1] for row in TABLE} == set(Rag)
