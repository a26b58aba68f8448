"""The background task makes the same letter as the service, as the named person."""

from __future__ import annotations

import pytest

from letters import tasks
from letters.models import Letter

from .conftest import mother

pytestmark = pytest.mark.django_db


def test_the_task_makes_a_draft_letter(lbp_case, staff):
    letter_id = tasks.generate_letter(
        lbp_case.pk, "letter_before_proceedings", mother(lbp_case).pk, staff.social_worker.pk
    )
    letter = Letter.objects.get(pk=letter_id)
    assert letter.generated_by == staff.social_worker and letter.status == "draft"


def test_bulk_requests_are_queued_one_task_each(lbp_case, staff, settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    from django_q.conf import Conf

    previous, Conf.SYNC = Conf.SYNC, True
    try:
        ids = tasks.letters_generate_many(
            [
                {"case_id": lbp_case.pk, "kind": "letter_before_proceedings", "recipient_id": a.pk}
                for a in lbp_case.adults.filter(parental_responsibility=True)
            ],
            actor_id=staff.team_manager.pk,
        )
    finally:
        Conf.SYNC = previous
    assert len(ids) == 2
    assert sorted(str(letter.recipient) for letter in Letter.objects.all()) == [
        "Dean Marsh",
        "Kerry Fletcher",
    ]


def test_the_shipped_queue_does_not_store_successful_results():
    """django-q2's default keeps 250 results and makes its one monitor process read them
    all after every task, which capped a bulk run whatever the number of workers
    (docs/operations.md, section 5); the Letter rows are the record."""
    from django.conf import settings
    from django_q.conf import Conf

    from legaltracker.alerts.checks import check_alert_settings

    assert settings.Q_CLUSTER["save_limit"] == -1
    assert Conf.SAVE_LIMIT == -1
    assert settings.Q_CLUSTER["retry"] > settings.Q_CLUSTER["timeout"]
    assert [p.id for p in check_alert_settings() if p.id.startswith("alerts.E")] == []
