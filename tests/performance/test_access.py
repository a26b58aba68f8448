"""Who may read the performance reports, on the page, its exports and the API; and the
reports' sub-navigation by role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from legaltracker.accounts.models import Role
from legaltracker.web.templatetags.reports_nav import report_links

URLS = ["performance:reports", "performance:export_csv", "performance:export_xlsx"]
REFUSED = ["social_worker", "court_liaison_officer", "administrator"]
ALLOWED = ["team_manager", "head_of_service", "legal"]


@pytest.mark.parametrize("role", REFUSED)
@pytest.mark.parametrize("name", URLS)
def test_other_roles_are_refused(client, staff, today, role, name):
    client.force_login(staff.by_role(role))
    response = client.get(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused_by_the_api(api_for, staff, today, role):
    response = api_for(staff.by_role(role)).get("/api/v1/reports/performance/")
    assert response.status_code == 403
    assert "performance officers" in response.json()["detail"]


def test_no_one_signed_in(client):
    response = client.get(reverse("performance:reports"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize("role", ALLOWED)
def test_report_roles_read_the_page(client, staff, today, role):
    client.force_login(staff.by_role(role))
    response = client.get(reverse("performance:reports"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Performance over time" in html
    assert 'aria-current="page">Performance over time</a>' in html


def test_a_performance_officer_reads_the_page(client, performance_officer, today):
    client.force_login(performance_officer)
    assert client.get(reverse("performance:reports")).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.TEAM_MANAGER, ["open", "performance"]),
        (Role.LEGAL, ["open", "performance"]),
        (Role.COURT_LIAISON_OFFICER, ["open"]),
        (Role.HEAD_OF_SERVICE, ["open", "performance", "census", "inspection"]),
        (Role.PERFORMANCE_OFFICER, ["performance", "census", "inspection"]),
        (Role.SOCIAL_WORKER, []),
        (Role.ADMINISTRATOR, []),
    ],
)
def test_the_reports_navigation_by_role(staff, performance_officer, role, expected):
    user = performance_officer if role == Role.PERFORMANCE_OFFICER else staff.by_role(role)
    links = report_links(user, "performance")
    # The census return and the inspection list are other pages: shown once they exist.
    present = {"open", "performance"} | {
        key
        for key, name in (("census", "census:return"), ("inspection", "inspection:list"))
        if _resolves(name)
    }
    assert [link["key"] for link in links] == [k for k in expected if k in present]
    assert [link["key"] for link in links if link["current"]] == (
        ["performance"] if "performance" in expected else []
    )


def _resolves(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_the_open_cases_reports_page_has_the_navigation(client, staff, today):
    client.force_login(staff.head_of_service)
    html = client.get(reverse("web:reports")).content.decode()
    assert 'class="moj-sub-navigation"' in html
    assert 'aria-current="page">Open cases now</a>' in html
    assert f'href="{reverse("performance:reports")}"' in html
