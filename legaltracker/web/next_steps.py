"""My work's "Next step" for each of a social worker's cases: the one thing the case is
waiting for from them, linked straight to the page where they do it (docs/decisions.md,
"Fit for a working day", 131).

- An approved letter not yet recorded as sent: "Record the letter as sent", on the
  letter's page, if the person may record it sent.
- Else, in pre-proceedings until the letter before proceedings is sent, "Prepare the
  letter before proceedings": the case's Letters page (its schedule of expectations,
  what the letters say, the letter), if the person may write letters.
- Else the first event of the stage that happens once a case, is not recorded yet and
  the person may record (the order of the Overview's What's next), except a letter's
  "sent" event: a letter is sent from its own page, once it is approved.
- Else nothing: the case page's What's next has the rest (decisions, judgement calls).

It reads only what `selectors.social_worker_work` fetched for every case at once
(`approved_letters`, `event_kinds`), so My work's queries do not grow with the cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from legaltracker.cases import permissions as case_permissions
from legaltracker.cases.choices import EventKind, Stage
from legaltracker.cases.models import Case
from legaltracker.cases.presenters import NEXT_EVENTS, ONCE_A_CASE, record_label
from letters import permissions as letter_permissions
from letters.registry import REGISTRY

# Recorded from the letter's page when the letter is approved (letters.registry).
LETTER_SENT_EVENTS = frozenset(
    {EventKind.LETTER_BEFORE_PROCEEDINGS_SENT, EventKind.LETTER_OF_ISSUE_SENT}
)


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str
    about: str = ""  # said to screen readers after the label (which letter)


def next_step(case: Case, user: Any) -> NextStep | None:
    for letter in getattr(case, "approved_letters", ()):
        spec = REGISTRY.get(letter.kind)
        if spec is not None and letter_permissions.may_record_sent(user, case, spec.sent_event):
            return NextStep(
                "Record the letter as sent",
                reverse("letters:letter_detail", args=[letter.pk]),
                about=f"{letter.get_kind_display().lower()}, case {case.reference}",
            )
    done = {row.kind for row in getattr(case, "event_kinds", ())}
    if (
        case.stage == Stage.PRE_PROCEEDINGS
        and EventKind.LETTER_BEFORE_PROCEEDINGS_SENT not in done
        and letter_permissions.may_draft(user, case)
    ):
        return NextStep(
            "Prepare the letter before proceedings",
            reverse("casework:case_letters", args=[case.pk]),
            about=f"case {case.reference}",
        )
    for kind in NEXT_EVENTS.get(case.stage, ()):
        if (
            kind in ONCE_A_CASE
            and kind not in LETTER_SENT_EVENTS
            and kind not in done
            and case_permissions.may_record_event(kind, case, user)
        ):
            return NextStep(
                record_label(kind),
                reverse("casework:record_event", args=[case.pk, kind]),
                about=f"case {case.reference}",
            )
    return None
