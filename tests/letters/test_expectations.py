"""The schedule of expectations: services, audit, versions, permissions, reviews."""

from __future__ import annotations

import pytest

from legaltracker.cases.models import Case, CaseEvent
from legaltracker.core.errors import Conflict, GuardRefused, InvalidInput, NotFound, NotPermitted
from letters import services
from letters.models import Expectation, ExpectationReview
from tests.factories import move

from .conftest import add_expectation

pytestmark = pytest.mark.django_db


def audit(case, action):
    return list(CaseEvent.objects.filter(case=case, action=action))


def test_an_item_is_added_with_its_adults_date_and_an_audit_row(pp_case, staff):
    version = Case.objects.get(pk=pp_case.pk).version
    item = add_expectation(pp_case, staff.social_worker)
    assert item.position == 1 and item.due_by.isoformat() == "2026-04-03"
    assert sorted(a.first_name for a in item.adults.all()) == ["Dean", "Kerry"]
    assert Case.objects.get(pk=pp_case.pk).version == version + 1
    [row] = audit(pp_case, "expectation_added")
    assert row.actor == staff.social_worker and row.details["expectation_id"] == item.pk
    assert add_expectation(pp_case, staff.social_worker).position == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"due_by": "2026-03-04"}, "due_by", "after today"),
        ({"due_by": "2026-02-01"}, "due_by", "after today"),
        ({"due_by": "2028-01-01"}, "due_by", "within a year"),
        ({"due_by": "soon"}, "due_by", "YYYY-MM-DD"),
        ({"due_by": None}, "due_by", "YYYY-MM-DD"),
        ({"action": "  "}, "action", "cannot be blank"),
        ({"how_judged": None}, "how_judged", "cannot be blank"),
        ({"adults": []}, "adults", "at least one adult"),
        ({"adults": [999999]}, "adults", "not adults on this case"),
        ({"adults": ["x"]}, "adults", "list of adult ids"),
    ],
)
def test_an_item_needs_every_part_and_a_real_future_date(pp_case, staff, changes, field, message):
    with pytest.raises(InvalidInput) as refused:
        add_expectation(pp_case, staff.social_worker, **changes)
    assert message in " ".join(refused.value.field_errors[field])
    assert not Expectation.objects.filter(case=pp_case).exists()


def test_adults_of_another_case_are_refused(pp_case, staff):
    other = add_expectation  # same helper, other case's adults
    from .conftest import family_case

    second = family_case("pre_proceedings", staff)
    with pytest.raises(InvalidInput):
        other(pp_case, staff.social_worker, adults=[second.adults.first().pk])


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("social_worker", True),
        ("team_manager", True),
        ("head_of_service", True),
        ("legal", False),
        ("court_liaison_officer", False),
    ],
)
def test_who_may_edit_the_schedule(pp_case, staff, role, allowed):
    if allowed:
        add_expectation(pp_case, staff.by_role(role))
    else:
        with pytest.raises(NotPermitted):
            add_expectation(pp_case, staff.by_role(role))


def test_another_team_cannot_see_the_case(pp_case, other_staff):
    with pytest.raises(NotFound):
        add_expectation(pp_case, other_staff.social_worker)
    with pytest.raises(NotFound):
        add_expectation(pp_case, other_staff.administrator)


def test_a_stale_version_is_a_conflict(pp_case, staff):
    version = Case.objects.get(pk=pp_case.pk).version
    add_expectation(pp_case, staff.social_worker)
    with pytest.raises(Conflict):
        services.expectation_create(
            case_id=pp_case.pk, actor=staff.team_manager, data={}, expected_version=version
        )


def test_a_closed_case_keeps_its_schedule(staff, today):
    from .conftest import family_case

    closed = family_case("closed", staff)
    with pytest.raises(GuardRefused):
        add_expectation(closed, staff.social_worker)


def test_changing_an_item_keeps_the_before_and_after(pp_case, staff):
    item = add_expectation(pp_case, staff.social_worker)
    kerry = pp_case.adults.get(first_name="Kerry")
    services.expectation_update(
        expectation_id=item.pk,
        actor=staff.team_manager,
        data={
            "action": "Take Amy to school by 8:45am.",
            "adults": [kerry.pk],
            "due_by": "2026-04-30",
            "help_offered": item.help_offered,
        },
    )
    item.refresh_from_db()
    assert (
        item.action == "Take Amy to school by 8:45am." and item.due_by.isoformat() == "2026-04-30"
    )
    assert [a.pk for a in item.adults.all()] == [kerry.pk]
    [row] = audit(pp_case, "expectation_changed")
    assert row.details["before"]["action"] == "Take Amy to school on time every day."
    assert row.details["after"]["due_by"] == "2026-04-30"
    assert set(row.details["after"]) == {"action", "adults", "due_by"}


