"""Every page a role uses can be found: for each role, a crawl from the home page that
follows links only (<a href>, as a person clicks) must reach each page that role may
use. A page linked from nowhere fails here. The pages each role must reach are written
out by hand, from docs/domain/roles.md and the pages' own permission checks."""

from __future__ import annotations

import datetime as dt
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from legaltracker.accounts.services import user_sync_role_access
from legaltracker.cases import services as case_services
from legaltracker.cases.choices import Stage
from legaltracker.cases.transitions import current_end
from tests.access.world import (
    ACTORS,
    ADMIN,
    ANON,
    CLO,
    HOS,
    LEGAL,
    PERFORMANCE,
    SW,
    SW_B,
    TM,
    TM_B,
    World,
    family,
)
from tests.factories import case_at, record

pytestmark = pytest.mark.django_db

EVERYONE = {
    "alerts:list",
    "alerts:settings",
    "alerts:calendar",
    "security:two_factor_setup",
    "web:password_change",
    "api_tokens:list",
}
BOARD = {"board:board", "web:reports", "find:search"}
# Through the reports' sub-navigation (CLO: not a performance report role).
FIGURES = {"performance:reports"}
# The census return: its page, reached from the reports' sub-navigation or the navigation.
CENSUS = {"census:return"}
TEAM = {"web:my_work", "find:team", "find:search"}
# The People page's forms: whoever works the case (cases.permissions.may_edit_people).
PEOPLE = {"casework:person_add", "casework:person_edit"}
MUST_REACH: dict[str, set[str]] = {
    ANON: {"web:sign_in", "web:password_reset"},
    SW: EVERYONE | TEAM | {"casework:case_detail"} | PEOPLE,
    SW_B: EVERYONE | TEAM,
    TM: EVERYONE
    | BOARD
    | FIGURES
    | TEAM
    | {
        "web:approvals",
        "casework:case_detail",
        "casework:case_reassign",
        "casework:case_allocate_lawyer",
        "casework:extension_request_create",
    }
    | PEOPLE,
    TM_B: EVERYONE | BOARD | FIGURES | TEAM | {"web:approvals"},
    HOS: EVERYONE
    | BOARD
    | FIGURES
    | {
        "web:approvals",
        "casework:case_detail",
        "casework:case_reassign",
        "casework:case_allocate_lawyer",
        "casework:extension_request",
        "audit:restrictions",
        "audit:retention",
        "inspection:list",
    }
    | CENSUS
    | PEOPLE,
    LEGAL: EVERYONE
    | BOARD
    | FIGURES
    | {"web:approvals", "casework:case_detail", "casework:case_allocate_lawyer"},
    CLO: EVERYONE | BOARD | {"casework:case_detail"},
    ADMIN: EVERYONE | {"admin:index", "audit:subject_access"},
    # Figures only: the performance reports, the census return and the inspection list.
    PERFORMANCE: EVERYONE | FIGURES | CENSUS | {"inspection:list"},
}
# Followed no further: a GET that starts something or downloads a file, and the admin
# (Django's own pages; reaching its index is what counts).
NOT_FOLLOWED = {
    "board:export_csv",
    "board:export_xlsx",
    "performance:export_csv",
    "performance:export_xlsx",
    "exports:download",
    "letters:letter_download",
    "audit:subject_access_export",
    "alerts:calendar_feed",
    "census:xml",
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _route(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl(client, start: str = "/") -> tuple[set[str], list[str]]:
    """The routes reached from `start` by following links, one page per route, and the
    links that led to a refusal or an error."""
    reached: set[str] = set()
    dead_ends: list[str] = []
    queue = deque([start])
    seen_paths: set[str] = set()
    while queue:
        url = queue.popleft()
        response = client.get(url, follow=True)
        for hop, _ in response.redirect_chain:
            name = _route(urlsplit(hop).path)
            if name:
                reached.add(name)
        final = urlsplit(response.request["PATH_INFO"]).path
        name = _route(final)
        if response.status_code != 200:
            dead_ends.append(f"{url}: {response.status_code}")
            continue
        if name:
            reached.add(name)
        if not response.get("Content-Type", "").startswith("text/html") or final.startswith(
            "/admin/"
        ):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith("/static/") or parts.path in seen_paths:
                continue
            target = _route(parts.path)
            if target is None or target in NOT_FOLLOWED:
                continue
            if target in reached or any(_route(urlsplit(q).path) == target for q in queue):
                continue  # one page of each route is enough to find where it leads
            seen_paths.add(parts.path)
            queue.append(href)
    return reached, dead_ends


@pytest.fixture
def world(staff, other_staff, today) -> World:
    # The administrator as provisioning makes one: staff, in the administrators' group.
    user_sync_role_access(user=staff.administrator)
    world = World.build(staff, other_staff)
    world.case("pre_proceedings")  # team A's case, on My work and the board
    # Team B's manager asks for an extension: the head of service's Approvals lists it.
    other = case_at(Stage.PRE_PROCEEDINGS, other_staff, start=dt.date(2026, 1, 5), **family())
    record(other, other_staff.social_worker, "letter_before_proceedings_sent", dt.date(2026, 1, 9))
    record(other, other_staff.social_worker, "initial_meeting_held", dt.date(2026, 1, 20))
    end = current_end(other, "pre_proceedings")
    assert end is not None
    case_services.extension_request_create(
        case_id=other.pk,
        actor=other_staff.team_manager,
        data={"new_end_date": (end + dt.timedelta(weeks=2)).isoformat(), "reason": "Late."},
    )
    return world


@pytest.mark.parametrize("actor", ACTORS)
def test_each_role_reaches_every_page_it_uses_from_the_home_page(world, actor):
    reached, dead_ends = crawl(world.web(actor, new=True))
    missing = MUST_REACH[actor] - reached
    assert not missing, f"{actor} cannot reach {sorted(missing)} by links from the home page"
    assert not dead_ends, f"{actor} follows links to refusals or errors: {dead_ends}"


def test_the_crawl_reaches_only_what_is_linked(world):
    """A social worker is led to none of the pages of other roles (so the crawl does not
    count a page as reached without a link to it)."""
    reached, _ = crawl(world.web(SW, new=True))
    others = {"audit:restrictions", "audit:retention", "audit:subject_access", "admin:index"}
    assert "find:search" in reached
    assert not reached & others | {"board:board", "web:reports"} & reached
