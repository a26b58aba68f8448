"""Retention: when closed cases are due for review, the command that lists them (and
never deletes), and the recorded decisions that any destruction would need."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.urls import reverse

from legaltracker.audit import retention, services
from legaltracker.audit.models import AccessLog, RetentionChoice, RetentionDecision
from legaltracker.cases.models import Case, CaseEvent, Child, RecordedEvent
from legaltracker.core import clock
from legaltracker.core.errors import GuardRefused, InvalidInput, NotPermitted
from tests.factories import case_at, move

pytestmark = pytest.mark.django_db

LOOKED_AFTER = frozenset({"care_order", "placement_order"})


def due(**overrides):
    values = {
        "closed_on": dt.date(2026, 3, 1),
        "outcome": "stepped_down",
        "youngest_born": dt.date(2020, 6, 1),
        "years_after_closure": 25,
        "looked_after_until_age": 75,
        "looked_after_outcomes": LOOKED_AFTER,
    }
    values.update(overrides)
    return retention.review_due(**values)


# --- the rule (pure) ---------------------------------------------------------------------


def test_review_is_years_after_closure():
    assert due() == dt.date(2051, 3, 1)
    assert due(years_after_closure=40) == dt.date(2066, 3, 1)


def test_looked_after_children_are_kept_to_the_youngests_75th_birthday():
    assert due(outcome="care_order") == dt.date(2095, 6, 1)
    assert due(outcome="placement_order", youngest_born=dt.date(1940, 1, 1)) == dt.date(2051, 3, 1)
    assert due(outcome="care_order", youngest_born=None) == dt.date(2051, 3, 1)
    assert due(outcome="supervision_order") == dt.date(2051, 3, 1)


def test_29_february_becomes_28_february():
    assert retention.add_years(dt.date(2024, 2, 29), 25) == dt.date(2049, 2, 28)
    assert retention.add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


# --- listing -----------------------------------------------------------------------------


@pytest.fixture
def closed(staff, today):
    """Closed at the gateway (plan continues) on a date 28 days before today."""
    return case_at("closed", staff)


@pytest.fixture
def care_order(staff, today):
    case = case_at(
        "proceedings",
        staff,
        children=[
            {"first_name": "A", "last_name": "Older", "date_of_birth": "2015-01-10"},
            {"first_name": "B", "last_name": "Younger", "date_of_birth": "2021-09-30"},
        ],
    )
    move(case, "conclude_proceedings", staff.legal, date=today.isoformat(), outcome="care_order")
    return Case.objects.get(pk=case.pk)


def test_closed_cases_come_due_on_their_review_date(closed, care_order, staff, today):
    case_at("pre_proceedings", staff)  # open: never listed
    first_review = retention.add_years(closed.closed_on, 25)
    assert retention.review_date_for(closed) == first_review
    assert retention.review_date_for(care_order) == dt.date(2096, 9, 30)
    assert retention.cases_due_for_review(first_review - dt.timedelta(days=1)) == []
    listed = retention.cases_due_for_review(first_review)
    assert [(item.case.pk, item.review_due) for item in listed] == [(closed.pk, first_review)]
    assert listed[0].awaiting == "first review"
    assert {item.case.pk for item in retention.cases_due_for_review(dt.date(2096, 9, 30))} == {
        closed.pk,
        care_order.pk,
    }


def test_the_period_is_a_setting(closed, settings, today):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 1
    assert [item.case.pk for item in retention.cases_due_for_review(dt.date(2027, 3, 1))] == [
        closed.pk
    ]
    settings.RETENTION_YEARS_AFTER_CLOSURE = 2
    assert retention.cases_due_for_review(dt.date(2027, 3, 1)) == []


def test_an_unborn_baby_counts_by_expected_date(staff, today, settings):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 0
    case = case_at("proceedings", staff)
    Child.objects.filter(case=case).update(date_of_birth=None, expected_date_of_birth=today)
    move(case, "conclude_proceedings", staff.legal, date=today.isoformat(), outcome="care_order")
    assert retention.review_date_for(Case.objects.get(pk=case.pk)) == retention.add_years(today, 75)


def snapshot() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "children": Child.objects.count(),
        "events": RecordedEvent.objects.count(),
        "trail": CaseEvent.objects.count(),
        "log": AccessLog.objects.count(),
    }


def test_the_command_lists_and_never_deletes(closed, care_order, today):
    before = snapshot()
    out = StringIO()
    call_command("retention_review", "--date", "2060-01-01", stdout=out)
    text = out.getvalue()
    assert f"case {closed.pk}\t{closed.reference}" in text
    assert f"case {care_order.pk}\t" not in text
    assert text.rstrip().endswith("1 case due for review; nothing deleted.")
    assert snapshot() == before
    out = StringIO()
    call_command("retention_review", stdout=out)
    assert "0 cases due for review" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retention_review", "--date", "1/1/2060")


# --- decisions ---------------------------------------------------------------------------


@pytest.fixture
def due_now(closed, settings):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 0
    return closed


def test_a_decision_needs_a_closed_case_that_is_due(closed, staff, today):
    with pytest.raises(GuardRefused, match="not due"):
        services.retention_decision_record(
            case_id=closed.pk, actor=staff.head_of_service, decision="destroy", reasons="Old."
        )
    open_case = case_at("concern", staff)
    with pytest.raises(GuardRefused, match="closed"):
        services.retention_decision_record(
            case_id=open_case.pk, actor=staff.head_of_service, decision="destroy", reasons="x"
        )
    assert not RetentionDecision.objects.exists()


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "legal", "court_liaison_officer", "administrator"]
)
def test_only_a_head_of_service_decides(due_now, staff, role):
    with pytest.raises(NotPermitted):
        services.retention_decision_record(
            case_id=due_now.pk, actor=staff.by_role(role), decision="destroy", reasons="Old."
        )


def test_retain_names_a_later_review(due_now, staff, today):
    with pytest.raises(InvalidInput) as err:
        services.retention_decision_record(
            case_id=due_now.pk, actor=staff.head_of_service, decision="retain", reasons="Kept."
        )
    assert "review_again_on" in err.value.field_errors
    with pytest.raises(InvalidInput):
        services.retention_decision_record(
            case_id=due_now.pk,
            actor=staff.head_of_service,
            decision="retain",
            reasons="Kept.",
            review_again_on=today,
        )
    later = today + dt.timedelta(days=365)
    decision = services.retention_decision_record(
        case_id=due_now.pk,
        actor=staff.head_of_service,
        decision="retain",
        reasons="A sibling's proceedings are still open.",
        review_again_on=later,
    )
    assert retention.due_for_review(due_now.pk, today) is None
    again = retention.due_for_review(due_now.pk, later)
    assert again is not None and again.last_decision == decision
    assert again.awaiting == "review after a decision to retain"
    trail = CaseEvent.objects.get(case=due_now, action="retention_decision_recorded")
    assert trail.details == {"decision_id": decision.pk, "decision": "retain"}
    with pytest.raises(GuardRefused):
        services.destruction_authorised(case_id=due_now.pk)


def test_destruction_needs_a_recorded_destroy_decision(due_now, staff, today):
    with pytest.raises(GuardRefused, match="nothing may be deleted"):
        services.destruction_authorised(case_id=due_now.pk)
    with pytest.raises(InvalidInput):
        services.retention_decision_record(
            case_id=due_now.pk,
            actor=staff.head_of_service,
            decision="destroy",
            reasons="Past the period.",
            review_again_on=today + dt.timedelta(days=1),
        )
    decision = services.retention_decision_record(
        case_id=due_now.pk,
        actor=staff.head_of_service,
        decision=RetentionChoice.DESTROY,
        reasons="Past the retention period; no open matters.",
    )
    assert services.destruction_authorised(case_id=due_now.pk) == decision
    # Destruction is not carried out here: the case is still held, and still listed.
    assert Case.objects.filter(pk=due_now.pk).exists()
    listed = retention.due_for_review(due_now.pk, today)
    assert listed is not None and listed.awaiting == "destruction decided"


def test_the_case_cannot_be_deleted_while_audit_rows_point_at_it(due_now):
    with pytest.raises(ProtectedError):
        Case.objects.get(pk=due_now.pk).delete()


# --- the pages ---------------------------------------------------------------------------


def test_the_retention_pages_are_for_heads_of_service(due_now, staff, client):
    for role in (
        "social_worker",
        "team_manager",
        "legal",
        "court_liaison_officer",
        "administrator",
    ):
        client.force_login(staff.by_role(role))
        assert client.get(reverse("audit:retention")).status_code == 403
        url = reverse("audit:retention_decide", args=[due_now.pk])
        assert client.post(url, {"decision": "destroy", "reasons": "x"}).status_code == 403
    assert not RetentionDecision.objects.exists()


def test_recording_a_decision_through_the_pages(due_now, staff, signed_in, today):
    client = signed_in(staff.head_of_service)
    listing = client.get(reverse("audit:retention"))
    assert listing.status_code == 200
    assert due_now.reference in listing.content.decode()
    url = reverse("audit:retention_decide", args=[due_now.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "retain", "reasons": "Kept."})
    assert response.status_code == 400
    assert "Give the date of the next review." in response.content.decode()
    later = today + dt.timedelta(days=30)
    response = client.post(
        url,
        {"decision": "retain", "reasons": "Kept.", "review_again_on": later.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    assert RetentionDecision.objects.get().review_again_on == later
    row = AccessLog.objects.get(action="audit:retention_decide POST", status=302)
    assert row.case_id == due_now.pk
    # No longer due: the decision page for it is gone until the next review.
    assert client.get(url).status_code == 404


def test_a_case_not_due_has_no_decision_page(closed, staff, signed_in):
    client = signed_in(staff.head_of_service)
    assert client.get(reverse("audit:retention_decide", args=[closed.pk])).status_code == 404
    assert clock.today() < retention.review_date_for(closed)
