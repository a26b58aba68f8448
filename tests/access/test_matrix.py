"""Who sees what: every URL pattern of the web app and the JSON API, for every role (the
six roles, a social worker and a team manager of another team, and someone not signed
in), each page requested (GET) and each action done (POST, or PATCH in the API) with
valid data, on a case of team A. The answers expected are in expectations.py.

A refused action must leave the case as it was; an allowed one must have done what it
says. Pages that list cases must list team A's case only to those who may read it.

The Django admin is not in this matrix (its own staff check guards it; see
test_admin.py). A URL pattern added without an entry in WALKS fails
`test_every_url_pattern_is_in_the_matrix`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import override_settings

from legaltracker.alerts import selectors
from legaltracker.alerts import services as alert_services
from legaltracker.alerts.choices import AlertMode, DeliveryStatus
from legaltracker.alerts.models import Delivery
from legaltracker.audit import forms as audit_forms
from legaltracker.audit import services as audit_services
from legaltracker.audit.models import CaseRestriction, RetentionDecision
from legaltracker.cases import services as case_services
from legaltracker.cases.choices import EventKind, Stage
from legaltracker.cases.models import Case, ExtensionRequest, RecordedEvent
from legaltracker.court.models import (
    ChildTimetable,
    Direction,
    ExpertAssessment,
    Hearing,
    Proceedings,
    Representation,
    StandardDirection,
    TimetableExtension,
)
from legaltracker.exports import services as export_services
from legaltracker.exports.models import ExportJob
from letters.models import Expectation, Letter, TranslationRequest
from tests.alerts.helpers import failed_digest
from tests.factories import case_at, case_data
from tests.markers import ci_half

from . import expectations as x
from .html import PageLinks
from .routes import all_routes
from .world import (
    ACTORS,
    ANON,
    PASSWORD,
    TM,
    TRANSITION_FROM,
    TRANSITION_TO,
    World,
    as_form,
    details_as_form,
    expectation_as_form,
    family,
    letter_details,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow, ci_half("sqlite")]

EXCLUDED_NAMESPACES = {"admin": "Django's admin: guarded by is_staff, see test_admin.py"}


@dataclass
class Matrix:
    world: World
    cells: int = 0
    mismatches: list[str] = field(default_factory=list)
    pages: list[PageLinks] = field(default_factory=list)
    actors_by_route: dict[str, set[str]] = field(default_factory=dict)
    # (route, HTTP method) -> actors: every API operation must be walked by every actor.
    actors_by_operation: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def answer(
        self, route: str, what: str, actor: str, expected: x.Answer, response: HttpResponse
    ) -> bool:
        self.cells += 1
        self.actors_by_route.setdefault(route, set()).add(actor)
        method = what.split(" ", 1)[0]
        self.actors_by_operation.setdefault((route, method), set()).add(actor)
        location = response.get("Location", "")
        ok = response.status_code == expected.status and (
            expected.location is None or location.startswith(expected.location)
        )
        leaked = [word for word in PageLinks.words() if word in unquote(location)]
        if leaked:
            self.mismatches.append(f"{what} as {actor}: redirects to {location} ({leaked})")
        if not ok:
            got = f"{response.status_code}" + (f" to {location}" if location else "")
            self.mismatches.append(f"{what} as {actor}: got {got}, expected {expected}")
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            self.pages.append(PageLinks.parse(what, actor, response.content.decode()))
        return ok

    def unchanged(self, what: str, actor: str, case: Case, version: int) -> None:
        now = Case.objects.get(pk=case.pk).version
        if now != version:
            self.mismatches.append(f"{what} as {actor}: refused, but the case changed")

    def lists(self, what: str, actor: str, response: HttpResponse, case: Case, shown: bool):
        """Whether team A's case is listed must follow who may read it."""
        if response.status_code != 200:
            return
        body = response.content.decode(errors="replace")
        if (case.reference in body) != shown:
            verb = "lists" if not shown else "does not list"
            self.mismatches.append(f"{what} as {actor} {verb} team A's case {case.reference}")


def _permitted(actor: str, allowed: frozenset[str]) -> bool:
    return actor in allowed and actor in x.CASE_READERS


@dataclass
class Probe:
    """One actor's requests on one route: the GET of its page or form where it has one,
    then the action, sent as a form (web) or as JSON (api). Each walk says only what it
    sends and what it checks afterwards; the asking and the recording are here."""

    m: Matrix
    route: str
    actor: str
    allowed: frozenset[str] = frozenset()
    api: bool = False
    what: str = ""  # the action last sent, as the mismatches name it
    response: HttpResponse | None = None  # its answer

    @property
    def client(self) -> Any:
        return self.m.world.api(self.actor) if self.api else self.m.world.web(self.actor)

    @property
    def permitted(self) -> bool:
        return _permitted(self.actor, self.allowed)

    def on_case(self, ok: x.Answer = x.OK) -> x.Answer:
        return x.on_case(self.actor, self.allowed, ok, api=self.api)

    def page(self, ok: x.Answer = x.OK) -> x.Answer:
        return x.page(self.actor, self.allowed, ok)

    def get(self, path: str, expected: x.Answer, note: str = "") -> HttpResponse:
        response = self.client.get(path)
        self.m.answer(self.route, f"GET {path}{note}", self.actor, expected, response)
        return response

    def send(
        self, method: str, path: str, data: dict[str, Any], expected: x.Answer, note: str = ""
    ) -> bool:
        """The action; True if it answered as expected, so that what it did can be checked."""
        self.what = f"{method.upper()} {path}{note}"
        if self.api:
            self.response = _json(self.client, method, path, data)
        else:
            self.response = getattr(self.client, method)(path, data)
        return self.m.answer(self.route, self.what, self.actor, expected, self.response)

    def mismatch(self, problem: str) -> None:
        self.m.mismatches.append(f"{self.what} as {self.actor}: {problem}")

    def unchanged(self, case: Case) -> None:
        self.m.unchanged(self.what, self.actor, case, case.version)

    def done_if_allowed(self, done: bool, problem: str) -> None:
        """The action did its work exactly when the actor may do it."""
        if done != (self.actor in self.allowed):
            self.mismatch(problem)


def walk_reads(
    m: Matrix,
    route: str,
    path: str,
    expected: Callable[[str], x.Answer],
    *,
    api: bool = False,
    note: str = "",
) -> None:
    """A page or an API read with nothing to check but its answer, for every actor."""
    for actor in ACTORS:
        Probe(m, route, actor, api=api).get(path, expected(actor), note)


def _reads_case(actor: str) -> x.Answer:
    return x.on_case(actor, x.CASE_READERS)


def _reads_case_api(actor: str) -> x.Answer:
    return x.on_case(actor, x.CASE_READERS, api=True)


def _to_case(case: Case) -> x.Answer:
    """Where the web app goes after an action on a case: back to the case's page."""
    return x.Answer(302, f"/cases/{case.pk}/")


# --- the web app -------------------------------------------------------------------------


def walk_home(m: Matrix) -> None:
    walk_reads(m, "web:home", "/", x.home)


def walk_sign_in(m: Matrix) -> None:
    for actor in ACTORS:
        expected = x.OK if actor == ANON else x.Answer(302, "/")
        m.answer(
            "web:sign_in", "GET /sign-in/", actor, expected, m.world.web(actor).get("/sign-in/")
        )
        username = (m.world.users[actor] or m.world.users[x.SW]).username
        response = m.world.web(actor, new=True).post(
            "/sign-in/", {"username": username, "password": PASSWORD}
        )
        m.answer("web:sign_in", "POST /sign-in/", actor, x.Answer(302, "/"), response)


def walk_sign_out(m: Matrix) -> None:
    for actor in ACTORS:
        client = m.world.web(actor, new=True)
        m.answer("web:sign_out", "GET /sign-out/", actor, x.NOT_ALLOWED, client.get("/sign-out/"))
        response = client.post("/sign-out/")
        m.answer("web:sign_out", "POST /sign-out/", actor, x.Answer(302, "/sign-in/"), response)
        # Signed out means signed out: the next page asks to sign in again.
        m.answer(
            "web:sign_out",
            "GET /my-work/ after signing out",
            actor,
            x.TO_SIGN_IN,
            client.get("/my-work/"),
        )


def walk_my_work(m: Matrix) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        probe = Probe(m, "web:my_work", actor, x.MY_WORK_USERS)
        response = probe.get("/my-work/", probe.page())
        m.lists("GET /my-work/", actor, response, listed, shown=actor in (x.SW, x.TM))


def walk_find_search(m: Matrix) -> None:
    listed = m.world.case("gateway")
    # All but the last digit: a list of cases (a whole reference opens its one case).
    path = f"/cases/search/?q={listed.reference[:-1]}"
    for actor in ACTORS:
        probe = Probe(m, "find:search", actor, x.FIND_USERS)
        response = probe.get(path, probe.page())
        m.lists("GET /cases/search/", actor, response, listed, shown=actor in x.CASE_READERS)


def walk_team_cases(m: Matrix) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        probe = Probe(m, "find:team", actor, x.TEAM_LIST_USERS)
        response = probe.get("/cases/team/", probe.page())
        m.lists("GET /cases/team/", actor, response, listed, shown=actor in (x.SW, x.TM))


def walk_reports(m: Matrix) -> None:
    walk_reads(m, "web:reports", "/reports/", lambda actor: x.page(actor, x.REPORT_USERS))


def walk_performance(m: Matrix) -> None:
    """Figures only: no actor sees team A's case named on the page."""
    listed = m.world.case("gateway")
    for actor in ACTORS:
        probe = Probe(m, "performance:reports", actor, x.PERFORMANCE_USERS)
        response = probe.get("/reports/performance/", probe.page())
        m.lists("GET /reports/performance/", actor, response, listed, shown=False)


def _walk_performance_export(m: Matrix, route: str, path: str) -> None:
    for actor in ACTORS:
        probe = Probe(m, route, actor, x.PERFORMANCE_USERS)
        response = probe.get(path, probe.page(x.Answer(302, "/exports/")))
        if response.status_code == 302 and actor in x.PERFORMANCE_USERS:
            # Made now, so that it does not count against the person's later exports.
            job_id = int(response["Location"].rstrip("/").split("/")[-1])
            export_services.export_build(job_id=job_id)


def walk_performance_csv(m: Matrix) -> None:
    _walk_performance_export(m, "performance:export_csv", "/reports/performance/export.csv")


def walk_performance_xlsx(m: Matrix) -> None:
    _walk_performance_export(m, "performance:export_xlsx", "/reports/performance/export.xlsx")


def walk_api_performance(m: Matrix) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        response = Probe(m, "performance_api:report", actor, api=True).get(
            "/api/v1/reports/performance/", x.api(actor, x.PERFORMANCE_USERS)
        )
        m.lists("GET /api/v1/reports/performance/", actor, response, listed, shown=False)


def walk_approvals(m: Matrix) -> None:
    """Team A's draft letter is listed to those who may approve it: its team manager, a
    head of service (who also decides extensions) and the lawyer."""
    listed = m.world.letter("draft").case
    for actor in ACTORS:
        probe = Probe(m, "web:approvals", actor, x.APPROVALS_USERS)
        response = probe.get("/approvals/", probe.page())
        m.lists("GET /approvals/", actor, response, listed, shown=actor in x.APPROVES_LETTERS)


def _walk_board_page(m: Matrix, route: str, path: str) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        probe = Probe(m, route, actor, x.BOARD_USERS)
        response = probe.get(path, probe.page())
        m.lists(f"GET {path}", actor, response, listed, shown=actor in x.CASE_READERS)


def walk_board(m: Matrix) -> None:
    _walk_board_page(m, "board:board", "/board/")


def _walk_export(m: Matrix, route: str, path: str, *, read_file: bool) -> None:
    """Starting an export goes to its job's page; the file, made as the person who asked,
    lists team A's case only to those who may read it."""
    listed = m.world.case("gateway")
    for actor in ACTORS:
        probe = Probe(m, route, actor, x.BOARD_USERS)
        response = probe.get(path, probe.page(x.Answer(302, "/exports/")))
        if not read_file or response.status_code != 302 or actor not in x.BOARD_USERS:
            continue
        job_id = int(response["Location"].rstrip("/").split("/")[-1])
        export_services.export_build(job_id=job_id)
        got = probe.client.get(f"/exports/{job_id}/download/")
        if got.status_code == 200:
            got = HttpResponse(b"".join(got.streaming_content))
        m.lists(f"GET {path} (its file)", actor, got, listed, shown=actor in x.CASE_READERS)


def walk_export_csv(m: Matrix) -> None:
    _walk_export(m, "board:export_csv", "/board/export.csv", read_file=True)


