"""The unique pupil number (UPN): its shape and its check letter.

A UPN is 13 characters: a check letter, the 3-digit local authority number, the 4-digit
establishment number, 2 digits for the year it was issued and a 3-character serial. A
permanent UPN's serial is three digits; a temporary one ends in a letter. The check
letter is worked out from characters 2 to 13: each is multiplied by its position (2 to
13), a final letter counting as its place in the 23-letter alphabet below, the products
summed, and the remainder of the sum divided by 23 picks the letter. I, O and S are
never used, so that they are not read as 1, 0 and 5. The rule is the DfE's (the CIN and
school census validation rule 1510, "UPN invalid (wrong check letter at character 1)";
docs/decisions.md, 151).
"""

from __future__ import annotations

# Position in this string = the value of a letter; I, O and S are left out.
LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
LENGTH = 13


def check_letter(body: str) -> str:
    """The check letter for characters 2 to 13 (`body`, 12 characters, already of the
    right shape)."""
    total = 0
    for position, character in enumerate(body, start=2):
        value = int(character) if character.isdigit() else LETTERS.index(character)
        total += value * position
    return LETTERS[total % len(LETTERS)]


def upn_problem(value: str) -> str | None:
    """What is wrong with `value` as a UPN, in a sentence a person can act on, or None
    when it is a valid one. Letters are taken in either case; spaces are not trimmed here
    (the caller cleans the text it reads)."""
    if len(value) != LENGTH:
        return (
            f"A UPN is {LENGTH} characters (a letter, then 11 digits, then a digit or a "
            f"letter); this one has {len(value)}."
        )
    upn = value.upper()
    first, middle, last = upn[0], upn[1:12], upn[12]
    if first not in LETTERS:
        return "A UPN starts with a capital letter other than I, O or S: check the first character."
    if not (middle.isascii() and middle.isdigit()):
        return "Characters 2 to 12 of a UPN are digits: check the UPN for a letter or a symbol."
    if not (last.isascii() and last.isdigit()) and last not in LETTERS:
        return (
            "A UPN ends in a digit or a capital letter other than I, O or S: "
            "check the last character."
        )
    expected = check_letter(upn[1:])
    if first != expected:
        return (
            f"This UPN's check letter does not match the rest of it (it would be {expected}): "
            "one of the characters is probably mistyped. Copy the UPN from the school's records."
        )
    return None
