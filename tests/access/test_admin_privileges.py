"""Finding 1 (docs/security.md): no path from administrator to superuser, and no case data
for a superuser without a case role. Through the real admin, with the Django test client:
every request goes through the middleware, the admin's forms and the database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import Client

from legaltracker.accounts.models import Role, User
from legaltracker.audit import services as audit_services
from legaltracker.audit.models import AccessLog
from legaltracker.cases.admin import CaseDataAdmin
from legaltracker.cases.models import Case
from tests.factories import UserFactory, case_at, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator() -> User:
    call_command("add_user", "config-admin", "--role", "administrator", stdout=io.StringIO())
    return User.objects.get(username="config-admin")


@pytest.fixture
def superuser() -> User:
    """Made on the server, as docs/operations.md says: no role that reads cases."""
    call_command(
        "createsuperuser",
        "--username=root",
        "--email=root@example.invalid",
        "--noinput",
        stdout=io.StringIO(),
    )
    return User.objects.get(username="root")


@pytest.fixture
def case(staff, today) -> Case:
    case = case_at("pre_proceedings", staff)
    record(case, staff.social_worker, "fgdm_offered", today)
    return case


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_form(user: User) -> dict[str, str]:
    """What the user admin's change form posts back for `user`, as the browser would."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "team": str(user.team_id or ""),
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }


# --- administrator to superuser ----------------------------------------------------------


def test_an_administrator_cannot_make_themselves_superuser(administrator):
    client = _client(administrator)
    url = f"/admin/accounts/user/{administrator.pk}/change/"
    posted = {
        **_change_form(administrator),
        "is_superuser": "on",
        "is_staff": "on",
        "role": Role.LEGAL,
        "groups": "1",
        "user_permissions": "1",
    }
    response = client.post(url, posted)
    assert response.status_code in (200, 302)

    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert administrator.role == Role.ADMINISTRATOR
    assert not administrator.user_permissions.exists()
    assert list(administrator.groups.values_list("name", flat=True)) == ["Administrators"]

    page = client.get(url)
    assert page.status_code == 200
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", "role", "team"):
        assert f'name="{field}"'.encode() not in page.content, field