def walk_export_xlsx(m: Matrix) -> None:
    # A zipped workbook: the reference cannot be read in its bytes, so only the answer.
    _walk_export(m, "board:export_xlsx", "/board/export.xlsx", read_file=False)


def walk_inspection_list(m: Matrix) -> None:
    """The inspection list's page, and its one button: the export's page, then a file
    listing team A's case to heads of service and performance officers (figures people
    who open no case, but who produce this list for inspectors)."""
    listed = m.world.case("pre_proceedings")
    path = "/reports/inspection-list/"
    day = m.world.today
    period = {"from": f"{day.day}/{day.month}/{day.year - 1}", "to": f"{day:%d/%m/%Y}"}
    for actor in ACTORS:
        probe = Probe(m, "inspection:list", actor, x.INSPECTION_LIST_USERS)
        probe.get(path, probe.page())
        expected = probe.page(x.Answer(302, "/exports/"))
        if not probe.send("post", path, {**period, "format": "csv"}, expected):
            continue
        if actor not in x.INSPECTION_LIST_USERS:
            continue
        assert probe.response is not None
        job_id = int(probe.response["Location"].rstrip("/").split("/")[-1])
        export_services.export_build(job_id=job_id)
        got = probe.client.get(f"/exports/{job_id}/download/")
        if got.status_code == 200:
            got = HttpResponse(b"".join(got.streaming_content))
        m.lists(f"POST {path} (its file)", actor, got, listed, shown=True)


def _team_manager_export(m: Matrix, *, built: bool = True) -> int:
    job = export_services.export_request(
        actor=m.world.users[TM], kind="board", file_format="csv", params={}, today=m.world.today
    )
    if built:
        export_services.export_build(job_id=job.pk)
    return job.pk


def _own_export(actor: str, ok: x.Answer = x.OK) -> x.Answer:
    """An export is its owner's alone (team A's manager here): anyone else is told it
    does not exist."""
    if actor == ANON:
        return x.TO_SIGN_IN
    return ok if actor == TM else x.NOT_FOUND


def walk_export_job(m: Matrix) -> None:
    job_id = _team_manager_export(m)
    for actor in ACTORS:
        Probe(m, "exports:job", actor).get(f"/exports/{job_id}/", _own_export(actor))


def walk_export_download(m: Matrix) -> None:
    job_id = _team_manager_export(m)
    for actor in ACTORS:
        Probe(m, "exports:download", actor).get(f"/exports/{job_id}/download/", _own_export(actor))


def walk_export_retry(m: Matrix) -> None:
    job_id = _team_manager_export(m, built=False)
    ExportJob.objects.filter(pk=job_id).update(status="failed", error="Made up.")
    path = f"/exports/{job_id}/retry/"
    for actor in ACTORS:
        probe = Probe(m, "exports:retry", actor)
        probe.get(path, x.post_only(actor))
        probe.send("post", path, {}, _own_export(actor, x.Answer(302, path[: -len("retry/")])))


def walk_case_create(m: Matrix) -> None:
    for actor in ACTORS:
        probe = Probe(m, "casework:case_create", actor, x.OPENS_SOME_CASES)
        probe.get("/cases/new/", probe.page())
        before = Case.objects.count()
        data = as_form(case_data(m.world.staff, **family()))
        if actor in x.OPENS_TEAM_A_CASES:
            expected = x.Answer(302, "/cases/")
        elif actor in x.OPENS_SOME_CASES:
            expected = x.INVALID  # team A is not one of the teams they can choose
        else:
            expected = x.page(actor, frozenset())
        if (
            probe.send("post", "/cases/new/", data, expected, " for team A")
            and expected.status != 302
            and Case.objects.count() != before
        ):
            m.mismatches.append(f"POST /cases/new/ as {actor}: refused, but a case was opened")


def walk_case_detail(m: Matrix) -> None:
    for where in ("concern", "pre_proceedings", "proceedings"):
        case = m.world.case(where)
        path = f"/cases/{case.pk}/"
        walk_reads(m, "casework:case_detail", path, _reads_case, note=f" ({where})")


def walk_transition(m: Matrix) -> None:
    for name, allowed in x.TRANSITION_ACTORS.items():
        where = TRANSITION_FROM[name]
        shared = m.world.case(where)
        for actor in ACTORS:
            probe = Probe(m, "casework:transition", actor, allowed)
            probe.get(f"/cases/{shared.pk}/actions/{name}/", probe.on_case())
            case = m.world.fresh(where) if actor in allowed else m.world.case(where)
            path = f"/cases/{case.pk}/actions/{name}/"
            data = as_form(m.world.transition_data(name, case), case.version)
            if probe.send("post", path, data, probe.on_case(_to_case(case)), f" ({name})"):
                _after_transition(probe, case, name)


def walk_extension_request_create(m: Matrix) -> None:
    allowed = x.ASKS_FOR_EXTENSIONS
    shared = m.world.case("pre_proceedings")
    for actor in ACTORS:
        probe = Probe(m, "casework:extension_request_create", actor, allowed)
        probe.get(f"/cases/{shared.pk}/extension-request/", probe.on_case())
        case = m.world.fresh("pre_proceedings") if actor in allowed else shared
        path = f"/cases/{case.pk}/extension-request/"
        data = as_form(m.world.extension_request_data(case), case.version)
        if probe.send("post", path, data, probe.on_case(_to_case(case))):
            user = m.world.users[actor]
            asked = ExtensionRequest.objects.filter(
                case=case, requested_by=user, status="pending"
            ).exists()
            probe.done_if_allowed(asked, "a request waits exactly when the actor may ask")
            if not probe.permitted:
                probe.unchanged(case)


def walk_extension_request(m: Matrix) -> None:
    """The request's page is read by whoever reads its case; a head of service decides
    (here: declines), team A's manager withdraws."""
    shared = m.world.extension_request()
    path = f"/cases/extension-requests/{shared.pk}/"
    for actor in ACTORS:
        Probe(m, "casework:extension_request", actor).get(path, _reads_case(actor))
    for allowed, decision in (
        (x.DECIDES_EXTENSIONS, "decline"),
        (x.ASKS_FOR_EXTENSIONS, "withdraw"),
    ):
        for actor in ACTORS:
            probe = Probe(m, "casework:extension_request", actor, allowed)
            request = m.world.extension_request(shared=False) if actor in allowed else shared
            case = Case.objects.get(pk=request.case_id)
            path = f"/cases/extension-requests/{request.pk}/"
            data = {"version": str(case.version), "decision": decision, "reason": "Not now."}
            if probe.send("post", path, data, probe.on_case(_to_case(case)), f" ({decision})"):
                request.refresh_from_db()
                probe.done_if_allowed(not request.is_pending, "decided exactly when allowed")
                if not probe.permitted:
                    probe.unchanged(case)


def _after_transition(probe: Probe, case: Case, name: str) -> None:
    if probe.permitted:
        now = Case.objects.get(pk=case.pk)
        if now.stage != TRANSITION_TO[name] or now.version == case.version:
            probe.mismatch(f"allowed, but the case is at {now.stage}")
    else:
        probe.unchanged(case)


def walk_record_event(m: Matrix) -> None:
    for kind in EventKind:
        allowed = x.event_actors(kind)
        for actor in ACTORS:
            probe = Probe(m, "casework:record_event", actor, allowed)
            case = m.world.case("events", kind)
            path = f"/cases/{case.pk}/record/{kind}/"
            probe.get(path, probe.on_case())
            data = as_form(m.world.event_data(kind), case.version)
            if probe.send("post", path, data, probe.on_case(_to_case(case))):
                _after_event(probe, case, kind)


def _after_event(probe: Probe, case: Case, kind: str) -> None:
    if probe.permitted:
        user = probe.m.world.users[probe.actor]
        if not RecordedEvent.objects.filter(case=case, kind=kind, recorded_by=user).exists():
            probe.mismatch("allowed, but nothing was recorded")
    else:
        probe.unchanged(case)


def walk_correct_event(m: Matrix) -> None:
    for kind in EventKind:
        allowed = x.event_actors(kind)
        event = m.world.event_of_kind(kind)
        path = f"/cases/events/{event.pk}/correct/"
        for actor in ACTORS:
            probe = Probe(m, "casework:correct_event", actor, allowed)
            probe.get(path, probe.on_case(), f" ({kind})")
            case = Case.objects.get(pk=event.case_id)
            data = as_form(m.world.correction_data(kind), case.version)
            data.setdefault("summary", event.summary)
            if probe.send("post", path, data, probe.on_case(_to_case(case)), f" ({kind})"):
                _after_correction(probe, case)


def _after_correction(probe: Probe, case: Case) -> None:
    if probe.permitted:
        if Case.objects.get(pk=case.pk).version == case.version:
            probe.mismatch("allowed, but nothing changed")
    else:
        probe.unchanged(case)


# --- less typing: Day 1 documents together, people, reassigning (web) -----------------------

EDITS_PEOPLE = frozenset({x.SW, x.TM, x.HOS})
REASSIGNS = frozenset({x.TM, x.HOS})


def _dmy(day: Any) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _walk_case_form(
    m: Matrix,
    route: str,
    allowed: frozenset[str],
    fresh: Callable[[], Case],
    path_for: Callable[[Case], str],
    body_for: Callable[[Case, str], dict[str, Any]],
    done: Callable[[Case, str], bool],
) -> None:
    """A form on a team A case: its page, then the change, on a case of its own for each
    actor who may make it (a change cannot be made twice), which must then be done; a
    refused one leaves the case as it was."""
    shared = fresh()
    for actor in ACTORS:
        probe = Probe(m, route, actor, allowed)
        probe.get(path_for(shared), probe.on_case())
        case = fresh() if probe.permitted else Case.objects.get(pk=shared.pk)
        if probe.send("post", path_for(case), body_for(case, actor), probe.on_case(_to_case(case))):
            if probe.permitted:
                if not done(case, actor):
                    probe.mismatch("allowed, but nothing was done")
            else:
                probe.unchanged(case)


def walk_day1_documents(m: Matrix) -> None:
    def body(case: Case, actor: str) -> dict[str, Any]:
        data: dict[str, Any] = {"version": str(case.version)}
        for doc in ("chronology", "care_plan"):
            data[f"{doc}_ready"] = "on"
            data[f"{doc}_date"] = _dmy(m.world.today)
        return data

    _walk_case_form(
        m,
        "casework:day1_documents",
        x.event_actors(EventKind.DOCUMENT_READY),
        lambda: case_at(Stage.ISSUE, m.world.staff, **family()),
        lambda case: f"/cases/{case.pk}/day1-documents/",
        body,
        lambda case, actor: (
            RecordedEvent.objects.filter(case=case, kind="document_ready").count() == 2
        ),
    )


def walk_case_reassign(m: Matrix) -> None:
    manager = m.world.users[TM]
    assert manager is not None
    _walk_case_form(
        m,
        "casework:case_reassign",
        REASSIGNS,
        lambda: case_at(Stage.CONCERN, m.world.staff, **family()),
        lambda case: f"/cases/{case.pk}/reassign/",
        lambda case, actor: {"version": str(case.version), "social_worker": manager.username},
        lambda case, actor: Case.objects.get(pk=case.pk).social_worker_id == manager.pk,
    )


ALLOCATES_LAWYERS = frozenset({x.TM, x.HOS, x.LEGAL})


def walk_case_allocate_lawyer(m: Matrix) -> None:
    lawyer = m.world.users[x.LEGAL]
    assert lawyer is not None
    _walk_case_form(
        m,
        "casework:case_allocate_lawyer",
        ALLOCATES_LAWYERS,
        lambda: case_at(Stage.CONCERN, m.world.staff, **family()),
        lambda case: f"/cases/{case.pk}/lawyer/",
        lambda case, actor: {"version": str(case.version), "allocated_lawyer": str(lawyer.pk)},
        lambda case, actor: Case.objects.get(pk=case.pk).allocated_lawyer_id == lawyer.pk,
    )


def walk_api_case_lawyer(m: Matrix) -> None:
    lawyer = m.world.users[x.LEGAL]
    assert lawyer is not None
    shared = case_at(Stage.CONCERN, m.world.staff, **family())
    for actor in ACTORS:
        probe = Probe(m, "api:case-lawyer", actor, ALLOCATES_LAWYERS, api=True)
        case = case_at(Stage.CONCERN, m.world.staff, **family()) if probe.permitted else shared
        path = f"/api/v1/cases/{case.pk}/lawyer/"
        if probe.send("post", path, {"allocated_lawyer": lawyer.pk}, probe.on_case()):
            if probe.permitted:
                if Case.objects.get(pk=case.pk).allocated_lawyer_id != lawyer.pk:
                    probe.mismatch("allowed, but nothing was done")
            else:
                probe.unchanged(case)


