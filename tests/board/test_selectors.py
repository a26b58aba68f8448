"""The board's rows, columns, filters, sort, search, counts and pagination."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.board.forms import BoardFilterForm
from legaltracker.board.selectors import board_counts, board_page, board_rows, filtered_cases
from legaltracker.cases.selectors import case_list
from legaltracker.deadlines.models import Deadline
from legaltracker.deadlines.selectors import Today

D = dt.date
pytestmark = pytest.mark.django_db


def ids(queryset) -> list[int]:
    return [case.pk for case in queryset]


def rows(user, **filters):
    return board_rows(user, Today.now(), filters)


def test_board_holds_open_cases_in_a_legal_stage_only(cases, staff):
    assert sorted(ids(rows(staff.court_liaison_officer))) == sorted(c.pk for c in cases.on_board)


def test_pre_proceedings_row_has_every_column(cases, staff):
    page = board_page(user=staff.court_liaison_officer, today=Today.now())
    row = next(r for r in page.rows if r.id == cases.pre_proceedings.pk)
    assert row.reference == cases.pre_proceedings.reference
    assert [c.name for c in row.children] == ["Ada Quillfeather"]
    assert row.team_code == "north"
    assert row.social_worker_id == staff.social_worker.pk
    assert row.social_worker_name == staff.social_worker.get_full_name()
    assert row.stage == "pre_proceedings"
    assert row.stage_entered_on == D(2026, 1, 7)
    assert row.days_in_stage == 56
    assert row.weeks_in_stage == 8
    assert row.weeks_in_pre_proceedings == 8
    assert row.weeks_since_issue is None
    assert row.next_deadline is not None
    assert (row.next_deadline.milestone, row.next_deadline.due, row.next_deadline.status) == (
        "review_meeting",
        D(2026, 3, 3),
        "overdue",
    )
    assert row.rag == "red"
    assert row.last_oversight_on == D(2026, 2, 20)
    assert row.days_since_oversight == 12
    assert row.last_assessment_on == D(2026, 2, 2)
    assert row.assessment_stale is False
    assert row.extensions == 1
    assert (row.urgent, row.unborn_baby) == (False, False)


def test_proceedings_row_counts_weeks_since_issue_and_flags(cases, staff):
    page = board_page(user=staff.court_liaison_officer, today=Today.now())
    row = next(r for r in page.rows if r.id == cases.proceedings.pk)
    assert row.stage == "proceedings"
    assert row.weeks_since_issue == 2
    assert row.weeks_in_pre_proceedings is None
    assert row.days_in_stage == 20
    assert (row.next_deadline.milestone, row.next_deadline.due, row.next_deadline.status) == (
        "advocates_meeting",
        D(2026, 3, 5),
        "due_soon",
    )
    assert row.rag == "amber"
    assert row.urgent is True
    assert row.unborn_baby is True
    assert [c.name for c in row.children] == ["Unborn baby Penhallow"]
    assert row.last_oversight_on is None
    assert row.days_since_oversight is None
    assert row.last_assessment_on is None
    assert row.extensions == 0


def test_gateway_row_is_green_with_no_weeks_clock(cases, staff):
    page = board_page(user=staff.court_liaison_officer, today=Today.now())
    row = next(r for r in page.rows if r.id == cases.gateway_green.pk)
    assert row.rag == "green"
    assert (row.next_deadline.milestone, row.next_deadline.due, row.next_deadline.status) == (
        "gateway_meeting",
        D(2026, 3, 17),
        "pending",
    )
    assert row.weeks_in_pre_proceedings is None and row.weeks_since_issue is None


def test_next_deadline_is_the_earliest_outstanding_deadline_row(cases, staff):
    for row in board_page(user=staff.court_liaison_officer, today=Today.now()).rows:
        earliest = (
            Deadline.objects.outstanding().filter(case_id=row.id).order_by("due", "id").first()
        )
        assert (row.next_deadline.milestone, row.next_deadline.due) == (
            earliest.milestone,
            earliest.due,
        )


def test_rag_agrees_with_the_case_list(cases, staff):
    today = Today.now()
    expected = {c.pk: c.rag for c in case_list(user=staff.court_liaison_officer, today=today)}
    for case in rows(staff.court_liaison_officer):
        assert case.rag == expected[case.pk]


def test_assessment_is_stale_when_its_currency_deadline_has_passed(cases, staff):
    Deadline.objects.filter(case=cases.pre_proceedings, milestone="assessment_currency").update(
        due=D(2026, 3, 1)
    )
    case = rows(staff.court_liaison_officer).get(pk=cases.pre_proceedings.pk)
    assert case.assessment_stale is True


# --- filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"stage": ["pre_proceedings"]}, {"pre_proceedings"}),
        (
            {"stage": ["legal_gateway", "proceedings"]},
            {"gateway_green", "other_team", "proceedings"},
        ),
        ({"stage": ["issue"]}, set()),
        ({"team": "north"}, {"pre_proceedings", "proceedings", "gateway_green"}),
        ({"team": "south"}, {"other_team"}),
        ({"rag": ["red"]}, {"pre_proceedings", "other_team"}),
        ({"rag": ["amber"]}, {"proceedings"}),
        ({"rag": ["green", "amber"]}, {"gateway_green", "proceedings"}),
        ({"overdue": True}, {"pre_proceedings", "other_team"}),
        ({"due_within": 3}, {"proceedings"}),
        ({"due_within": 14}, {"proceedings", "gateway_green"}),
        ({"due_within": 0}, set()),
        ({"milestone": "gateway_meeting"}, {"gateway_green", "other_team"}),
        ({"milestone": "gateway_meeting", "due_within": 14}, {"gateway_green"}),
        ({"stage": ["legal_gateway"], "rag": ["red"]}, {"other_team"}),
    ],
)
def test_filters(cases, staff, filters, expected):
    names = {getattr(cases, name).pk: name for name in expected}
    assert set(ids(rows(staff.court_liaison_officer, **filters))) == set(names)


def test_social_worker_filter(cases, staff, other_staff):
    mine = set(ids(rows(staff.court_liaison_officer, social_worker=staff.social_worker.pk)))
    assert mine == {cases.pre_proceedings.pk, cases.proceedings.pk, cases.gateway_green.pk}
    theirs = set(ids(rows(staff.court_liaison_officer, social_worker=other_staff.social_worker.pk)))
    assert theirs == {cases.other_team.pk}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Quillfeather", {"pre_proceedings"}),
        ("quill", {"pre_proceedings"}),
        ("Tregarthen", {"pre_proceedings"}),  # an adult's name
        ("ada quillfeather", {"pre_proceedings"}),  # every word must match
        ("ada penhallow", set()),
        ("Penhallow", {"proceedings"}),
        ("nobody-called-this", set()),
    ],
)
def test_search_by_name(cases, staff, q, expected):
    wanted = {getattr(cases, name).pk for name in expected}
    assert set(ids(rows(staff.court_liaison_officer, q=q))) == wanted


def test_search_by_reference(cases, staff):
    reference = cases.proceedings.reference
    assert ids(rows(staff.court_liaison_officer, q=reference)) == [cases.proceedings.pk]
    assert ids(rows(staff.court_liaison_officer, q=reference.lower())) == [cases.proceedings.pk]


# --- sort -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # next deadlines: other 17 Feb, pre-proceedings 3 Mar, proceedings 5 Mar, green 17 Mar
        ("next_deadline", ["other_team", "pre_proceedings", "proceedings", "gateway_green"]),
        ("-next_deadline", ["gateway_green", "proceedings", "pre_proceedings", "other_team"]),
        ("stage", ["other_team", "gateway_green", "pre_proceedings", "proceedings"]),
        ("-stage", ["proceedings", "pre_proceedings", "gateway_green", "other_team"]),
        ("rag", ["other_team", "pre_proceedings", "proceedings", "gateway_green"]),
        ("-rag", ["gateway_green", "proceedings", "pre_proceedings", "other_team"]),
        # weeks: proceedings 2, pre-proceedings 8; gateway cases have no clock and go last
        ("weeks", ["proceedings", "pre_proceedings", "gateway_green", "other_team"]),
        ("-weeks", ["pre_proceedings", "proceedings", "gateway_green", "other_team"]),
        ("time_in_stage", ["gateway_green", "proceedings", "other_team", "pre_proceedings"]),
        ("-time_in_stage", ["pre_proceedings", "other_team", "proceedings", "gateway_green"]),
    ],
)
def test_sort(cases, staff, sort, expected):
    assert ids(rows(staff.court_liaison_officer, sort=sort)) == [
        getattr(cases, name).pk for name in expected
    ]


def test_sort_by_reference(cases, staff):
    by_reference = sorted(cases.on_board, key=lambda c: c.reference)
    assert ids(rows(staff.court_liaison_officer, sort="reference")) == [c.pk for c in by_reference]
    assert ids(rows(staff.court_liaison_officer, sort="-reference")) == [
        c.pk for c in reversed(by_reference)
    ]


def test_default_sort_is_next_deadline(cases, staff):
    assert ids(rows(staff.court_liaison_officer)) == ids(
        rows(staff.court_liaison_officer, sort="next_deadline")
    )


# --- counts and pagination --------------------------------------------------------------


def test_counts_by_stage_and_rag(cases, staff, django_assert_num_queries):
    today = Today.now()
    queryset = filtered_cases(staff.court_liaison_officer, today)
    with django_assert_num_queries(1):
        counts = board_counts(queryset, today)
    assert counts.total == 4
    assert counts.stage == {"legal_gateway": 2, "pre_proceedings": 1, "issue": 0, "proceedings": 1}
    assert counts.rag == {"red": 2, "amber": 1, "green": 1}


def test_counts_follow_the_filters(cases, staff):
    today = Today.now()
    counts = board_counts(
        filtered_cases(staff.court_liaison_officer, today, {"team": "north"}), today
    )
    assert counts.total == 3
    assert counts.stage["legal_gateway"] == 1
    assert counts.rag == {"red": 1, "amber": 1, "green": 1}


def test_pagination(cases, staff):
    clo, today = staff.court_liaison_officer, Today.now()
    everything = ids(rows(clo))
    first = board_page(user=clo, today=today, page=1, page_size=3)
    second = board_page(user=clo, today=today, page=2, page_size=3)
    assert (first.count, first.num_pages, first.has_next, first.has_previous) == (4, 2, True, False)
    assert [r.id for r in first.rows] + [r.id for r in second.rows] == everything
    assert (second.first_index, second.last_index, second.has_next) == (4, 4, False)


def test_a_page_past_the_end_shows_the_last_page(cases, staff):
    page = board_page(user=staff.court_liaison_officer, today=Today.now(), page=9, page_size=3)
    assert (page.number, page.requested, len(page.rows)) == (2, 9, 1)


def test_an_empty_board_has_one_empty_page(today, staff):
    page = board_page(user=staff.court_liaison_officer, today=Today.now())
    assert (page.count, page.num_pages, page.rows, page.first_index) == (0, 1, [], 0)


# --- who sees what --------------------------------------------------------------------


def test_team_manager_sees_only_their_team(cases, staff, other_staff):
    assert set(ids(rows(staff.team_manager))) == {
        cases.pre_proceedings.pk,
        cases.proceedings.pk,
        cases.gateway_green.pk,
    }
    assert ids(rows(other_staff.team_manager)) == [cases.other_team.pk]


def test_administrator_sees_no_case(cases, staff):
    assert ids(rows(staff.administrator)) == []


# --- the filter form ------------------------------------------------------------------


def form(user, **data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [str(value)])
    return BoardFilterForm(query, user=user)


def test_form_parses_every_filter(cases, staff):
    parsed = form(
        staff.court_liaison_officer,
        q="  Ada ",
        stage=["pre_proceedings", "issue"],
        team="north",
        social_worker=staff.social_worker.pk,
        rag=["red"],
        overdue="1",
        due_within="7",
        milestone="review_meeting",
        sort="-weeks",
        page="2",
        page_size="10",
    )
    assert parsed.is_valid(), parsed.errors
    assert parsed.filters() == {
        "q": "Ada",
        "stage": ["pre_proceedings", "issue"],
        "team": "north",
        "social_worker": staff.social_worker.pk,
        "rag": ["red"],
        "overdue": True,
        "due_within": 7,
        "milestone": "review_meeting",
        "sort": "-weeks",
    }
    assert (parsed.page_number(), parsed.rows_per_page()) == (2, 10)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"stage": "closed"}, "stage", "Choose a stage from the list"),
        ({"rag": "purple"}, "rag", "Choose red, amber or green."),
        ({"team": "atlantis"}, "team", "Choose a team from the list."),
        ({"social_worker": "abc"}, "social_worker", "Choose a social worker from the list."),
        ({"social_worker": "999999"}, "social_worker", "Choose a social worker from the list."),
        ({"due_within": "soon"}, "due_within", "Enter a number of days from 0 to 366"),
        ({"due_within": "-1"}, "due_within", "Enter a number of days from 0 to 366"),
        ({"milestone": "lunch"}, "milestone", "Choose a milestone from the list."),
        ({"sort": "colour"}, "sort", "Choose how to sort from the list."),
        ({"page": "two"}, "page", "The page must be a whole number"),
        ({"page_size": "100000"}, "page_size", "The page size must be a whole number"),
        ({"q": "x" * 101}, "q", "Search for 100 characters or fewer."),
    ],
)
def test_form_errors_say_what_to_fix(today, staff, data, field, message):
    parsed = form(staff.court_liaison_officer, **data)
    assert not parsed.is_valid()
    assert message in " ".join(parsed.errors[field])


def test_invalid_filters_are_left_out_and_valid_ones_kept(cases, staff):
    parsed = form(staff.court_liaison_officer, stage="closed", team="north", page="x")
    assert parsed.filters() == {"team": "north", "sort": "next_deadline"}
    assert parsed.page_number() == 1


def test_team_manager_cannot_filter_on_another_team(cases, staff, other_staff):
    assert not form(staff.team_manager, team="south").is_valid()
    assert not form(staff.team_manager, social_worker=other_staff.social_worker.pk).is_valid()
    assert form(staff.team_manager, team="north", social_worker=staff.social_worker.pk).is_valid()


@pytest.mark.parametrize(
    "values",
    [["red"], ["amber"], ["green"], ["red", "amber"], ["amber", "green"], ["red", "green"]],
)
@pytest.mark.slow
def test_rag_filter_matches_the_rag_expression_on_load_data(today, values):
    """The RAG filter is written as plain conditions for the planner; on a few hundred
    invented cases it picks exactly the cases whose RAG expression is one of the values."""
    from legaltracker.accounts.models import User
    from legaltracker.demo.loadgen import generate_load

    generate_load(open_cases=300, closed_cases=30, seed=17)
    clo = User.objects.get(username="load-clo")
    everything = rows(clo)
    expected = {case.pk for case in everything if case.rag in values}
    assert expected  # the data covers the values
    assert set(ids(rows(clo, rag=values))) == expected
    assert {case.rag for case in rows(clo, rag=values)} <= set(values)


@pytest.mark.parametrize("rag", ["red", "amber", "green"])
def test_counts_with_one_rag_chosen_match_the_full_count(cases, staff, rag):
    today = Today.now()
    clo = staff.court_liaison_officer
    quick = board_counts(filtered_cases(clo, today, {"rag": [rag]}), today, only_rag=rag)
    full = board_counts(filtered_cases(clo, today, {"rag": [rag]}), today)
    assert quick == full
    assert board_page(user=clo, today=today, filters={"rag": [rag]}).counts == full


@pytest.mark.parametrize(
    "sort",
    ["next_deadline", "-next_deadline", "reference", "-stage", "rag", "-weeks", "time_in_stage"],
)
@pytest.mark.slow
def test_every_page_shows_the_rows_of_the_sorted_board_in_order(today, sort):
    """A page is read in two steps (the ids by the sort key, then their columns): page after
    page, every row appears once, in the order and with the columns of the one annotated
    query (`board_rows`)."""
    from legaltracker.accounts.models import User
    from legaltracker.board.rows import BoardRow
    from legaltracker.demo.loadgen import generate_load

    generate_load(open_cases=120, closed_cases=20, seed=29)
    clo = User.objects.get(username="load-clo")
    when = Today.now()
    expected = [BoardRow.from_case(case, when) for case in rows(clo, sort=sort)]
    first = board_page(user=clo, today=when, filters={"sort": sort}, page=1, page_size=7)
    shown = list(first.rows)
    for number in range(2, first.num_pages + 1):
        page = board_page(user=clo, today=when, filters={"sort": sort}, page=number, page_size=7)
        shown.extend(page.rows)
    assert len(expected) > 7 * 3
    assert shown == expected


def test_counts_agree_with_rag_for_on_invented_cases(db, today):
    """The counts query's RAG (written out in SQL) against the rule itself, `rag_for`, on
    the earliest outstanding due date of each of 60 invented cases."""
    from collections import Counter

    from legaltracker.accounts.models import User
    from legaltracker.deadlines.models import Deadline
    from legaltracker.deadlines.selectors import rag_for
    from legaltracker.demo.loadgen import generate_load

    generate_load(open_cases=60, closed_cases=5, seed=31)
    clo, day = User.objects.get(username="load-clo"), Today.now()
    cases = filtered_cases(clo, day)
    expected: Counter[str] = Counter()
    for case in cases:
        dues = Deadline.objects.filter(case=case, applies=True, met_on__isnull=True)
        expected[
            rag_for(
                stage=case.stage,
                pre_proceedings_started_on=case.pre_proceedings_started_on,
                outstanding_dues=list(dues.values_list("due", flat=True)),
                today=day,
            )
        ] += 1
    assert len(expected) == 3  # the cases cover red, amber and green
    assert board_counts(cases, day).rag == {rag: expected[rag] for rag in ("red", "amber", "green")}
