"""IDOR sweep: every URL pattern and API operation that takes an id, requested with the
ids of another team's objects (cases, recorded events, expectations, letters, people),
by the two team roles of the other team, with every method. And the same sweep on a
restricted case by everyone who would see it were it not restricted.

A leak is any of: an answer that differs from the answer for an id that does not exist
(status, or a redirect elsewhere), an answer that names the case or a person in it, or
any change to the data. The figures are printed for docs/security.md.

A control sweep as people who may see the objects shows that the ids are real: their
answers differ from the not-found ones.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import pytest
from django.http import HttpResponse

from legaltracker.alerts.choices import DeliveryStatus
from legaltracker.alerts.models import Delivery
from legaltracker.api.tokens import token_issue
from legaltracker.audit import services as audit_services
from legaltracker.audit.models import AccessLog
from legaltracker.cases.choices import EventKind
from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from legaltracker.court.models import Direction, ExpertAssessment, Hearing
from legaltracker.exports import services as export_services
from letters.models import Expectation, Letter
from tests.alerts.helpers import failed_digest
from tests.markers import ci_half

from .routes import Route, all_routes
from .world import (
    CLO,
    HOS,
    LEGAL,
    PERFORMANCE,
    SW,
    SW_B,
    TM,
    TM_B,
    TRANSITION_FROM,
    World,
    personal_words,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow, ci_half("sqlite")]

MISSING_ID = 987_654_321
# What each non-id URL parameter can be: every value, so that no branch is left out.
NAMED_VALUES = {
    "name": sorted(TRANSITION_FROM),
    "transition": sorted(TRANSITION_FROM),
    "kind": sorted(EventKind.values),
    "file_format": ["docx", "pdf"],
    "member": ["child", "adult"],
}
WEB_METHODS = ("get", "post")
API_METHODS = ("get", "post", "patch")


@dataclass
class Sweep:
    requests: int = 0
    baseline_requests: int = 0
    leaks: list[str] = field(default_factory=list)
    by_status: Counter[int] = field(default_factory=Counter)
    routes: set[str] = field(default_factory=set)

    def line(self, label: str) -> str:
        statuses = " ".join(f"{code}x{n}" for code, n in sorted(self.by_status.items()))
        return (
            f"{label}: {self.requests} requests with real ids (compared with "
            f"{self.baseline_requests} for ids that do not exist) on {len(self.routes)} URL "
            "patterns, "
            f"answers {statuses}, leaks {len(self.leaks)}"
        )


def id_routes() -> list[Route]:
    return [
        route
        for route in all_routes()
        if route.namespace != "admin" and any(name.endswith("_id") for name, _ in route.params)
    ]


def _paths(route: Route, ids: dict[str, list[int]]) -> list[str]:
    """The route's path for every combination of the ids given and the named values."""
    names = [name for name, _ in route.params]
    choices = [
        ids.get(name, [MISSING_ID]) if name.endswith("_id") else NAMED_VALUES[name]
        for name in names
    ]
    paths = []
    for combination in product(*choices):
        path = "/" + route.pattern
        for name, value in zip(names, combination, strict=True):
            path = _substitute(path, name, value)
        paths.append(path)
    return paths


def _substitute(path: str, name: str, value: Any) -> str:
    for converter in ("int", "str", "slug"):
        path = path.replace(f"<{converter}:{name}>", str(value))
    return path


def _missing(route: Route, path: str, ids: dict[str, list[int]]) -> str:
    for values in ids.values():
        for value in values:
            path = path.replace(f"/{value}/", f"/{MISSING_ID}/")
    return path


def _send(world: World, actor: str, api: bool, method: str, path: str) -> Any:
    if api:
        client = world.api(actor)
        if method == "get":
            return client.get(path)
        return getattr(client, method)(path, json.dumps({}), content_type="application/json")
    client = world.web(actor)
    return getattr(client, method)(path, {}) if method == "post" else client.get(path)


def _snapshot() -> tuple:
    return (
        tuple(Case.objects.order_by("pk").values_list("pk", "version", "stage")),
        RecordedEvent.objects.count(),
        CaseEvent.objects.count(),
        Expectation.objects.count(),
        Letter.objects.count(),
        tuple(Letter.objects.order_by("pk").values_list("pk", "status")),
        tuple(Delivery.objects.order_by("pk").values_list("pk", "status")),
        tuple(Hearing.objects.order_by("pk").values_list("pk", "status", "draft_order_sent_on")),
        tuple(Direction.objects.order_by("pk").values_list("pk", "status", "owner_id")),
        tuple(ExpertAssessment.objects.order_by("pk").values_list("pk", "expert")),
    )


