"""The case search (legaltracker/cases/search.py): the folded text each case keeps, how a
search matches it, and on PostgreSQL that the SQL that writes the text folds exactly as the
Python that folds the words searched for."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legaltracker.cases import search
from legaltracker.cases.models import Adult, Case, Child
from legaltracker.cases.search import fold, search_cases, search_text_refresh
from legaltracker.cases.services import case_create
from tests.factories import case_data
from tests.markers import postgresql_only

MAX_TERMS = 5


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Zoë", "zoe"),
        ("ZOË", "zoe"),
        ("Zoe\u0308", "zoe"),  # typed decomposed: e and a combining diaeresis
        ("Siân Ní Bhriain", "sian ni bhriain"),
        ("O'Brien", "obrien"),
        ("O\u2019Brien", "obrien"),
        ("O\u02bcBrien", "obrien"),
        ("Smith-Jones", "smith-jones"),
        ("Smith\u2013Jones", "smith-jones"),
        ("Smith\u2011Jones", "smith-jones"),
        ("Łukasz Wałęsa", "lukasz walesa"),
        ("Øyvind Ærø", "oyvind aero"),
        ("Strauß", "strauss"),
        ("Şahin Çelik", "sahin celik"),
        ("LT-2026-000123", "lt-2026-000123"),
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


def _create(staff, children, adults=None):
    adults = adults or [
        {
            "first_name": "Parent",
            "last_name": "Example",
            "relationship": "mother",
            "parental_responsibility": True,
        }
    ]
    data = case_data(staff, children=children, adults=adults)
    return case_create(actor=staff.social_worker, data=data)


def _child(first, last):
    return {"first_name": first, "last_name": last, "date_of_birth": "2019-04-01"}


def found(text) -> set[int]:
    return set(
        search_cases(Case.objects.all(), text, max_terms=MAX_TERMS).values_list("pk", flat=True)
    )


@pytest.fixture
def family(staff, today):
    """Three cases whose names test accents, apostrophes and hyphens."""
    zoe = _create(staff, [_child("Zoë", "Ó Súilleabháin")])
    obrien = _create(
        staff,
        [_child("Kieran", "O\u2019Brien")],
        [
            {
                "first_name": "Aoife",
                "last_name": "O'Brien-Nwosu",
                "relationship": "mother",
                "parental_responsibility": True,
            }
        ],
    )
    smith = _create(staff, [_child("Tomasz", "Smith-Jones"), _child("Zoe", "Smith-Jones")])
    return zoe, obrien, smith


def test_case_create_writes_the_text(family):
    zoe, obrien, _ = family
    zoe.refresh_from_db()
    assert zoe.search_text == f"{zoe.reference.lower()} zoe o suilleabhain parent example"
    obrien.refresh_from_db()
    assert obrien.search_text == f"{obrien.reference.lower()} kieran obrien aoife obrien-nwosu"


def test_accents_are_found_with_or_without(family):
    zoe, _, smith = family
    assert found("Zoë") == {zoe.pk, smith.pk}
    assert found("zoe") == {zoe.pk, smith.pk}
    assert found("Suilleabhain") == {zoe.pk}
    assert found("súilleabháin") == {zoe.pk}
    assert found("SÚILLEABHÁIN") == {zoe.pk}


def test_apostrophes_of_any_shape_or_none(family):
    _, obrien, _ = family
    for typed in ("O'Brien", "o\u2019brien", "OBrien", "obri"):
        assert found(typed) == {obrien.pk}, typed
    # A word that is nothing but an apostrophe asks for nothing (not "every case").
    assert found("'") == found("") == {c.pk for c in family}


def test_hyphenated_names(family):
    _, obrien, smith = family
    assert found("Smith-Jones") == {smith.pk}
    assert found("smith\u2013jones") == {smith.pk}
    assert found("Jones") == {smith.pk}
    assert found("Smith Jones") == {smith.pk}
    assert found("SmithJones") == set()
    assert found("Nwosu") == {obrien.pk}


def test_every_word_must_match(family):
    zoe, _, smith = family
    assert found("zoe smith") == {smith.pk}
    assert found("smith zoe") == {smith.pk}
    assert found("zoe suilleabhain") == {zoe.pk}
    assert found("zoe kieran") == set()


def test_no_word_runs_across_two_names(family):
    # "Zoë" then "Ó Súilleabháin": the text has a space between them, and a word has none.
    assert found("zoeo") == set()
    assert found("jonestomasz") == set()


def test_reference_fragments(family):
    zoe, _, _ = family
    assert found(zoe.reference) == {zoe.pk}
    assert found(zoe.reference.lower()) == {zoe.pk}
    assert found(zoe.reference[-6:]) == {zoe.pk}


def test_like_wildcards_are_plain_characters(family):
    assert found("%") == set()
    assert found("_") == set()
    assert found("Zo_") == set()
    assert found("\\") == set()


def test_only_the_first_words_count(family):
    zoe, _, smith = family
    # The sixth word is past the limit: not looked for.
    assert found("zoe zoe zoe zoe zoe nobody") == {zoe.pk, smith.pk}


def test_searches_only_within_the_queryset_given(family):
    smith = family[2]
    within = Case.objects.filter(pk=smith.pk)
    assert set(search_cases(within, "zoe", max_terms=MAX_TERMS)) == {smith}


def test_a_renamed_child_is_found_by_the_new_name_not_the_old(family):
    zoe, _, _ = family
    # Whatever writes a name calls the refresh in the same transaction (the architecture
    # test tests/architecture/test_search_text_writers.py holds every writer to it).
    Child.objects.filter(case=zoe).update(first_name="Niamh", last_name="Quirke")
    search_text_refresh(case_ids=[zoe.pk])
    assert found("Quirke") == {zoe.pk}
    assert zoe.pk not in found("Suilleabhain")
    Adult.objects.filter(case=zoe).update(last_name="Ferreira")
    search_text_refresh(case_ids=[zoe.pk])
    assert found("ferreira niamh") == {zoe.pk}
    assert found("example") == {family[2].pk}  # the one other case with an Example parent


def test_refresh_of_nothing_is_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        search_text_refresh(case_ids=[])


# --- PostgreSQL: the SQL and the Python fold agree ------------------------------------

NAMES = [
    "Zoë",
    "ZOË",
    "Zoe\u0308",
    "O\u2019Brien-Nwosu",
    "Ægir Þórsson",
    "Łukasz",
    "Straße",
    "İlkay Şahin",
    "Ǆemal",
    "Dvořák",
    "Nguyễn Thị Minh Khai",
    "O'Neill\u2014Smith",
    "100% _odd_ \\ names",
]


def _sql_fold(text: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {search.fold_sql('t.x')} FROM (SELECT %s::text AS x) AS t", [text])
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.parametrize("name", NAMES)
def test_sql_folds_as_python(db, name):
    assert _sql_fold(name) == fold(name)


_LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x24F, exclude_characters="\x7f")
_MARKS = st.sampled_from(["'", "\u2019", "\u2013", "\u0301", "\u0308", "-", " "])


@postgresql_only
# The fixture's database is only read: sharing it between examples is safe.
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(st.one_of(_LATIN, _MARKS), max_size=40))
def test_sql_folds_as_python_for_any_latin_text(db, text):
    assert _sql_fold(text) == fold(text)


@postgresql_only
def test_the_stored_text_is_the_python_text(staff, today):
    cases = [
        _create(staff, [_child(first, last)])
        for first, last in [
            ("Zoë", "Ó Súilleabháin"),
            ("Ægir", "O\u2019Brien\u2013Şahin"),
            ("", "Dvořák"),
        ]
    ]
    expected = search.compute_texts(Case, Child, Adult, [c.pk for c in cases])
    stored = dict(Case.objects.filter(pk__in=expected).values_list("pk", "search_text"))
    assert stored == expected


@postgresql_only
def test_the_migration_fill_rewrites_every_case(staff, today):
    cases = [_create(staff, [_child("Zoë", f"Example{n}")]) for n in range(3)]
    expected = dict(Case.objects.values_list("pk", "search_text"))
    Case.objects.update(search_text="")
    with connection.cursor() as cursor:
        cursor.execute(search.refresh_sql(every_case=True))
        assert cursor.rowcount == len(cases)
    assert dict(Case.objects.values_list("pk", "search_text")) == expected


@postgresql_only
def test_open_cases_have_a_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'cases_case' "
            "AND indexname = 'case_search_open_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin (search_text gin_trgm_ops)" in definition
    assert "WHERE" in definition and "'closed'" in definition
