"""The schedule of expectations, the facts that letters need, and the letters themselves.

The schedule of expectations is case data: the case page, the API, the board and every
letter read the same `Expectation` rows. A `Letter` is a record that a court can be
shown: the template it came from (checksum), the context it was built from, the file's
checksum, and who generated, approved and sent it. Only `letters.services` writes here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .choices import (
    BilingualLayout,
    ExpectationStatus,
    LetterKind,
    LetterLanguage,
    LetterStatus,
    LetterVariant,
    SendMethod,
)


class Expectation(models.Model):
    """One item of the schedule of expectations (written agreement)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="expectations")
    adults = models.ManyToManyField(
        "cases.Adult",
        related_name="expectations",
        help_text="The adults this item applies to",
    )
    position = models.PositiveIntegerField(help_text="Order in the schedule")
    action = models.TextField(help_text="What needs to change: what the adult must do")
    why_it_matters = models.TextField(help_text="Why it matters for the child")
    help_offered = models.TextField(help_text="The help the council will give")
    how_judged = models.TextField(help_text="How we will know it has happened")
    due_by = models.DateField(help_text="The date by which it is expected")
    withdrawn = models.BooleanField(default=False)
    withdrawn_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["case_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="expectation_position"),
        ]

    def __str__(self) -> str:
        return f"Expectation {self.position} of case {self.case_id}"