def walk_person_add(m: Matrix) -> None:
    for who, body in (
        ("child", {"last_name": "Added", "first_name": "Kim"}),
        (
            "adult",
            {
                "last_name": "Added",
                "first_name": "Lee",
                "relationship": "carer",
                "has_solicitor": "unknown",
            },
        ),
    ):
        _walk_case_form(
            m,
            "casework:person_add",
            EDITS_PEOPLE,
            lambda: m.world.case("concern"),
            lambda case, who=who: f"/cases/{case.pk}/people/add/{who}/",
            lambda case, actor, body=body: {"version": str(case.version), **body},
            lambda case, actor: Case.objects.get(pk=case.pk).version > case.version,
        )


def walk_person_edit(m: Matrix) -> None:
    def body(case: Case, actor: str) -> dict[str, Any]:
        child = case.children.order_by("pk").first()
        assert child is not None
        return {
            "version": str(case.version),
            "first_name": child.first_name,
            "last_name": child.last_name,
            "date_of_birth": _dmy(child.date_of_birth) if child.date_of_birth else "",
            "la_child_id": f"ID{actor[:8]}",
        }

    def path(case: Case) -> str:
        child = case.children.order_by("pk").first()
        assert child is not None
        return f"/cases/{case.pk}/people/child/{child.pk}/"

    _walk_case_form(
        m,
        "casework:person_edit",
        EDITS_PEOPLE,
        lambda: m.world.case("concern"),
        path,
        body,
        lambda case, actor: case.children.filter(la_child_id=f"ID{actor[:8]}").exists(),
    )


def walk_child_born(m: Matrix) -> None:
    def expecting() -> Case:
        due = (m.world.today + dt.timedelta(days=30)).isoformat()
        return case_at(
            Stage.CONCERN,
            m.world.staff,
            **{
                **family(),
                "unborn_baby": True,
                "children": [{"last_name": "Expected", "expected_date_of_birth": due}],
            },
        )

    def path(case: Case) -> str:
        return f"/cases/{case.pk}/people/child/{case.children.get().pk}/born/"

    _walk_case_form(
        m,
        "casework:child_born",
        EDITS_PEOPLE,
        expecting,
        path,
        lambda case, actor: {"version": str(case.version), "date_of_birth": _dmy(m.world.today)},
        lambda case, actor: not Case.objects.get(pk=case.pk).unborn_baby,
    )


# --- the schedule of expectations and letters (web) ----------------------------------------


def _changed_or_not(probe: Probe, case: Case) -> None:
    """An allowed change moves the case's version on; a refused one leaves it."""
    if probe.permitted:
        if Case.objects.get(pk=case.pk).version == case.version:
            probe.mismatch("allowed, but the case did not change")
    else:
        probe.unchanged(case)


def _walk_letters_case(
    m: Matrix,
    route: str,
    allowed: frozenset[str],
    path_for: Callable[[Case], str],
    body_for: Callable[[Case, str], dict[str, Any]],
    *,
    readers: frozenset[str] | None,
    method: str = "post",
    api: bool = False,
    ok: x.Answer | None = None,
) -> None:
    """A change to the letters case (its schedule or letter details) for every actor: a
    GET first where the route has one (answered as for `readers`), then the change, which
    must move the case on exactly when it is allowed. `ok` is the answer when it is
    allowed; by default the web app's way back to the case's page."""
    for actor in ACTORS:
        probe = Probe(m, route, actor, allowed, api=api)
        case = m.world.letters_case()
        path = path_for(case)
        if readers is not None:
            probe.get(path, x.on_case(actor, readers, api=api))
        body = body_for(case, actor)
        if probe.send(method, path, body, probe.on_case(ok or _to_case(case))):
            _changed_or_not(probe, case)


def walk_case_letters(m: Matrix) -> None:
    case = m.world.letters_case()
    walk_reads(m, "letters:case_letters", f"/letters/cases/{case.pk}/", _reads_case)


def walk_expectation_create(m: Matrix) -> None:
    _walk_letters_case(
        m,
        "letters:expectation_create",
        x.EDITS_EXPECTATIONS,
        lambda case: f"/letters/cases/{case.pk}/expectations/new/",
        lambda case, actor: expectation_as_form(m.world.expectation_data(case), case.version),
        readers=x.EDITS_EXPECTATIONS,
    )


def walk_expectation_review(m: Matrix) -> None:
    def review_form(case: Case, actor: str) -> dict[str, str]:
        review = m.world.review_data(case)
        day = m.world.today
        data: dict[str, str] = {
            "version": str(case.version),
            "date": f"{day.day}/{day.month}/{day.year}",
        }
        for item in review["items"]:
            data[f"status_{item['expectation']}"] = item["status"]
        return data

    _walk_letters_case(
        m,
        "letters:expectation_review",
        x.EDITS_EXPECTATIONS,
        lambda case: f"/letters/cases/{case.pk}/expectations/review/",
        review_form,
        readers=x.EDITS_EXPECTATIONS,
    )


def walk_expectation_edit(m: Matrix) -> None:
    expectation = m.world.expectation()

    def edit_form(case: Case, actor: str) -> dict[str, Any]:
        body = m.world.expectation_data(case, action=f"Take the children to school ({actor}).")
        body["due_by"] = Expectation.objects.get(pk=expectation.pk).due_by.isoformat()
        body["adults"] = [a.pk for a in Expectation.objects.get(pk=expectation.pk).adults.all()]
        return expectation_as_form(body, case.version)

    _walk_letters_case(
        m,
        "letters:expectation_edit",
        x.EDITS_EXPECTATIONS,
        lambda case: f"/letters/expectations/{expectation.pk}/edit/",
        edit_form,
        readers=x.EDITS_EXPECTATIONS,
    )


def walk_details_edit(m: Matrix) -> None:
    _walk_letters_case(
        m,
        "letters:details_edit",
        x.EDITS_LETTER_DETAILS,
        lambda case: f"/letters/cases/{case.pk}/details/",
        lambda case, actor: details_as_form(
            letter_details(f"Concerns as written by {actor}."), case.version
        ),
        readers=x.EDITS_LETTER_DETAILS,
    )


def _letter_made(probe: Probe, before: int) -> None:
    made = _letters_by(probe.m, probe.actor)
    if probe.permitted and made == before:
        probe.mismatch("allowed, but no letter was made")
    if not probe.permitted and made != before:
        probe.mismatch("refused, but a letter was made")


def _letters_by(m: Matrix, actor: str) -> int:
    user = m.world.users[actor]
    return Letter.objects.filter(generated_by=user).count() if user else 0


def walk_letter_create(m: Matrix) -> None:
    case = m.world.letters_case()
    adult = case.adults.order_by("pk").first()
    path = f"/letters/cases/{case.pk}/new/"
    for actor in ACTORS:
        probe = Probe(m, "letters:letter_create", actor, x.DRAFTS_LETTERS)
        probe.get(path, probe.on_case())
        data = {"kind": "letter_before_proceedings", "recipient": str(adult.pk)}
        before = _letters_by(m, actor)
        if probe.send("post", path, data, probe.on_case(x.Answer(302, "/letters/"))):
            _letter_made(probe, before)


def walk_letter_detail(m: Matrix) -> None:
    for status in ("draft", "approved"):
        path = f"/letters/{m.world.letter(status).pk}/"
        walk_reads(m, "letters:letter_detail", path, _reads_case, note=f" ({status})")


def _letter_status(probe: Probe, letter: Letter, to: str) -> None:
    now = Letter.objects.get(pk=letter.pk).status
    if probe.permitted and now != to:
        probe.mismatch(f"allowed, but the letter is {now}")
    if not probe.permitted and now != letter.status:
        probe.mismatch(f"refused, but the letter is {now}")


def _walk_letter_action(
    m: Matrix,
    route: str,
    allowed: frozenset[str],
    action: str,
    status: str,
    to: str,
    body: dict[str, Any],
    *,
    api: bool = False,
) -> None:
    """A letter moved on from `status` to `to`: those allowed each act on a new letter,
    the others all try the shared one. The web app answers by going back to the letter
    (and has a GET on these URLs, which only take POST); the API answers with it."""
    for actor in ACTORS:
        probe = Probe(m, route, actor, allowed, api=api)
        letter = m.world.letter(status, shared=actor not in allowed)
        if api:
            path = f"/api/v1/letters/{letter.pk}/{action}/"
            expected = probe.on_case()
        else:
            path = f"/letters/{letter.pk}/{action}/"
            probe.get(path, x.post_only(actor))
            expected = probe.on_case(x.Answer(302, f"/letters/{letter.pk}/"))
        if probe.send("post", path, body, expected):
            _letter_status(probe, letter, to)


def walk_letter_approve(m: Matrix) -> None:
    _walk_letter_action(
        m, "letters:letter_approve", x.APPROVES_LETTERS, "approve", "draft", "approved", {}
    )


def _welsh_draft(m: Matrix, *, shared: bool) -> Letter:
    """A draft marked Welsh (the plain-language check is for Welsh letters only)."""
    key = ("letter", "welsh")
    if shared and key in m.world.shared:
        return Letter.objects.get(pk=m.world.shared[key].pk)
    letter = m.world.letter("draft", shared=False)
    Letter.objects.filter(pk=letter.pk).update(language="cy")
    letter = Letter.objects.get(pk=letter.pk)
    if shared:
        m.world.shared[key] = letter
    return letter


def _walk_plain_language_check(m: Matrix, route: str, *, api: bool = False) -> None:
    for actor in ACTORS:
        probe = Probe(m, route, actor, x.CHECKS_WELSH_LETTERS, api=api)
        letter = _welsh_draft(m, shared=not probe.permitted)
        if api:
            path = f"/api/v1/letters/{letter.pk}/plain-language-check/"
            expected = probe.on_case()
        else:
            path = f"/letters/{letter.pk}/plain-language-check/"
            probe.get(path, x.post_only(actor))
            expected = probe.on_case(x.Answer(302, f"/letters/{letter.pk}/"))
        if probe.send("post", path, {"note": "Read through."}, expected):
            checked = Letter.objects.get(pk=letter.pk).plain_language_checked_at is not None
            if checked != probe.permitted:
                probe.mismatch(f"the check recorded: {checked}")


def walk_letter_plain_language_check(m: Matrix) -> None:
    _walk_plain_language_check(m, "letters:letter_plain_language_check")


def walk_api_letter_plain_language_check(m: Matrix) -> None:
    _walk_plain_language_check(m, "letters_api:letter-plain-language-check", api=True)


def walk_letter_sent(m: Matrix) -> None:
    day = m.world.today
    body = {"date": f"{day.day}/{day.month}/{day.year}", "method": "post"}
    _walk_letter_action(m, "letters:letter_sent", x.SENDS_LETTERS, "sent", "approved", "sent", body)


PDF = b"%PDF-1.4\n% a translated letter\n"


def _translation_settled(probe: Probe, letter: Letter) -> None:
    settled = TranslationRequest.objects.get(letter=letter).settled
    if settled != probe.permitted:
        probe.mismatch(f"{'allowed' if probe.permitted else 'refused'}, but settled={settled}")


def _walk_translation(m: Matrix, route: str, action: str, allowed: frozenset[str]) -> None:
    for actor in ACTORS:
        probe = Probe(m, route, actor, allowed)
        letter = m.world.translation_letter(shared=actor not in allowed)
        path = f"/letters/{letter.pk}/translation/{action}/"
        probe.get(path, x.post_only(actor))
        body: dict[str, Any] = (
            {"file": SimpleUploadedFile("list.pdf", PDF)}
            if action == "attach"
            else {"reason": "She reads English well."}
        )
        if probe.send("post", path, body, probe.on_case(x.Answer(302, f"/letters/{letter.pk}/"))):
            _translation_settled(probe, letter)


def walk_translation_attach(m: Matrix) -> None:
    _walk_translation(m, "letters:translation_attach", "attach", x.ATTACHES_TRANSLATIONS)


def walk_translation_waive(m: Matrix) -> None:
    _walk_translation(m, "letters:translation_waive", "waive", x.WAIVES_TRANSLATIONS)


def walk_letter_download(m: Matrix) -> None:
    # Word only: a PDF needs LibreOffice on the server (503 without it), not a question
    # of access.
    path = f"/letters/{m.world.letter('approved').pk}/download/docx/"
    for actor in ACTORS:
        response = Probe(m, "letters:letter_download", actor).get(path, _reads_case(actor))
        if response.status_code == 200 and "officedocument" not in response.get("Content-Type", ""):
            m.mismatches.append(f"GET {path} as {actor}: not a Word file")


# --- alerts: notifications, settings, the calendar feed ---------------------------------


def walk_alerts_list(m: Matrix) -> None:
    walk_reads(m, "alerts:list", "/alerts/", lambda actor: x.page(actor, x.EVERYONE_SIGNED_IN))


