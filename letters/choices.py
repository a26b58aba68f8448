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
