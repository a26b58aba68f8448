"""The base layout: header, navigation by role, skip link, footer, static assets."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from legaltracker.web.access import url_if_built
from legaltracker.web.context_processors import navigation

# The figures pages are separate apps; a link to one not installed is left out.
PERFORMANCE_NAV = [
    label
    for label, name in (("Performance", "performance:reports"), ("Census return", "census:return"))
    if url_if_built(name)
]

EXPECTED_NAV = {
    "social_worker": ["My work", "Team cases"],
    "team_manager": ["Board", "My work", "Team cases", "Approvals", "Reports"],
    "head_of_service": [
        "Board",
        "Court diary",
        "Approvals",
        "Reports",
        "Restrictions",
        "Retention review",
        "Import",
    ],
    "legal": ["Board", "Court diary", "My cases", "Approvals", "Reports"],
    "court_liaison_officer": ["Board", "Court diary", "Reports"],
    "administrator": ["Subject access", "Admin"],
    # Figures only: no board, no case list, no approvals.
    "performance_officer": PERFORMANCE_NAV,
}


@pytest.mark.parametrize(("role", "labels"), EXPECTED_NAV.items())
def test_navigation_by_role(staff, role, labels):
    items = navigation(staff.by_role(role))
    assert [item.label for item in items] == labels
    hrefs = {item.label: item.url for item in items}
    assert hrefs.get("Board", "/board/") == "/board/"
    assert hrefs.get("Court diary", "/court/diary/") == "/court/diary/"
    assert hrefs.get("My cases", "/court/my-cases/") == "/court/my-cases/"
    assert hrefs.get("My work", "/my-work/") == "/my-work/"
    assert hrefs.get("Team cases", "/cases/team/") == "/cases/team/"
    assert hrefs.get("Reports", "/reports/") == "/reports/"
    assert hrefs.get("Admin", "/admin/") == "/admin/"
    assert hrefs.get("Restrictions", "/audit/restrictions/") == "/audit/restrictions/"
    assert hrefs.get("Retention review", "/audit/retention/") == "/audit/retention/"
    assert hrefs.get("Subject access", "/audit/subject-access/") == "/audit/subject-access/"
    assert hrefs.get("Performance", "/reports/performance/") == "/reports/performance/"


@pytest.mark.parametrize(("role", "labels"), EXPECTED_NAV.items())
def test_header_shows_the_role_navigation_and_sign_out(client, staff, role, labels):
    client.force_login(staff.by_role(role))
    response = client.get(reverse("web:home"), follow=True)
    html = response.content.decode()
    nav = re.search(
        r'<nav class="moj-primary-navigation" aria-label="Main">(.*?)</nav>', html, re.S
    )
    if labels:
        assert nav is not None
        found = re.findall(r'class="moj-primary-navigation__link"[^>]*>([^<]+)</a>', nav.group(1))
        assert found == labels
    else:  # a performance officer while no figures page is installed
        assert nav is None
    assert f'action="{reverse("web:sign_out")}"' in html
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html
    # Every signed-in person's account links.
    assert f'href="{reverse("web:password_change")}"' in html
    assert f'href="{reverse("security:two_factor_setup")}"' in html


def test_signed_out_page_has_no_navigation(client, db):
    html = client.get(reverse("web:sign_in")).content.decode()
    assert "moj-primary-navigation" not in html
    assert "Sign out" not in html


def test_nonactive_user_gets_no_navigation(staff):
    staff.legal.is_active = False
    assert navigation(staff.legal) == []


def test_current_section_is_marked(client, staff):
    client.force_login(staff.team_manager)
    html = client.get(reverse("web:reports")).content.decode()
    assert re.search(r'href="/reports/" aria-current="page">Reports</a>', html)
    assert not re.search(r'href="/my-work/" aria-current="page"', html)


def test_layout_landmarks_and_assets(client, staff):
    client.force_login(staff.social_worker)
    html = client.get(reverse("web:my_work")).content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert '<footer class="govuk-footer">' in html
    assert "<title>My work \u2013 Legal tracker</title>" in html
    assert 'href="/static/vendor/css/frontend.min.css"' in html
    assert '<script type="module" src="/static/js/app.js"></script>' in html
    assert "Eastbrook Borough Council" in html
    assert "Legal tracker" in html
    # A strict Content Security Policy comes later: no inline script or style.
    assert re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html) is None
    assert " style=" not in html
    assert "<style" not in html
    # GOV.UK-only branding stays out.
    assert "GDS Transport" not in html
    assert "crown" not in html.lower()


def test_council_name_comes_from_the_setting(client, staff):
    client.force_login(staff.social_worker)
    with override_settings(LEGALTRACKER_COUNCIL_NAME="Borsetshire County Council"):
        html = client.get(reverse("web:my_work")).content.decode()
    assert "Borsetshire County Council" in html
    assert "Eastbrook Borough Council" not in html


def test_administrator_home_links_to_admin(client, staff):
    client.force_login(staff.administrator)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert 'href="/admin/"' in response.content.decode()


@pytest.mark.parametrize("role", ["court_liaison_officer", "legal", "head_of_service"])
def test_cross_team_roles_land_on_the_board(client, staff, role):
    client.force_login(staff.by_role(role))
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == "/board/"


@pytest.mark.parametrize("role", ["social_worker", "team_manager"])
def test_team_roles_land_on_my_work(client, staff, role):
    client.force_login(staff.by_role(role))
    response = client.get(reverse("web:home"))
    assert response["Location"] == reverse("web:my_work")


def test_vendored_frontend_is_in_place():
    from django.conf import settings

    vendor = settings.BASE_DIR / "static" / "vendor"
    versions = (vendor / "VERSIONS.txt").read_text()
    assert re.search(r"^govuk-frontend 6\.\d+\.\d+$", versions, re.M)
    assert re.search(r"^@ministryofjustice/frontend \d+\.\d+\.\d+$", versions, re.M)
    assert re.search(r"^axe-core \d+\.\d+\.\d+$", versions, re.M)
    css = (vendor / "css" / "frontend.min.css").read_text()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert ".govuk-header" in css and ".moj-filter" in css
    for name in ("govuk-frontend.min.js", "moj-frontend.min.js", "axe.min.js"):
        assert (vendor / "js" / name).stat().st_size > 10_000
    # Every image the CSS refers to is shipped beside it.
    for image in set(re.findall(r'url\("?\.\./images/([^")]+)"?\)', css)):
        assert (vendor / "images" / image).is_file(), image
