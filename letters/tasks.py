"""Background tasks for letters (django-q2). Thin: ids in, one service call.

`letters_generate_many` enqueues one task per letter, so that a bulk run (every letter
before proceedings of a cohort, say) spreads over the cluster's workers.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from . import services


def generate_letter(
    case_id: int, kind: str, recipient_id: int, actor_id: int, note: str = ""
) -> int:
    """Make one draft letter as `actor_id`; returns the letter's id."""
    actor = get_user_model().objects.get(pk=actor_id)
    letter = services.letter_generate(
        case_id=case_id,
        actor=actor,
        data={"kind": kind, "recipient": recipient_id, "note": note},
    )
    return letter.pk


def letters_generate_many(
    requests: list[dict[str, Any]], *, actor_id: int, group: str = "letters"
) -> list[str]:
    """Enqueue one `generate_letter` task per {"case_id", "kind", "recipient_id"}."""
    from django_q.tasks import async_task

    return [
        async_task(
            "letters.tasks.generate_letter",
            r["case_id"],
            r["kind"],
            r["recipient_id"],
            actor_id,
            r.get("note", ""),
            group=group,
        )
        for r in requests
    ]
