"""The demo's court record: the cases in proceedings have one kept through the court
services (hearings with their statuses, directions, experts, who represents whom), and
their deadlines agree with it."""

from __future__ import annotations

import pytest

from legaltracker.accounts.models import Role
from legaltracker.cases.choices import EventKind, Stage
from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from legaltracker.court.choices import DirectionStatus, HearingKind, HearingStatus
from legaltracker.court.models import (
    Direction,
    ExpertAssessment,
    Hearing,
    Proceedings,
    Representation,
)
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline

pytestmark = pytest.mark.django_db


def test_every_case_in_proceedings_has_a_court_record_and_the_demo_lawyer(demo, today):
    cases = list(Case.objects.filter(stage=Stage.PROCEEDINGS))
    assert len(cases) >= 5
    for case in cases:
        assert case.allocated_lawyer is not None and case.allocated_lawyer.username == "lawyer"
        proceedings = Proceedings.objects.get(case=case)
        assert proceedings.court_centre is not None and proceedings.judge_name
        assert proceedings.guardian_name and proceedings.children_solicitor_firm
        assert case.court_reference and case.court_reference.startswith("ZZ")
        assert Representation.objects.filter(case=case).count() == case.adults.count()
        assert Hearing.objects.filter(case=case).count() >= 1
        # Made through the services: each change is in the case's audit trail.
        assert CaseEvent.objects.filter(case=case, action="hearing_changed").exists()
    represented = set(Representation.objects.values_list("represented", flat=True))
    assert represented == {True, False}


def test_hearings_are_records_held_adjourned_relisted_and_vacated(demo, today):
    statuses = set(Hearing.objects.values_list("status", flat=True))
    assert statuses == set(HearingStatus.values)
    adjourned = Hearing.objects.filter(status=HearingStatus.ADJOURNED)
    assert adjourned.exists()
    for hearing in adjourned:
        assert hearing.reason_code and hearing.relisted_as is not None
    assert all(h.reason_code for h in Hearing.objects.filter(status=HearingStatus.VACATED))
    assert all(h.orders_made for h in Hearing.objects.filter(status=HearingStatus.HELD))
    # Several hearings per case in proceedings, and the court hearings are no longer
    # recorded events as well (one entry per hearing in the calendar and the diary).
    counts = [
        Hearing.objects.filter(case=c).count() for c in Case.objects.filter(stage=Stage.PROCEEDINGS)
    ]
    assert max(counts) >= 4
    court_types = ("case_management_hearing", "issues_resolution_hearing", "interim_hearing")
    assert not RecordedEvent.objects.filter(
        kind__in=(EventKind.HEARING_LISTED, EventKind.HEARING_HELD),
        details__hearing_type__in=court_types,
    ).exists()
    # A hearing in the next working days, for the court diary and the court digest.
    assert Hearing.objects.filter(
        status=HearingStatus.LISTED, kind=HearingKind.FURTHER_CASE_MANAGEMENT
    ).exists()


def test_directions_some_filed_some_overdue_owned_by_social_workers_and_the_lawyer(demo, today):
    directions = Direction.objects.filter(party="council")
    assert directions.filter(status=DirectionStatus.FILED).exists()
    overdue = directions.filter(status=DirectionStatus.OUTSTANDING, due_on__lt=today)
    assert overdue.exists()
    owners = set(directions.values_list("owner__role", flat=True))
    assert owners == {Role.SOCIAL_WORKER, Role.LEGAL}
    # Each council direction is a deadline with its owner, met when filed.
    for direction in directions:
        deadline = Deadline.objects.get(
            case=direction.case,
            milestone=Milestone.COURT_DIRECTION,
            due=direction.due_on,
            owner_id=direction.owner_id,
        )
        filed = direction.status in (DirectionStatus.FILED, DirectionStatus.FILED_LATE)
        assert (deadline.met_on is not None) == filed
    assert (
        Deadline.objects.outstanding()
        .filter(milestone=Milestone.COURT_DIRECTION, due__lt=today)
        .exists()
    )


def test_draft_orders_mostly_sent_and_one_expert_a_repeat(demo, today):
    drafts = Deadline.objects.filter(milestone=Milestone.DRAFT_ORDER)
    assert drafts.filter(met_on__isnull=False).exists()
    assert drafts.filter(applies=True, met_on__isnull=True).exists()
    assert ExpertAssessment.objects.filter(done_in_pre_proceedings=True).exists()
    assert ExpertAssessment.objects.filter(done_in_pre_proceedings=False).exists()
