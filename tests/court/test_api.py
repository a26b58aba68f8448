"""The court record through the JSON API v1: each endpoint's answer, each refusal of bad
input as a 400 with the sentence that says what to fix and nothing written, and a case of
another team that is not there (404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from legaltracker.accounts.models import User
from legaltracker.api.tokens import token_issue
from legaltracker.cases.models import Case, CaseEvent
from legaltracker.court import services
from legaltracker.court.models import (
    ChildTimetable,
    CourtCentre,
    Direction,
    ExpertAssessment,
    Hearing,
    Representation,
    StandardDirection,
    TimetableExtension,
)

pytestmark = pytest.mark.django_db

Client = Callable[[User], APIClient]


@pytest.fixture
def api(db) -> Client:
    """`api(user)`: an API client sending `Authorization: Token <key>` for user."""

    def make(user: User) -> APIClient:
        _, key = token_issue(user=user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


def _hearing(case: Case, actor: User, **data) -> Hearing:
    body = {"kind": "case_management_hearing", "date": "2026-03-10", "time": "10:30", **data}
    return services.hearing_list(case_id=case.pk, actor=actor, data=body)


def _version(case: Case) -> int:
    return Case.objects.get(pk=case.pk).version


def _refused(answer, field: str, words: str) -> None:
    """A 400 with the Error body, naming the field with a sentence that says what to fix."""
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert words in body["detail"] or any(words in m for m in body["errors"][field])
    assert words in " ".join(body["errors"][field]), body


# --- reference data -----------------------------------------------------------------------


def test_court_centres_and_reason_codes_are_there_for_anyone_signed_in(api, staff):
    CourtCentre.objects.filter(name="Swansea").update(active=False)
    for user in (staff.administrator, staff.performance_officer, staff.social_worker):
        centres = api(user).get("/api/v1/court-centres/")
        assert centres.status_code == 200
        rows = centres.json()
        assert len(rows) >= 60 and set(rows[0]) == {"code", "name", "region"}
        assert "Swansea" not in {row["name"] for row in rows}  # active ones only
        reasons = api(user).get("/api/v1/hearing-reasons/").json()
        assert {"code": "LA1", "group": "LocalAuthority"}.items() <= reasons["adjourned"][0].items()
        assert reasons["vacated"] and reasons["adjourned"][0]["group_label"] == "The council"
    assert APIClient().get("/api/v1/court-centres/").status_code == 401


def test_the_reference_lists_filter_by_region_and_status(api, staff):
    client = api(staff.court_liaison_officer)
    welsh = client.get("/api/v1/court-centres/", {"region": "Wales"}).json()
    assert welsh and {row["region"] for row in welsh} == {"Wales"}
    vacated = client.get("/api/v1/hearing-reasons/", {"status": "vacated"}).json()
    assert vacated["vacated"] and vacated["adjourned"] == []
    for path, query in (
        ("/api/v1/court-centres/", "region=Narnia"),
        ("/api/v1/court-centres/", "region=Wales&region=London"),
        ("/api/v1/hearing-reasons/", "status=held"),
    ):
        answer = client.get(f"{path}?{query}")
        assert answer.status_code == 400, query
        assert "or leave it out" in answer.json()["detail"]


# --- proceedings and parties ----------------------------------------------------------------


def test_the_proceedings_record_is_read_by_the_case_team_and_kept_by_the_lawyer(
    api, court_case, staff
):
    swansea = CourtCentre.objects.get(name="Swansea")
    answer = api(staff.legal).patch(
        f"/api/v1/cases/{court_case.pk}/proceedings/",
        {
            "court_centre": swansea.code,
            "case_number": "SA26C00042",
            "judge_level": "circuit_judge",
            "judge_name": "HHJ Marlow",
            "guardian_service": "cafcass_cymru",
            "children_solicitor_email": "kids@example.org",
            "advocate_kind": "counsel",
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    # Only the fields sent change.
    answer = api(staff.legal).patch(
        f"/api/v1/cases/{court_case.pk}/proceedings/", {"judge_name": "HHJ Lowe"}, format="json"
    )
    assert answer.status_code == 200
    body = api(staff.social_worker).get(f"/api/v1/cases/{court_case.pk}/proceedings/").json()
    assert body["court_centre"] == {"code": swansea.code, "name": "Swansea", "region": "Wales"}
    assert body["case_number"] == "SA26C00042" and body["judge_name"] == "HHJ Lowe"
    assert body["judge_level"] == "circuit_judge" and body["guardian_service"] == "cafcass_cymru"
    assert body["advocate_kind"] == "counsel" and body["has_court_record"] is True
    assert body["version"] == _version(court_case)
    (parent,) = body["parties"]
    assert parent["relationship"] == "mother" and parent["represented"] is None
    assert Case.objects.get(pk=court_case.pk).court_reference == "SA26C00042"
    assert CaseEvent.objects.filter(case=court_case, action="court_record_changed").count() == 2


def test_the_proceedings_name_the_allocated_lawyer(api, court_case, staff):
    Case.objects.filter(pk=court_case.pk).update(allocated_lawyer=staff.legal)
    body = api(staff.team_manager).get(f"/api/v1/cases/{court_case.pk}/proceedings/").json()
    assert body["allocated_lawyer"] == {
        "id": staff.legal.pk,
        "username": staff.legal.username,
        "name": staff.legal.display_name,
    }


def test_a_social_worker_cannot_change_the_proceedings(api, court_case, staff):
    version = _version(court_case)
    answer = api(staff.social_worker).patch(
        f"/api/v1/cases/{court_case.pk}/proceedings/", {"judge_name": "X"}, format="json"
    )
    assert answer.status_code == 403
    assert _version(court_case) == version


def test_bad_proceedings_values_are_refused_whole(api, court_case, staff):
    path = f"/api/v1/cases/{court_case.pk}/proceedings/"
    answer = api(staff.legal).patch(
        path, {"court_centre": "NOPE", "judge_name": "HHJ Lowe"}, format="json"
    )
    _refused(answer, "court_centre", "There is no court centre with the code 'NOPE'")
    answer = api(staff.legal).patch(path, {"judge_nme": "HHJ Lowe"}, format="json")
    _refused(answer, "judge_nme", "judge_nme is not one of them")
    assert api(staff.legal).get(path).json()["judge_name"] == ""


def test_the_orders_sought_and_the_international_element(api, court_case, staff):
    path = f"/api/v1/cases/{court_case.pk}/proceedings/"
    answer = api(staff.legal).patch(
        path,
        {
            "orders_sought": ["interim_care_order", "care_order", "care_order"],
            "international_element": "yes",
            "international_details": "The father lives in Portugal.",
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    body = api(staff.social_worker).get(path).json()
    assert body["orders_sought"] == ["interim_care_order", "care_order"]
    assert body["international_element"] == "yes"
    assert body["international_details"] == "The father lives in Portugal."
    # An empty list clears the orders; the rest stays as it was.
    answer = api(staff.legal).patch(path, {"orders_sought": []}, format="json")
    assert answer.json()["orders_sought"] == [] and answer.json()["international_element"] == "yes"


@pytest.mark.parametrize(
    ("sent", "field", "words"),
    [
        ({"orders_sought": ["adoption"]}, "orders_sought", "'adoption' is not one of"),
        ({"orders_sought": "care_order"}, "orders_sought", "Send a list of orders"),
        ({"orders_sought": None}, "orders_sought", "Send a list of orders"),
        ({"international_element": "yes"}, "international_details", "Say what the international"),
        ({"international_element": "maybe"}, "international_element", "'maybe' is not one of"),
    ],
)
def test_bad_orders_sought_or_international_element_change_nothing(
    api, court_case, staff, sent, field, words
):
    path = f"/api/v1/cases/{court_case.pk}/proceedings/"
    version = _version(court_case)
    _refused(api(staff.legal).patch(path, sent, format="json"), field, words)
    body = api(staff.legal).get(path).json()
    assert body["orders_sought"] == [] and body["international_element"] is None
    assert _version(court_case) == version


@pytest.mark.parametrize("email", ["\u00d9@\u00f2x.example", "sol@firm", "sol@@firm.example.org"])
def test_an_email_address_mail_would_not_take_is_refused(api, court_case, staff, email):
    """Found by the schemathesis run: the proceedings answered with an email that the
    schema's `format: email` does not allow."""
    path = f"/api/v1/cases/{court_case.pk}/proceedings/"
    answer = api(staff.legal).patch(path, {"children_solicitor_email": email}, format="json")
    _refused(answer, "children_solicitor_email", "Enter an email address like name@example.org")
    adult = court_case.adults.get()
    answer = api(staff.legal).patch(
        f"/api/v1/cases/{court_case.pk}/adults/{adult.pk}/representation/",
        {"represented": True, "firm": "Firm", "email": email},
        format="json",
    )
    _refused(answer, "email", "Enter an email address like name@example.org")