def walk_alerts_mark_read(m: Matrix) -> None:
    for actor in ACTORS:
        probe = Probe(m, "alerts:mark_read", actor, x.EVERYONE_SIGNED_IN)
        probe.get("/alerts/read/", x.post_only(actor))
        probe.send("post", "/alerts/read/", {}, probe.page(x.Answer(302, "/alerts/")))


def _failed_delivery_of_the_lawyer(m: Matrix) -> Delivery:
    return failed_digest(m.world.users[x.LEGAL])


def _walk_delivery_action(m: Matrix, route: str, action: str, done: Callable) -> None:
    for actor in ACTORS:
        probe = Probe(m, route, actor, x.ALERT_DELIVERY_HANDLERS)
        delivery = _failed_delivery_of_the_lawyer(m)
        path = f"/alerts/deliveries/{delivery.pk}/{action}/"
        probe.get(path, x.post_only(actor))
        note = " (the lawyer's failed email)"
        if probe.send("post", path, {}, x.own_delivery(actor), note):
            delivery.refresh_from_db()
            probe.done_if_allowed(done(delivery), f"the delivery is {delivery.status}")


def walk_alerts_dismiss(m: Matrix) -> None:
    _walk_delivery_action(
        m, "alerts:dismiss_delivery", "dismiss", lambda d: d.status == DeliveryStatus.DISMISSED
    )


def walk_alerts_retry(m: Matrix) -> None:
    _walk_delivery_action(
        m, "alerts:retry_delivery", "retry", lambda d: d.next_attempt_at is not None
    )


def walk_alerts_settings(m: Matrix) -> None:
    for actor in ACTORS:
        probe = Probe(m, "alerts:settings", actor, x.EVERYONE_SIGNED_IN)
        probe.get("/alerts/settings/", probe.page())
        data = {"mode": AlertMode.DIGEST_AND_IMMEDIATE}
        expected = probe.page(x.Answer(302, "/alerts/settings/"))
        if probe.send("post", "/alerts/settings/", data, expected):
            user = m.world.users[actor]
            if (
                user is not None
                and selectors.preference_for(user) != AlertMode.DIGEST_AND_IMMEDIATE
            ):
                probe.mismatch("not saved")


def walk_alerts_calendar(m: Matrix) -> None:
    for actor in ACTORS:
        probe = Probe(m, "alerts:calendar", actor, x.EVERYONE_SIGNED_IN)
        probe.get("/alerts/calendar/", probe.page())
        expected = probe.page(x.Answer(302, "/alerts/calendar/"))
        if probe.send("post", "/alerts/calendar/", {"action": "enable"}, expected, " (turn on)"):
            user = m.world.users[actor]
            if user is not None and not selectors.has_calendar_feed(user):
                m.mismatches.append(f"POST /alerts/calendar/ as {actor}: no feed was made")


def walk_alerts_calendar_feed(m: Matrix) -> None:
    lawyer = m.world.users[x.LEGAL]
    token = alert_services.calendar_feed_enable(actor=lawyer)
    for actor in ACTORS:
        path = f"/alerts/calendar/{token}.ics"
        response = m.world.web(actor).get(path)
        # The secret address is the key: the same answer whoever asks.
        if m.answer("alerts:calendar_feed", "GET the lawyer's feed", actor, x.OK, response) and (
            b"BEGIN:VCALENDAR" not in response.content
        ):
            m.mismatches.append(f"GET the lawyer's feed as {actor}: not a calendar")
        m.answer(
            "alerts:calendar_feed",
            "GET a made-up feed address",
            actor,
            x.NOT_FOUND,
            m.world.web(actor).get(f"/alerts/calendar/{'x' * 43}.ics"),
        )
    alert_services.calendar_feed_revoke(actor=lawyer)
    for actor in ACTORS:
        m.answer(
            "alerts:calendar_feed",
            "GET the lawyer's feed after it was turned off",
            actor,
            x.NOT_FOUND,
            m.world.web(actor).get(f"/alerts/calendar/{token}.ics"),
        )


# --- the JSON API --------------------------------------------------------------------------


def _json(client: Any, method: str, path: str, body: dict[str, Any]) -> HttpResponse:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def walk_api_schema(m: Matrix) -> None:
    # Public on purpose (tests/api/test_schema.py reads it signed out): it describes the
    # API and holds no case data.
    walk_reads(m, "api:schema", "/api/v1/schema/", lambda actor: x.OK, api=True)


def walk_api_cases(m: Matrix) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        probe = Probe(m, "api:cases", actor, x.EVERYONE_SIGNED_IN, api=True)
        response = probe.get("/api/v1/cases/", x.api(actor, x.EVERYONE_SIGNED_IN))
        m.lists("GET /api/v1/cases/", actor, response, listed, shown=actor in x.CASE_READERS)
        before = Case.objects.count()
        body = case_data(m.world.staff, **family())
        expected = x.api(actor, x.OPENS_TEAM_A_CASES, x.CREATED)
        if probe.send("post", "/api/v1/cases/", body, expected, " for team A") and (
            expected.status != 201 and Case.objects.count() != before
        ):
            m.mismatches.append(f"POST /api/v1/cases/ as {actor}: refused, but a case was opened")


def walk_api_case(m: Matrix) -> None:
    case = m.world.case("pre_proceedings")
    walk_reads(m, "api:case", f"/api/v1/cases/{case.pk}/", _reads_case_api, api=True)


def walk_api_history(m: Matrix) -> None:
    case = m.world.case("pre_proceedings")
    path = f"/api/v1/cases/{case.pk}/history/"
    walk_reads(m, "api:case-history", path, _reads_case_api, api=True)


def walk_api_transition(m: Matrix) -> None:
    for name, allowed in x.TRANSITION_ACTORS.items():
        where = TRANSITION_FROM[name]
        for actor in ACTORS:
            probe = Probe(m, "api:case-transition", actor, allowed, api=True)
            case = m.world.fresh(where) if actor in allowed else m.world.case(where)
            path = f"/api/v1/cases/{case.pk}/transitions/{name}/"
            if probe.send("post", path, m.world.transition_data(name, case), probe.on_case()):
                _after_transition(probe, case, name)


def walk_api_events(m: Matrix) -> None:
    for kind in EventKind:
        allowed = x.event_actors(kind)
        for actor in ACTORS:
            probe = Probe(m, "api:case-events", actor, allowed, api=True)
            case = m.world.case("events", kind)
            path = f"/api/v1/cases/{case.pk}/events/"
            body = m.world.event_data(kind)
            if probe.send("post", path, body, probe.on_case(x.CREATED), f" ({kind})"):
                _after_event(probe, case, kind)


def walk_api_event(m: Matrix) -> None:
    for kind in EventKind:
        allowed = x.event_actors(kind)
        event = m.world.event_of_kind(kind)
        path = f"/api/v1/events/{event.pk}/"
        for actor in ACTORS:
            probe = Probe(m, "api:event", actor, allowed, api=True)
            case = Case.objects.get(pk=event.case_id)
            body = m.world.correction_data(kind)
            if probe.send("patch", path, body, probe.on_case(), f" ({kind})"):
                _after_correction(probe, case)


def walk_api_board(m: Matrix) -> None:
    listed = m.world.case("gateway")
    for actor in ACTORS:
        response = Probe(m, "board_api:board", actor, api=True).get(
            "/api/v1/board/", x.api(actor, x.BOARD_USERS)
        )
        m.lists("GET /api/v1/board/", actor, response, listed, shown=actor in x.CASE_READERS)


def walk_api_inspection_list(m: Matrix) -> None:
    listed = m.world.case("pre_proceedings")
    path = "/api/v1/inspection-list/"
    for actor in ACTORS:
        response = Probe(m, "inspection_api:list", actor, api=True).get(
            path, x.api(actor, x.INSPECTION_LIST_USERS)
        )
        m.lists(f"GET {path}", actor, response, listed, shown=True)


# --- the schedule of expectations and letters (API) ----------------------------------------


def walk_api_expectations(m: Matrix) -> None:
    _walk_letters_case(
        m,
        "letters_api:case-expectations",
        x.EDITS_EXPECTATIONS,
        lambda case: f"/api/v1/cases/{case.pk}/expectations/",
        lambda case, actor: m.world.expectation_data(case),
        readers=x.CASE_READERS,
        api=True,
        ok=x.CREATED,
    )


def walk_api_expectations_review(m: Matrix) -> None:
    _walk_letters_case(
        m,
        "letters_api:case-expectations-review",
        x.EDITS_EXPECTATIONS,
        lambda case: f"/api/v1/cases/{case.pk}/expectations/review/",
        lambda case, actor: m.world.review_data(case),
        readers=None,
        api=True,
        ok=x.OK,
    )


def walk_api_expectation(m: Matrix) -> None:
    path = f"/api/v1/expectations/{m.world.expectation().pk}/"
    _walk_letters_case(
        m,
        "letters_api:expectation",
        x.EDITS_EXPECTATIONS,
        lambda case: path,
        lambda case, actor: {"action": f"Take the children to school on time ({actor}, API)."},
        readers=None,
        method="patch",
        api=True,
        ok=x.OK,
    )


def walk_api_letter_details(m: Matrix) -> None:
    _walk_letters_case(
        m,
        "letters_api:case-letter-details",
        x.EDITS_LETTER_DETAILS,
        lambda case: f"/api/v1/cases/{case.pk}/letter-details/",
        lambda case, actor: {"concerns": f"Concerns as written by {actor} (API)."},
        readers=x.CASE_READERS,
        method="patch",
        api=True,
        ok=x.OK,
    )


def walk_api_case_letters(m: Matrix) -> None:
    case = m.world.letters_case()
    adult = case.adults.order_by("pk").first()
    path = f"/api/v1/cases/{case.pk}/letters/"
    for actor in ACTORS:
        probe = Probe(m, "letters_api:case-letters", actor, x.DRAFTS_LETTERS, api=True)
        probe.get(path, _reads_case_api(actor))
        before = _letters_by(m, actor)
        body = {"kind": "letter_before_proceedings", "recipient": adult.pk}
        if probe.send("post", path, body, probe.on_case(x.CREATED)):
            _letter_made(probe, before)


def walk_api_letter(m: Matrix) -> None:
    path = f"/api/v1/letters/{m.world.letter('draft').pk}/"
    walk_reads(m, "letters_api:letter", path, _reads_case_api, api=True)


def walk_api_letter_approve(m: Matrix) -> None:
    _walk_letter_action(
        m,
        "letters_api:letter-approve",
        x.APPROVES_LETTERS,
        "approve",
        "draft",
        "approved",
        {},
        api=True,
    )


def walk_api_letter_sent(m: Matrix) -> None:
    body = {"date": m.world.today.isoformat(), "method": "post"}
    _walk_letter_action(
        m, "letters_api:letter-sent", x.SENDS_LETTERS, "sent", "approved", "sent", body, api=True
    )


def walk_api_letter_translation(m: Matrix) -> None:
    attach = {
        "action": "attach",
        "file_name": "list.pdf",
        "content_base64": base64.b64encode(PDF).decode(),
    }
    waive = {"action": "waive", "reason": "She reads English well."}
    for body, allowed in ((attach, x.ATTACHES_TRANSLATIONS), (waive, x.WAIVES_TRANSLATIONS)):
        for actor in ACTORS:
            probe = Probe(m, "letters_api:letter-translation", actor, allowed, api=True)
            letter = m.world.translation_letter(shared=actor not in allowed)
            path = f"/api/v1/letters/{letter.pk}/translation/"
            if probe.send("post", path, body, probe.on_case(), note=f" ({body['action']})"):
                _translation_settled(probe, letter)


def walk_api_adult_communication(m: Matrix) -> None:
    shared = case_at(Stage.CONCERN, m.world.staff, **family())
    for actor in ACTORS:
        probe = Probe(m, "api:adult-communication", actor, EDITS_PEOPLE, api=True)
        case = case_at(Stage.CONCERN, m.world.staff, **family()) if probe.permitted else shared
        adult = case.adults.order_by("pk").first()
        assert adult is not None
        path = f"/api/v1/cases/{case.pk}/adults/{adult.pk}/communication/"
        probe.get(path, _reads_case_api(actor))
        if probe.send("patch", path, {"large_print": True}, probe.on_case()):
            adult.refresh_from_db()
            if adult.large_print != probe.permitted:
                probe.mismatch(f"large_print is {adult.large_print}")


def walk_api_letter_download(m: Matrix) -> None:
    path = f"/api/v1/letters/{m.world.letter('approved').pk}/download/?format=docx"
    walk_reads(m, "letters_api:letter-download", path, _reads_case_api, api=True)


# --- the court record (API) ----------------------------------------------------------------


