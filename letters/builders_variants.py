"""Pure context builders of the letter variants: the easy-read letter before proceedings
and the letter to a young person (docs/letter-formats.md).

Each starts from the standard letter's context (`builders.letter_before_proceedings`),
so that it says the same facts and the approval checks read the same keys (concerns,
expectations, meeting), and adds what its template needs:

- easy read, under `easy`: what people typed, cut into one sentence a line; each
  expectation's first sentence, the rest, its date and the help, line by line; the
  children as lines; the family meeting (England) or family network meeting (Wales).
- young person, under `young`: the young person's first name and age, the other
  children, who the grown-ups are, and the service the children's guardian works for.
  The recipient is the child: `recipient` describes them (no address: the social worker
  gives the letter by hand), and the young person comes in `LetterFacts.extra["young_person"]`
  as a `ChildFacts`.

The glossary is each template's own: the terms its fixed wording uses, and any jargon in
what people typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from . import builders
from .choices import LetterKind, LetterVariant
from .facts import AdultFacts, ChildFacts, ExpectationFacts, LetterFacts
from .readability import JargonList, find_jargon, sentences

Context = dict[str, Any]

YOUNG_PERSON_MIN_AGE = 12

# Jargon each variant's fixed wording uses on purpose (and so always explains).
TEMPLATE_TERMS: dict[str, tuple[str, ...]] = {
    LetterVariant.EASY_READ: ("letter before proceedings",),
    LetterVariant.YOUNG_PERSON: ("advocate", "children's guardian"),
}


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years from `born` to `day` (a 29 February birthday counts from 1 March)."""
    years = day.year - born.year
    if (day.month, day.day) < (born.month, born.day):
        years -= 1
    return years


def lines_of(text: str) -> list[str]:
    """What someone typed, one sentence a line (easy read: one idea on each line)."""
    return sentences([text]) if text.strip() else []


def _glossary(variant: str, context: Context, jargon: JargonList) -> list[Context]:
    meanings = {term.term.lower(): (term.term, term.plain) for term in jargon}
    typed = "\n".join(builders._strings(_typed(context)))
    wanted = [t.lower() for t in TEMPLATE_TERMS.get(variant, ())]
    wanted += [item["term"].lower() for item in find_jargon(typed, terms=jargon)]
    entries, seen = [], set()
    for term in wanted:
        if term in meanings and term not in seen:
            seen.add(term)
            name, plain = meanings[term]
            entries.append({"term": name[0].upper() + name[1:], "meaning": plain})
    return sorted(entries, key=lambda e: e["term"].lower())


def _typed(context: Context) -> Context:
    # Everything but the glossary (which explains, and would find its own terms).
    return {key: value for key, value in context.items() if key != "glossary"}


def _family_meeting(facts: LetterFacts, base: Context) -> Context:
    d = facts.details
    exception = bool(d.fgdm_exception_reason or facts.fgdm_exception_on_case)
    offer = not exception and facts.nation in ("england", "wales")
    return {
        "offer": offer,
        "name": ("a family network meeting" if facts.nation == "wales" else "a family meeting"),
        "how_to_accept": d.fgdm_how_to_accept if offer else "",
    }


def _easy_expectation(row: Context, expectation: ExpectationFacts | None) -> Context:
    action = lines_of(row["action"]) or [""]
    return {
        "number": row["number"],
        "who": row["who"],
        "first": action[0],
        "more": action[1:],
        "due": row["due"],
        "help": lines_of(row["help"]),
    }


def easy_read_letter_before_proceedings(facts: LetterFacts, jargon: JargonList) -> Context:
    """The standard letter's context, and `easy`: the same facts, one idea a line."""
    context = builders.letter_before_proceedings(facts, jargon)
    children = [
        f"{child['name']}, {child['born']}" if child["born"] else child["name"]
        for child in context["children"]
    ]
    context["easy"] = {
        "children": children,
        "concerns": lines_of(context["concerns"]),
        "expectations": [_easy_expectation(row, None) for row in context["expectations"]],
        "family_meeting": _family_meeting(facts, context),
    }
    context["glossary"] = _glossary(LetterVariant.EASY_READ, context, jargon)
    return context


