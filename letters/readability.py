"""An offline readability scorer for letters to families.

Flesch reading ease and Flesch-Kincaid grade from word, sentence and syllable counts;
sentence lengths and the longest sentences; and the legal and social-work jargon found,
with plain alternatives. Pure Python with no word lists to download (recent `textstat`
fetches NLTK's cmudict on first use and fails offline), so it gives the same answer on
a server with no network.

How text is counted (the choices matter for the scores, so they are written down):
- A letter is a list of blocks: paragraphs, table cells and lines. A block ends a
  sentence, and so does ".", "!" or "?" followed by a space or the end of the block.
  Headings, table headers and list items therefore count as short sentences, as a
  reader meets them.
- Words are runs of letters and digits (with apostrophes: "don't" is one word). An
  email address or web link counts as one word of one syllable.
- Syllables are counted by a heuristic: groups of vowels, less a silent final "e",
  "es" or "ed" (but not "-le", "-ted", "-ded"), with a few common exceptions. A number
  counts one syllable per two digits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import conf

# The jargon list (docs/domain/letters.md): legal and social-work words that a letter must
# replace, or explain in its "Words we use in this letter" box. Capitalised acronyms
# match only in capitals; other terms match in any case, and with a plural "s".
DEFAULT_JARGON: dict[str, str] = {
    "threshold": "the legal test a court uses before it can make a care order",
    "significant harm": "serious harm",
    "s31": "the part of the law that lets a court make a care order",
    "section 31": "the part of the law that lets a court make a care order",
    "s20": "when a child lives away from home with a parent's agreement",
    "section 20": "when a child lives away from home with a parent's agreement",
    "accommodated": "living away from home with a parent's agreement",
    "Part 4": "the part of the law about care orders and supervision orders",
    "s47": "checks we make when we think a child may be hurt",
    "section 47": "checks we make when we think a child may be hurt",
    "PLO": "the court's rules for cases about children",
    "Public Law Outline": "the court's rules for cases about children",
    "pre-proceedings": "the time before any court case, when we work with you to make changes",
    "proceedings": "a court case",
    "care proceedings": "a court case about who looks after a child",
    "letter before proceedings": "a letter that says we are thinking about going to court",
    "LBP": "a letter that says we are thinking about going to court",
    "PPM": "a meeting with you and your solicitor before any court case",
    "CIN": "a child in need plan: the help your family gets from us",
    "CP": "a child protection plan: a plan to keep a child safe",
    "LAC": "a child in our care",
    "looked after child": "a child in our care",
    "ICPC": "a meeting to decide if a child needs a plan to keep them safe",
    "child protection conference": "a meeting to decide if a child needs a plan to keep them safe",
    "contact": "family time, or time with your child",
    "FGDM": "a family meeting",
    "family group decision-making": "a family meeting",
    "family group conference": "a family meeting",
    "legal gateway": "our meeting about whether to go to court",
    "legal planning meeting": "our meeting about whether to go to court",
    "schedule of expectations": "the list of what needs to change",
    "written agreement": "the list of what needs to change",
    "parental responsibility": "the rights and duties a parent has for a child",
    "care order": "an order that lets us decide where a child lives",
    "ICO": "an order that lets us decide where a child lives until the court case ends",
    "interim care order": (
        "an order that lets us decide where a child lives until the court case ends"
    ),
    "supervision order": "an order that lets us help and check on a family",
    "special guardianship order": "an order that lets a relative or friend bring up a child",
    "placement order": "an order that lets us look for a new family for a child",
    "emergency protection order": "an order that lets us keep a child safe in an emergency",
    "EPO": "an order that lets us keep a child safe in an emergency",
    "children's guardian": "a person the court chooses to speak up for a child",
    "Cafcass": "the service that finds a guardian to speak up for a child in court",
    "hearing": "a meeting in court with a judge",
    "advocate": "someone who helps you say what you think",
    "safeguarding": "keeping children safe",
    "statutory": "by law",
    "kinship carer": "a relative or friend who looks after a child",
    "connected person": "a relative or friend who looks after a child",
    "respite": "a short break",
    "LA": "the council",
    "local authority": "the council",
    "step down": "going back to a plan without court",
}

_EMAIL_OR_LINK = re.compile(r"\S+@\S+\.\S+|(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\u201d\u2019]*\s+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]{1,2}")
_SILENT_ENDING = re.compile(r"(?:[^laeiouy]es|(?<![td])ed|[^laeiouy]e)$")
_LETTERS = re.compile(r"[^a-z]")

# Where the heuristic is wrong on words that letters use often.
_SYLLABLE_EXCEPTIONS = {
    "every": 2,
    "everyone": 3,
    "everything": 3,
    "different": 3,
    "business": 2,
    "family": 3,
    "families": 3,
    "really": 2,
    "area": 3,
    "idea": 3,
    "create": 2,
    "being": 2,
    "going": 2,
    "doing": 2,
    "seeing": 2,
    "people": 2,
    "quiet": 2,
    "science": 2,
    "area's": 3,
    "wednesday": 2,
    "february": 4,
    "january": 4,
    "radio": 3,
    "video": 3,
    "poem": 2,
    "lion": 2,
    "cafe": 2,
    "recipe": 3,
    "maybe": 2,
    "somewhere": 2,
    "sometimes": 2,
    "someone": 2,
    "anyone": 3,
    "something": 2,
    "themselves": 2,
    "vehicle": 3,
    "naive": 2,
    "doesn't": 2,
    "isn't": 2,
    "wasn't": 2,
    "didn't": 2,
    "couldn't": 2,
    "wouldn't": 2,
    "shouldn't": 2,
    "aren't": 1,
    "can't": 1,
    "won't": 1,
    "don't": 1,
    "you're": 1,
    "we're": 1,
    "they're": 1,
    "i'm": 1,
    "we'll": 1,
    "you'll": 1,
}


@lru_cache(maxsize=50_000)
def syllables(word: str) -> int:
    """Syllables in one word, by the heuristic described above (at least 1)."""
    lowered = word.lower().replace("\u2019", "'")
    if lowered in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[lowered]
    if lowered.isdigit():
        return max(1, math.ceil(len(lowered) / 2))
    letters = _LETTERS.sub("", lowered)
    if not letters:
        return 1
    if len(letters) <= 3:
        return 1
    stem = _SILENT_ENDING.sub("", letters)
    stem = re.sub(r"^y", "", stem)
    return max(1, len(_VOWEL_GROUPS.findall(stem)))


def words(text: str) -> list[str]:
    return _WORD.findall(_EMAIL_OR_LINK.sub(" link ", text))


def sentences(blocks: Iterable[str]) -> list[str]:
    """The sentences of the blocks, in order (a block always ends one)."""
    found: list[str] = []
    for block in blocks:
        for line in block.split("\n"):
            for sentence in _SENTENCE_END.split(line.strip()):
                if words(sentence):
                    found.append(sentence.strip())
    return found


@dataclass(frozen=True)
class JargonTerm:
    term: str
    plain: str
    body: str  # the term as a regular expression (capitals-only terms match case-sensitively)
    first_word: str  # a quick test: the term cannot be in a text without this

    @property
    def case_sensitive(self) -> bool:
        return self.term.isupper()


@dataclass(frozen=True)
class JargonList:
    """The jargon terms, longest first, so that "interim care order" is found (and hides
    "care order" inside it) before the shorter term is tried."""

    terms: tuple[JargonTerm, ...]

    def __iter__(self) -> Iterator[JargonTerm]:
        return iter(self.terms)


def _body(term: str) -> str:
    body = re.escape(term).replace(r"\ ", r"\s+")
    return body if term.isupper() else f"(?i:{body})"


@lru_cache(maxsize=256)
def _scanner(bodies: tuple[str, ...]) -> re.Pattern[str]:
    # One pass over the text; each term is a group, so the match says which term it was.
    alternatives = "|".join(f"({body})" for body in bodies)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?:s|'s|\u2019s)?(?![\w-])")


@lru_cache(maxsize=16)
def _jargon_list(table: tuple[tuple[str, str], ...]) -> JargonList:
    ordered = sorted(table, key=lambda item: (-len(item[0]), item[0]))
    return JargonList(
        tuple(
            JargonTerm(
                term,
                plain,
                _body(term),
                term.split()[0] if term.isupper() else term.split()[0].lower(),
            )
            for term, plain in ordered
        )
    )


def stored_jargon() -> dict[str, str] | None:
    """The jargon list kept in the admin (its active terms), or None while it has no rows
    or there is no database to read (a system check before the tables exist, a build, a
    pure test): then the defaults apply."""
    from django.db import DatabaseError

    from .models import JargonTerm

    try:
        rows = list(JargonTerm.objects.values_list("term", "meaning", "active"))
    except (DatabaseError, RuntimeError):
        return None
    if not rows:
        return None
    return {term: meaning for term, meaning, active in rows if active and meaning}


def jargon_terms(
    overrides: Mapping[str, str] | None = None, *, stored: Mapping[str, str] | None = None
) -> JargonList:
    """The jargon list: the admin's active terms (the defaults while it has none), plus
    or minus the configured changes (an empty plain alternative removes a term)."""
    base = stored if stored is not None else stored_jargon()
    table = dict(DEFAULT_JARGON if base is None else base)
    for term, plain in (conf.jargon_overrides() if overrides is None else overrides).items():
        if plain:
            table[term] = plain
        else:
            table.pop(term, None)
    return _jargon_list(tuple(sorted(table.items())))


@dataclass
class Report:
    words: int
    sentences: int
    syllables: int
    reading_ease: float
    grade: float
    average_sentence_words: float
    longest_sentences: list[dict[str, Any]]
    long_sentences: list[dict[str, Any]]
    jargon: list[dict[str, Any]]
    targets: dict[str, float] = field(default_factory=dict)

    @property
    def unexplained_jargon(self) -> list[dict[str, Any]]:
        return [item for item in self.jargon if not item["explained"]]

    @property
    def meets_targets(self) -> bool:
        return (
            self.reading_ease >= self.targets["reading_ease"]
            and self.grade <= self.targets["grade"]
            and not self.long_sentences
            and not self.unexplained_jargon
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "syllables": self.syllables,
            "reading_ease": self.reading_ease,
            "grade": self.grade,
            "average_sentence_words": self.average_sentence_words,
            "longest_sentences": self.longest_sentences,
            "long_sentences": self.long_sentences,
            "jargon": self.jargon,
            "unexplained_jargon": [item["term"] for item in self.unexplained_jargon],
            "targets": self.targets,
            "meets_targets": self.meets_targets,
        }


def find_jargon(
    text: str, explained: Iterable[str] = (), terms: JargonList | None = None
) -> list[dict[str, Any]]:
    """Each jargon term in the text, how often, and whether the letter explains it."""
    jargon = terms if terms is not None else jargon_terms()
    lowered = text.lower()
    # Only terms whose first word occurs at all go into the scan (a fast substring test).
    present = [
        term
        for term in jargon.terms
        if term.first_word in (text if term.case_sensitive else lowered)
    ]
    if not present:
        return []
    explained_lower = {term.lower() for term in explained}
    counts: dict[int, int] = {}
    for match in _scanner(tuple(term.body for term in present)).finditer(text):
        index = (match.lastindex or 1) - 1
        counts[index] = counts.get(index, 0) + 1
    return [
        {
            "term": present[index].term,
            "plain": present[index].plain,
            "count": count,
            "explained": present[index].term.lower() in explained_lower,
        }
        for index, count in sorted(counts.items())
    ]


def analyse(
    blocks: Iterable[str],
    *,
    explained: Iterable[str] = (),
    targets: Mapping[str, float] | None = None,
    jargon: JargonList | None = None,
    longest: int = 5,
) -> Report:
    """The readability report of a letter's text blocks."""
    blocks = list(blocks)
    found = sentences(blocks)
    split = [words(s) for s in found]
    lengths = [(len(w), s) for w, s in zip(split, found, strict=True)]
    word_list = [w for sentence_words in split for w in sentence_words]
    n_words = len(word_list)
    n_sentences = len(found)
    n_syllables = sum(syllables(w) for w in word_list)
    limits = dict(targets or conf.readability_targets())
    if n_words and n_sentences:
        per_sentence = n_words / n_sentences
        per_word = n_syllables / n_words
        ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
        grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    else:
        per_sentence, ease, grade = 0.0, 100.0, 0.0
    by_length = sorted(lengths, key=lambda item: -item[0])
    return Report(
        words=n_words,
        sentences=n_sentences,
        syllables=n_syllables,
        reading_ease=round(ease, 1),
        grade=round(grade, 1),
        average_sentence_words=round(per_sentence, 1),
        longest_sentences=[{"words": n, "text": s} for n, s in by_length[:longest]],
        long_sentences=[
            {"words": n, "text": s} for n, s in lengths if n > limits["sentence_words"]
        ],
        jargon=find_jargon("\n".join(blocks), explained, jargon),
        targets=limits,
    )
