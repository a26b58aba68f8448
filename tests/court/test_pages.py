"""The court record's pages: the record for each role that may see it, each form's happy
path and its refusal shown as a form error, 404 for a case out of sight, 403 for a role
that cannot act, and a page whose number of queries does not grow with its rows."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from legaltracker.cases.choices import Stage
from legaltracker.cases.models import CaseEvent
from legaltracker.court import services
from legaltracker.court.choices import LONDON, DirectionStatus, HearingStatus
from legaltracker.court.models import (
    ChildTimetable,
    CourtCentre,
    Direction,
    ExpertAssessment,
    Hearing,
    Proceedings,
    Representation,
    StandardDirection,
    TimetableExtension,
)
from tests.factories import case_at

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 9)
SATURDAY = dt.date(2026, 3, 14)


def dmy(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def page(response) -> str:
    return html.unescape(response.content.decode())


def url(name: str, *args) -> str:
    return reverse(f"court:{name}", args=args)


def list_hearing(case, actor, **data) -> Hearing:
    body = {"kind": "case_management_hearing", "date": "2026-03-02", "time": "10:30", **data}
    return services.hearing_list(case_id=case.pk, actor=actor, data=body)


def hearing_post(case, day=MONDAY, **extra) -> dict[str, str]:
    return {
        "version": str(case.version),
        "kind": "case_management_hearing",
        "date": dmy(day),
        "time": "10:30",
        "time_estimate_minutes": "90",
        "court_centre": CourtCentre.objects.get(name="Swansea").code,
        "courtroom": "3",
        "mode": "hybrid",
        "judge_name": "HHJ Example",
        **extra,
    }


def fresh(case):
    case.refresh_from_db()
    return case


# --- the record --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "lists_hearings", "keeps_record"),
    [
        ("social_worker", False, False),
        ("team_manager", False, False),
        ("head_of_service", False, False),
        ("court_liaison_officer", True, False),
        ("legal", True, True),
    ],
)
def test_the_record_shows_each_role_only_its_own_buttons(
    client, staff, court_case, role, lists_hearings, keeps_record
):
    list_hearing(court_case, staff.legal)
    client.force_login(staff.by_role(role))
    response = client.get(url("record", court_case.pk))
    text = page(response)
    assert response.status_code == 200
    assert "Court record" in text and "Case management hearing" in text
    assert "Monday 2 March 2026 at 10:30" in text
    assert ("List a hearing" in text) is lists_hearings
    assert ("Adjourn" in text) is lists_hearings
    assert ("Add a direction" in text) is keeps_record
    assert ("Change the proceedings" in text) is keeps_record


def test_a_case_out_of_sight_is_not_found_and_an_administrator_sees_none(
    client, staff, other_staff, court_case
):
    hearing = list_hearing(court_case, staff.legal)
    client.force_login(other_staff.social_worker)
    assert client.get(url("record", court_case.pk)).status_code == 404
    assert client.get(url("hearing_hold", hearing.pk)).status_code == 404
    assert client.post(url("hearing_vacate", hearing.pk), {}).status_code == 404
    client.force_login(staff.administrator)
    assert client.get(url("record", court_case.pk)).status_code == 404


def test_a_case_before_the_decision_to_issue_says_it_has_no_court_record(client, staff, today):
    case = case_at(Stage.PRE_PROCEEDINGS, staff)
    client.force_login(staff.legal)
    response = client.get(url("record", case.pk))
    assert response.status_code == 200
    assert "This case has no court record yet" in page(response)
    form = client.get(url("hearing_list", case.pk))
    assert form.status_code == 400 and "no court record yet" in page(form)


def test_the_case_page_court_section_links_to_the_record(client, staff, court_case):
    client.force_login(staff.social_worker)
    response = client.get(reverse("casework:case_court", args=[court_case.pk]))
    assert url("record", court_case.pk) in response.content.decode()


def test_the_record_shows_the_milestone_window_and_the_at_risk_test(client, staff, court_case):
    # Issued 5 February: the case management hearing's latest date is 17 working days on.
    list_hearing(court_case, staff.legal, date="2026-03-02")
    list_hearing(court_case, staff.legal, kind="issues_resolution_hearing", date="2026-08-03")
    client.force_login(staff.court_liaison_officer)
    text = page(client.get(url("record", court_case.pk)))
    assert "Outside the statutory window" in text
    assert "The 26 weeks are at risk by HMCTS's test" in text
    assert "Issues resolution hearing on 03 August 2026 is 179 days after issue" in text


# --- hearings ------------------------------------------------------------------------------


def test_the_court_liaison_officer_lists_a_hearing_from_the_form(client, staff, court_case):
    client.force_login(staff.court_liaison_officer)
    form = client.get(url("hearing_list", court_case.pk))
    assert form.status_code == 200
    response = client.post(url("hearing_list", court_case.pk), hearing_post(court_case))
    assert response.status_code == 302
    assert response["Location"].endswith("#hearings")
    hearing = Hearing.objects.get(case=court_case)
    local = hearing.starts_at.astimezone(LONDON)
    assert (local.date(), local.hour, local.minute) == (MONDAY, 10, 30)
    assert hearing.mode == "hybrid" and hearing.time_estimate_minutes == 90
    text = page(client.get(url("record", court_case.pk)))
    assert "Swansea, courtroom 3 (hybrid)" in text and "1 hour 30 minutes" in text


def test_a_hearing_before_the_application_is_a_form_error_and_nothing_is_written(
    client, staff, court_case
):
    client.force_login(staff.legal)
    response = client.post(
        url("hearing_list", court_case.pk), hearing_post(court_case, dt.date(2026, 1, 5))
    )
    assert response.status_code == 400
    assert "The date cannot be before the application" in page(response)
    assert not Hearing.objects.filter(case=court_case).exists()


def test_a_final_hearing_before_the_case_management_hearing_is_refused(client, staff, court_case):
    list_hearing(court_case, staff.legal, date="2026-03-10")
    client.force_login(staff.legal)
    response = client.post(
        url("hearing_list", court_case.pk),
        hearing_post(fresh(court_case), kind="final_hearing"),
    )
    assert response.status_code == 400
    assert "cannot come before the case management hearing" in page(response)
    assert Hearing.objects.filter(case=court_case).count() == 1


def test_a_hearing_on_a_saturday_asks_then_is_accepted_when_confirmed(client, staff, court_case):
    client.force_login(staff.legal)
    asked = client.post(url("hearing_list", court_case.pk), hearing_post(court_case, SATURDAY))
    assert asked.status_code == 400
    assert "Saturday 14 March 2026 is a weekend" in page(asked)
    assert 'name="confirm_non_working_day"' in page(asked)
    assert not Hearing.objects.filter(case=court_case).exists()
    confirmed = client.post(
        url("hearing_list", court_case.pk),
        hearing_post(court_case, SATURDAY, confirm_non_working_day="on"),
    )
    assert confirmed.status_code == 302
    assert Hearing.objects.get(case=court_case).starts_at.astimezone(LONDON).date() == SATURDAY


def test_a_stale_version_is_a_conflict_that_offers_the_current_one(client, staff, court_case):
    client.force_login(staff.legal)
    stale = hearing_post(court_case)
    list_hearing(court_case, staff.legal, kind="urgent_hearing", date="2026-03-03")
    response = client.post(url("hearing_list", court_case.pk), stale)
    assert response.status_code == 409
    assert "Someone else changed this case" in page(response)
    assert f'value="{fresh(court_case).version}"' in page(response)


def test_a_social_worker_may_not_list_a_hearing(client, staff, court_case):
    client.force_login(staff.social_worker)
    assert client.get(url("hearing_list", court_case.pk)).status_code == 403
    response = client.post(url("hearing_list", court_case.pk), hearing_post(court_case))
    assert response.status_code == 403
    assert not Hearing.objects.filter(case=court_case).exists()


def hold_post(case, **extra) -> dict[str, str]:
    return {
        "version": str(fresh(case).version),
        "orders_made": ["interim_care_order"],
        "outcome_notes": "",
        "draft_order_by": "council",
        "draft_order_due": "",
        **extra,
    }


def test_holding_a_hearing_with_an_order_and_the_next_hearing(client, staff, court_case):
    hearing = list_hearing(court_case, staff.legal)
    client.force_login(staff.court_liaison_officer)
    form = client.get(url("hearing_hold", hearing.pk))
    assert form.status_code == 200
    # The draft order is due 2 working days after the hearing by default.
    assert 'value="04/03/2026"' in form.content.decode()
    response = client.post(
        url("hearing_hold", hearing.pk),
        hold_post(
            court_case,
            **{
                "next_hearing-kind": "issues_resolution_hearing",
                "next_hearing-date": dmy(dt.date(2026, 5, 12)),
                "next_hearing-time": "14:00",
            },
        ),
    )
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD
    assert hearing.orders_made == ["interim_care_order"]
    assert hearing.draft_order_due == dt.date(2026, 3, 4)
    following = Hearing.objects.get(case=court_case, number=2)
    assert following.kind == "issues_resolution_hearing"
    assert following.starts_at.astimezone(LONDON).hour == 14
    text = page(client.get(url("record", court_case.pk)))
    assert "Interim care order" in text and "not sent yet" in text


def test_a_held_hearing_with_no_outcome_is_a_form_error(client, staff, court_case):
    hearing = list_hearing(court_case, staff.legal)
    client.force_login(staff.court_liaison_officer)
    response = client.post(url("hearing_hold", hearing.pk), hold_post(court_case, orders_made=[]))
    assert response.status_code == 400
    assert "Say what the hearing ordered" in page(response)
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.LISTED


def test_a_next_hearing_without_its_time_is_a_form_error_and_nothing_is_held(
    client, staff, court_case
):
    hearing = list_hearing(court_case, staff.legal)
    client.force_login(staff.legal)
    response = client.post(
        url("hearing_hold", hearing.pk),
        hold_post(court_case, **{"next_hearing-date": dmy(dt.date(2026, 5, 12))}),
    )
    assert response.status_code == 400
    assert "Choose the type of hearing of the new hearing" in page(response)
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.LISTED
    assert Hearing.objects.filter(case=court_case).count() == 1


def test_a_vacated_hearing_is_relisted_in_one_step_and_cannot_then_be_held(
    client, staff, court_case
):
    hearing = list_hearing(court_case, staff.legal)
    client.force_login(staff.court_liaison_officer)
    form = client.get(url("hearing_vacate", hearing.pk))
    assert form.status_code == 200
    assert "<optgroup" in form.content.decode()
    response = client.post(
        url("hearing_vacate", hearing.pk),
        {
            "version": str(fresh(court_case).version),
            "reason_code": "LA1",
            "reason_text": "The parenting assessment was late.",
            "relist-kind": "case_management_hearing",
            "relist-date": dmy(dt.date(2026, 3, 16)),
            "relist-time": "11:00",
        },
    )
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.VACATED and hearing.relisted_as is not None
    text = page(client.get(url("record", court_case.pk)))
    assert "Reason: LA1:" in text and "Re-listed as" in text and "Re-listed from" in text
    # Holding it now: the page says why, and a forged post is refused with a sentence.
    assert client.get(url("hearing_hold", hearing.pk)).status_code == 400
    refused = client.post(url("hearing_hold", hearing.pk), hold_post(court_case))
    assert refused.status_code == 400
    assert "This hearing is vacated: only a listed hearing can be held" in page(refused)


def test_an_adjournment_needs_hmcts_reason(client, staff, court_case):
    hearing = list_hearing(court_case, staff.legal)
    client.force_login(staff.legal)
    response = client.post(
        url("hearing_adjourn", hearing.pk),
        {"version": str(fresh(court_case).version), "reason_code": ""},
    )
    assert response.status_code == 400
    assert "Choose HMCTS's reason from the list" in page(response)
    ok = client.post(
        url("hearing_adjourn", hearing.pk),
        {"version": str(fresh(court_case).version), "reason_code": "LA1"},
    )
    assert ok.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.ADJOURNED and hearing.relisted_as is None


def test_the_draft_order_is_recorded_as_sent(client, staff, court_case):
    hearing = list_hearing(court_case, staff.legal)
    services.hearing_hold(
        hearing_id=hearing.pk, actor=staff.legal, data={"orders_made": ["directions_only"]}
    )
    client.force_login(staff.court_liaison_officer)
    early = client.post(
        url("draft_order_sent", hearing.pk),
        {"version": str(fresh(court_case).version), "sent_on": dmy(dt.date(2026, 2, 27))},
    )
    assert early.status_code == 400
    assert "The date cannot be before the hearing" in page(early)
    response = client.post(
        url("draft_order_sent", hearing.pk),
        {"version": str(fresh(court_case).version), "sent_on": dmy(dt.date(2026, 3, 3))},
    )
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.draft_order_sent_on == dt.date(2026, 3, 3)


# --- the proceedings and the parties -------------------------------------------------------


def test_the_lawyer_keeps_the_proceedings(client, staff, court_case):
    client.force_login(staff.legal)
    assert client.get(url("proceedings_edit", court_case.pk)).status_code == 200
    post = {
        "version": str(court_case.version),
        "court_centre": CourtCentre.objects.get(name="Swansea").code,
        "case_number": "SA26C00077",
        "judge_level": "circuit_judge",
        "judge_name": "HHJ Example",
        "guardian_service": "cafcass_cymru",
        "guardian_name": "Gwen Guardian",
        "children_solicitor_email": "not an email",
    }
    bad = client.post(url("proceedings_edit", court_case.pk), post)
    assert bad.status_code == 400
    assert "Enter an email address like name@example.org" in page(bad)
    assert not Proceedings.objects.filter(case=court_case).exists()
    post["children_solicitor_email"] = "sol@example.org"
    assert client.post(url("proceedings_edit", court_case.pk), post).status_code == 302
    assert fresh(court_case).court_reference == "SA26C00077"
    text = page(client.get(url("record", court_case.pk)))
    assert "Circuit judge (HHJ Example)" in text and "Gwen Guardian, Cafcass Cymru" in text
    client.force_login(staff.court_liaison_officer)
    assert client.post(url("proceedings_edit", court_case.pk), post).status_code == 403


def test_the_lawyer_records_the_orders_sought_and_an_international_element(
    client, staff, court_case
):
    client.force_login(staff.legal)
    post = {
        "version": str(court_case.version),
        "orders_sought": ["supervision_order", "interim_supervision_order"],
        "international_element": "yes",
    }
    bad = client.post(url("proceedings_edit", court_case.pk), post)
    assert bad.status_code == 400
    assert "Say what the international element is" in page(bad)
    assert not Proceedings.objects.filter(case=court_case).exists()
    post["international_details"] = "The father is a Polish national."
    assert client.post(url("proceedings_edit", court_case.pk), post).status_code == 302
    text = page(client.get(url("record", court_case.pk)))
    assert "Supervision order, Interim supervision order" in text
    assert "Yes: The father is a Polish national." in text
    # The form shows what is recorded, ticked.
    form = page(client.get(url("proceedings_edit", court_case.pk)))
    ticked = re.findall(r'name="orders_sought" value="(\w+)"[^>]*checked', form)
    assert ticked == ["supervision_order", "interim_supervision_order"]


def test_the_lawyer_records_a_party_s_solicitor(client, staff, court_case):
    adult = court_case.adults.get()
    client.force_login(staff.legal)
    path = url("party_edit", court_case.pk, adult.pk)
    missing = client.post(path, {"version": str(court_case.version), "represented": "yes"})
    assert missing.status_code == 400
    assert "Enter the solicitor's firm" in page(missing)
    ok = client.post(
        path,
        {
            "version": str(court_case.version),
            "represented": "yes",
            "firm": "Example & Co",
            "solicitor_name": "Sam Solicitor",
            "phone": "01234 567890",
        },
    )
    assert ok.status_code == 302
    assert Representation.objects.get(adult=adult).firm == "Example & Co"
    text = page(client.get(url("record", court_case.pk)))
    assert "Sam Solicitor, Example & Co" in text
    assert client.get(url("party_edit", court_case.pk, 999999)).status_code == 404


# --- directions ----------------------------------------------------------------------------


def direction_post(case, owner, **extra) -> dict[str, str]:
    return {
        "version": str(fresh(case).version),
        "text": "File the final evidence and care plan.",
        "party": "council",
        "due_on": dmy(dt.date(2026, 4, 1)),
        "owner": str(owner.pk) if owner else "",
        **extra,
    }


def test_a_direction_is_added_and_its_owner_updates_it(client, staff, court_case):
    client.force_login(staff.legal)
    form = client.get(url("direction_add", court_case.pk)).content.decode()
    # The owners offered are the people who can see the case.
    assert staff.social_worker.display_name in form
    assert staff.court_liaison_officer.display_name not in form
    no_owner = client.post(url("direction_add", court_case.pk), direction_post(court_case, None))
    assert no_owner.status_code == 400
    assert "Say who at the council does it" in page(no_owner)
    response = client.post(
        url("direction_add", court_case.pk), direction_post(court_case, staff.social_worker)
    )
    assert response.status_code == 302
    direction = Direction.objects.get(case=court_case)
    assert direction.owner == staff.social_worker

    client.force_login(staff.social_worker)
    text = page(client.get(url("record", court_case.pk)))
    assert "Due in 28 days" in text and "Update" in text
    path = url("direction_update", direction.pk)
    form = client.get(path).content.decode()
    assert 'name="owner"' not in form  # only the legal team changes the owner
    late = client.post(
        path,
        {"version": str(fresh(court_case).version), "status": "filed", "filed_on": ""},
    )
    assert late.status_code == 400 and "Enter the date it was filed" in page(late)
    filed = client.post(
        path,
        {
            "version": str(fresh(court_case).version),
            "status": "filed",
            "filed_on": dmy(dt.date(2026, 3, 4)),
        },
    )
    assert filed.status_code == 302
    direction.refresh_from_db()
    assert direction.status == DirectionStatus.FILED
    assert direction.filed_on == dt.date(2026, 3, 4)


def test_someone_who_does_not_own_a_direction_may_not_update_it(client, staff, court_case):
    direction = services.direction_add(
        case_id=court_case.pk,
        actor=staff.legal,
        data={
            "text": "Chronology",
            "party": "council",
            "made_on": "2026-02-20",
            "due_on": "2026-03-02",
            "owner": staff.legal.pk,
        },
    )
    client.force_login(staff.team_manager)
    assert client.get(url("direction_update", direction.pk)).status_code == 403
    response = client.post(
        url("direction_update", direction.pk),
        {"version": str(fresh(court_case).version), "status": "not_needed"},
    )
    assert response.status_code == 403
    direction.refresh_from_db()
    assert direction.status == DirectionStatus.OUTSTANDING
    client.force_login(staff.social_worker)
    assert "Overdue by 2 days" in page(client.get(url("record", court_case.pk)))


def test_an_extended_direction_needs_a_later_date(client, staff, court_case):
    direction = services.direction_add(
        case_id=court_case.pk,
        actor=staff.legal,
        data={
            "text": "Chronology",
            "party": "council",
            "due_on": "2026-03-20",
            "owner": staff.social_worker.pk,
        },
    )
    client.force_login(staff.legal)
    earlier = client.post(
        url("direction_update", direction.pk),
        {
            "version": str(fresh(court_case).version),
            "status": "extended",
            "due_on": dmy(dt.date(2026, 3, 10)),
            "owner": str(staff.social_worker.pk),
        },
    )
    assert earlier.status_code == 400
    assert "The new date must be after the current one" in page(earlier)
    later = client.post(
        url("direction_update", direction.pk),
        {
            "version": str(fresh(court_case).version),
            "status": "extended",
            "due_on": dmy(dt.date(2026, 4, 10)),
            "owner": str(staff.legal.pk),
        },
    )
    assert later.status_code == 302
    direction.refresh_from_db()
    assert direction.due_on == dt.date(2026, 4, 10) and direction.owner == staff.legal


def test_standard_directions_are_added_with_their_default_dates(client, staff, court_case):
    standards = list(StandardDirection.objects.filter(active=True)[:2])
    client.force_login(staff.legal)
    path = url("standard_directions_add", court_case.pk)
    assert client.get(path).status_code == 200
    nothing = client.post(path, {"version": str(court_case.version)})
    assert nothing.status_code == 400
    assert "Choose at least one standard direction" in page(nothing)
    post = {"version": str(court_case.version), "hearing": ""}
    for standard in standards:
        post[f"standard_{standard.pk}"] = "on"
        post[f"due_{standard.pk}"] = ""
    assert client.post(path, post).status_code == 302
    made = Direction.objects.filter(case=court_case).order_by("number")
    assert [d.text for d in made] == [s.text for s in standards]
    assert made[0].due_on == dt.date(2026, 3, 4) + dt.timedelta(
        weeks=standards[0].weeks_after_hearing
    )


# --- experts and the 26 weeks --------------------------------------------------------------


def test_an_expert_assessment_repeating_pre_proceedings_is_flagged(client, staff, court_case):
    client.force_login(staff.legal)
    base = {
        "version": str(court_case.version),
        "assessment_type": "parenting",
        "expert": "Dr Example",
        "applied_on": dmy(dt.date(2026, 2, 20)),
        "granted_on": dmy(dt.date(2026, 2, 10)),
        "done_in_pre_proceedings": "on",
    }
    wrong = client.post(url("expert_add", court_case.pk), base)
    assert wrong.status_code == 400
    assert "This date cannot be before the application date" in page(wrong)
    assert not ExpertAssessment.objects.filter(case=court_case).exists()
    base["granted_on"] = dmy(dt.date(2026, 2, 25))
    assert client.post(url("expert_add", court_case.pk), base).status_code == 302
    expert = ExpertAssessment.objects.get(case=court_case)
    text = page(client.get(url("record", court_case.pk)))
    assert "A repeat: an assessment of this type was done in pre-proceedings" in text
    edit = client.post(
        url("expert_edit", expert.pk),
        {**base, "version": str(fresh(court_case).version), "done_in_pre_proceedings": ""},
    )
    assert edit.status_code == 302
    expert.refresh_from_db()
    assert expert.done_in_pre_proceedings is False


def test_an_extension_over_8_weeks_is_refused_and_one_of_4_is_recorded(client, staff, court_case):
    child = court_case.children.get()
    client.force_login(staff.legal)
    post = {
        "version": str(court_case.version),
        "children": [str(child.pk)],
        "weeks": "9",
        "reasons": "The parenting assessment finishes late.",
        "judge_name": "HHJ Example",
        "decided_on": dmy(dt.date(2026, 3, 2)),
    }
    refused = client.post(url("timetable_extend", court_case.pk), post)
    assert refused.status_code == 400
    assert "at most 8 weeks at a time (this said 9)" in page(refused)
    assert not TimetableExtension.objects.filter(case=court_case).exists()
    post["weeks"] = "4"
    assert client.post(url("timetable_extend", court_case.pk), post).status_code == 302
    text = page(client.get(url("record", court_case.pk)))
    assert "4 weeks" in text


def test_a_child_who_joined_later_has_their_own_26_weeks(client, staff, court_case):
    child = court_case.children.get()
    client.force_login(staff.legal)
    path = url("child_joined", court_case.pk, child.pk)
    early = client.post(
        path, {"version": str(court_case.version), "issued_on": dmy(dt.date(2026, 1, 2))}
    )
    assert early.status_code == 400
    assert "The date cannot be before the application" in page(early)
    ok = client.post(
        path, {"version": str(court_case.version), "issued_on": dmy(dt.date(2026, 3, 2))}
    )
    assert ok.status_code == 302
    assert ChildTimetable.objects.get(child=child).issued_on == dt.date(2026, 3, 2)
    assert "joined the application later" in page(client.get(url("record", court_case.pk)))
    client.force_login(staff.court_liaison_officer)
    assert client.post(path, {"version": "1", "issued_on": "2/3/2026"}).status_code == 403


def test_the_history_shows_the_court_record_s_changes_in_words(client, staff, court_case):
    hearing = list_hearing(court_case, staff.legal)
    services.hearing_vacate(hearing_id=hearing.pk, actor=staff.legal, data={"reason_code": "LA1"})
    assert CaseEvent.objects.filter(case=court_case, action="hearing_changed").count() == 2
    client.force_login(staff.social_worker)
    text = page(client.get(reverse("casework:case_history", args=[court_case.pk])))
    assert "Hearing listed: Case management hearing on Monday 2 March 2026 at 10:30" in text
    assert "Hearing vacated: Case management hearing" in text


# --- queries -------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    client.get(path)  # warm: the timescale policy, the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow(case, staff, n: int) -> None:
    for i in range(n):
        day = dt.date(2026, 3, 2) + dt.timedelta(days=7 * i)
        hearing = list_hearing(
            case,
            staff.legal,
            kind="directions_hearing",
            date=day.isoformat(),
            court_centre=CourtCentre.objects.order_by("pk")[i].code,
            confirm_non_working_day=True,
        )
        if i % 2:
            services.hearing_vacate(
                hearing_id=hearing.pk,
                actor=staff.legal,
                data={"reason_code": "LA1", "relist": {**_relist(day)}},
            )
        services.direction_add(
            case_id=case.pk,
            actor=staff.legal,
            data={
                "text": f"Direction {i}",
                "party": "council",
                "due_on": (day + dt.timedelta(days=14)).isoformat(),
                "owner": staff.social_worker.pk,
                "hearing": hearing.pk,
            },
        )
        services.expert_add(
            case_id=case.pk,
            actor=staff.legal,
            data={"assessment_type": "cognitive", "expert": f"Dr {i}", "applied_on": "2026-03-02"},
        )


def _relist(day: dt.date) -> dict[str, str]:
    return {
        "kind": "directions_hearing",
        "date": (day + dt.timedelta(days=1)).isoformat(),
        "time": "09:30",
        "confirm_non_working_day": True,
    }


@pytest.mark.parametrize("role", ["legal", "social_worker"])
def test_the_record_s_queries_do_not_grow_with_its_rows(client, staff, court_case, role):
    client.force_login(staff.by_role(role))
    path = url("record", court_case.pk)
    _grow(court_case, staff, 1)
    small = _queries(client, path)
    _grow(court_case, staff, 6)
    assert Hearing.objects.filter(case=court_case).count() > 8
    large = _queries(client, path)
    assert large == small
