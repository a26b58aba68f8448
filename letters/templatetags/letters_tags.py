"""The letters part of the case page: the schedule of expectations, what the letters
say, and the case's letters, with the links a person's role allows.

`templates/letters/_case_section.html` (included by the case page with `case`) calls
`{% letters_case_section case %}`; its reads cost a fixed number of queries whatever
the number of items or letters.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from legaltracker.cases.choices import EventKind
from letters import conf, permissions, selectors
from letters.choices import EXPECTATION_STATUS_PLAIN, ExpectationStatus, LetterKind
from letters.models import Letter
from letters.registry import REGISTRY

register = template.Library()

STATUS_TAGS: dict[str, str] = {
    ExpectationStatus.MET: "govuk-tag--green",
    ExpectationStatus.PARTLY_MET: "govuk-tag--yellow",
    ExpectationStatus.NOT_MET: "govuk-tag--red",
    ExpectationStatus.NOT_YET_DUE: "govuk-tag--grey",
}
LETTER_STATUS_TAGS = {
    "draft": "govuk-tag--grey",
    "approved": "govuk-tag--blue",
    "sent": "govuk-tag--green",
}


@register.inclusion_tag("letters/_case_section_body.html", takes_context=True)
def letters_case_section(context: template.Context, case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    names = {adult.pk: str(adult) for adult in case.adults.all()}
    rows = []
    for expectation in selectors.expectations_for_case(case.pk):
        latest = selectors.latest_review(expectation)
        rows.append(
            {
                "item": expectation,
                "for": ", ".join(names.get(a.pk, str(a)) for a in expectation.adults.all()),
                "status": EXPECTATION_STATUS_PLAIN.get(latest.status, "") if latest else "",
                "status_label": (
                    ExpectationStatus(latest.status).label if latest else "Not reviewed yet"
                ),
                "status_tag": STATUS_TAGS.get(latest.status if latest else "", "govuk-tag--grey"),
                "reviewed_on": latest.reviewed_on if latest else None,
                "note": latest.note if latest else "",
            }
        )
    letters = [
        {"letter": letter, "tag": LETTER_STATUS_TAGS.get(letter.status, "govuk-tag--grey")}
        for letter in selectors.letters_for_case(case.pk)
    ]
    return {
        "case": case,
        "expectations": rows,
        "details": selectors.letter_details(case.pk),
        "letters": letters,
        "gate": conf.approval_min_reading_ease(),
        "may_edit": permissions.may_edit_expectations(user, case) and case.is_open,
        "may_edit_details": permissions.may_edit_details(user, case),
        "may_draft": permissions.may_draft(user, case),
    }


@register.inclusion_tag("letters/_whats_next.html", takes_context=True)
def letters_whats_next(context: template.Context, case: Any) -> dict[str, Any]:
    """The Overview's What's next: "Write the letter of issue" once the case may have it
    and has none yet, to whoever may write letters on it (docs/decisions.md 134)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    kind = LetterKind.LETTER_OF_ISSUE
    write = None
    if (
        case.is_open
        and permissions.may_draft(user, case)
        and REGISTRY[kind].unavailable(case) is None
        and not Letter.objects.filter(case_id=case.pk, kind=kind).exists()
        and not case.recorded_events.filter(kind=EventKind.LETTER_OF_ISSUE_SENT).exists()
    ):
        write = {
            "label": "Write the letter of issue",
            "url": f"{reverse('letters:letter_create', args=[case.pk])}?kind={kind.value}",
        }
    return {"write": write}