def test_an_ordinary_email_address_is_kept(api, court_case, staff):
    path = f"/api/v1/cases/{court_case.pk}/proceedings/"
    sent = {"children_solicitor_email": "sol.name+care@firm.example.org"}
    answer = api(staff.legal).patch(path, sent, format="json")
    assert answer.json()["children_solicitor_email"] == "sol.name+care@firm.example.org"


def test_a_stale_version_is_a_409(api, court_case, staff):
    answer = api(staff.legal).patch(
        f"/api/v1/cases/{court_case.pk}/proceedings/",
        {"judge_name": "HHJ Lowe", "version": _version(court_case) - 1},
        format="json",
    )
    assert answer.status_code == 409


def test_representation_of_an_adult_party(api, court_case, staff):
    adult = court_case.adults.get()
    path = f"/api/v1/cases/{court_case.pk}/adults/{adult.pk}/representation/"
    answer = api(staff.legal).patch(path, {"represented": True}, format="json")
    _refused(answer, "firm", "Enter the solicitor's firm")
    assert not Representation.objects.exists()
    answer = api(staff.legal).patch(
        path, {"represented": True, "firm": "Hale & Co", "email": "a@hale.example"}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["firm"] == "Hale & Co" and answer.json()["represented"] is True
    answer = api(staff.legal).patch(path, {"solicitor_name": "Ann Hale"}, format="json")
    assert answer.json()["firm"] == "Hale & Co" and answer.json()["solicitor_name"] == "Ann Hale"
    party = api(staff.social_worker).get(f"/api/v1/cases/{court_case.pk}/proceedings/").json()
    assert party["parties"][0]["email"] == "a@hale.example"
    child = court_case.children.get()
    wrong = f"/api/v1/cases/{court_case.pk}/adults/{child.pk + 10_000}/representation/"
    assert api(staff.legal).patch(wrong, {"represented": False}, format="json").status_code == 404


# --- hearings -------------------------------------------------------------------------------


def test_the_court_liaison_officer_lists_a_hearing_in_london_time(api, court_case, staff):
    swansea = CourtCentre.objects.get(name="Swansea")
    answer = api(staff.court_liaison_officer).post(
        f"/api/v1/cases/{court_case.pk}/hearings/",
        {
            "kind": "case_management_hearing",
            "date": "2026-03-30",  # the day after the clocks go forward
            "time": "10:00",
            "court_centre": swansea.code,
            "courtroom": "3",
            "mode": "hybrid",
            "time_estimate_minutes": 90,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["starts_at"] == "2026-03-30T10:00:00+01:00"
    assert (body["date"], body["time"]) == ("2026-03-30", "10:00")
    assert body["court_centre"] == {"code": swansea.code, "name": "Swansea"}
    assert body["status"] == "listed" and body["number"] == 1 and body["case"] == court_case.pk
    assert body["reason_code"] is None and body["draft_order_by"] is None
    assert body["listed_on"] == "2026-03-04" and body["mode"] == "hybrid"
    assert set(body) == {
        "id",
        "case",
        "number",
        "kind",
        "starts_at",
        "date",
        "time",
        "time_estimate_minutes",
        "court_centre",
        "courtroom",
        "mode",
        "judge_name",
        "status",
        "reason_code",
        "reason_label",
        "reason_text",
        "relisted_as",
        "orders_made",
        "outcome_notes",
        "draft_order_by",
        "draft_order_due",
        "draft_order_sent_on",
        "listed_on",
    }
    listed = api(staff.social_worker).get(f"/api/v1/cases/{court_case.pk}/hearings/").json()
    assert [h["id"] for h in listed] == [body["id"]]
    one = api(staff.team_manager).get(f"/api/v1/hearings/{body['id']}/")
    assert one.status_code == 200 and one.json() == body


def test_a_winter_hearing_is_shown_at_gmt(api, court_case, staff):
    hearing = _hearing(court_case, staff.legal)
    body = api(staff.legal).get(f"/api/v1/hearings/{hearing.pk}/").json()
    assert body["starts_at"] == "2026-03-10T10:30:00+00:00"


def test_a_social_worker_cannot_list_a_hearing(api, court_case, staff):
    answer = api(staff.social_worker).post(
        f"/api/v1/cases/{court_case.pk}/hearings/",
        {"kind": "case_management_hearing", "date": "2026-03-10", "time": "10:30"},
        format="json",
    )
    assert answer.status_code == 403
    assert not Hearing.objects.exists()


def test_bad_hearings_are_refused_with_a_sentence_and_nothing_written(api, court_case, staff):
    client = api(staff.court_liaison_officer)
    path = f"/api/v1/cases/{court_case.pk}/hearings/"
    cmh = {"kind": "case_management_hearing", "time": "10:30"}
    version = _version(court_case)
    _refused(
        client.post(path, {**cmh, "date": "2026-01-05"}, format="json"),
        "date",
        "cannot be before the application",
    )
    assert not Hearing.objects.exists() and _version(court_case) == version
    _hearing(court_case, staff.legal, date="2026-03-10")
    before = Hearing.objects.count()
    _refused(
        client.post(
            path, {"kind": "final_hearing", "date": "2026-03-09", "time": "10:00"}, format="json"
        ),
        "date",
        "cannot come before the case management hearing",
    )
    urgent = {"kind": "urgent_hearing", "date": "2026-03-07", "time": "09:00"}  # a Saturday
    _refused(client.post(path, urgent, format="json"), "date", "is a weekend")
    assert Hearing.objects.count() == before
    confirmed = client.post(path, {**urgent, "confirm_non_working_day": True}, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    assert confirmed.json()["date"] == "2026-03-07"


def test_holding_a_hearing_needs_its_outcome(api, court_case, staff, today):
    hearing = _hearing(court_case, staff.legal, date=today.isoformat())
    client = api(staff.court_liaison_officer)
    path = f"/api/v1/hearings/{hearing.pk}/hold/"
    _refused(client.post(path, {}, format="json"), "orders_made", "Say what the hearing ordered")
    hearing.refresh_from_db()
    assert hearing.status == "listed"
    answer = client.post(
        path,
        {
            "orders_made": ["interim_care_order"],
            "outcome_notes": "ICO renewed.",
            "next_hearing": {
                "kind": "issues_resolution_hearing",
                "date": "2026-06-10",
                "time": "14:00",
            },
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == "held" and body["orders_made"] == ["interim_care_order"]
    assert body["draft_order_by"] == "council" and body["draft_order_due"] == "2026-03-06"
    assert Hearing.objects.filter(case=court_case, kind="issues_resolution_hearing").exists()
    sent = client.post(
        f"/api/v1/hearings/{hearing.pk}/draft-order-sent/", {"sent_on": "2026-03-04"}, format="json"
    )
    assert sent.status_code == 200 and sent.json()["draft_order_sent_on"] == "2026-03-04"


def test_a_vacated_hearing_is_relisted_in_one_step_and_cannot_be_held(api, court_case, staff):
    hearing = _hearing(court_case, staff.legal)
    client = api(staff.court_liaison_officer)
    answer = client.post(
        f"/api/v1/hearings/{hearing.pk}/vacate/",
        {
            "reason_code": "HM1",
            "reason_text": "No judge available.",
            "relist": {"kind": "case_management_hearing", "date": "2026-03-12", "time": "10:00"},
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == "vacated" and body["reason_code"] == "HM1"
    assert body["reason_label"] and body["relisted_as"]
    relisted = client.get(f"/api/v1/hearings/{body['relisted_as']}/").json()
    assert relisted["status"] == "listed" and relisted["date"] == "2026-03-12"
    version = _version(court_case)
    held = client.post(
        f"/api/v1/hearings/{hearing.pk}/hold/", {"orders_made": ["directions_only"]}, format="json"
    )
    assert held.status_code == 400
    assert "only a listed hearing can be held" in held.json()["detail"]
    assert _version(court_case) == version


def test_adjourning_needs_one_of_hmcts_codes(api, court_case, staff):
    hearing = _hearing(court_case, staff.legal)
    path = f"/api/v1/hearings/{hearing.pk}/adjourn/"
    _refused(
        api(staff.legal).post(path, {"reason_code": "ZZ9"}, format="json"),
        "reason_code",
        "is not one of HMCTS's reason codes",
    )
    answer = api(staff.legal).post(path, {"reason_code": "LA1"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "adjourned"
    assert answer.json()["reason_label"].startswith("No/poor pre-proceedings preparation")


def test_the_hearing_list_costs_the_same_whatever_it_holds(api, court_case, staff):
    client = api(staff.legal)
    path = f"/api/v1/cases/{court_case.pk}/hearings/"
    _hearing(court_case, staff.legal, court_centre=CourtCentre.objects.first().code)
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(path).json()) == 1
    for day in ("2026-03-11", "2026-03-12", "2026-03-13"):
        _hearing(court_case, staff.legal, kind="other", date=day)
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(path).json()) == 4
    assert len(more) == len(few)


# --- directions -----------------------------------------------------------------------------


def test_a_direction_owned_by_someone_who_cannot_see_the_case_is_refused(
    api, court_case, staff, other_staff
):
    path = f"/api/v1/cases/{court_case.pk}/directions/"
    body = {"text": "File the chronology", "party": "council", "due_on": "2026-03-20"}
    answer = api(staff.legal).post(
        path, {**body, "owner": other_staff.social_worker.pk}, format="json"
    )
    _refused(answer, "owner", "cannot see this case, so cannot own its direction")
    assert not Direction.objects.exists()
    answer = api(staff.legal).post(path, {**body, "owner": staff.social_worker.pk}, format="json")
    assert answer.status_code == 201, answer.json()
    made = answer.json()
    assert made["owner"] == staff.social_worker.pk and made["status"] == "outstanding"
    assert made["number"] == 1 and made["due_on"] == made["original_due_on"] == "2026-03-20"
    listed = api(staff.social_worker).get(path).json()
    assert [d["id"] for d in listed] == [made["id"]]


def test_the_owner_records_their_direction_filed_and_others_cannot(api, court_case, staff):
    direction = services.direction_add(
        case_id=court_case.pk,
        actor=staff.legal,
        data={
            "text": "File the care plan",
            "party": "council",
            "made_on": "2026-02-20",
            "due_on": "2026-03-03",
            "owner": staff.social_worker.pk,
        },
    )
    path = f"/api/v1/directions/{direction.pk}/"
    refused = api(staff.team_manager).patch(path, {"status": "filed"}, format="json")
    assert refused.status_code == 403
    answer = api(staff.social_worker).patch(
        path, {"status": "filed", "filed_on": "2026-03-04"}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "filed_late" and answer.json()["filed_on"] == "2026-03-04"
    owner = api(staff.social_worker).patch(
        path, {"status": "filed", "filed_on": "2026-03-04", "owner": staff.legal.pk}, format="json"
    )
    _refused(owner, "owner", "Only the legal team can change who owns a direction")
    assert Direction.objects.get(pk=direction.pk).owner == staff.social_worker


def test_standard_directions_are_listed_and_added_in_one_go(api, court_case, staff):
    path = f"/api/v1/cases/{court_case.pk}/directions/standard/"
    standard = api(staff.social_worker).get(path).json()
    assert len(standard) == StandardDirection.objects.filter(active=True).count() >= 2
    chosen = [{"id": standard[0]["id"]}, {"id": standard[1]["id"], "due_on": "2026-04-01"}]
    answer = api(staff.legal).post(path, {"standard": chosen}, format="json")
    assert answer.status_code == 201, answer.json()
    made = answer.json()
    assert [d["number"] for d in made] == [1, 2] and made[1]["due_on"] == "2026-04-01"
    _refused(
        api(staff.legal).post(path, {"standard": []}, format="json"),
        "standard",
        "Choose at least one standard direction",
    )
    assert Direction.objects.count() == 2


# --- experts --------------------------------------------------------------------------------


def test_experts_are_recorded_and_changed_field_by_field(api, court_case, staff):
    path = f"/api/v1/cases/{court_case.pk}/experts/"
    answer = api(staff.legal).post(
        path,
        {
            "assessment_type": "psychological",
            "expert": "Dr Rowan",
            "applied_on": "2026-02-20",
            "granted_on": "2026-02-25",
            "done_in_pre_proceedings": True,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    expert = answer.json()
    assert expert["done_in_pre_proceedings"] is True and expert["report_due_on"] is None
    changed = api(staff.legal).patch(
        f"/api/v1/experts/{expert['id']}/", {"report_due_on": "2026-04-15"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json() == {**expert, "report_due_on": "2026-04-15"}
    bad = api(staff.legal).patch(
        f"/api/v1/experts/{expert['id']}/", {"granted_on": "2026-02-10"}, format="json"
    )
    _refused(bad, "granted_on", "cannot be before the application date")
    assert ExpertAssessment.objects.get().granted_on == dt.date(2026, 2, 25)
    assert [e["id"] for e in api(staff.social_worker).get(path).json()] == [expert["id"]]
    refused = api(staff.social_worker).post(
        path, {"assessment_type": "dna", "expert": "Lab"}, format="json"
    )
    assert refused.status_code == 403


# --- the 26 weeks ---------------------------------------------------------------------------


def test_the_timetable_shows_each_childs_weeks_and_the_at_risk_test(api, court_case, staff):
    _hearing(court_case, staff.legal, date="2026-03-10")  # 33 days after issue
    body = api(staff.social_worker).get(f"/api/v1/cases/{court_case.pk}/timetable/").json()
    assert body["issued_on"] == "2026-02-05" and body["at_risk"] is True
    assert "more than 24" in body["at_risk_reasons"][0]
    (child,) = body["children"]
    assert child["ends_on"] == "2026-08-06" and child["own_timetable"] is False


def test_an_extension_over_eight_weeks_is_refused(api, court_case, staff):
    path = f"/api/v1/cases/{court_case.pk}/timetable/extensions/"
    body = {"reasons": "Assessment late", "judge_name": "HHJ Lowe", "decided_on": "2026-03-02"}
    _refused(
        api(staff.legal).post(path, {**body, "weeks": 9}, format="json"),
        "weeks",
        "at most 8 weeks at a time",
    )
    assert not TimetableExtension.objects.exists()
    answer = api(staff.legal).post(path, {**body, "weeks": 8}, format="json")
    assert answer.status_code == 201, answer.json()
    child = court_case.children.get()
    assert answer.json()["children"] == [child.pk] and answer.json()["weeks"] == 8
    timetable = api(staff.legal).get(f"/api/v1/cases/{court_case.pk}/timetable/").json()
    assert timetable["children"][0]["ends_on"] == "2026-10-01"
    assert timetable["extensions"][0]["judge_name"] == "HHJ Lowe"


def test_a_child_joins_the_application_later(api, court_case, staff):
    child = court_case.children.get()
    path = f"/api/v1/cases/{court_case.pk}/children/{child.pk}/joined/"
    _refused(
        api(staff.legal).post(path, {"issued_on": "2026-01-01"}, format="json"),
        "issued_on",
        "cannot be before the application",
    )
    answer = api(staff.legal).post(path, {"issued_on": "2026-03-02"}, format="json")
    assert answer.status_code == 200, answer.json()
    (row,) = answer.json()["children"]
    assert row["issued_on"] == "2026-03-02" and row["own_timetable"] is True
    assert ChildTimetable.objects.get().child == child


# --- another team's case, and the schema ----------------------------------------------------


def test_another_teams_case_is_not_there(api, court_case, staff, other_staff):
    hearing = _hearing(court_case, staff.legal)
    direction = services.direction_add(
        case_id=court_case.pk,
        actor=staff.legal,
        data={"text": "File", "party": "guardian", "due_on": "2026-03-20"},
    )
    expert = services.expert_add(
        case_id=court_case.pk, actor=staff.legal, data={"assessment_type": "dna", "expert": "Lab"}
    )
    adult, child = court_case.adults.get(), court_case.children.get()
    case = f"/api/v1/cases/{court_case.pk}"
    reads = [
        f"{case}/proceedings/",
        f"{case}/hearings/",
        f"{case}/directions/",
        f"{case}/directions/standard/",
        f"{case}/experts/",
        f"{case}/timetable/",
        f"/api/v1/hearings/{hearing.pk}/",
    ]
    writes = [
        ("patch", f"{case}/proceedings/", {"judge_name": "X"}),
        ("patch", f"{case}/adults/{adult.pk}/representation/", {"represented": False}),
        ("post", f"{case}/hearings/", {"kind": "other", "date": "2026-03-11", "time": "10:00"}),
        ("post", f"/api/v1/hearings/{hearing.pk}/hold/", {"orders_made": ["directions_only"]}),
        ("post", f"/api/v1/hearings/{hearing.pk}/adjourn/", {"reason_code": "LA1"}),
        ("post", f"/api/v1/hearings/{hearing.pk}/vacate/", {"reason_code": "LA1"}),
        ("post", f"/api/v1/hearings/{hearing.pk}/draft-order-sent/", {"sent_on": "2026-03-04"}),
        ("post", f"{case}/directions/", {"text": "x", "party": "guardian", "due_on": "2026-04-01"}),
        ("post", f"{case}/directions/standard/", {"standard": [1]}),
        ("patch", f"/api/v1/directions/{direction.pk}/", {"status": "not_needed"}),
        ("post", f"{case}/experts/", {"assessment_type": "dna", "expert": "Lab"}),
        ("patch", f"/api/v1/experts/{expert.pk}/", {"expert": "Other lab"}),
        ("post", f"{case}/timetable/extensions/", {"weeks": 2}),
        ("post", f"{case}/children/{child.pk}/joined/", {"issued_on": "2026-03-02"}),
    ]
    version = _version(court_case)
    for user in (other_staff.social_worker, other_staff.team_manager, staff.administrator):
        client = api(user)
        for path in reads:
            answer = client.get(path)
            assert answer.status_code == 404, (user.role, path)
            assert court_case.reference not in answer.content.decode()
        for method, path, body in writes:
            answer = getattr(client, method)(path, body, format="json")
            assert answer.status_code == 404, (user.role, method, path, answer.content)
    assert _version(court_case) == version


def test_a_word_where_an_id_belongs_is_a_400(api, staff):
    for path in ("/api/v1/cases/x/hearings/", "/api/v1/hearings/x/", "/api/v1/experts/x/"):
        answer = api(staff.legal).get(path)
        assert answer.status_code in (400, 405)
    assert "whole number" in api(staff.legal).get("/api/v1/hearings/x/").json()["detail"]


def test_an_id_too_big_for_the_database_is_not_there(api, court_case, staff):
    """Found by the schemathesis run: a 39-digit adult id was a 500 on SQLite."""
    huge = "113307327406308710234444120501256192"
    case = f"/api/v1/cases/{court_case.pk}"
    client = api(staff.legal)
    for method, path, body in (
        ("patch", f"{case}/adults/{huge}/representation/", {}),
        ("post", f"{case}/children/{huge}/joined/", {"issued_on": "2026-03-02"}),
        ("get", f"/api/v1/hearings/{huge}/", None),
        ("patch", f"/api/v1/directions/{huge}/", {"status": "not_needed"}),
        ("patch", f"/api/v1/experts/{huge}/", {"expert": "Lab"}),
    ):
        answer = getattr(client, method)(path, body, format="json")
        assert answer.status_code == 404, (method, path, answer.content)


def test_the_schema_documents_the_court_record(db):
    answer = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = answer.json()["paths"]
    expected = {
        "/api/v1/court-centres/": {"get"},
        "/api/v1/hearing-reasons/": {"get"},
        "/api/v1/cases/{case_id}/proceedings/": {"get", "patch"},
        "/api/v1/cases/{case_id}/adults/{member_id}/representation/": {"patch"},
        "/api/v1/cases/{case_id}/hearings/": {"get", "post"},
        "/api/v1/hearings/{hearing_id}/": {"get"},
        "/api/v1/hearings/{hearing_id}/hold/": {"post"},
        "/api/v1/hearings/{hearing_id}/adjourn/": {"post"},
        "/api/v1/hearings/{hearing_id}/vacate/": {"post"},
        "/api/v1/hearings/{hearing_id}/draft-order-sent/": {"post"},
        "/api/v1/cases/{case_id}/directions/": {"get", "post"},
        "/api/v1/cases/{case_id}/directions/standard/": {"get", "post"},
        "/api/v1/directions/{direction_id}/": {"patch"},
        "/api/v1/cases/{case_id}/experts/": {"get", "post"},
        "/api/v1/experts/{expert_id}/": {"patch"},
        "/api/v1/cases/{case_id}/timetable/": {"get"},
        "/api/v1/cases/{case_id}/timetable/extensions/": {"post"},
        "/api/v1/cases/{case_id}/children/{member_id}/joined/": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            operation = paths[path][method]
            assert operation["operationId"]
            assert {"200", "201"} & set(operation["responses"]), (path, method)
            if method != "get":
                assert "requestBody" in operation, (path, method)
    hold = paths["/api/v1/hearings/{hearing_id}/hold/"]["post"]
    assert set(hold["responses"]) == {"200", "400", "401", "403", "404", "409"}
