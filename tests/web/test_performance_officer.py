"""The performance officer: figures, never a case (docs/domain/roles.md). The whole
role x URL matrix is tests/access/test_matrix.py; this is the role's own day."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from legaltracker.cases.models import Case
from legaltracker.web.access import url_if_built
from tests.factories import case_at

pytestmark = pytest.mark.django_db


def test_lands_on_the_figures_with_no_find_box(client, staff, today):
    client.force_login(staff.performance_officer)
    response = client.get(reverse("web:home"), follow=True)
    html = response.content.decode()
    performance = url_if_built("performance:reports")
    if performance:
        assert response.redirect_chain[-1][0] == performance
    else:
        assert response.status_code == 200
        assert f'href="{reverse("inspection:list")}"' in html
        assert "Performance officers do not see case pages" in html
    assert 'id="header-find"' not in html
    assert reverse("board:board") not in html


def test_refused_every_case_page_and_list(client, staff, today):
    case = case_at("pre_proceedings", staff)
    client.force_login(staff.performance_officer)
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 404
    for name in ("board:board", "web:my_work", "web:approvals", "web:reports", "find:search"):
        assert client.get(reverse(name)).status_code == 403, name
    assert Case.objects.visible_to(staff.performance_officer).count() == 0
    api = APIClient()
    api.force_authenticate(staff.performance_officer)
    assert api.get("/api/v1/cases/").json()["count"] == 0
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api.get("/api/v1/board/").status_code == 403