class ExpectationReview(models.Model):
    """Where one expectation stood at one review meeting."""

    expectation = models.ForeignKey(Expectation, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(help_text="The date of the review meeting")
    status = models.CharField(max_length=20, choices=ExpectationStatus.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["expectation_id", "reviewed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["expectation", "reviewed_on"], name="expectation_review_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.reviewed_on}"


class LetterDetails(models.Model):
    """What the letters say that is not recorded elsewhere on the case: the concerns in
    words for the family, the help already given, the assessments proposed, the
    meeting, how to accept the family meeting offer, and the council's legal contact."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="letter_details"
    )
    concerns = models.TextField(blank=True, help_text="Why we are worried")
    history = models.TextField(blank=True, help_text="What has happened so far")
    help_given = models.TextField(blank=True, help_text="The help already given")
    assessments = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"what": "...", "why": "...", "who": "...", "when": "YYYY-MM-DD"}]',
    )
    meeting_date = models.DateField(null=True, blank=True)
    meeting_time = models.TimeField(null=True, blank=True)
    meeting_place = models.TextField(blank=True)
    meeting_video_link = models.CharField(max_length=500, blank=True)
    meeting_attendees = models.JSONField(
        default=list, blank=True, help_text="Who will be at the meeting: names and roles"
    )
    fgdm_how_to_accept = models.TextField(
        blank=True, help_text="How the family accepts the family meeting offer"
    )
    fgdm_exception_reason = models.TextField(
        blank=True,
        help_text="Why offering a family group decision-making meeting is not in the "
        "child's best interests (s31ZA exception)",
    )
    legal_contact_name = models.CharField(max_length=200, blank=True)
    legal_contact_phone = models.CharField(max_length=40, blank=True)
    legal_contact_email = models.CharField(max_length=254, blank=True)
    legal_reference = models.CharField(max_length=64, blank=True)
    # The first hearing's time and court, for the letter of issue (its date is the
    # recorded "hearing listed" event's).
    hearing_time = models.TimeField(null=True, blank=True)
    hearing_court = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "letter details"

    def __str__(self) -> str:
        return f"Letter details of case {self.case_id}"


class LetterTemplate(models.Model):
    """A replacement Word template uploaded by an administrator. Accepted only after the
    same checks as the shipped templates and a sample render; kept (never overwritten)
    so that every letter made from it can be reproduced."""

    kind = models.CharField(max_length=40, choices=LetterKind.choices)
    language = models.CharField(
        max_length=10, choices=LetterLanguage.choices, default=LetterLanguage.ENGLISH
    )
    variant = models.CharField(
        max_length=20, choices=LetterVariant.choices, default=LetterVariant.STANDARD
    )
    sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=200, help_text="The name it was uploaded with")
    active = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    check_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["kind", "language", "variant", "-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "variant"],
                condition=models.Q(active=True),
                name="one_active_template",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.sha256[:12]})"


class LetterQuerySet(models.QuerySet["Letter"]):
    def for_case(self, case_id: int) -> LetterQuerySet:
        return self.filter(case_id=case_id)


class Letter(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=40, choices=LetterKind.choices)
    language = models.CharField(
        max_length=10, choices=LetterLanguage.choices, default=LetterLanguage.ENGLISH
    )
    variant = models.CharField(
        max_length=20, choices=LetterVariant.choices, default=LetterVariant.STANDARD
    )
    # An adult, or (the young person's letter) a child: exactly one of the two.
    recipient = models.ForeignKey(
        "cases.Adult", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    recipient_child = models.ForeignKey(
        "cases.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    status = models.CharField(
        max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    dated = models.DateField(help_text="The date printed on the letter")

    # What makes the letter reproducible.
    template_sha256 = models.CharField(max_length=64)
    template_source = models.CharField(
        max_length=200, help_text="shipped:<file name> or uploaded:<LetterTemplate id>"
    )
    context = models.JSONField(help_text="The values the letter was rendered from")
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveIntegerField()
    text = models.TextField(help_text="The letter's text as extracted from the file")
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    readability = models.JSONField(help_text="The readability report of the rendered text")
    reading_ease = models.FloatField()
    grade = models.FloatField()

    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(
        blank=True, help_text="Why a letter that failed the approval checks was approved"
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gate_report = models.JSONField(
        default=list,
        blank=True,
        help_text="The approval checks that failed when it was approved (overridden)",
    )
    # A Welsh (or bilingual) letter is not scored by the English readability formula: a
    # person records that they checked it is plain.
    plain_language_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plain_language_checked_at = models.DateTimeField(null=True, blank=True)
    plain_language_note = models.TextField(blank=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_method = models.CharField(max_length=20, choices=SendMethod.choices, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_event = models.ForeignKey(
        "cases.RecordedEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The case event that recording it sent posted",
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["case", "kind"], name="letter_case_kind")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False, recipient_child__isnull=True)
                | models.Q(recipient__isnull=True, recipient_child__isnull=False),
                name="letter_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} of case {self.case_id}"

    @property
    def addressee(self) -> Any:
        """Who the letter is to: the adult, or (the young person's letter) the child."""
        return self.recipient if self.recipient_id is not None else self.recipient_child

    @property
    def addressee_name(self) -> str:
        addressee = self.addressee
        return str(addressee) if addressee is not None else ""

    @property
    def file_name(self) -> str:
        """The download name, as people file it: the case's reference, the letter's kind,
        its version when not the standard one, and the date printed on it
        ("LT-2026-000042-letter-before-proceedings-2026-03-04",
        "LT-2026-000042-letter-before-proceedings-easy-read-2026-03-04"); never a
        person's name."""
        reference = self.case.reference or f"case{self.case_id}"
        kind = self.kind.replace("_", "-")
        if self.variant and self.variant != LetterVariant.STANDARD:
            kind += "-" + self.variant.replace("_", "-")
        return f"{reference}-{kind}-{self.dated.isoformat()}"


class TranslationRequest(models.Model):
    """A letter for an adult whose language has no template goes in English with this
    request; it cannot be recorded as sent until the translation is attached or a manager
    records why it goes without one."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="translation")
    language = models.CharField(max_length=60)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    attached_sha256 = models.CharField(max_length=64, blank=True)
    attached_name = models.CharField(max_length=200, blank=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attached_at = models.DateTimeField(null=True, blank=True)
    waived_reason = models.TextField(blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    waived_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Translation into {self.language} of letter {self.letter_id}"

    @property
    def settled(self) -> bool:
        return bool(self.attached_sha256 or self.waived_reason)


class JargonTerm(models.Model):
    """A term that must not reach a family unexplained: an approved letter either does not
    use it or explains it in its glossary. Kept in the admin."""

    term = models.CharField(max_length=80, unique=True)
    meaning = models.CharField(
        max_length=300, help_text="What it means, in plain words, for the glossary"
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class CouncilDetails(models.Model):
    """The council's own details that every letter carries (one row). The environment
    settings are the fallback while this is empty."""

    name = models.CharField(max_length=200)
    department = models.CharField(max_length=200, blank=True)
    address = models.TextField(help_text="One line of the address on each line")
    phone = models.CharField(max_length=40)
    email = models.EmailField(blank=True)
    website = models.CharField(max_length=200, blank=True)
    logo = models.BinaryField(blank=True, editable=True, help_text="A PNG or JPEG image")
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_role = models.CharField(max_length=200, blank=True)
    default_language = models.CharField(
        max_length=10,
        choices=LetterLanguage.choices,
        default=LetterLanguage.ENGLISH,
        help_text="The language of letters to adults who have not chosen one",
    )
    bilingual_layout = models.CharField(
        max_length=20, choices=BilingualLayout.choices, default=BilingualLayout.WELSH_FIRST
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "council details"
        verbose_name_plural = "council details"

    def __str__(self) -> str:
        return self.name


class LocalSolicitor(models.Model):
    """A local firm of children-law solicitors, listed in letters to parents."""

    firm = models.CharField(max_length=200)
    phone = models.CharField(max_length=40)
    address = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0, help_text="Order in the letters")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "firm", "id"]

    def __str__(self) -> str:
        return self.firm


class TemplateTranslationReview(models.Model):
    """A council's reviewer signed off the Welsh text of one template (by its checksum):
    until then a Welsh letter from it needs an override to be approved."""

    kind = models.CharField(max_length=40, choices=LetterKind.choices)
    language = models.CharField(max_length=10, choices=LetterLanguage.choices)
    variant = models.CharField(
        max_length=20, choices=LetterVariant.choices, default=LetterVariant.STANDARD
    )
    template_sha256 = models.CharField(max_length=64)
    reviewer_name = models.CharField(max_length=200, help_text="Who reviewed the translation")
    reviewed_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "language", "variant", "-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language}) reviewed by {self.reviewer_name}"