def test_an_administrator_cannot_make_anyone_else_superuser(administrator, staff):
    lawyer = staff.legal
    client = _client(administrator)
    url = f"/admin/accounts/user/{lawyer.pk}/change/"
    response = client.post(url, {**_change_form(lawyer), "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 302, response.content[:2000]
    lawyer.refresh_from_db()
    assert not lawyer.is_superuser and not lawyer.is_staff


def test_an_administrator_sets_another_persons_role_and_staff_follows_it(administrator, staff):
    colleague = UserFactory(username="new-admin", role=Role.SOCIAL_WORKER, team=staff.team)
    client = _client(administrator)
    url = f"/admin/accounts/user/{colleague.pk}/change/"
    response = client.post(url, {**_change_form(colleague), "role": Role.ADMINISTRATOR})
    assert response.status_code == 302, response.content[:2000]
    colleague.refresh_from_db()
    assert colleague.role == Role.ADMINISTRATOR and colleague.is_staff
    assert not colleague.is_superuser

    response = client.post(url, {**_change_form(colleague), "role": Role.SOCIAL_WORKER})
    colleague.refresh_from_db()
    assert colleague.role == Role.SOCIAL_WORKER and not colleague.is_staff
    assert not colleague.groups.exists()


def test_a_user_added_in_the_admin_gets_only_what_the_role_gives(administrator):
    response = _client(administrator).post(
        "/admin/accounts/user/add/",
        {
            "username": "new-lawyer",
            "usable_password": "true",
            "password1": "An invented password 5521",
            "password2": "An invented password 5521",
            "role": Role.LEGAL,
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    added = User.objects.get(username="new-lawyer")
    assert added.role == Role.LEGAL
    assert not added.is_superuser and not added.is_staff


def test_an_administrator_cannot_take_over_a_superusers_account(administrator, superuser):
    client = _client(administrator)
    password_url = f"/admin/accounts/user/{superuser.pk}/password/"
    response = client.post(
        password_url,
        {"password1": "A brand new password 7731", "password2": "A brand new password 7731"},
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert not superuser.check_password("A brand new password 7731")
    response = client.post(f"/admin/accounts/user/{superuser.pk}/change/", {})
    assert response.status_code == 403


def test_groups_are_not_edited_in_the_admin(superuser):
    assert _client(superuser).get("/admin/auth/group/").status_code == 404


# --- superusers and case data ------------------------------------------------------------


def _case_pages(case: Case) -> list[str]:
    event = case.recorded_events.first()
    audit_event = case.audit_events.first()
    return [
        "/admin/cases/case/",
        f"/admin/cases/case/{case.pk}/change/",
        "/admin/cases/caseevent/",
        f"/admin/cases/caseevent/{audit_event.pk}/change/",
        "/admin/cases/recordedevent/",
        f"/admin/cases/recordedevent/{event.pk}/change/",
        "/admin/cases/gatewaydecision/",
        "/admin/cases/extension/",
        "/admin/audit/caserestriction/",
        "/admin/audit/retentiondecision/",
        "/admin/alerts/alert/",
    ]


def test_a_superuser_without_a_case_role_gets_no_case_data_in_the_admin(superuser, case):
    client = _client(superuser)
    index = client.get("/admin/")
    assert index.status_code == 200
    # No link to any model of case data (the Day 1 checklist, which is configuration
    # kept in the cases app, may be listed).
    case_data = [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, CaseDataAdmin)
    ]
    assert "/admin/cases/case/" in case_data and "/admin/court/hearing/" in case_data
    for link in case_data:
        assert link.encode() not in index.content, link
    for path in _case_pages(case):
        response = client.get(path)
        assert response.status_code == 403, path
        assert case.reference.encode() not in response.content, path


def test_a_superuser_without_a_case_role_gets_no_case_data_in_the_app(superuser, case):
    client = _client(superuser)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    response = client.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 404
    assert case.reference.encode() not in response.content


def test_a_superuser_with_a_case_role_sees_only_what_that_role_may(superuser, case, staff):
    superuser.role = Role.LEGAL
    superuser.save()
    hidden = case_at("concern", staff)
    audit_services.case_restrict(
        case_id=hidden.pk, actor=staff.head_of_service, reason="Known to the family."
    )
    client = _client(superuser)
    listing = client.get("/admin/cases/case/")
    assert listing.status_code == 200
    assert case.reference.encode() in listing.content
    assert hidden.reference.encode() not in listing.content
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 200
    refused = client.get(f"/admin/cases/case/{hidden.pk}/change/")
    assert refused.status_code == 302  # the admin's "does not exist" redirect
    assert hidden.reference.encode() not in client.get(refused["Location"]).content


# --- admin reads in the case's access log ------------------------------------------------


def test_an_admin_change_view_of_a_case_linked_object_is_logged_against_the_case(superuser, case):
    superuser.role = Role.LEGAL
    superuser.save()
    event = case.recorded_events.first()
    client = _client(superuser)
    before = AccessLog.objects.count()

    assert client.get(f"/admin/cases/recordedevent/{event.pk}/change/").status_code == 200
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 200

    rows = list(AccessLog.objects.order_by("id")[before:])
    assert [(r.case_id, r.object_type, r.object_id, r.actor_id) for r in rows] == [
        (case.pk, "recordedevent", event.pk, superuser.pk),
        (case.pk, "case", case.pk, superuser.pk),
    ]
    assert all(r.outcome == "allowed" for r in rows)


def test_a_refused_admin_read_is_logged_against_the_case(superuser, case):
    event = case.recorded_events.first()
    before = AccessLog.objects.count()
    response = _client(superuser).get(f"/admin/cases/recordedevent/{event.pk}/change/")
    assert response.status_code == 403
    [row] = AccessLog.objects.order_by("id")[before:]
    assert (row.case_id, row.object_type, row.outcome) == (case.pk, "recordedevent", "refused")


def test_an_admin_list_of_cases_is_logged_with_the_cases_listed(superuser, case, staff):
    superuser.role = Role.LEGAL
    superuser.save()
    other = case_at("concern", staff, start=dt.date(2024, 1, 8))
    before = AccessLog.objects.count()
    assert _client(superuser).get("/admin/cases/case/").status_code == 200
    [row] = AccessLog.objects.order_by("id")[before:]
    assert row.details == {"cases": sorted([case.pk, other.pk])}


# --- superusers are made and unmade on the server ----------------------------------------


def test_remove_superuser_gives_back_what_the_role_gives(superuser):
    out = io.StringIO()
    call_command("remove_superuser", "root", stdout=out)
    superuser.refresh_from_db()
    assert not superuser.is_superuser and not superuser.is_staff
    assert "no longer a superuser" in out.getvalue()
    out = io.StringIO()
    call_command("remove_superuser", "root", stdout=out)
    assert "nothing changed" in out.getvalue()
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("remove_superuser", "nobody", stdout=io.StringIO())