def young_person_recipient(child: ChildFacts) -> AdultFacts:
    """The stand-in `LetterFacts.recipient` for a letter to a child (the standard
    builders read an adult recipient): no address, no parental responsibility."""
    return AdultFacts(
        id=0, first_name=child.first_name, last_name=child.last_name, relationship="child"
    )


def _grown_ups(facts: LetterFacts) -> str:
    # The adults on the case are not always the young person's own parents (a
    # stepfather, a half-brother's father): "your family" is always true.
    return "family"


def young_person_letter(facts: LetterFacts, jargon: JargonList) -> Context:
    """The letter before proceedings' context for the young person named in
    `facts.extra["young_person"]`, and `young`: their name and age, and the words the
    letter uses about their family."""
    child: ChildFacts = facts.extra["young_person"]
    facts = replace(facts, recipient=young_person_recipient(child))
    context = builders.letter_before_proceedings(facts, jargon)
    others = [
        c.first_name or c.last_name
        for c in facts.children
        if not c.unborn
        and (c.first_name, c.last_name, c.date_of_birth)
        != (child.first_name, child.last_name, child.date_of_birth)
    ]
    full_name = f"{child.first_name} {child.last_name}".strip()
    context["recipient"] = {
        "name": full_name,
        "first_name": child.first_name or full_name,
        "address": "",
        "has_pr": False,
        "interpreter": False,
        "language": "English",
        "advocate": False,
    }
    context["young"] = {
        "first_name": child.first_name or full_name,
        "name": full_name,
        "age": age_on(child.date_of_birth, facts.today) if child.date_of_birth else 0,
        "born": builders.short_date(child.date_of_birth),
        "others": builders.join_words(others),
        "has_others": bool(others),
        "grown_ups": _grown_ups(facts),
        "guardian_service": "Cafcass Cymru" if facts.nation == "wales" else "Cafcass",
    }
    context["glossary"] = _glossary(LetterVariant.YOUNG_PERSON, context, jargon)
    return context


# (kind, variant) -> builder. The variants each kind has; the template files are named by
# `registry.shipped_template_name(kind, language, variant)`.
VARIANT_BUILDERS: dict[tuple[str, str], Callable[[LetterFacts, JargonList], Context]] = {
    (LetterKind.LETTER_BEFORE_PROCEEDINGS, LetterVariant.EASY_READ): (
        easy_read_letter_before_proceedings
    ),
    (LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN, LetterVariant.EASY_READ): (
        easy_read_letter_before_proceedings
    ),
    (LetterKind.LETTER_BEFORE_PROCEEDINGS, LetterVariant.YOUNG_PERSON): young_person_letter,
}


def variant_builder(kind: str, variant: str) -> Callable[[LetterFacts, JargonList], Context] | None:
    return VARIANT_BUILDERS.get((kind, variant))


# --- the invented family, for the variants ------------------------------------------------

# Amy and Ben are under 12: the young person's letter goes to an older sister.
SAMPLE_YOUNG_PERSON = ChildFacts("Jade", "Fletcher", date_of_birth=dt.date(2012, 1, 20))


def sample_variant_facts(kind: str, variant: str, **changes: Any) -> LetterFacts:
    """The invented family of letters/samples.py as the variant needs it (with Jade, 14,
    for the young person's letter)."""
    from . import samples

    facts = samples.sample_facts(kind)
    if variant == LetterVariant.YOUNG_PERSON:
        facts = replace(
            facts,
            children=(SAMPLE_YOUNG_PERSON, *facts.children),
            extra={"young_person": SAMPLE_YOUNG_PERSON},
        )
    return replace(facts, **changes) if changes else facts
