"""The letters' identifiers: letter kinds, letter states, review statuses, how sent."""

from django.db import models


class LetterKind(models.TextChoices):
    """docs/domain/letters.md: the set of letters."""

    LETTER_BEFORE_PROCEEDINGS = "letter_before_proceedings", "Letter before proceedings"
    LETTER_BEFORE_PROCEEDINGS_UNBORN = (
        "letter_before_proceedings_unborn",
        "Letter before proceedings (unborn baby)",
    )
    GATEWAY_OUTCOME = "gateway_outcome", "Gateway outcome letter (plan continues)"
    REVIEW_OUTCOME = "review_outcome", "Review outcome or extension letter"
    END_OF_PRE_PROCEEDINGS = "end_of_pre_proceedings", "End of pre-proceedings letter"
    LETTER_OF_ISSUE = "letter_of_issue", "Letter of issue"


LETTER_BEFORE_PROCEEDINGS_KINDS = frozenset(
    {LetterKind.LETTER_BEFORE_PROCEEDINGS, LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN}
)


class LetterLanguage(models.TextChoices):
    """The language a letter is written in (docs/domain/letters.md, languages)."""

    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh"
    BILINGUAL = "cy_en", "Welsh and English (bilingual)"


class LetterVariant(models.TextChoices):
    """The version of a letter kind: the standard letter, easy read, or the letter to a
    young person (a child aged 12 or over)."""

    STANDARD = "standard", "Standard"
    EASY_READ = "easy_read", "Easy read"
    YOUNG_PERSON = "young_person", "For a young person"


class BilingualLayout(models.TextChoices):
    """How a bilingual letter is laid out (Welsh Language Standards: Welsh not treated
    less favourably). Welsh first is the one layout built (docs/welsh-letters.md)."""

    WELSH_FIRST = "welsh_first", "Welsh first, then English"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"


class SendMethod(models.TextChoices):
    POST = "post", "By post"
    HAND = "hand", "By hand"
    EMAIL = "email", "By email"
    SECURE_EMAIL = "secure_email", "By secure email"
    SOLICITOR = "solicitor", "To their solicitor"


class ExpectationStatus(models.TextChoices):
    """The status of one expectation at one review."""

    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_YET_DUE = "not_yet_due", "Not yet due"


# How a letter tells a parent where each item stands, in words they use.
EXPECTATION_STATUS_PLAIN: dict[str, str] = {
    ExpectationStatus.MET: "Done",
    ExpectationStatus.PARTLY_MET: "Partly done",
    ExpectationStatus.NOT_MET: "Not done",
    ExpectationStatus.NOT_YET_DUE: "Not due yet",
}