def sweep(world: World, actors: list[str], ids: dict[str, list[int]], secrets: list[str]) -> Sweep:
    result = Sweep()
    before = _snapshot()
    # The answer for ids that do not exist, once per path, actor and method.
    baselines: dict[tuple[str, str, str], Any] = {}
    for route in id_routes():
        api = route.pattern.startswith("api/")
        methods = API_METHODS if api else WEB_METHODS
        for path, actor, method in product(_paths(route, ids), actors, methods):
            response = _send(world, actor, api, method, path)
            missing = _missing(route, path, ids)
            if (missing, actor, method) not in baselines:
                baselines[missing, actor, method] = _send(world, actor, api, method, missing)
                result.baseline_requests += 1
            baseline = baselines[missing, actor, method]
            result.requests += 1
            result.routes.add(route.name)
            result.by_status[response.status_code] += 1
            what = f"{method.upper()} {path} as {actor}"
            if response.status_code != baseline.status_code:
                result.leaks.append(
                    f"{what}: {response.status_code}, but {baseline.status_code} for an id "
                    "that does not exist"
                )
            elif (
                response.get("Location", "")
                != baseline.get("Location", "").replace(str(MISSING_ID), path.split("/")[-2])
                and "Location" in response
            ):
                result.leaks.append(f"{what}: redirects to {response['Location']}")
            body = response.content.decode(errors="replace")
            named = [secret for secret in secrets if secret in body]
            if named:
                result.leaks.append(f"{what}: the answer names {named}")
    if _snapshot() != before:
        result.leaks.append("the sweep changed data")
    return result


def _team_a_ids(world: World) -> dict[str, list[int]]:
    cases = [world.case("concern"), world.case("pre_proceedings"), world.letters_case()]
    events = RecordedEvent.objects.filter(case__in=cases).order_by("pk")
    letters = [world.letter("draft"), world.letter("approved")]
    return {
        "case_id": [case.pk for case in cases],
        # The first case's child then adult: the first path of a route (child, the
        # child's id) is a real one, for the child-only routes too (recording a birth).
        "member_id": _member_ids(cases[0]),
        "request_id": [world.extension_request().pk],
        "event_id": list(events.values_list("pk", flat=True)[:2]),
        "expectation_id": [world.expectation().pk],
        "letter_id": [letter.pk for letter in letters],
        "user_id": [world.users[SW].pk],
        "delivery_id": [failed_digest(world.users[TM]).pk],
        # A team A manager's own API token: only its owner may revoke it.
        "token_id": [token_issue(user=world.users[TM], name="idor")[0].pk],
        # A team A manager's own board export, made: only they may see or download it.
        "export_id": [_built_export(world.users[TM], world.today)],
        # The court record of a team A case in proceedings (its case id is left out, so
        # that every case route is not swept once more).
        "hearing_id": [world.hearing("listed").pk, world.hearing("held").pk],
        "direction_id": [world.direction().pk],
        "expert_id": [world.expert().pk],
    }


def _member_ids(case: Case) -> list[int]:
    return [case.children.order_by("pk")[0].pk, case.adults.order_by("pk")[0].pk]


def _built_export(user, today) -> int:
    job = export_services.export_request(
        actor=user, kind="board", file_format="csv", params={}, today=today
    )
    export_services.export_build(job_id=job.pk)
    return job.pk


def _secrets(world: World, case_ids: list[int]) -> list[str]:
    references = list(Case.objects.filter(pk__in=case_ids).values_list("reference", flat=True))
    return [*references, *personal_words()]


@pytest.fixture
def world(staff, other_staff, today) -> World:
    return World.build(staff, other_staff)


def test_another_teams_ids_leak_nothing(world: World, capsys):
    ids = _team_a_ids(world)
    access_rows = AccessLog.objects.count()
    # Team B's people, and the performance officer, who opens no case at all.
    result = sweep(world, [SW_B, TM_B, PERFORMANCE], ids, _secrets(world, ids["case_id"]))
    with capsys.disabled():
        print("\n" + result.line("IDOR sweep, team B and the performance officer on team A's ids"))
    assert result.requests >= 500
    assert result.routes == {route.name for route in id_routes()}
    assert not result.leaks, f"{len(result.leaks)} leaks:\n" + "\n".join(result.leaks[:40])
    # Every probe is in the access log, against the person who made it.
    rows = AccessLog.objects.count() - access_rows
    assert rows == result.requests + result.baseline_requests


