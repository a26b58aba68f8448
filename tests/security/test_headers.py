"""Every URL pattern, read from the URL resolver (so a new page cannot be missed), is
requested by someone not signed in and by someone signed in, and every answer carries
the security headers: a Content Security Policy with no inline or eval'd script,
nosniff, a referrer policy, frame denial, and `no-store` when signed in. A second pass
with the production settings checks HSTS over https."""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve

from legaltracker.alerts import services as alert_services
from legaltracker.api.tokens import token_issue
from legaltracker.exports import services as export_services
from tests.access.routes import Route, all_routes
from tests.access.world import LEGAL, SW, World
from tests.alerts.helpers import failed_digest

pytestmark = pytest.mark.django_db

# Django's admin URL patterns are regular expressions: values that fit each of them.
ADMIN_VALUES = {
    "app_label": "accounts",
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "url": "x/",
}


def _values(world: World) -> dict[str, Any]:
    letter = world.letter()
    lawyer = world.users[LEGAL]
    failed_email = failed_digest(lawyer)
    return {
        "case_id": letter.case_id,
        "name": "refer_to_gateway",
        "transition": "refer_to_gateway",
        "kind": "note",
        "event_id": world.event_of_kind("note").pk,
        "expectation_id": world.expectation().pk,
        "letter_id": letter.pk,
        "request_id": world.extension_request().pk,
        "user_id": world.users[SW].pk,
        "delivery_id": failed_email.pk,
        "token_id": token_issue(user=lawyer, name="headers")[0].pk,
        "token": alert_services.calendar_feed_enable(actor=lawyer),
        "file_format": "docx",
        "year": "2026",
        # The lawyer's own export, queued (never built here: the page and its links
        # answer while it waits).
        "export_id": export_services.export_request(
            actor=lawyer, kind="board", file_format="csv", params={}, today=world.today
        ).pk,
        "member": "child",
        "member_id": letter.case.children.first().pk,
        # The court record's objects: an answer (404 here) carries the headers all the same.
        "hearing_id": 1,
        "direction_id": 1,
        "expert_id": 1,
        "object_id": "1",
        "uidb64": "MQ",
        **ADMIN_VALUES,
    }


def _path(route: Route, values: dict[str, Any]) -> str:
    """The route's pattern with each parameter filled in (unnamed admin routes too)."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route.pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), path)
    path = "/" + path.lstrip("^").rstrip("$")
    resolve(path)  # it must lead to the route it was made from
    return path


@dataclass
class Crawl:
    responses: int = 0
    headers_checked: int = 0
    problems: list[str] = field(default_factory=list)

    def check(self, what: str, response: Any, *, signed_in: bool, https: bool = False) -> None:
        self.responses += 1
        expected: dict[str, Any] = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "X-Frame-Options": "DENY",
            "Cross-Origin-Opener-Policy": "same-origin",
        }
        for header, value in expected.items():
            self.headers_checked += 1
            if response.get(header) != value:
                self.problems.append(f"{what}: {header} is {response.get(header)!r}")
        self.headers_checked += 1
        csp = response.get("Content-Security-Policy", "")
        directives = dict(
            ([*part.strip().split(" ", 1), ""])[:2] for part in csp.split(";") if part.strip()
        )
        script = directives.get("script-src", directives.get("default-src", ""))
        if (
            not script
            or "unsafe-inline" in script
            or "unsafe-eval" in script
            or directives.get("frame-ancestors") != "'none'"
            or directives.get("object-src") != "'none'"
        ):
            self.problems.append(f"{what}: Content-Security-Policy is {csp!r}")
        if signed_in:
            self.headers_checked += 1
            if "no-store" not in response.get("Cache-Control", ""):
                self.problems.append(f"{what}: Cache-Control is {response.get('Cache-Control')!r}")
        if https:
            self.headers_checked += 1
            hsts = response.get("Strict-Transport-Security", "")
            age = re.search(r"max-age=(\d+)", hsts)
            if not age or int(age.group(1)) < 31536000 or "includeSubDomains" not in hsts:
                self.problems.append(f"{what}: Strict-Transport-Security is {hsts!r}")


def _crawl(world: World, crawl: Crawl, **request: Any) -> int:
    values = _values(world)
    superuser = world.staff.administrator
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    https = bool(request)
    clients = {"not signed in": Client(), "lawyer": Client(), "administrator": Client()}
    clients["lawyer"].force_login(world.staff.legal)
    clients["administrator"].force_login(superuser)
    routes = all_routes()
    unreachable = []
    for route in routes:
        try:
            path = _path(route, values)
        except (KeyError, Resolver404) as error:
            unreachable.append(f"{route.name} ({route.pattern}): {error!r}")
            continue
        who = ["not signed in", "administrator" if route.namespace == "admin" else "lawyer"]
        for person in who:
            response = clients[person].get(path, **request)
            crawl.check(
                f"GET {path} ({person})",
                response,
                signed_in=person != "not signed in",
                https=https,
            )
    assert not unreachable, f"routes the crawl could not fill in: {unreachable}"
    return len(routes)


@pytest.fixture
def world(staff, other_staff, today, settings, tmp_path) -> World:
    settings.LETTERS_STORAGE_ROOT = str(tmp_path / "letters")
    return World.build(staff, other_staff)


@pytest.mark.slow
def test_every_route_answers_with_the_security_headers(world: World):
    crawl = Crawl()
    routes = _crawl(world, crawl)
    assert not crawl.problems, "\n".join(crawl.problems)
    assert routes > 40 and crawl.responses >= 2 * routes
    print(
        f"\nheader crawl: {routes} routes, {crawl.responses} responses, "
        f"{crawl.headers_checked} headers checked"
    )


def production_security_settings(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The security settings exactly as legaltracker.settings.production makes them."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.invalid:5432/legaltracker")
    sys.modules.pop("legaltracker.settings.production", None)
    production = importlib.import_module("legaltracker.settings.production")
    sys.modules.pop("legaltracker.settings.production", None)
    names = [
        name
        for name in dir(production)
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))
    ]
    return {name: getattr(production, name) for name in names}


@pytest.mark.slow
def test_under_the_production_settings_https_answers_carry_hsts(world: World, monkeypatch):
    values = production_security_settings(monkeypatch)
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_SSL_REDIRECT"]
    crawl = Crawl()
    with override_settings(**values):
        _crawl(world, crawl, secure=True, HTTP_X_FORWARDED_PROTO="https")
        # Plain http is sent to https, except the load balancer's health check.
        assert Client().get("/my-work/").status_code == 301
        assert Client().get("/healthz").status_code == 200
    assert not crawl.problems, "\n".join(crawl.problems)
    print(f"\nheader crawl (production, https): {crawl.responses} responses")