def test_nothing_sent_changes_nothing(pp_case, staff):
    item = add_expectation(pp_case, staff.social_worker)
    version = Case.objects.get(pk=pp_case.pk).version
    services.expectation_update(
        expectation_id=item.pk, actor=staff.social_worker, data={"action": item.action}
    )
    assert Case.objects.get(pk=pp_case.pk).version == version
    assert audit(pp_case, "expectation_changed") == []


def test_withdrawing_needs_a_reason_and_leaves_the_item_out(pp_case, staff):
    item = add_expectation(pp_case, staff.social_worker)
    with pytest.raises(InvalidInput) as refused:
        services.expectation_update(
            expectation_id=item.pk, actor=staff.social_worker, data={"withdrawn": True}
        )
    assert "withdrawn_reason" in refused.value.field_errors
    services.expectation_update(
        expectation_id=item.pk,
        actor=staff.social_worker,
        data={"withdrawn": True, "withdrawn_reason": "Done another way."},
    )
    [row] = audit(pp_case, "expectation_withdrawn")
    assert row.reasons == "Done another way."
    from letters.selectors import expectations_for_case

    assert list(expectations_for_case(pp_case.pk)) == []


def test_a_review_gives_every_item_a_status(pp_case, staff, today):
    first = add_expectation(pp_case, staff.social_worker)
    second = add_expectation(pp_case, staff.social_worker, due_by="2026-05-01")
    with pytest.raises(InvalidInput) as refused:
        services.expectation_review(
            case_id=pp_case.pk,
            actor=staff.social_worker,
            data={"date": "2026-03-04", "items": [{"expectation": first.pk, "status": "met"}]},
        )
    assert "Missing: item 2" in refused.value.field_errors["items"][0]
    reviews = services.expectation_review(
        case_id=pp_case.pk,
        actor=staff.social_worker,
        data={
            "date": "2026-03-04",
            "items": [
                {"expectation": first.pk, "status": "partly_met", "note": "Late twice."},
                {"expectation": second.pk, "status": "not_yet_due"},
            ],
        },
    )
    assert {r.status for r in reviews} == {"partly_met", "not_yet_due"}
    [row] = audit(pp_case, "expectations_reviewed")
    assert row.effective_date.isoformat() == "2026-03-04"


@pytest.mark.parametrize(
    ("review_day", "allowed"), [("2026-03-09", True), ("2026-03-10", False), ("2026-03-11", False)]
)
def test_not_yet_due_only_before_the_items_date(pp_case, staff, review_day, allowed):
    import datetime as dt

    from legaltracker.core import clock

    item = add_expectation(pp_case, staff.social_worker, due_by="2026-03-10")
    data = {"date": review_day, "items": [{"expectation": item.pk, "status": "not_yet_due"}]}
    with clock.frozen(dt.date(2026, 3, 11)):
        if allowed:
            services.expectation_review(case_id=pp_case.pk, actor=staff.social_worker, data=data)
        else:
            with pytest.raises(InvalidInput) as refused:
                services.expectation_review(
                    case_id=pp_case.pk, actor=staff.social_worker, data=data
                )
            assert "was due by 10 March 2026" in refused.value.field_errors["items"][0]


def test_recording_the_same_review_date_again_replaces_it(pp_case, staff):
    item = add_expectation(pp_case, staff.social_worker)
    for status in ("not_met", "met"):
        services.expectation_review(
            case_id=pp_case.pk,
            actor=staff.social_worker,
            data={"date": "2026-03-04", "items": [{"expectation": item.pk, "status": status}]},
        )
    assert list(ExpectationReview.objects.values_list("status", flat=True)) == ["met"]


def test_a_review_date_cannot_be_in_the_future(pp_case, staff):
    item = add_expectation(pp_case, staff.social_worker)
    with pytest.raises(InvalidInput) as refused:
        services.expectation_review(
            case_id=pp_case.pk,
            actor=staff.social_worker,
            data={"date": "2026-03-05", "items": [{"expectation": item.pk, "status": "met"}]},
        )
    assert "future" in refused.value.field_errors["date"][0]


def test_the_schedule_survives_a_step_down_attempt(pp_case, staff):
    # The schedule is case data: a transition does not touch it.
    add_expectation(pp_case, staff.social_worker)
    with pytest.raises(GuardRefused):
        move(
            pp_case,
            "step_down",
            staff.team_manager,
            date="2026-03-04",
            step_down_to="child_in_need_plan",
            reasons="Better.",
        )
    assert Expectation.objects.filter(case=pp_case).count() == 1
