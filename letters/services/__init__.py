"""The one write path for the schedule of expectations and for letters.

Every function is keyword-only, takes `actor=`, checks what the actor may do, and writes
in one transaction with the case row locked, appending its audit row through
`legaltracker.cases.events`. One module per concern; callers import from here.
"""

from .details import letter_details_update
from .expectations import expectation_create, expectation_review, expectation_update
from .letters import (
    CASE_NOT_FOUND,
    CONTENT_TYPES,
    LETTER_NOT_FOUND,
    Download,
    letter_approval_problems,
    letter_approve,
    letter_download,
    letter_generate,
    letter_plain_language_check,
    letter_record_sent,
    letter_reproduce,
    letters_generate_for_recipients,
)
from .templates import letter_template_deactivate, letter_template_upload
from .variants import letter_generate_variant, young_people

__all__ = [
    "CASE_NOT_FOUND",
    "CONTENT_TYPES",
    "LETTER_NOT_FOUND",
    "Download",
    "expectation_create",
    "expectation_review",
    "expectation_update",
    "letter_approval_problems",
    "letter_approve",
    "letter_details_update",
    "letter_download",
    "letter_generate",
    "letter_generate_variant",
    "letter_plain_language_check",
    "letter_record_sent",
    "letter_reproduce",
    "letter_template_deactivate",
    "letter_template_upload",
    "letters_generate_for_recipients",
    "young_people",
]