def _court_write(
    m: Matrix,
    route: str,
    actor: str,
    allowed: frozenset[str],
    method: str,
    path: str,
    body: dict[str, Any],
    done: Callable[[], bool],
    ok: x.Answer = x.OK,
) -> Probe:
    """One write on the court case: allowed, it did its work; refused, the case is as it
    was."""
    probe = Probe(m, route, actor, allowed, api=True)
    case = m.world.court_case()
    if probe.send(method, path, body, probe.on_case(ok)):
        did = done()
        probe.done_if_allowed(did, f"done is {did}")
        if actor not in allowed:
            probe.unchanged(case)
    return probe


def walk_api_court_centres(m: Matrix) -> None:
    path = "/api/v1/court-centres/"
    walk_reads(
        m, "court_api:court-centres", path, lambda a: x.api(a, x.EVERYONE_SIGNED_IN), api=True
    )


def walk_api_hearing_reasons(m: Matrix) -> None:
    path = "/api/v1/hearing-reasons/"
    walk_reads(
        m, "court_api:hearing-reasons", path, lambda a: x.api(a, x.EVERYONE_SIGNED_IN), api=True
    )


def walk_api_proceedings(m: Matrix) -> None:
    case = m.world.court_case()
    path = f"/api/v1/cases/{case.pk}/proceedings/"
    for actor in ACTORS:
        Probe(m, "court_api:proceedings", actor, api=True).get(path, _reads_case_api(actor))
        judge = f"HHJ Matrix ({actor})"
        _court_write(
            m,
            "court_api:proceedings",
            actor,
            x.KEEPS_COURT_RECORD,
            "patch",
            path,
            {"judge_name": judge},
            lambda judge=judge: Proceedings.objects.filter(case=case, judge_name=judge).exists(),
        )


def walk_api_representation(m: Matrix) -> None:
    case = m.world.court_case()
    adult = case.adults.order_by("pk").first()
    path = f"/api/v1/cases/{case.pk}/adults/{adult.pk}/representation/"
    for actor in ACTORS:
        firm = f"Matrix & Co ({actor})"
        _court_write(
            m,
            "court_api:representation",
            actor,
            x.KEEPS_COURT_RECORD,
            "patch",
            path,
            {"represented": True, "firm": firm},
            lambda firm=firm: Representation.objects.filter(adult=adult, firm=firm).exists(),
        )


def walk_api_case_hearings(m: Matrix) -> None:
    case = m.world.court_case()
    path = f"/api/v1/cases/{case.pk}/hearings/"
    for actor in ACTORS:
        Probe(m, "court_api:case-hearings", actor, api=True).get(path, _reads_case_api(actor))
        judge = f"DJ Matrix ({actor})"
        body = {"kind": "other", "date": m.world.today.isoformat(), "time": "14:00"}
        _court_write(
            m,
            "court_api:case-hearings",
            actor,
            x.RECORDS_HEARINGS,
            "post",
            path,
            {**body, "judge_name": judge},
            lambda judge=judge: Hearing.objects.filter(case=case, judge_name=judge).exists(),
            x.CREATED,
        )


def walk_api_hearing(m: Matrix) -> None:
    path = f"/api/v1/hearings/{m.world.hearing().pk}/"
    walk_reads(m, "court_api:hearing", path, _reads_case_api, api=True)


def _walk_hearing_action(
    m: Matrix, route: str, action: str, body: dict[str, Any], start: str, done: Callable
) -> None:
    """An action on a hearing: each actor who may do it on a hearing of their own, the
    others on a shared one."""
    for actor in ACTORS:
        permitted = _permitted(actor, x.RECORDS_HEARINGS)
        hearing = m.world.hearing(start, shared=not permitted)
        path = f"/api/v1/hearings/{hearing.pk}/{action}/"
        _court_write(
            m,
            route,
            actor,
            x.RECORDS_HEARINGS,
            "post",
            path,
            body,
            lambda hearing=hearing: done(Hearing.objects.get(pk=hearing.pk)),
        )


def walk_api_hearing_hold(m: Matrix) -> None:
    _walk_hearing_action(
        m,
        "court_api:hearing-hold",
        "hold",
        {"orders_made": ["directions_only"]},
        "listed",
        lambda h: h.status == "held",
    )


def walk_api_hearing_adjourn(m: Matrix) -> None:
    _walk_hearing_action(
        m,
        "court_api:hearing-adjourn",
        "adjourn",
        {"reason_code": "LA1"},
        "listed",
        lambda h: h.status == "adjourned",
    )


def walk_api_hearing_vacate(m: Matrix) -> None:
    _walk_hearing_action(
        m,
        "court_api:hearing-vacate",
        "vacate",
        {"reason_code": "HM1"},
        "listed",
        lambda h: h.status == "vacated",
    )


def walk_api_hearing_draft_order_sent(m: Matrix) -> None:
    today = m.world.today
    _walk_hearing_action(
        m,
        "court_api:hearing-draft-order-sent",
        "draft-order-sent",
        {"sent_on": today.isoformat()},
        "held",
        lambda h: h.draft_order_sent_on == today,
    )


def walk_api_case_directions(m: Matrix) -> None:
    case = m.world.court_case()
    path = f"/api/v1/cases/{case.pk}/directions/"
    due = (m.world.today + dt.timedelta(days=21)).isoformat()
    for actor in ACTORS:
        Probe(m, "court_api:case-directions", actor, api=True).get(path, _reads_case_api(actor))
        text = f"The guardian files an analysis ({actor})."
        _court_write(
            m,
            "court_api:case-directions",
            actor,
            x.KEEPS_COURT_RECORD,
            "post",
            path,
            {"text": text, "party": "guardian", "due_on": due},
            lambda text=text: Direction.objects.filter(case=case, text=text).exists(),
            x.CREATED,
        )


def walk_api_case_standard_directions(m: Matrix) -> None:
    case = m.world.court_case()
    path = f"/api/v1/cases/{case.pk}/directions/standard/"
    standard = StandardDirection.objects.filter(active=True).order_by("pk").first()
    for actor in ACTORS:
        probe = Probe(m, "court_api:case-standard-directions", actor, api=True)
        probe.get(path, _reads_case_api(actor))
        before = Direction.objects.filter(case=case).count()
        _court_write(
            m,
            "court_api:case-standard-directions",
            actor,
            x.KEEPS_COURT_RECORD,
            "post",
            path,
            {"standard": [{"id": standard.pk}]},
            lambda before=before: Direction.objects.filter(case=case).count() == before + 1,
            x.CREATED,
        )


def walk_api_direction(m: Matrix) -> None:
    for actor in ACTORS:
        permitted = _permitted(actor, x.UPDATES_OWN_DIRECTION)
        direction = m.world.direction(shared=not permitted)
        _court_write(
            m,
            "court_api:direction",
            actor,
            x.UPDATES_OWN_DIRECTION,
            "patch",
            f"/api/v1/directions/{direction.pk}/",
            {"status": "not_needed"},
            lambda direction=direction: (
                Direction.objects.get(pk=direction.pk).status == "not_needed"
            ),
        )


def walk_api_case_experts(m: Matrix) -> None:
    case = m.world.court_case()
    path = f"/api/v1/cases/{case.pk}/experts/"
    for actor in ACTORS:
        Probe(m, "court_api:case-experts", actor, api=True).get(path, _reads_case_api(actor))
        expert = f"Matrix Laboratories ({actor})"
        _court_write(
            m,
            "court_api:case-experts",
            actor,
            x.KEEPS_COURT_RECORD,
            "post",
            path,
            {"assessment_type": "dna", "expert": expert},
            lambda expert=expert: ExpertAssessment.objects.filter(
                case=case, expert=expert
            ).exists(),
            x.CREATED,
        )


def walk_api_expert(m: Matrix) -> None:
    expert = m.world.expert()
    for actor in ACTORS:
        name = f"Dr Rowan ({actor})"
        _court_write(
            m,
            "court_api:expert",
            actor,
            x.KEEPS_COURT_RECORD,
            "patch",
            f"/api/v1/experts/{expert.pk}/",
            {"expert": name},
            lambda name=name: ExpertAssessment.objects.filter(pk=expert.pk, expert=name).exists(),
        )


def walk_api_timetable(m: Matrix) -> None:
    path = f"/api/v1/cases/{m.world.court_case().pk}/timetable/"
    walk_reads(m, "court_api:timetable", path, _reads_case_api, api=True)


def walk_api_timetable_extensions(m: Matrix) -> None:
    case = m.world.court_case()
    path = f"/api/v1/cases/{case.pk}/timetable/extensions/"
    for actor in ACTORS:
        reasons = f"The assessment is late ({actor})."
        body = {
            "weeks": 1,
            "reasons": reasons,
            "judge_name": "HHJ Matrix",
            "decided_on": m.world.today.isoformat(),
        }
        _court_write(
            m,
            "court_api:timetable-extensions",
            actor,
            x.KEEPS_COURT_RECORD,
            "post",
            path,
            body,
            lambda reasons=reasons: TimetableExtension.objects.filter(
                case=case, reasons=reasons
            ).exists(),
            x.CREATED,
        )


def walk_api_child_joined(m: Matrix) -> None:
    case = m.world.court_case()
    child = case.children.order_by("pk").first()
    path = f"/api/v1/cases/{case.pk}/children/{child.pk}/joined/"
    for actor in ACTORS:
        day = m.world.today - dt.timedelta(days=ACTORS.index(actor))
        _court_write(
            m,
            "court_api:child-joined",
            actor,
            x.KEEPS_COURT_RECORD,
            "post",
            path,
            {"issued_on": day.isoformat()},
            lambda day=day: ChildTimetable.objects.filter(child=child, issued_on=day).exists(),
        )


# --- the court record (pages) ----------------------------------------------------------------


def _record_url(case: Case) -> x.Answer:
    """Where a court record form goes once it has done its work: back to the record."""
    return x.Answer(302, f"/cases/{case.pk}/court/record/")


def _walk_court_form(
    m: Matrix,
    route: str,
    allowed: frozenset[str],
    path_for: Callable[[str], str],
    body_for: Callable[[str], dict[str, Any]],
    done: Callable[[str], bool],
) -> None:
    """A form of the court case's record for every actor: its page, then the change sent
    as the form sends it (with the case's current version), which must be done exactly
    when the actor may make it; a refused one leaves the case as it was. `path_for` may
    give those allowed a hearing or direction of their own (an outcome is recorded once)."""
    for actor in ACTORS:
        probe = Probe(m, route, actor, allowed)
        path = path_for(actor)
        probe.get(path, probe.on_case())
        case = m.world.court_case()
        body = {"version": str(case.version), **body_for(actor)}
        if probe.send("post", path, body, probe.on_case(_record_url(case))):
            did = done(actor)
            probe.done_if_allowed(did, f"done is {did}")
            if actor not in allowed:
                probe.unchanged(case)


def walk_court_record(m: Matrix) -> None:
    """Whoever reads the case reads its court record; before the decision to issue it says
    there is none yet."""
    for where, case in (
        ("pre_proceedings", m.world.case("pre_proceedings")),
        ("proceedings", m.world.court_case()),
    ):
        path = f"/cases/{case.pk}/court/record/"
        walk_reads(m, "court:record", path, _reads_case, note=f" ({where})")


def walk_court_proceedings_edit(m: Matrix) -> None:
    case = m.world.court_case()
    _walk_court_form(
        m,
        "court:proceedings_edit",
        x.KEEPS_COURT_RECORD,
        lambda actor: f"/cases/{case.pk}/court/proceedings/",
        lambda actor: {
            "case_number": Case.objects.get(pk=case.pk).court_reference,
            "judge_name": f"HHJ Page ({actor})",
        },
        lambda actor: Proceedings.objects.filter(
            case=case, judge_name=f"HHJ Page ({actor})"
        ).exists(),
    )


def walk_court_party_edit(m: Matrix) -> None:
    case = m.world.court_case()
    adult = case.adults.order_by("pk").first()
    _walk_court_form(
        m,
        "court:party_edit",
        x.KEEPS_COURT_RECORD,
        lambda actor: f"/cases/{case.pk}/court/parties/{adult.pk}/",
        lambda actor: {"represented": "yes", "firm": f"Page & Co ({actor})"},
        lambda actor: Representation.objects.filter(
            adult=adult, represented=True, firm=f"Page & Co ({actor})"
        ).exists(),
    )


def walk_court_hearing_list(m: Matrix) -> None:
    case = m.world.court_case()
    _walk_court_form(
        m,
        "court:hearing_list",
        x.RECORDS_HEARINGS,
        lambda actor: f"/cases/{case.pk}/court/hearings/new/",
        lambda actor: {
            "kind": "other",
            "date": _dmy(m.world.today),
            "time": "15:30",
            "mode": "remote",
            "judge_name": f"DJ Page ({actor})",
        },
        lambda actor: Hearing.objects.filter(case=case, judge_name=f"DJ Page ({actor})").exists(),
    )


