"""The Django admin, which the role x page matrix leaves out: nobody but staff gets in, and
an administrator provisioned with `add_user --role administrator` (staff, with no model
permissions until given the configuration ones) sees no case (docs/domain/roles.md)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from legaltracker.accounts.models import User

from .world import ACTORS, ANON, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff, other_staff, today) -> World:
    return World.build(staff, other_staff)


def _case_pages(world: World) -> list[str]:
    case = world.case("pre_proceedings")
    event = case.recorded_events.first()
    return [
        "/admin/cases/case/",
        f"/admin/cases/case/{case.pk}/change/",
        "/admin/cases/caseevent/",
        "/admin/cases/recordedevent/",
        f"/admin/cases/recordedevent/{event.pk}/change/",
        "/admin/cases/gatewaydecision/",
        "/admin/cases/extension/",
    ]


def test_only_staff_get_into_the_admin(world: World):
    for actor in ACTORS:
        client = world.web(actor)
        for path in ("/admin/", *_case_pages(world)):
            response = client.get(path)
            assert response.status_code == 302, (actor, path)
            assert response["Location"].startswith("/admin/login/"), (actor, path)
    assert ANON in ACTORS


def test_a_provisioned_administrator_gets_in_but_sees_no_case(world: World):
    call_command("add_user", "config-admin", "--role", "administrator", stdout=io.StringIO())
    administrator = User.objects.get(username="config-admin")
    assert administrator.is_staff and not administrator.is_superuser
    client = Client()
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 200
    for path in _case_pages(world):
        assert client.get(path).status_code == 403, path
