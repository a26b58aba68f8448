"""The court record's write path: hearings with their statuses, directions as deadlines,
experts, the children's own 26 weeks, and every refusal as a sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from legaltracker.cases.models import CaseEvent
from legaltracker.core.errors import GuardRefused, InvalidInput, NotFound, NotPermitted
from legaltracker.court import services
from legaltracker.court.choices import LONDON, DirectionStatus, HearingStatus
from legaltracker.court.models import CourtCentre, Direction, Hearing, StandardDirection
from legaltracker.court.selectors import at_risk, child_timetables
from legaltracker.deadlines.models import Deadline

pytestmark = pytest.mark.django_db


def _list(case, actor, **data):
    body = {"kind": "case_management_hearing", "date": "2026-03-10", "time": "10:30", **data}
    return services.hearing_list(case_id=case.pk, actor=actor, data=body)


def test_the_court_centres_are_seeded_from_hmcts_list():
    assert CourtCentre.objects.count() >= 60
    swansea = CourtCentre.objects.get(name="Swansea")
    assert swansea.region == "Wales" and swansea.code


def test_listing_a_hearing_keeps_time_court_and_mode_in_london_time(court_case, staff):
    centre = CourtCentre.objects.get(name="Swansea")
    hearing = _list(
        court_case,
        staff.court_liaison_officer,
        court_centre=centre.code,
        courtroom="3",
        mode="hybrid",
        time_estimate_minutes=90,
    )
    hearing.refresh_from_db()
    local = hearing.starts_at.astimezone(LONDON)
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 3, 10), 10, 30)
    assert hearing.court_centre == centre and hearing.mode == "hybrid"
    assert hearing.status == HearingStatus.LISTED and hearing.number == 1
    assert CaseEvent.objects.filter(case=court_case, action="hearing_changed").count() == 1


def test_a_time_after_the_clocks_go_forward_keeps_its_wall_clock(court_case, staff):
    # 29 March 2026: British Summer Time starts; a 10:00 hearing is 09:00 UTC.
    hearing = _list(court_case, staff.legal, date="2026-03-30", time="10:00")
    assert hearing.starts_at.astimezone(dt.UTC).hour == 9
    with pytest.raises(InvalidInput, match="clocks go forward"):
        _list(
            court_case,
            staff.legal,
            date="2026-03-29",
            time="01:30",
            kind="urgent_hearing",
            confirm_non_working_day=True,
        )


def test_the_listed_case_management_hearing_answers_its_milestone(court_case, staff):
    _list(court_case, staff.legal, date="2026-03-10")
    facts_held = Deadline.objects.get(case=court_case, milestone="case_management_hearing")
    assert facts_held.met_on is None  # listed, not yet held
    # The advocates' meeting is counted back from the listed date.
    advocates = Deadline.objects.get(case=court_case, milestone="advocates_meeting")
    assert advocates.due == dt.date(2026, 3, 6)


def test_bad_hearings_are_refused_with_a_sentence(court_case, staff):
    with pytest.raises(InvalidInput, match="before the application"):
        _list(court_case, staff.legal, date="2026-01-05")
    _list(court_case, staff.legal, date="2026-03-10")
    with pytest.raises(InvalidInput, match="cannot come before the case management hearing"):
        _list(court_case, staff.legal, kind="final_hearing", date="2026-03-09")
    with pytest.raises(InvalidInput, match="weekend"):
        _list(court_case, staff.legal, kind="urgent_hearing", date="2026-03-07")
    _list(
        court_case,
        staff.legal,
        kind="urgent_hearing",
        date="2026-03-07",
        confirm_non_working_day=True,
    )
    with pytest.raises(NotPermitted):
        _list(court_case, staff.social_worker)
    assert Hearing.objects.filter(case=court_case).count() == 2


def test_holding_needs_an_outcome_and_sets_the_draft_order_deadline(court_case, staff, today):
    hearing = _list(court_case, staff.court_liaison_officer, date=today.isoformat())
    with pytest.raises(InvalidInput, match="Say what the hearing ordered"):
        services.hearing_hold(hearing_id=hearing.pk, actor=staff.court_liaison_officer, data={})
    services.hearing_hold(
        hearing_id=hearing.pk,
        actor=staff.court_liaison_officer,
        data={
            "orders_made": ["interim_care_order"],
            "next_hearing": {
                "kind": "issues_resolution_hearing",
                "date": "2026-06-10",
                "time": "14:00",
            },
        },
    )
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD
    assert hearing.draft_order_due == dt.date(2026, 3, 6)  # 2 working days after Wednesday
    draft = Deadline.objects.get(case=court_case, milestone="draft_order")
    assert draft.due == dt.date(2026, 3, 6) and draft.met_on is None
    assert Hearing.objects.filter(case=court_case, kind="issues_resolution_hearing").exists()
    cmh = Deadline.objects.get(case=court_case, milestone="case_management_hearing")
    assert cmh.met_on == today


def test_a_vacated_hearing_cannot_be_held_and_relisting_is_one_step(court_case, staff):
    hearing = _list(court_case, staff.legal)
    with pytest.raises(InvalidInput, match="reason codes"):
        services.hearing_vacate(
            hearing_id=hearing.pk, actor=staff.legal, data={"reason_code": "ZZ9"}
        )
    services.hearing_vacate(
        hearing_id=hearing.pk,
        actor=staff.legal,
        data={
            "reason_code": "HM1",
            "reason_text": "No room",
            "relist": {"kind": "case_management_hearing", "date": "2026-03-12", "time": "10:00"},
        },
    )
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.VACATED and hearing.relisted_as is not None
    assert hearing.relisted_as.status == HearingStatus.LISTED
    with pytest.raises(GuardRefused, match="only a listed hearing"):
        services.hearing_hold(
            hearing_id=hearing.pk, actor=staff.legal, data={"orders_made": ["directions_only"]}
        )


def test_a_council_direction_is_a_deadline_for_its_owner(court_case, staff, other_staff):
    with pytest.raises(InvalidInput, match="cannot see this case"):
        services.direction_add(
            case_id=court_case.pk,
            actor=staff.legal,
            data={
                "text": "File the chronology",
                "party": "council",
                "due_on": "2026-03-20",
                "owner": other_staff.social_worker.pk,
            },
        )
    direction = services.direction_add(
        case_id=court_case.pk,
        actor=staff.legal,
        data={
            "text": "File the chronology",
            "party": "council",
            "due_on": "2026-03-20",
            "owner": staff.social_worker.pk,
        },
    )
    deadline = Deadline.objects.get(case=court_case, milestone="court_direction")
    assert deadline.due == dt.date(2026, 3, 20) and deadline.met_on is None
    # The owner (a social worker) records it filed, late: after its due date? No: on time.
    services.direction_update(
        direction_id=direction.pk,
        actor=staff.social_worker,
        data={"status": "filed", "filed_on": "2026-03-04"},
    )
    direction.refresh_from_db()
    assert direction.status == DirectionStatus.FILED
    deadline.refresh_from_db()
    assert deadline.met_on == dt.date(2026, 3, 4)
    with pytest.raises(NotPermitted):
        services.direction_update(
            direction_id=direction.pk, actor=staff.team_manager, data={"status": "outstanding"}
        )


def test_standard_directions_are_added_in_one_go(court_case, staff):
    ids = list(StandardDirection.objects.filter(party="council").values_list("pk", flat=True)[:3])
    made = services.standard_directions_add(
        case_id=court_case.pk, actor=staff.legal, data={"standard": [{"id": i} for i in ids]}
    )
    assert len(made) == 3 and all(d.owner is not None for d in made)
    assert Direction.objects.filter(case=court_case).count() == 3


def test_an_extension_over_eight_weeks_is_refused_and_each_child_has_their_weeks(court_case, staff):
    with pytest.raises(InvalidInput, match="at most 8 weeks"):
        services.timetable_extend(
            case_id=court_case.pk,
            actor=staff.legal,
            data={
                "weeks": 9,
                "reasons": "Assessment late",
                "judge_name": "HHJ Example",
                "decided_on": "2026-03-02",
            },
        )
    services.timetable_extend(
        case_id=court_case.pk,
        actor=staff.legal,
        data={
            "weeks": 8,
            "reasons": "Assessment late",
            "judge_name": "HHJ Example",
            "decided_on": "2026-03-02",
        },
    )
    (row,) = child_timetables(court_case)
    assert row.ends_on == court_case.issued_on + dt.timedelta(weeks=34)
    final = Deadline.objects.get(case=court_case, milestone="final_order")
    assert final.due == row.ends_on


def test_at_risk_in_words(court_case, staff):
    _list(court_case, staff.legal, date="2026-03-10")  # 33 days after 5 February
    reasons = at_risk(court_case, list(court_case.hearings.all()))
    assert reasons and "more than 24" in reasons[0]


def test_someone_who_cannot_see_the_case_finds_nothing(court_case, staff, other_staff):
    hearing = _list(court_case, staff.legal)
    with pytest.raises(NotFound):
        services.hearing_hold(hearing_id=hearing.pk, actor=other_staff.social_worker, data={})
