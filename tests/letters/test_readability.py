"""The offline readability scorer: syllables, sentences, Flesch figures, jargon."""

from __future__ import annotations

import socket
import sys

import pytest

from letters import readability
from letters.readability import analyse, find_jargon, jargon_terms, sentences, syllables


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cat", 1),
        ("the", 1),
        ("court", 1),
        ("care", 1),
        ("judge", 1),
        ("makes", 1),
        ("jumped", 1),
        ("wanted", 2),
        ("little", 2),
        ("meeting", 2),
        ("decide", 2),
        ("happy", 2),
        ("family", 3),
        ("holiday", 3),
        ("proceedings", 3),
        ("solicitor", 4),
        ("responsibility", 6),
        ("Wednesday", 2),
        ("don't", 1),
        ("2026", 2),
        ("4", 1),
    ],
)
def test_syllables(word, expected):
    assert syllables(word) == expected


def test_every_word_has_at_least_one_syllable():
    assert all(syllables(w) >= 1 for w in ["x", "rhythm", "nth", "'", "Mr", "www"])


def test_sentences_end_at_punctuation_and_at_each_block_and_line():
    found = sentences(["Hello there. How are you? Fine!", "A heading", "Line one\nLine two."])
    assert found == ["Hello there.", "How are you?", "Fine!", "A heading", "Line one", "Line two."]


def test_a_full_stop_inside_a_number_or_address_does_not_end_a_sentence():
    assert sentences(["It costs 2.50 each. Email sam.brookfield@example.org today."]) == [
        "It costs 2.50 each.",
        "Email sam.brookfield@example.org today.",
    ]


def test_flesch_figures_follow_the_formulas():
    report = analyse(["The cat sat on the mat."])
    assert (report.words, report.sentences, report.syllables) == (6, 1, 6)
    # 206.835 - 1.015 * 6 - 84.6 * 1 and 0.39 * 6 + 11.8 * 1 - 15.59
    assert report.reading_ease == pytest.approx(116.1, abs=0.05)
    assert report.grade == pytest.approx(-1.45, abs=0.06)


def test_hard_text_scores_lower_than_plain_text():
    plain = analyse(["We are worried about Amy. We want to help you. Please come to a meeting."])
    hard = analyse(
        [
            "Notwithstanding the aforementioned considerations, the local authority's "
            "safeguarding responsibilities necessitate immediate consideration of statutory "
            "intervention predicated upon the significant harm threshold."
        ]
    )
    assert plain.reading_ease > 80 > 0 > hard.reading_ease
    assert plain.grade < 4 < 20 < hard.grade


def test_long_sentences_are_listed_against_the_limit():
    long_one = " ".join(["word"] * 26) + "."
    short = "Short one."
    report = analyse(
        [short, long_one], targets={"reading_ease": 70, "grade": 6, "sentence_words": 25}
    )
    assert [s["words"] for s in report.long_sentences] == [26]
    assert report.longest_sentences[0]["words"] == 26
    assert not report.meets_targets


def test_jargon_is_found_with_its_plain_alternative():
    found = find_jargon("The threshold for significant harm is met. We will review contact.")
    terms = {item["term"]: item for item in found}
    assert set(terms) == {"threshold", "significant harm", "contact"}
    assert terms["significant harm"]["plain"] == "serious harm"
    assert not any(item["explained"] for item in found)


def test_acronyms_match_only_in_capitals_and_whole():
    found = {item["term"] for item in find_jargon("The CP plan and the CIN plan. A cp. LACE.")}
    assert found == {"CP", "CIN"}


def test_the_longest_term_wins_and_hides_the_shorter_inside_it():
    found = {
        item["term"]: item["count"]
        for item in find_jargon("An interim care order. A care order. Care orders.")
    }
    assert found == {"interim care order": 1, "care order": 2}


def test_a_term_in_the_glossary_counts_as_explained():
    report = analyse(["This is a care order.", "Care order: an order."], explained=["Care order"])
    assert report.jargon == [
        {
            "term": "care order",
            "plain": readability.DEFAULT_JARGON["care order"],
            "count": 2,
            "explained": True,
        },
    ]
    assert report.unexplained_jargon == []


def test_the_jargon_list_is_configurable(settings):
    settings.READABILITY_JARGON = {
        "core group": "a meeting of the people who help you",
        "contact": "",
    }
    found = {
        item["term"] for item in find_jargon("A core group about contact.", terms=jargon_terms())
    }
    assert found == {"core group"}


def test_the_scorer_works_with_the_network_off(monkeypatch):
    """No download, no word list: the scorer never opens a socket."""

    def refuse(*args, **kwargs):
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    report = analyse(["We are worried about Amy and Ben. Please come to a meeting."], explained=[])
    assert report.words == 12 and report.sentences == 2
    assert report.reading_ease > 70
    assert "textstat" not in sys.modules and "nltk" not in sys.modules


def test_the_report_is_plain_json():
    import json

    report = analyse(["We will help you. Please call us."])
    assert json.loads(json.dumps(report.as_dict()))["meets_targets"] is True
