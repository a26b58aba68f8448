"""Finding cases by reference, name, LA child id, court case number or a child's date of
birth (docs/performance.md, "Search" and "Find a case: every stage").

Each case keeps its searchable words in one column, `Case.search_text`: the reference, the
court case number, every child's and adult's first and last names and each child's LA
child id, folded (see `fold`). `parse_query` reads what a person typed into words and
dates ("Find a case" and the API's `q`), and `find_cases` applies it; the board still
calls `search_cases`, its own quieter rule. Both narrow a queryset of cases to those where
every word typed is part of that text; the caller chooses what to search within (the board
passes the open cases the person may see, "Find a case" every case they may see), so the
visibility and restriction rules stay where they are (`Case.objects.visible_to`).

On PostgreSQL a trigram index (pg_trgm, GIN) on the open cases' text answers the board's
`LIKE`, so it reads the open cases' index entries and never the closed history; a second
one covers every case's text for "Find a case" (migration 0006). On SQLite the same
`LIKE` reads the column.

The text is derived data: whatever writes a case's reference or court case number,
children or adults calls `search_text_refresh` with the case ids, in the same transaction
(`tests/architecture/test_search_text_writers.py` fails if a module writes them without
it). On PostgreSQL the refresh is one set-based UPDATE whose folding is SQL generated from
the same table as `fold`; on SQLite it is computed here in Python. A test on PostgreSQL
checks that both give the same text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Case

# Apostrophes of every shape vanish ("O'Brien", with a curly apostrophe, and "OBrien" are one
# name); the dashes people type are one hyphen; combining accents (a name typed decomposed)
# vanish.
_DELETED = "'\u2019\u2018\u02bc\u0060\u00b4" + "".join(chr(c) for c in range(0x300, 0x370))
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Latin letters that do not decompose into a letter and accents.
_LETTERS = {
    "Æ": "ae",
    "æ": "ae",
    "Œ": "oe",
    "œ": "oe",
    "ß": "ss",
    "ẞ": "ss",
    "Þ": "th",
    "þ": "th",
    "Ð": "d",
    "ð": "d",
    "Đ": "d",
    "đ": "d",
    "Ø": "o",
    "ø": "o",
    "Ł": "l",
    "ł": "l",
    "Ħ": "h",
    "ħ": "h",
    "Ŧ": "t",
    "ŧ": "t",
    "\u0131": "i",  # dotless i
    "Ŀ": "l",
    "ŀ": "l",
    "Ǿ": "o",
    "ǿ": "o",
    "Ǣ": "ae",
    "ǣ": "ae",
    "Ǽ": "ae",
    "ǽ": "ae",
}


def _fold_table() -> dict[str, str]:
    """Every Latin letter with an accent (Latin-1 Supplement, Latin Extended-A and -B) to
    its plain lower-case letters, the dashes to "-", the apostrophes and accents to ""."""
    table: dict[str, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if plain != char and plain.isascii() and plain.isalpha():
            table[char] = plain.lower()
    table.update(_LETTERS)
    table.update(dict.fromkeys(_DASHES, "-"))
    table.update(dict.fromkeys(_DELETED, ""))
    return table


FOLD_TABLE = _fold_table()
# `fold_sql` lets plain ASCII text skip the table but for these deletions.
assert all(not plain for char, plain in FOLD_TABLE.items() if char.isascii())
_TRANSLATION = str.maketrans(FOLD_TABLE)


def fold(text: str) -> str:
    """`text` as it is stored and searched: accents and apostrophes gone, dashes made
    hyphens, lower case ("Zoë O'Brien-Şahin" is "zoe obrien-sahin")."""
    return text.translate(_TRANSLATION).lower()


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fold_sql(expression: str) -> str:
    """The SQL that folds `expression` exactly as `fold` does: the letters that become two
    (æ, ß) by replace(), the others by one translate() (its characters with no partner
    are deleted), then lower()."""
    original = expression
    for char, plain in FOLD_TABLE.items():
        if len(plain) > 1:
            expression = f"replace({expression}, {_sql_literal(char)}, {_sql_literal(plain)})"
    single = [(char, plain) for char, plain in FOLD_TABLE.items() if len(plain) == 1]
    deleted = [char for char, plain in FOLD_TABLE.items() if not plain]
    source = "".join(char for char, _ in single) + "".join(deleted)
    target = "".join(plain for _, plain in single)
    full = f"lower(translate({expression}, {_sql_literal(source)}, {_sql_literal(target)}))"
    # translate() scans its long list for every character (0.4 ms a name): plain ASCII
    # text, nearly every name, needs only the ASCII characters of the table removed.
    ascii_deleted = "".join(char for char in deleted if char.isascii())
    ascii_only = f"lower(translate({original}, {_sql_literal(ascii_deleted)}, ''))"
    return f"CASE WHEN {original} ~ '^[ -~]*$' THEN {ascii_only} ELSE {full} END"


def search_text(
    reference: str | None,
    names: Iterable[tuple[str, ...]],
    court_reference: str = "",
) -> str:
    """The stored text of a case: its reference, its court case number (if any), then each
    person's first and last name, a child's LA child id after its name (children first,
    then adults, each in the order they were recorded).

    It mirrors `refresh_sql` word for word: a blank court case number or LA child id adds
    nothing (SQL's `concat_ws` skips the NULL that `nullif` makes of it), while a blank
    first name leaves its space, as `concat_ws` keeps an empty string."""
    parts = [reference or ""]
    if court_reference:
        parts.append(court_reference)
    for first, last, *extra in names:
        parts.append(" ".join([first, last, *(value for value in extra if value)]))
    return fold(" ".join(parts))


def search_terms(text: str, max_terms: int) -> list[str]:
    """The words of `text` to look for, folded; a word that folds to nothing (a lone
    apostrophe) is dropped rather than matching every case."""
    terms = [fold(word) for word in text.split()[:max_terms]]
    return [term for term in terms if term]


# --- finding any case: the words and dates of one query -----------------------------

# What "Find a case" and the API's `q` accept (docs/decisions.md, "Finding any case").
MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 5

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
# The UK forms people type, day first: 3/4/2026, 03.04.2026, 3-4-2026; 2026-04-03 (ISO);
# 3 April 2026, 3rd Apr 2026, 3 Sept. 2026. A year of two digits is refused with a hint.
_DATE_PATTERNS = [
    ("ymd", re.compile(r"(?<![\w-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w-])")),
    ("dmy", re.compile(r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\w/.-])")),
    (
        "dMy",
        re.compile(
            rf"(?<![\w-])(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_WORDS})\.?,?\s+(\d{{4}})(?![\w-])",
            re.IGNORECASE,
        ),
    ),
]
_SHORT_YEAR = re.compile(r"(?<![\w/.-])\d{1,2}([/.])\d{1,2}\1\d{2}(?![\w/.-])")
DATE_EXAMPLE = "like 3/4/2026, 3 April 2026 or 2026-04-03"


class QueryError(ValueError):
    """A query that cannot be searched; the message says what to type instead."""


@dataclass(frozen=True)
class Query:
    """A parsed query: folded words that must each be in the case's text, and dates that
    must each be a child's date of birth or expected date of birth on the case."""

    terms: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.dates)


