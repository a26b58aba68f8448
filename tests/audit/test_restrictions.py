"""Restricted records: a restricted case is seen only by the people named on it (on top
of the role and team rules), restrictions are managed by heads of service only, and each
change is in the case's history and the access log.

Written against cases.permissions with the restriction change applied (conftest applies
the draft until the lead has applied the patch).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.audit import services
from legaltracker.audit.models import AccessLog, CaseRestriction, CaseRestrictionAccess
from legaltracker.cases import permissions
from legaltracker.cases.models import Case, CaseEvent
from legaltracker.core.errors import Conflict, GuardRefused, InvalidInput, NotFound, NotPermitted
from tests.factories import UserFactory, case_at, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(staff, today):
    return case_at("pre_proceedings", staff)


@pytest.fixture
def second_lawyer(staff):
    return UserFactory(username="lawyer-2", role=Role.LEGAL)


@pytest.fixture
def restricted(case, staff):
    """Restricted by the head of service, naming the team manager and the lawyer."""
    services.case_restrict(
        case_id=case.pk,
        actor=staff.head_of_service,
        reason="A parent works in the council's children's services.",
        named_user_ids=[staff.team_manager.pk, staff.legal.pk],
    )
    return case


def visible(user, case) -> bool:
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def test_only_named_people_see_a_restricted_case(restricted, staff, second_lawyer):
    for user, expected in [
        (staff.team_manager, True),
        (staff.legal, True),
        (staff.head_of_service, True),  # named automatically when restricting
        (staff.social_worker, False),
        (staff.court_liaison_officer, False),
        (second_lawyer, False),
        (staff.administrator, False),
    ]:
        assert permissions.can_view_case(user, restricted) is expected, user.username
        assert visible(user, restricted) is expected, user.username


def test_naming_someone_gives_nothing_their_role_and_team_do_not(case, staff, other_staff):
    services.case_restrict(
        case_id=case.pk,
        actor=staff.head_of_service,
        reason="Staff member involved.",
        named_user_ids=[other_staff.social_worker.pk, staff.administrator.pk],
    )
    assert not permissions.can_view_case(other_staff.social_worker, case)
    assert not visible(other_staff.social_worker, case)
    assert not permissions.can_view_case(staff.administrator, case)


def test_unrestricted_cases_are_unchanged(case, staff, other_staff):
    assert permissions.can_view_case(staff.social_worker, case)
    assert permissions.can_view_case(staff.court_liaison_officer, case)
    assert not permissions.can_view_case(other_staff.social_worker, case)
    assert visible(staff.social_worker, case)


def test_pages_and_api_hide_a_restricted_case(restricted, staff, signed_in, api_for):
    url = reverse("casework:case_detail", args=[restricted.pk])
    assert signed_in(staff.social_worker).get(url).status_code == 404
    assert signed_in(staff.team_manager).get(url).status_code == 200
    assert (
        api_for(staff.court_liaison_officer).get(f"/api/v1/cases/{restricted.pk}/").status_code
        == 404
    )
    assert api_for(staff.legal).get(f"/api/v1/cases/{restricted.pk}/").status_code == 200
    listed = api_for(staff.court_liaison_officer).get("/api/v1/cases/").json()
    assert restricted.pk not in [row["id"] for row in listed["results"]]


def test_the_board_leaves_out_a_restricted_case(restricted, staff, signed_in):
    other = case_at("pre_proceedings", staff)
    body = signed_in(staff.court_liaison_officer).get(reverse("board:board")).content.decode()
    assert other.reference in body
    assert restricted.reference not in body


def test_someone_not_named_cannot_act_on_it(restricted, staff, today):
    with pytest.raises(NotFound):
        record(restricted, staff.social_worker, "note", today, summary="A visit.")
    record(restricted, staff.team_manager, "note", today, summary="A visit.")


def test_lifting_the_restriction_restores_the_usual_rules(restricted, staff):
    services.case_unrestrict(
        case_id=restricted.pk, actor=staff.head_of_service, reason="The member of staff left."
    )
    assert permissions.can_view_case(staff.social_worker, restricted)
    assert not CaseRestriction.objects.exists()
    assert not CaseRestrictionAccess.objects.exists()


def test_naming_and_removing_people(restricted, staff):
    services.restriction_name_person(
        case_id=restricted.pk, actor=staff.head_of_service, user_id=staff.social_worker.pk
    )
    assert permissions.can_view_case(staff.social_worker, restricted)
    with pytest.raises(Conflict):
        services.restriction_name_person(
            case_id=restricted.pk, actor=staff.head_of_service, user_id=staff.social_worker.pk
        )
    services.restriction_remove_person(
        case_id=restricted.pk, actor=staff.head_of_service, user_id=staff.legal.pk
    )
    assert not permissions.can_view_case(staff.legal, restricted)
    with pytest.raises(NotFound):
        services.restriction_remove_person(
            case_id=restricted.pk, actor=staff.head_of_service, user_id=staff.legal.pk
        )


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "legal", "court_liaison_officer", "administrator"]
)
def test_only_a_head_of_service_manages_restrictions(case, staff, role):
    actor = staff.by_role(role)
    with pytest.raises(NotPermitted):
        services.case_restrict(case_id=case.pk, actor=actor, reason="Because.")
    services.case_restrict(case_id=case.pk, actor=staff.head_of_service, reason="Because.")
    with pytest.raises(NotPermitted):
        services.restriction_name_person(case_id=case.pk, actor=actor, user_id=actor.pk)
    with pytest.raises(NotPermitted):
        services.case_unrestrict(case_id=case.pk, actor=actor, reason="Because.")


def test_restricting_needs_a_reason_and_an_unrestricted_case(case, staff):
    with pytest.raises(InvalidInput) as err:
        services.case_restrict(case_id=case.pk, actor=staff.head_of_service, reason="  ")
    assert "reason" in err.value.field_errors
    services.case_restrict(case_id=case.pk, actor=staff.head_of_service, reason="Staff.")
    with pytest.raises(Conflict):
        services.case_restrict(case_id=case.pk, actor=staff.head_of_service, reason="Again.")
    other = case_at("concern", staff)
    with pytest.raises(GuardRefused):
        services.case_unrestrict(case_id=other.pk, actor=staff.head_of_service, reason="x")
    with pytest.raises(NotFound):
        services.case_restrict(case_id=999999, actor=staff.head_of_service, reason="x")


def test_each_change_is_in_the_case_history_by_id(restricted, staff):
    services.restriction_name_person(
        case_id=restricted.pk, actor=staff.head_of_service, user_id=staff.social_worker.pk
    )
    services.case_unrestrict(case_id=restricted.pk, actor=staff.head_of_service, reason="Over.")
    trail = list(
        CaseEvent.objects.filter(case=restricted, action__contains="restrict").order_by("id")
    )
    assert [(row.action, row.actor_id) for row in trail] == [
        ("case_restricted", staff.head_of_service.pk),
        ("restriction_person_named", staff.head_of_service.pk),
        ("case_unrestricted", staff.head_of_service.pk),
    ]
    assert trail[0].details == {
        "user_ids": sorted([staff.head_of_service.pk, staff.team_manager.pk, staff.legal.pk])
    }
    assert trail[1].details == {"user_id": staff.social_worker.pk}


def test_restrictions_do_not_bump_the_case_version(case, staff):
    version = Case.objects.get(pk=case.pk).version
    services.case_restrict(case_id=case.pk, actor=staff.head_of_service, reason="Staff.")
    assert Case.objects.get(pk=case.pk).version == version


# --- the pages ---------------------------------------------------------------------------


def test_the_restriction_pages_are_for_heads_of_service(case, staff, signed_in, client):
    for role in (
        "social_worker",
        "team_manager",
        "legal",
        "court_liaison_officer",
        "administrator",
    ):
        client.force_login(staff.by_role(role))
        assert client.get(reverse("audit:restrictions")).status_code == 403
        assert client.get(reverse("audit:restriction", args=[case.pk])).status_code == 403
        response = client.post(reverse("audit:restriction", args=[case.pk]), {"reason": "x"})
        assert response.status_code == 403
    assert not CaseRestriction.objects.exists()
    client.logout()
    response = client.get(reverse("audit:restrictions"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_restricting_through_the_pages(case, staff, signed_in):
    client = signed_in(staff.head_of_service)
    page = client.get(reverse("audit:restriction", args=[case.pk]))
    assert page.status_code == 200
    assert "not restricted" in page.content.decode()
    response = client.post(
        reverse("audit:restriction", args=[case.pk]),
        {"reason": "A parent is a member of staff.", "people": [staff.team_manager.pk]},
    )
    assert response.status_code == 302
    assert permissions.can_view_case(staff.team_manager, case)
    assert not permissions.can_view_case(staff.social_worker, case)
    listing = client.get(reverse("audit:restrictions")).content.decode()
    assert case.reference in listing
    row = AccessLog.objects.filter(action="audit:restriction POST").get()
    assert (row.case_id, row.actor_id, row.status) == (case.pk, staff.head_of_service.pk, 302)


def test_a_reason_is_required_on_the_page(case, staff, signed_in):
    response = signed_in(staff.head_of_service).post(
        reverse("audit:restriction", args=[case.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "Give the reason for restricting this case" in response.content.decode()
    assert not CaseRestriction.objects.exists()


def test_a_head_of_service_not_named_manages_but_does_not_read(case, staff, signed_in):
    services.case_restrict(
        case_id=case.pk,
        actor=staff.head_of_service,
        reason="Staff.",
        named_user_ids=[staff.team_manager.pk],
    )
    services.restriction_remove_person(
        case_id=case.pk, actor=staff.head_of_service, user_id=staff.head_of_service.pk
    )
    client = signed_in(staff.head_of_service)
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 404
    page = client.get(reverse("audit:restriction", args=[case.pk]))
    assert page.status_code == 200
    child = case.children.first()
    assert child.last_name not in page.content.decode()  # the management page shows no names
    response = client.post(
        reverse("audit:restriction_name", args=[case.pk]), {"user": staff.head_of_service.pk}
    )
    assert response.status_code == 302
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 200
    assert CaseEvent.objects.filter(
        case=case, action="restriction_person_named", details__user_id=staff.head_of_service.pk
    ).exists()


def test_removing_and_lifting_through_the_pages(restricted, staff, signed_in):
    client = signed_in(staff.head_of_service)
    response = client.post(
        reverse("audit:restriction_remove", args=[restricted.pk, staff.legal.pk])
    )
    assert response.status_code == 302
    assert not permissions.can_view_case(staff.legal, restricted)
    row = AccessLog.objects.get(action="audit:restriction_remove POST")
    assert (row.case_id, row.object_type, row.object_id) == (restricted.pk, "user", staff.legal.pk)
    assert (
        client.post(
            reverse("audit:restriction_lift", args=[restricted.pk]), {"reason": ""}
        ).status_code
        == 400
    )
    response = client.post(
        reverse("audit:restriction_lift", args=[restricted.pk]), {"reason": "Resolved."}
    )
    assert response.status_code == 302
    assert permissions.can_view_case(staff.legal, restricted)


def test_finding_a_case_by_id(case, staff, signed_in):
    client = signed_in(staff.head_of_service)
    response = client.get(reverse("audit:restriction_find"), {"case": str(case.pk)})
    assert response["Location"] == reverse("audit:restriction", args=[case.pk])
    response = client.get(reverse("audit:restriction_find"), {"case": "Smith"})
    assert response["Location"] == reverse("audit:restrictions")
    assert client.get(reverse("audit:restriction", args=[999999])).status_code == 404


def test_removing_someone_from_a_case_that_is_not_restricted_is_a_400(case, staff, signed_in):
    """Found by the IDOR sweep: the refusal was a 500."""
    client = signed_in(staff.head_of_service)
    response = client.post(f"/audit/restrictions/{case.pk}/remove/{staff.team_manager.pk}/")
    assert response.status_code == 400
    assert b"not restricted" in response.content
