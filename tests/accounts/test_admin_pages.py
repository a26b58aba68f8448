"""What the README promises the administrator in the admin, for an administrator made
the way the demo and `add_user` make one (staff by role, the administrators' group, not
a superuser): the letter templates (look, upload, stop using) and the alert runs (look
only) answer; case data still does not (docs/security.md, "Finding 1")."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.test import Client
from docx import Document

from legaltracker.accounts.models import User
from legaltracker.accounts.services import ADMINISTRATORS_GROUP
from legaltracker.alerts.models import AlertRun
from legaltracker.core import clock
from letters.models import LetterTemplate
from letters.registry import current_template, shipped_template

pytestmark = pytest.mark.django_db

KIND = "letter_before_proceedings"


@pytest.fixture
def administrator() -> User:
    call_command("add_user", "config-admin", "--role", "administrator", stdout=io.StringIO())
    user = User.objects.get(username="config-admin")
    assert user.is_staff and not user.is_superuser
    return user


@pytest.fixture
def client(administrator) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def run() -> AlertRun:
    day = dt.date(2026, 3, 4)
    return AlertRun.objects.create(
        run_date=day,
        due_soon_until=day + dt.timedelta(days=7),
        escalate_on_or_before=day - dt.timedelta(days=5),
        started_at=clock.now(),
        new_alerts=3,
        deliveries_made=2,
    )


def _template(extra: str) -> SimpleUploadedFile:
    doc = Document(io.BytesIO(shipped_template(KIND).data))
    doc.add_paragraph(extra)
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile("council.docx", buffer.getvalue())


def test_the_admin_index_lists_letter_templates_and_alert_runs(client):
    page = client.get("/admin/").content.decode()
    assert "/admin/letters/lettertemplate/" in page
    assert "/admin/alerts/alertrun/" in page
    # Still no case data on the index.
    assert "/admin/cases/case/" not in page
    assert "/admin/alerts/alert/" not in page
    assert "/admin/alerts/delivery/" not in page


def test_the_administrator_uploads_and_stops_using_a_letter_template(client, administrator):
    assert client.get("/admin/letters/lettertemplate/").status_code == 200
    assert client.get("/admin/letters/lettertemplate/add/").status_code == 200
    added = client.post(
        "/admin/letters/lettertemplate/add/",
        {"kind": KIND, "file": _template("A line the council added.")},
    )
    assert added.status_code == 302
    upload = LetterTemplate.objects.get()
    assert upload.uploaded_by == administrator and upload.active
    assert client.get(f"/admin/letters/lettertemplate/{upload.pk}/change/").status_code == 200
    # Kept for the letters made from it: never deleted.
    assert client.get(f"/admin/letters/lettertemplate/{upload.pk}/delete/").status_code == 403
    client.post(
        "/admin/letters/lettertemplate/",
        {"action": "deactivate", "_selected_action": [upload.pk]},
    )
    assert current_template(KIND).source == f"shipped:{KIND}.docx"


def test_the_administrator_reads_alert_runs_but_cannot_change_them(client, run):
    assert client.get("/admin/alerts/alertrun/").status_code == 200
    page = client.get(f"/admin/alerts/alertrun/{run.pk}/change/")
    assert page.status_code == 200 and "Save" not in page.content.decode()
    refused = client.post(f"/admin/alerts/alertrun/{run.pk}/change/", {"new_alerts": "99"})
    assert refused.status_code == 403
    assert client.get(f"/admin/alerts/alertrun/{run.pk}/delete/").status_code == 403
    assert client.get("/admin/alerts/alertrun/add/").status_code == 403
    assert AlertRun.objects.get(pk=run.pk).new_alerts == 3


def test_case_data_stays_out_of_reach(client):
    for path in ("/admin/cases/case/", "/admin/alerts/alert/", "/admin/alerts/delivery/"):
        assert client.get(path).status_code == 403, path


def test_migrate_gives_existing_administrators_the_new_permissions(administrator):
    group = Group.objects.get(name=ADMINISTRATORS_GROUP)
    group.permissions.clear()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_lettertemplate", "add_lettertemplate", "view_alertrun"} <= codenames
    assert not codenames & {"change_alertrun", "delete_alertrun", "view_case", "view_alert"}