def _date_from(kind: str, match: re.Match[str]) -> dt.date | None:
    try:
        if kind == "ymd":
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if kind == "dmy":
            return dt.date(int(match[4]), int(match[3]), int(match[1]))
        return dt.date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    except ValueError:
        return None


def parse_query(text: str) -> Query:
    """`text` as words and dates, or QueryError with a message a person can act on: too
    long, too many words, a date that does not exist or a year of two digits."""
    text = text.strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Search for {MAX_QUERY_LENGTH} characters or fewer.")
    dates: list[dt.date] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            day = _date_from(kind, match)
            if day is None:
                raise QueryError(f"'{match[0]}' is not a real date. Enter a date {DATE_EXAMPLE}.")
            dates.append(day)
        text = pattern.sub(" ", text)
    short = _SHORT_YEAR.search(text)
    if short:
        raise QueryError(f"Enter the year of '{short[0]}' in full, {DATE_EXAMPLE}.")
    words = text.split()
    if len(words) + len(dates) > MAX_QUERY_WORDS:
        raise QueryError(
            f"Search for {MAX_QUERY_WORDS} words or fewer (a date counts as one word)."
        )
    terms = [term for term in (fold(word) for word in words) if term]
    return Query(terms=tuple(dict.fromkeys(terms)), dates=tuple(dict.fromkeys(dates)))