def test_the_ids_are_real(world: World):
    """The control: the case's own team and the head of service get other answers for the
    same ids than for ids that do not exist, on every pattern they may use."""
    ids = _team_a_ids(world)
    differs: set[str] = set()
    for route in id_routes():
        api = route.pattern.startswith("api/")
        # The first path whose real ids answer differently is enough: an adult's page
        # needs the adult's id, a child's page the child's.
        for path, actor, method in product(
            _paths(route, ids), (TM, HOS), API_METHODS if api else WEB_METHODS
        ):
            if route.name in differs:
                break
            response = _send(world, actor, api, method, path)
            baseline = _send(world, actor, api, method, _missing(route, path, ids))
            if response.status_code != baseline.status_code:
                differs.add(route.name)
        # Dismissing the failed email ends it: fail it again for the next pattern.
        Delivery.objects.filter(pk__in=ids["delivery_id"]).update(status=DeliveryStatus.FAILED)
    # Retention decisions need a closed case that is due for review; the restriction
    # actions refuse an empty form before looking the case up, and so does the API's
    # event recording (400 for any id): every other pattern answers on the object.
    assert {route.name for route in id_routes()} - differs <= {
        "api:case-events",
        "audit:retention_decide",
        "audit:restriction_remove",
        "audit:restriction_name",
        "audit:restriction_lift",
    }


def test_a_restricted_case_is_not_there_for_anyone_not_named(world: World, client, capsys):
    case = world.letters_case()
    ids = _team_a_ids(world)
    restricted = {
        "case_id": [case.pk],
        "event_id": list(RecordedEvent.objects.filter(case=case).values_list("pk", flat=True)[:2]),
        "expectation_id": ids["expectation_id"],
        "letter_id": ids["letter_id"],
        "user_id": [world.users[TM].pk],
        "member_id": _member_ids(case),
    }
    audit_services.case_restrict(
        case_id=case.pk,
        actor=world.users[HOS],
        reason="A parent works in children's services.",
        named_user_ids=[world.users[TM].pk],
    )
    # Everyone whose role and team would let them see it, but who is not named; the
    # head of service who restricted it is named (and manages the restriction pages).
    result = sweep(world, [SW, LEGAL, CLO, PERFORMANCE], restricted, [case.reference])
    with capsys.disabled():
        print("\n" + result.line("restricted case, people not named"))
    assert result.requests >= 200
    assert not result.leaks, f"{len(result.leaks)} leaks:\n" + "\n".join(result.leaks[:40])

    # Nor is it in any list, board or export they see.
    lists = {
        SW: ["/my-work/", "/api/v1/cases/"],
        LEGAL: [
            "/board/",
            "/board/export.csv",
            "/api/v1/board/",
            "/api/v1/cases/",
            "/reports/",
            "/reports/performance/",
            "/api/v1/reports/performance/",
        ],
        CLO: ["/board/", "/board/export.csv", "/api/v1/board/", "/api/v1/cases/"],
        PERFORMANCE: ["/api/v1/inspection-list/", "/reports/inspection-list/"],
    }
    for actor, paths in lists.items():
        for path in paths:
            client_ = world.api(actor) if path.startswith("/api/") else world.web(actor)
            if path == "/reports/inspection-list/":
                # Its one button: the file of the last 12 months.
                day = world.today
                period = {"from": f"{day.day}/{day.month}/{day.year - 1}", "to": f"{day:%d/%m/%Y}"}
                response = client_.post(path, {**period, "format": "csv"})
            else:
                response = client_.get(path)
            if path.startswith(("/board/export", "/reports/inspection-list/")):
                # The export's job: its file is made as the person who asked.
                assert response.status_code == 302, (actor, path)
                job_id = int(response["Location"].rstrip("/").split("/")[-1])
                export_services.export_build(job_id=job_id)
                response = client_.get(f"/exports/{job_id}/download/")
                if response.status_code == 200:
                    response = HttpResponse(b"".join(response.streaming_content))
            assert response.status_code == 200, (actor, path)
            assert case.reference not in response.content.decode(), (actor, path)

    # The people named still see it, the inspection list included.
    inspection = world.api(HOS).get("/api/v1/inspection-list/")
    assert case.reference in inspection.content.decode()
    assert world.web(TM).get(f"/cases/{case.pk}/").status_code == 200
    assert world.web(HOS).get(f"/cases/{case.pk}/").status_code == 200
    assert world.api(TM).get(f"/api/v1/letters/{ids['letter_id'][0]}/").status_code == 200
