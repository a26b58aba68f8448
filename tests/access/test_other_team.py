"""A social worker and a team manager of team B, on a case of team A: the case is not
there for them (404) on every page and action, and nothing they are shown gives away that
it exists (no reference, no name). The matrix covers this among everything else; this
says it on its own."""

from __future__ import annotations

import pytest

from legaltracker.cases.choices import EventKind

from .world import SW_B, TM_B, TRANSITION_FROM, World, personal_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff, other_staff, today) -> World:
    return World.build(staff, other_staff)


@pytest.mark.parametrize("actor", [SW_B, TM_B])
def test_another_teams_case_is_not_there(world: World, actor: str):
    case = world.case("pre_proceedings")
    event = world.event_of_kind(EventKind.NOTE)
    secrets = [case.reference, *personal_words()]
    assert world.web(actor).get(f"/cases/{case.pk}/").status_code == 404
    paths = [
        f"/cases/events/{event.pk}/correct/",
        *(f"/cases/{case.pk}/actions/{name}/" for name in TRANSITION_FROM),
        *(f"/cases/{case.pk}/record/{kind}/" for kind in EventKind),
    ]
    client = world.web(actor)
    for path in paths:
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 404, (method, path)
            body = response.content.decode()
            assert not [s for s in secrets if s in body], (method, path)
    api = world.api(actor)
    for path in (f"/api/v1/cases/{case.pk}/", f"/api/v1/cases/{case.pk}/history/"):
        assert api.get(path).status_code == 404, path
    assert (
        api.post(
            f"/api/v1/cases/{case.pk}/events/", world.event_data("note"), format="json"
        ).status_code
        == 404
    )
    # Nor is it listed anywhere they look, nor found by its reference.
    listing = [client.get("/my-work/"), api.get("/api/v1/cases/")]
    if actor == TM_B:
        listing += [client.get("/board/"), api.get("/api/v1/board/")]
        search = client.get(f"/board/?q={case.reference}")
        assert "No cases match these filters" in search.content.decode()
    for response in listing:
        assert response.status_code == 200
        assert case.reference not in response.content.decode()