def _walk_hearing_form(
    m: Matrix,
    route: str,
    action: str,
    start: str,
    body: dict[str, Any],
    done: Callable[[Hearing], bool],
) -> None:
    """A form on a hearing: each actor who may use it on a hearing of their own, the
    others on a shared one (which must stay as it was)."""
    hearings: dict[str, Hearing] = {}

    def path_for(actor: str) -> str:
        permitted = _permitted(actor, x.RECORDS_HEARINGS)
        hearings[actor] = m.world.hearing(start, shared=not permitted)
        return f"/cases/court/hearings/{hearings[actor].pk}/{action}/"

    _walk_court_form(
        m,
        route,
        x.RECORDS_HEARINGS,
        path_for,
        lambda actor: body,
        lambda actor: done(Hearing.objects.get(pk=hearings[actor].pk)),
    )


def walk_court_hearing_hold(m: Matrix) -> None:
    _walk_hearing_form(
        m,
        "court:hearing_hold",
        "held",
        "listed",
        {"orders_made": ["directions_only"], "draft_order_by": "council"},
        lambda h: h.status == "held" and h.orders_made == ["directions_only"],
    )


def walk_court_hearing_adjourn(m: Matrix) -> None:
    _walk_hearing_form(
        m,
        "court:hearing_adjourn",
        "adjourned",
        "listed",
        {"reason_code": "LA1", "reason_text": "The report was late."},
        lambda h: h.status == "adjourned" and h.reason_code == "LA1",
    )


def walk_court_hearing_vacate(m: Matrix) -> None:
    _walk_hearing_form(
        m,
        "court:hearing_vacate",
        "vacated",
        "listed",
        {"reason_code": "HM1"},
        lambda h: h.status == "vacated" and h.reason_code == "HM1",
    )


def walk_court_draft_order_sent(m: Matrix) -> None:
    today = m.world.today
    _walk_hearing_form(
        m,
        "court:draft_order_sent",
        "draft-order-sent",
        "held",
        {"sent_on": _dmy(today)},
        lambda h: h.draft_order_sent_on == today,
    )


def walk_court_direction_add(m: Matrix) -> None:
    case = m.world.court_case()
    due = _dmy(m.world.today + dt.timedelta(days=28))
    _walk_court_form(
        m,
        "court:direction_add",
        x.KEEPS_COURT_RECORD,
        lambda actor: f"/cases/{case.pk}/court/directions/new/",
        lambda actor: {
            "text": f"The guardian files a position statement ({actor}).",
            "party": "guardian",
            "due_on": due,
        },
        lambda actor: Direction.objects.filter(
            case=case, text=f"The guardian files a position statement ({actor})."
        ).exists(),
    )


def walk_court_standard_directions_add(m: Matrix) -> None:
    case = m.world.court_case()
    standard = StandardDirection.objects.filter(active=True).order_by("pk").first()
    assert standard is not None, "no standard direction to add"
    counts: dict[str, int] = {}

    def body_for(actor: str) -> dict[str, Any]:
        counts[actor] = Direction.objects.filter(case=case).count()
        return {f"standard_{standard.pk}": "on"}

    _walk_court_form(
        m,
        "court:standard_directions_add",
        x.KEEPS_COURT_RECORD,
        lambda actor: f"/cases/{case.pk}/court/directions/standard/",
        body_for,
        lambda actor: Direction.objects.filter(case=case).count() == counts[actor] + 1,
    )


def walk_court_direction_update(m: Matrix) -> None:
    """The legal team and the direction's owner (team A's social worker), each on a
    direction of their own; the others on a shared one."""
    directions: dict[str, Direction] = {}
    owner = m.world.users[x.SW].pk

    def path_for(actor: str) -> str:
        permitted = _permitted(actor, x.UPDATES_OWN_DIRECTION)
        directions[actor] = m.world.direction(shared=not permitted)
        return f"/cases/court/directions/{directions[actor].pk}/"

    _walk_court_form(
        m,
        "court:direction_update",
        x.UPDATES_OWN_DIRECTION,
        path_for,
        # The owner stays team A's social worker (the legal team's form can change it).
        lambda actor: {"status": "filed", "filed_on": _dmy(m.world.today), "owner": str(owner)},
        lambda actor: Direction.objects.get(pk=directions[actor].pk).filed_on == m.world.today,
    )


def walk_court_expert_add(m: Matrix) -> None:
    case = m.world.court_case()
    _walk_court_form(
        m,
        "court:expert_add",
        x.KEEPS_COURT_RECORD,
        lambda actor: f"/cases/{case.pk}/court/experts/new/",
        lambda actor: {"assessment_type": "dna", "expert": f"Page Laboratories ({actor})"},
        lambda actor: ExpertAssessment.objects.filter(
            case=case, expert=f"Page Laboratories ({actor})"
        ).exists(),
    )


def walk_court_expert_edit(m: Matrix) -> None:
    expert = m.world.expert()
    _walk_court_form(
        m,
        "court:expert_edit",
        x.KEEPS_COURT_RECORD,
        lambda actor: f"/cases/court/experts/{expert.pk}/",
        lambda actor: {"assessment_type": "parenting", "expert": f"Dr Page ({actor})"},
        lambda actor: ExpertAssessment.objects.filter(
            pk=expert.pk, expert=f"Dr Page ({actor})"
        ).exists(),
    )


def walk_court_timetable_extend(m: Matrix) -> None:
    case = m.world.court_case()
    _walk_court_form(
        m,
        "court:timetable_extend",
        x.KEEPS_COURT_RECORD,
        lambda actor: f"/cases/{case.pk}/court/timetable/extension/",
        lambda actor: {
            "weeks": "2",
            "reasons": f"The expert's report is late ({actor}).",
            "judge_name": "HHJ Page",
            "decided_on": _dmy(m.world.today),
        },
        lambda actor: TimetableExtension.objects.filter(
            case=case, reasons=f"The expert's report is late ({actor}).", weeks=2
        ).exists(),
    )


def walk_court_child_joined(m: Matrix) -> None:
    case = m.world.court_case()
    child = case.children.order_by("pk").first()

    def day(actor: str) -> dt.date:
        # A day of each actor's own (and none the API's walk used), so that one actor's
        # change is not taken for another's.
        return m.world.today - dt.timedelta(days=10 + ACTORS.index(actor))

    _walk_court_form(
        m,
        "court:child_joined",
        x.KEEPS_COURT_RECORD,
        lambda actor: f"/cases/{case.pk}/court/timetable/{child.pk}/joined/",
        lambda actor: {"issued_on": _dmy(day(actor))},
        lambda actor: ChildTimetable.objects.filter(child=child, issued_on=day(actor)).exists(),
    )


# --- the court diary and My cases ------------------------------------------------------------


def _diary_queries(m: Matrix) -> list[tuple[str, str]]:
    """The week (the default), a day filtered by team A, and the week with the adjourned and
    vacated hearings: each lists team A's court case (a hearing today) to those who may
    read it."""
    team = m.world.staff.team.code
    return [
        ("", "the week"),
        (f"?view=day&date={m.world.today.isoformat()}&team={team}", "a day of team A"),
        ("?view=week&cancelled=on", "the week with cancelled hearings"),
    ]


def _walk_diary_page(m: Matrix, route: str, path: str, *, not_their_team: x.Answer = x.OK) -> None:
    """`not_their_team`: the answer to team B's manager filtering by team A, a team they
    cannot choose (a page shows the error on its form; a download has no form to show it
    on, and is refused as bad input)."""
    m.world.hearing("listed")  # a hearing today on the court case
    listed = m.world.court_case()
    for query, note in _diary_queries(m):
        for actor in ACTORS:
            probe = Probe(m, route, actor, x.DIARY_USERS)
            expected = probe.page()
            if actor == x.TM_B and "team=" in query:
                expected = not_their_team
            response = probe.get(f"{path}{query}", expected, f" ({note})")
            m.lists(f"GET {path}{query}", actor, response, listed, shown=actor in x.CASE_READERS)


def walk_court_diary(m: Matrix) -> None:
    _walk_diary_page(m, "court_diary:diary", "/court/diary/")


def walk_court_diary_print(m: Matrix) -> None:
    _walk_diary_page(m, "court_diary:diary_print", "/court/diary/print/")


def walk_court_diary_csv(m: Matrix) -> None:
    _walk_diary_page(
        m, "court_diary:diary_csv", "/court/diary/export.csv", not_their_team=x.INVALID
    )


def walk_court_diary_xlsx(m: Matrix) -> None:
    # A zipped workbook: the reference cannot be read in its bytes, so only the answer.
    m.world.hearing("listed")
    path = "/court/diary/export.xlsx"
    walk_reads(m, "court_diary:diary_xlsx", path, lambda actor: x.page(actor, x.DIARY_USERS))


def walk_my_cases(m: Matrix) -> None:
    """A lawyer's allocated open cases: the legal team's page; a case allocated to the
    lawyer is listed to them."""
    listed = m.world.case("proceedings", "my_cases")
    lawyer = m.world.users[x.LEGAL]
    assert lawyer is not None
    if listed.allocated_lawyer_id != lawyer.pk:
        case_services.case_allocate_lawyer(
            case_id=listed.pk, actor=m.world.users[x.HOS], data={"allocated_lawyer": lawyer.pk}
        )
    for actor in ACTORS:
        probe = Probe(m, "court_diary:my_cases", actor, x.MY_CASES_USERS)
        response = probe.get("/court/my-cases/", probe.page())
        m.lists("GET /court/my-cases/", actor, response, listed, shown=actor == x.LEGAL)


def _walk_case_section(m: Matrix, route: str, section: str) -> None:
    """A section of the case page, read like its Overview (cases at three stages)."""
    for where in ("concern", "pre_proceedings", "proceedings"):
        case = m.world.case(where)
        walk_reads(m, route, f"/cases/{case.pk}/{section}/", _reads_case, note=f" ({where})")


def walk_case_people(m: Matrix) -> None:
    _walk_case_section(m, "casework:case_people", "people")


def walk_case_deadlines(m: Matrix) -> None:
    _walk_case_section(m, "casework:case_deadlines", "deadlines")


def walk_case_events(m: Matrix) -> None:
    _walk_case_section(m, "casework:case_events", "events")


def walk_case_section_letters(m: Matrix) -> None:
    _walk_case_section(m, "casework:case_letters", "letters")


def walk_case_court(m: Matrix) -> None:
    _walk_case_section(m, "casework:case_court", "court")


def walk_application_pack(m: Matrix) -> None:
    """Whoever reads the case; before the decision to issue it is a sentence saying so."""
    for where in ("concern", "issue"):
        case = m.world.case(where)
        path = f"/cases/{case.pk}/application-pack/"
        walk_reads(m, "court_pack:application_pack", path, _reads_case, note=f" ({where})")


def walk_application_pack_pdf(m: Matrix) -> None:
    # A case before the decision to issue: each reader is told so (400), and no LibreOffice
    # runs; the PDF itself is tested in tests/court/test_pack.py.
    case = m.world.case("concern")
    walk_reads(
        m,
        "court_pack:application_pack_pdf",
        f"/cases/{case.pk}/application-pack.pdf",
        lambda actor: x.on_case(actor, x.CASE_READERS, x.INVALID),
        note=" (concern)",
    )


def walk_case_history(m: Matrix) -> None:
    _walk_case_section(m, "casework:case_history", "history")
    case = m.world.case("pre_proceedings")
    walk_reads(m, "casework:case_history", f"/cases/{case.pk}/history/?page=2", _reads_case)


# --- audit: restricted records, retention, subject access ---------------------------------


def walk_restrictions(m: Matrix) -> None:
    walk_reads(
        m,
        "audit:restrictions",
        "/audit/restrictions/",
        lambda actor: x.page(actor, x.MANAGES_RESTRICTIONS),
    )


def walk_restriction_find(m: Matrix) -> None:
    case = m.world.case("concern")
    walk_reads(
        m,
        "audit:restriction_find",
        f"/audit/restrictions/find/?case={case.pk}",
        lambda actor: x.page(
            actor, x.MANAGES_RESTRICTIONS, x.Answer(302, f"/audit/restrictions/{case.pk}/")
        ),
    )


def _restricted(m: Matrix) -> tuple[Case, CaseRestriction]:
    """A team A case restricted to its team manager (and the head of service doing it)."""
    case = m.world.fresh("concern")
    restriction = audit_services.case_restrict(
        case_id=case.pk,
        actor=m.world.users[x.HOS],
        reason="A parent works in children's services.",
        named_user_ids=[m.world.users[x.TM].pk],
    )
    return case, restriction