def find_cases(queryset: QuerySet[Case], query: Query) -> QuerySet[Case]:
    """The cases in `queryset` that match every word and every date of `query`: each word
    is part of the case's text (reference, court case number, names, LA child ids), each
    date a child's date of birth or expected date of birth."""
    from .models import Child

    for term in query.terms:
        queryset = queryset.filter(search_text__contains=term)
    for day in query.dates:
        born = Child.objects.filter(Q(date_of_birth=day) | Q(expected_date_of_birth=day))
        queryset = queryset.filter(pk__in=born.values("case_id"))
    return queryset


def search_cases(queryset: QuerySet[Case], text: str, *, max_terms: int) -> QuerySet[Case]:
    """The cases in `queryset` whose reference or people's names contain every word of
    `text` (in any order, anywhere in a name: "smi" finds Smith, "2024-00" a reference).

    Whitespace separates words, so no word can run across two names."""
    for term in search_terms(text, max_terms):
        # `contains` is a case-sensitive LIKE: both sides are folded already, and PostgreSQL
        # answers it from the trigram index (a case-insensitive lookup would wrap the
        # column in UPPER() and miss the index).
        queryset = queryset.filter(search_text__contains=term)
    return queryset


# --- keeping the text up to date ------------------------------------------------------

_REFRESH_SQL = """
UPDATE cases_case AS c
SET search_text = fresh.text
FROM (
    SELECT src.id, {folded} AS text
    FROM cases_case AS src
    LEFT JOIN (
        SELECT case_id,
               string_agg(concat_ws(' ', first_name, last_name, nullif(la_child_id, '')),
                          ' ' ORDER BY id) AS names
        FROM cases_child {child_filter} GROUP BY case_id
    ) AS ch ON ch.case_id = src.id
    LEFT JOIN (
        SELECT case_id, string_agg(concat_ws(' ', first_name, last_name), ' ' ORDER BY id) AS names
        FROM cases_adult {adult_filter} GROUP BY case_id
    ) AS ad ON ad.case_id = src.id
    {case_filter}
) AS fresh
WHERE c.id = fresh.id AND c.search_text IS DISTINCT FROM fresh.text
"""


def refresh_sql(*, every_case: bool = False) -> str:
    """The one UPDATE that rewrites the text of the cases whose ids are its parameters
    (`= ANY(%s)`, three times), or of every case: aggregates, not a query per case, so the
    migration that fills the column for 200,000 cases takes seconds."""
    raw = (
        "concat_ws(' ', coalesce(src.reference, ''), nullif(src.court_reference, ''), "
        "ch.names, ad.names)"
    )
    folded = fold_sql(raw)
    if every_case:
        filters = {"child_filter": "", "adult_filter": "", "case_filter": ""}
    else:
        filters = {
            "child_filter": "WHERE case_id = ANY(%s)",
            "adult_filter": "WHERE case_id = ANY(%s)",
            "case_filter": "WHERE src.id = ANY(%s)",
        }
    return _REFRESH_SQL.format(folded=folded, **filters)


def compute_texts(
    case_model: Any, child_model: Any, adult_model: Any, case_ids: Sequence[int]
) -> dict[int, str]:
    """{case id: text} for `case_ids`, computed in Python (SQLite; the tests' reference)."""
    names: dict[int, list[tuple[str, ...]]] = defaultdict(list)
    children = child_model.objects.filter(case_id__in=case_ids).order_by("id")
    for case_id, *person in children.values_list(
        "case_id", "first_name", "last_name", "la_child_id"
    ):
        names[case_id].append(tuple(person))
    adults = adult_model.objects.filter(case_id__in=case_ids).order_by("id")
    for case_id, *person in adults.values_list("case_id", "first_name", "last_name"):
        names[case_id].append(tuple(person))
    rows = case_model.objects.filter(pk__in=case_ids).values_list(
        "pk", "reference", "court_reference"
    )
    return {
        pk: search_text(reference, names[pk], court_reference)
        for pk, reference, court_reference in rows
    }


_SQLITE_CHUNK = 500


def search_text_refresh(*, case_ids: Iterable[int]) -> None:
    """Rewrite the search text of `case_ids` from their reference, children and adults.
    Called by every writer of those, inside its transaction."""
    from .models import Adult, Case, Child

    ids = sorted(set(case_ids))
    if not ids:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(refresh_sql(), [ids, ids, ids])
        return
    for start in range(0, len(ids), _SQLITE_CHUNK):
        chunk = ids[start : start + _SQLITE_CHUNK]
        for pk, text in compute_texts(Case, Child, Adult, chunk).items():
            Case.objects.filter(pk=pk).exclude(search_text=text).update(search_text=text)
