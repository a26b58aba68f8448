"""The unique pupil number's shape and check letter (docs/decisions.md, 151)."""

from __future__ import annotations

import pytest

from legaltracker.core.upn import LETTERS, check_letter, upn_problem


def _valid(body: str) -> str:
    return check_letter(body) + body


def test_the_check_letter_is_the_weighted_sum_modulo_23():
    # Worked by hand: 8x2 + 1x4 + 2x5 + 5x10 + 1x13 = 93 (the zeros add nothing), and
    # 93 = 4 x 23 + 1: the letter in place 1 of the alphabet, B.
    body = "801200005001"
    assert sum(int(c) * w for c, w in zip(body, range(2, 14), strict=True)) == 93
    assert check_letter(body) == "B"
    assert upn_problem("B801200005001") is None


def test_a_temporary_upn_ends_in_a_letter_counted_by_its_place():
    # The final T counts as 16 (its place in the alphabet without I, O and S), times 13.
    body = "20700001604T"
    expected = LETTERS[
        (sum(int(c) * w for c, w in zip(body[:-1], range(2, 13), strict=True)) + 16 * 13) % 23
    ]
    assert check_letter(body) == expected
    assert upn_problem(expected + body) is None


def test_the_alphabet_leaves_out_i_o_and_s():
    assert len(LETTERS) == 23
    assert not set("IOS") & set(LETTERS)


@pytest.mark.parametrize(
    "body", ["999000020001", "999000021042", "938123425999", "20100001234A", "30100001234Z"]
)
def test_constructed_upns_with_their_check_letter_are_valid(body):
    assert upn_problem(_valid(body)) is None
    assert upn_problem(_valid(body).lower()) is None  # the caller keeps it in capitals


@pytest.mark.parametrize(
    "value, words",
    [
        ("A80120000500", "13 characters"),
        ("B8012000050011", "13 characters"),
        ("", "13 characters"),
        ("1801200005001", "starts with a capital letter"),
        ("I801200005001", "starts with a capital letter"),
        ("B80120000X001", "Characters 2 to 12"),
        ("B801200005\u066001", "Characters 2 to 12"),  # an Arabic-Indic digit
        ("B80120000500I", "ends in a digit or a capital letter"),
        ("B80120000500-", "ends in a digit or a capital letter"),
        ("A801200005001", "it would be B"),
        ("B801200005002", "check letter does not match"),
    ],
)
def test_a_wrong_upn_is_told_what_to_check(value, words):
    problem = upn_problem(value)
    assert problem is not None
    assert words in problem


def test_every_single_digit_mistake_is_caught():
    upn = _valid("999000021042")
    for position in range(1, 12):
        for digit in "0123456789":
            if digit != upn[position]:
                typo = upn[:position] + digit + upn[position + 1 :]
                assert upn_problem(typo) is not None, typo