def walk_restriction(m: Matrix) -> None:
    for actor in ACTORS:
        probe = Probe(m, "audit:restriction", actor, x.MANAGES_RESTRICTIONS)
        case = m.world.fresh("concern")
        path = f"/audit/restrictions/{case.pk}/"
        probe.get(path, probe.page())
        data = {"reason": f"A parent works here ({actor}).", "people": [m.world.users[x.TM].pk]}
        if probe.send("post", path, data, probe.page(x.Answer(302, path))):
            restricted = CaseRestriction.objects.filter(case=case).exists()
            probe.done_if_allowed(restricted, f"restricted is {restricted}")


def walk_restriction_name(m: Matrix) -> None:
    for actor in ACTORS:
        probe = Probe(m, "audit:restriction_name", actor, x.MANAGES_RESTRICTIONS)
        case, restriction = _restricted(m)
        path = f"/audit/restrictions/{case.pk}/name/"
        probe.get(path, x.post_only(actor))
        named = m.world.users[x.LEGAL]
        expected = probe.page(x.Answer(302, f"/audit/restrictions/{case.pk}/"))
        if probe.send("post", path, {"user": named.pk}, expected):
            done = restriction.access.filter(user=named).exists()
            probe.done_if_allowed(done, f"named is {done}")


def walk_restriction_remove(m: Matrix) -> None:
    for actor in ACTORS:
        probe = Probe(m, "audit:restriction_remove", actor, x.MANAGES_RESTRICTIONS)
        case, restriction = _restricted(m)
        named = m.world.users[x.TM]
        path = f"/audit/restrictions/{case.pk}/remove/{named.pk}/"
        probe.get(path, x.post_only(actor))
        expected = probe.page(x.Answer(302, f"/audit/restrictions/{case.pk}/"))
        if probe.send("post", path, {}, expected):
            still = restriction.access.filter(user=named).exists()
            probe.done_if_allowed(not still, f"still named is {still}")


def walk_restriction_lift(m: Matrix) -> None:
    for actor in ACTORS:
        probe = Probe(m, "audit:restriction_lift", actor, x.MANAGES_RESTRICTIONS)
        case, _ = _restricted(m)
        path = f"/audit/restrictions/{case.pk}/lift/"
        probe.get(path, x.post_only(actor))
        expected = probe.page(x.Answer(302, f"/audit/restrictions/{case.pk}/"))
        if probe.send("post", path, {"reason": "The parent has left."}, expected):
            lifted = not CaseRestriction.objects.filter(case=case).exists()
            probe.done_if_allowed(lifted, f"lifted is {lifted}")


def walk_retention(m: Matrix) -> None:
    walk_reads(
        m, "audit:retention", "/audit/retention/", lambda actor: x.page(actor, x.REVIEWS_RETENTION)
    )


def walk_retention_decide(m: Matrix) -> None:
    # With a period of 0 years every closed case is due for review today.
    with override_settings(RETENTION_YEARS_AFTER_CLOSURE=0):
        for actor in ACTORS:
            probe = Probe(m, "audit:retention_decide", actor, x.REVIEWS_RETENTION)
            case = case_at(Stage.CLOSED, m.world.staff)
            path = f"/audit/retention/{case.pk}/"
            probe.get(path, probe.page())
            data = {"decision": "destroy", "reasons": "Past the retention period."}
            if probe.send("post", path, data, probe.page(x.Answer(302, "/audit/retention/"))):
                decided = RetentionDecision.objects.filter(case=case).exists()
                probe.done_if_allowed(decided, f"decided is {decided}")


def _search_form(case: Case) -> dict[str, str]:
    child = case.children.order_by("pk").first()
    return {"first_name": child.first_name, "last_name": child.last_name}


def walk_subject_access(m: Matrix) -> None:
    case = m.world.case("concern")
    child = case.children.order_by("pk").first()
    path = "/audit/subject-access/"
    for actor in ACTORS:
        probe = Probe(m, "audit:subject_access", actor, x.HANDLES_SUBJECT_ACCESS)
        probe.get(path, probe.page())
        if probe.send("post", path, _search_form(case), probe.page()) and (
            actor in probe.allowed and f"child:{child.pk}" not in probe.response.content.decode()
        ):
            probe.mismatch("the child was not found")


def walk_subject_access_export(m: Matrix) -> None:
    case = m.world.case("concern")
    child = case.children.order_by("pk").first()
    path = "/audit/subject-access/export/"
    for actor in ACTORS:
        probe = Probe(m, "audit:subject_access_export", actor, x.HANDLES_SUBJECT_ACCESS)
        probe.get(path, x.post_only(actor))
        found = [f"child:{child.pk}"]
        user = m.world.users[actor]
        search = audit_forms.search_sign(user=user, keys=found) if user is not None else ""
        if probe.send("post", path, {"people": found, "search": search}, probe.page()) and (
            actor in probe.allowed and case.reference not in probe.response.content.decode()
        ):
            probe.mismatch("the export misses the case")


# --- sign-in security and operations (docs/security.md) -------------------------------


def walk_healthz(m: Matrix) -> None:
    """The load balancer's check: open to all, no sign-in, GET only."""
    for actor in ACTORS:
        client = m.world.web(actor)
        m.answer("security:healthz", "GET /healthz", actor, x.OK, client.get("/healthz"))
        m.answer("security:healthz", "POST /healthz", actor, x.NOT_ALLOWED, client.post("/healthz"))


def walk_two_factor_setup(m: Matrix) -> None:
    """Anyone signed in may set up an authenticator app; a right code turns it on."""
    import pyotp

    from legaltracker.security.models import TotpDevice

    path = "/account/two-step-verification/"
    for actor in ACTORS:
        client = m.world.web(actor, new=True)
        signed_in = x.page(actor, frozenset(ACTORS))
        m.answer("security:two_factor_setup", f"GET {path}", actor, signed_in, client.get(path))
        user = m.world.users[actor]
        code = "000000"
        if user is not None:
            code = pyotp.TOTP(TotpDevice.objects.get(user=user).secret).now()
        expected = x.Answer(302, "/") if user is not None else x.TO_SIGN_IN
        m.answer(
            "security:two_factor_setup",
            f"POST {path} with the right code",
            actor,
            expected,
            client.post(path, {"code": code}),
        )
    TotpDevice.objects.all().delete()


def walk_two_factor_verify(m: Matrix) -> None:
    """The code page after the password; without an authenticator app it sends people to
    set one up."""
    from legaltracker.security.models import TotpDevice

    TotpDevice.objects.all().delete()
    path = "/sign-in/code/"
    for actor in ACTORS:
        client = m.world.web(actor, new=True)
        expected = (
            x.TO_SIGN_IN
            if m.world.users[actor] is None
            else x.Answer(302, "/account/two-step-verification/")
        )
        m.answer("security:two_factor_verify", f"GET {path}", actor, expected, client.get(path))


def walk_api_tokens(m: Matrix) -> None:
    """Everyone signed in lists and makes their own API tokens (docs/security.md)."""
    path = "/account/api-tokens/"
    for actor in ACTORS:
        probe = Probe(m, "api_tokens:list", actor, x.EVERYONE_SIGNED_IN)
        probe.get(path, probe.page())
        if probe.send("post", path, {"name": "matrix"}, probe.page()) and (
            actor in probe.allowed and "Copy the key now" not in probe.response.content.decode()
        ):
            probe.mismatch("no key shown")


def walk_api_token_revoke(m: Matrix) -> None:
    """An owner revokes their own token; anyone else's is not found."""
    from legaltracker.api.models import ApiToken
    from legaltracker.api.tokens import token_issue

    owner = m.world.users[x.LEGAL]
    for actor in ACTORS:
        token, _ = token_issue(user=owner, name="matrix")
        path = f"/account/api-tokens/{token.pk}/revoke/"
        probe = Probe(m, "api_tokens:revoke", actor, frozenset({x.LEGAL}))
        probe.get(path, x.post_only(actor))
        if actor == x.LEGAL:
            expected = x.Answer(302, "/account/api-tokens/")
        else:  # another's token is not there for them
            expected = x.TO_SIGN_IN if actor == ANON else x.NOT_FOUND
        if probe.send("post", path, {}, expected):
            revoked = ApiToken.objects.get(pk=token.pk).revoked_at is not None
            if revoked != (actor == x.LEGAL):
                probe.mismatch("revoked by someone else" if revoked else "not revoked")


# --- passwords (docs/security.md, "Changing and resetting a password") -------------------


def walk_password_change(m: Matrix) -> None:
    """Everyone signed in changes their own password (here to the same one, so that the
    other walks still sign in with it)."""
    path = "/account/password/"
    data = {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    for actor in ACTORS:
        probe = Probe(m, "web:password_change", actor, x.EVERYONE_SIGNED_IN)
        probe.get(path, probe.page())
        client = m.world.web(actor, new=True)
        response = client.post(path, data)
        m.answer(
            "web:password_change", f"POST {path}", actor, probe.page(x.Answer(302, "/")), response
        )
        # The change ended the actor's other sessions: later walks sign in afresh.
        m.world._clients.pop(("web", actor), None)


def walk_password_reset(m: Matrix) -> None:
    """Asking for a reset email: the same answer for everyone, whatever the address."""
    path = "/sign-in/forgotten-password/"
    sent = x.Answer(302, "/sign-in/forgotten-password/sent/")
    for n, actor in enumerate(ACTORS):
        client = m.world.web(actor, new=True)
        m.answer("web:password_reset", f"GET {path}", actor, x.OK, client.get(path))
        email = "nobody@example.invalid" if n % 2 else "someone@example.org"
        # One address each, so that the per-address limit is not what answers.
        response = client.post(path, {"email": email}, REMOTE_ADDR=f"192.0.2.{n + 1}")
        m.answer("web:password_reset", f"POST {path} ({email})", actor, sent, response)


def walk_password_reset_sent(m: Matrix) -> None:
    path = "/sign-in/forgotten-password/sent/"
    for actor in ACTORS:
        m.answer(
            "web:password_reset_sent", f"GET {path}", actor, x.OK, m.world.web(actor).get(path)
        )
        response = m.world.web(actor).post(path)
        m.answer("web:password_reset_sent", f"POST {path}", actor, x.NOT_ALLOWED, response)


def walk_password_reset_confirm(m: Matrix) -> None:
    """A reset link works for whoever holds it (signed in or not) and sets the password
    of its own account only; a forged one is a page saying it does not work."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from tests.factories import UserFactory

    target = UserFactory(username="reset-target", email="reset-target@example.org")
    uid = urlsafe_base64_encode(force_bytes(target.pk))
    for actor in ACTORS:
        client = m.world.web(actor, new=True)
        forged = f"/sign-in/reset/{uid}/not-a-token/"
        m.answer("web:password_reset_confirm", f"GET {forged}", actor, x.OK, client.get(forged))
        target.refresh_from_db()
        link = f"/sign-in/reset/{uid}/{default_token_generator.make_token(target)}/"
        form = f"/sign-in/reset/{uid}/set-password/"
        opened = client.get(link)
        m.answer(
            "web:password_reset_confirm", "GET a reset link", actor, x.Answer(302, form), opened
        )
        new = f"A new invented password {actor}"
        response = client.post(form, {"new_password1": new, "new_password2": new})
        done = m.answer(
            "web:password_reset_confirm",
            f"POST {form}",
            actor,
            x.Answer(302, "/sign-in/"),
            response,
        )
        target.refresh_from_db()
        if done and not target.check_password(new):
            m.mismatches.append(f"POST {form} as {actor}: the password was not set")
        m.world._clients.pop(("web", actor), None)  # a signed-in actor was signed out


# Importing a council's tracker is for heads of service (docs/imports.md).
IMPORTS_CASES = frozenset({x.HOS})


def _tracker_csv(m: Matrix, reference: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    worker = m.world.users[x.SW]
    sheet = (
        "Reference,Team,Social worker,Opened on,Child last name,Stage\n"
        f"{reference},{worker.team.code},{worker.username},02/02/2026,Matrixcase,concern\n"
    )
    return SimpleUploadedFile("tracker.csv", sheet.encode())


def walk_imports_upload(m: Matrix) -> None:
    """The check writes nothing for anyone; the import opens a case for a head of service
    alone."""
    for actor in ACTORS:
        probe = Probe(m, "imports:upload", actor, IMPORTS_CASES)
        probe.get("/imports/", probe.page())
        before = Case.objects.count()
        data = {"file": _tracker_csv(m, f"MATRIX-{actor}"), "action": "check"}
        checked = probe.send("post", "/imports/", data, probe.page(), " (check)")
        if checked and Case.objects.count() != before:
            probe.mismatch("the check wrote a case")
        data = {"file": _tracker_csv(m, f"MATRIX-{actor}"), "action": "import"}
        if probe.send("post", "/imports/", data, probe.page(), " (import)"):
            probe.done_if_allowed(Case.objects.count() == before + 1, "case opened or not")


def walk_imports_template(m: Matrix) -> None:
    walk_reads(m, "imports:template", "/imports/template.xlsx", lambda a: x.page(a, IMPORTS_CASES))


CENSUS_USERS = x.CENSUS_USERS


def walk_census_return(m: Matrix) -> None:
    """`/census/` goes to the year's return; the page lists the return's findings."""
    year = m.world.today.year if m.world.today.month > 3 else m.world.today.year - 1
    for actor in ACTORS:
        probe = Probe(m, "census:return", actor, CENSUS_USERS)
        probe.get("/census/", probe.page(x.Answer(302, f"/census/{year}/")))
        probe.get(f"/census/{year}/", probe.page())


def walk_census_xml(m: Matrix) -> None:
    walk_reads(m, "census:xml", "/census/2026/return.xml", lambda a: x.page(a, CENSUS_USERS))


def _walk_census_export(m: Matrix, route: str, path: str) -> None:
    for actor in ACTORS:
        probe = Probe(m, route, actor, CENSUS_USERS)
        before = ExportJob.objects.count()
        probe.send("post", path, {}, probe.page(x.Answer(302, "/exports/")))
        probe.done_if_allowed(ExportJob.objects.count() == before + 1, "export asked for or not")
        if ExportJob.objects.count() > before:
            # Made now, so that it does not count against the person's later exports.
            export_services.export_build(job_id=ExportJob.objects.latest("id").pk)


def walk_census_export_csv(m: Matrix) -> None:
    _walk_census_export(m, "census:export_csv", "/census/2026/export.csv")


def walk_census_export_xlsx(m: Matrix) -> None:
    _walk_census_export(m, "census:export_xlsx", "/census/2026/export.xlsx")


def walk_api_census(m: Matrix) -> None:
    walk_reads(
        m,
        "census_api:return",
        "/api/v1/census/2026/",
        lambda a: x.api(a, CENSUS_USERS),
        api=True,
    )


# Every URL pattern (by name) and the walk that covers it for every actor.
WALKS: dict[str, Callable[[Matrix], None]] = {
    "web:home": walk_home,
    "web:sign_in": walk_sign_in,
    "web:sign_out": walk_sign_out,
    "web:my_work": walk_my_work,
    "find:search": walk_find_search,
    "find:team": walk_team_cases,
    "web:reports": walk_reports,
    "web:approvals": walk_approvals,
    "performance:reports": walk_performance,
    "performance:export_csv": walk_performance_csv,
    "performance:export_xlsx": walk_performance_xlsx,
    "board:board": walk_board,
    "board:export_csv": walk_export_csv,
    "board:export_xlsx": walk_export_xlsx,
    "inspection:list": walk_inspection_list,
    "inspection_api:list": walk_api_inspection_list,
    "exports:job": walk_export_job,
    "exports:download": walk_export_download,
    "exports:retry": walk_export_retry,
    "casework:case_create": walk_case_create,
    "casework:case_detail": walk_case_detail,
    "casework:transition": walk_transition,
    "casework:record_event": walk_record_event,
    "casework:correct_event": walk_correct_event,
    "casework:extension_request_create": walk_extension_request_create,
    "casework:extension_request": walk_extension_request,
    "casework:case_people": walk_case_people,
    "casework:case_deadlines": walk_case_deadlines,
    "casework:case_events": walk_case_events,
    "casework:case_letters": walk_case_section_letters,
    "casework:case_court": walk_case_court,
    "casework:case_history": walk_case_history,
    "api:schema": walk_api_schema,
    "api:cases": walk_api_cases,
    "api:case": walk_api_case,
    "api:case-history": walk_api_history,
    "api:case-transition": walk_api_transition,
    "api:case-events": walk_api_events,
    "api:event": walk_api_event,
    "board_api:board": walk_api_board,
    "performance_api:report": walk_api_performance,
    "letters:case_letters": walk_case_letters,
    "letters:expectation_create": walk_expectation_create,
    "letters:expectation_review": walk_expectation_review,
    "letters:expectation_edit": walk_expectation_edit,
    "letters:details_edit": walk_details_edit,
    "letters:letter_create": walk_letter_create,
    "letters:letter_detail": walk_letter_detail,
    "letters:letter_approve": walk_letter_approve,
    "letters:letter_plain_language_check": walk_letter_plain_language_check,
    "letters:letter_sent": walk_letter_sent,
    "letters:letter_download": walk_letter_download,
    "letters_api:case-expectations": walk_api_expectations,
    "letters_api:case-expectations-review": walk_api_expectations_review,
    "letters_api:expectation": walk_api_expectation,
    "letters_api:case-letter-details": walk_api_letter_details,
    "letters_api:case-letters": walk_api_case_letters,
    "letters_api:letter": walk_api_letter,
    "letters_api:letter-approve": walk_api_letter_approve,
    "letters_api:letter-plain-language-check": walk_api_letter_plain_language_check,
    "letters_api:letter-sent": walk_api_letter_sent,
    "letters_api:letter-download": walk_api_letter_download,
    "letters_api:letter-translation": walk_api_letter_translation,
    "letters:translation_attach": walk_translation_attach,
    "letters:translation_waive": walk_translation_waive,
    "api:adult-communication": walk_api_adult_communication,
    "alerts:list": walk_alerts_list,
    "alerts:mark_read": walk_alerts_mark_read,
    "alerts:dismiss_delivery": walk_alerts_dismiss,
    "alerts:retry_delivery": walk_alerts_retry,
    "alerts:settings": walk_alerts_settings,
    "alerts:calendar": walk_alerts_calendar,
    "alerts:calendar_feed": walk_alerts_calendar_feed,
    "audit:restrictions": walk_restrictions,
    "audit:restriction_find": walk_restriction_find,
    "audit:restriction": walk_restriction,
    "audit:restriction_name": walk_restriction_name,
    "audit:restriction_remove": walk_restriction_remove,
    "audit:restriction_lift": walk_restriction_lift,
    "audit:retention": walk_retention,
    "audit:retention_decide": walk_retention_decide,
    "audit:subject_access": walk_subject_access,
    "audit:subject_access_export": walk_subject_access_export,
    "security:healthz": walk_healthz,
    "security:two_factor_setup": walk_two_factor_setup,
    "security:two_factor_verify": walk_two_factor_verify,
    "api_tokens:list": walk_api_tokens,
    "api_tokens:revoke": walk_api_token_revoke,
    "imports:upload": walk_imports_upload,
    "imports:template": walk_imports_template,
    "census:return": walk_census_return,
    "census:xml": walk_census_xml,
    "census:export_csv": walk_census_export_csv,
    "census:export_xlsx": walk_census_export_xlsx,
    "census_api:return": walk_api_census,
    # These open cases of their own too (one per actor who may act): after the lists.
    "casework:day1_documents": walk_day1_documents,
    "casework:case_reassign": walk_case_reassign,
    "casework:case_allocate_lawyer": walk_case_allocate_lawyer,
    "api:case-lawyer": walk_api_case_lawyer,
    "court_api:court-centres": walk_api_court_centres,
    "court_api:hearing-reasons": walk_api_hearing_reasons,
    "court_api:proceedings": walk_api_proceedings,
    "court_api:representation": walk_api_representation,
    "court_api:case-hearings": walk_api_case_hearings,
    "court_api:hearing": walk_api_hearing,
    "court_api:hearing-hold": walk_api_hearing_hold,
    "court_api:hearing-adjourn": walk_api_hearing_adjourn,
    "court_api:hearing-vacate": walk_api_hearing_vacate,
    "court_api:hearing-draft-order-sent": walk_api_hearing_draft_order_sent,
    "court_api:case-directions": walk_api_case_directions,
    "court_api:case-standard-directions": walk_api_case_standard_directions,
    "court_api:direction": walk_api_direction,
    "court_api:case-experts": walk_api_case_experts,
    "court_api:expert": walk_api_expert,
    "court_api:timetable": walk_api_timetable,
    "court_api:timetable-extensions": walk_api_timetable_extensions,
    "court_api:child-joined": walk_api_child_joined,
    "court_pack:application_pack": walk_application_pack,
    "court_pack:application_pack_pdf": walk_application_pack_pdf,
    "court:record": walk_court_record,
    "court:proceedings_edit": walk_court_proceedings_edit,
    "court:party_edit": walk_court_party_edit,
    "court:hearing_list": walk_court_hearing_list,
    "court:hearing_hold": walk_court_hearing_hold,
    "court:hearing_adjourn": walk_court_hearing_adjourn,
    "court:hearing_vacate": walk_court_hearing_vacate,
    "court:draft_order_sent": walk_court_draft_order_sent,
    "court:direction_add": walk_court_direction_add,
    "court:standard_directions_add": walk_court_standard_directions_add,
    "court:direction_update": walk_court_direction_update,
    "court:expert_add": walk_court_expert_add,
    "court:expert_edit": walk_court_expert_edit,
    "court:timetable_extend": walk_court_timetable_extend,
    "court:child_joined": walk_court_child_joined,
    "court_diary:diary": walk_court_diary,
    "court_diary:diary_print": walk_court_diary_print,
    "court_diary:diary_csv": walk_court_diary_csv,
    "court_diary:diary_xlsx": walk_court_diary_xlsx,
    "court_diary:my_cases": walk_my_cases,
    "casework:person_add": walk_person_add,
    "casework:person_edit": walk_person_edit,
    "casework:child_born": walk_child_born,
    "web:password_reset": walk_password_reset,
    "web:password_reset_sent": walk_password_reset_sent,
    "web:password_reset_confirm": walk_password_reset_confirm,
    # Last: each change ends the actor's other sessions.
    "web:password_change": walk_password_change,
}


def matrix_routes() -> dict[str, str]:
    return {
        route.name: route.pattern
        for route in all_routes()
        if route.namespace not in EXCLUDED_NAMESPACES
    }


def api_operations() -> list[tuple[str, str]]:
    """(route name, method) of every operation in the OpenAPI schema."""
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        example = re.sub(r"\{[^}]+\}", "1", path)
        route = resolve(example).view_name
        operations += [(route, method.upper()) for method in methods]
    return sorted(operations)


def test_every_url_pattern_is_in_the_matrix():
    routes = matrix_routes()
    missing = sorted(set(routes) - set(WALKS))
    assert not missing, (
        "URL patterns with no entry in the access matrix (add a walk to WALKS in "
        f"tests/access/test_matrix.py and its expected answers): "
        f"{[(name, routes[name]) for name in missing]}"
    )
    gone = sorted(set(WALKS) - set(routes))
    assert not gone, f"the matrix walks URL patterns that no longer exist: {gone}"


@pytest.fixture
def world(staff, other_staff, today) -> World:
    return World.build(staff, other_staff)


def test_the_whole_role_page_action_matrix(world: World, caplog):
    caplog.set_level(logging.DEBUG)
    matrix = Matrix(world)
    # In WALKS order: the audit walks, last, open many cases of their own, which would
    # push the shared ones off the first page of the lists walked earlier.
    for name in WALKS:
        if name in matrix_routes():
            WALKS[name](matrix)
    for route, actors in matrix.actors_by_route.items():
        assert actors == set(ACTORS), f"{route} was not walked for {set(ACTORS) - actors}"
    assert set(matrix.actors_by_route) == set(matrix_routes())
    # Every operation of the API (path and method, as the OpenAPI schema lists them) was
    # walked by every actor, not only every URL pattern.
    operations = api_operations()
    unwalked = {
        op: sorted(set(ACTORS) - matrix.actors_by_operation.get(op, set()))
        for op in operations
        if matrix.actors_by_operation.get(op, set()) != set(ACTORS)
    }
    assert not unwalked, f"API operations not walked by every actor: {unwalked}"
    assert not matrix.mismatches, (
        f"{len(matrix.mismatches)} of {matrix.cells} cells differ from the expected answers:\n"
        + "\n".join(matrix.mismatches)
    )
    # No personal data in what the pages link to, nor in the logs.
    leaks = [leak for page in matrix.pages for leak in page.personal_data_in_links()]
    assert not leaks, "\n".join(leaks)
    missing_tokens = [f"{p.what} as {p.actor}" for p in matrix.pages if not p.post_forms_have_csrf]
    assert not missing_tokens, f"POST forms without a CSRF token: {missing_tokens}"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for word in PageLinks.words():
        assert word not in logged, f"'{word}' (personal data) appears in the logs"
    print(
        f"\naccess matrix: {len(matrix_routes())} URL patterns and {len(operations)} API "
        f"operations x {len(ACTORS)} actors, {matrix.cells} cells, 0 mismatches, "
        f"{len(matrix.pages)} HTML pages read"
    )
