"""Subject access requests: search (administrators only, names never in URLs), the JSON
export of every case the person appears on, and the audit of each export."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import time
import uuid
from io import StringIO

import pytest
from django.core import signing
from django.core.management import CommandError, call_command
from django.urls import reverse

from legaltracker.audit import forms, services, subject_access
from legaltracker.audit.models import AccessLog, AccessOutcome
from legaltracker.cases.models import Adult, Child
from legaltracker.cases.services import case_create
from legaltracker.core.errors import InvalidInput, NotPermitted
from tests.factories import UserFactory, case_at, case_data, record

pytestmark = pytest.mark.django_db

BORN = "2018-05-17"


@pytest.fixture
def episodes(staff, today):
    """Ruby Quill on two episodes of one family, and someone else on a third case."""
    first = case_at(
        "pre_proceedings",
        staff,
        children=[{"first_name": "Ruby", "last_name": "Quill", "date_of_birth": BORN}],
        adults=[
            {
                "first_name": "Dana",
                "last_name": "Quill",
                "relationship": "mother",
                "parental_responsibility": True,
            }
        ],
    )
    record(first, staff.social_worker, "note", today, summary="Home visit with Ruby.")
    second = case_create(
        actor=staff.social_worker,
        data=case_data(
            staff,
            previous_case=first.pk,
            children=[{"first_name": "Ruby", "last_name": "Quill", "date_of_birth": BORN}],
        ),
    )
    unrelated = case_at(
        "concern",
        staff,
        children=[{"first_name": "Ruby", "last_name": "Other", "date_of_birth": "2019-01-01"}],
    )
    return first, second, unrelated


def rubies() -> list[Child]:
    return list(Child.objects.filter(last_name="Quill").order_by("pk"))


def test_search_finds_every_row_by_name_and_date_of_birth(episodes):
    first, second, _ = episodes
    matches = subject_access.search(last_name="quill", date_of_birth=dt.date.fromisoformat(BORN))
    assert {(m.kind, m.case.pk) for m in matches} == {("child", first.pk), ("child", second.pk)}
    by_name = subject_access.search(first_name="Dana", last_name="Qu")
    assert [(m.kind, m.case.pk) for m in by_name] == [("adult", first.pk)]
    assert subject_access.search() == []


def test_the_export_holds_every_case_and_what_hangs_off_it(episodes, staff):
    first, second, unrelated = episodes
    ids = [child.pk for child in rubies()]
    data = services.subject_access_export(
        actor=staff.administrator,
        child_ids=ids,
        adult_ids=[],
        request_id=uuid.uuid4(),
        action="test",
    )
    assert data["format"] == subject_access.FORMAT
    assert data["subject"] == {"children": ids, "adults": []}
    assert [item["case"]["id"] for item in data["cases"]] == [first.pk, second.pk]
    records = data["cases"][0]["records"]
    assert {"cases.child", "cases.adult", "cases.recordedevent", "cases.caseevent"} <= set(records)
    assert {"cases.gatewaydecision", "deadlines.deadline"} <= set(records)
    assert any(row["summary"] == "Home visit with Ruby." for row in records["cases.recordedevent"])
    assert [row["last_name"] for row in records["cases.adult"]] == ["Quill"]
    assert str(staff.social_worker.pk) in json.loads(json.dumps(data, default=str))["staff"]
    # nothing from the unrelated case
    assert unrelated.pk not in {item["case"]["id"] for item in data["cases"]}
    assert "Other" not in json.dumps(data, default=str)


def test_the_export_includes_the_access_log_of_the_case(episodes, staff, signed_in):
    first, _, _ = episodes
    signed_in(staff.social_worker).get(reverse("casework:case_detail", args=[first.pk]))
    data = services.subject_access_export(
        actor=staff.administrator,
        child_ids=[rubies()[0].pk],
        adult_ids=[],
        request_id=uuid.uuid4(),
        action="test",
    )
    log = data["cases"][0]["access_log"]
    assert any(
        row["action"] == "casework:case_detail GET" and row["actor_id"] == staff.social_worker.pk
        for row in log
    )


def test_letters_are_exported_as_metadata_only():
    assert {"text", "context", "readability"} <= subject_access.EXCLUDED_FIELDS["letters.letter"]


def test_each_export_writes_its_row_first(episodes, staff):
    request_id = uuid.uuid4()
    ids = [child.pk for child in rubies()]
    services.subject_access_export(
        actor=staff.administrator,
        child_ids=ids,
        adult_ids=[],
        request_id=request_id,
        action="command:subject_access_export",
        status=0,
    )
    row = AccessLog.objects.get(request_id=request_id)
    assert row.actor_id == staff.administrator.pk
    assert row.outcome == AccessOutcome.ALLOWED
    assert (row.object_type, row.object_id) == ("child", ids[0])
    assert row.details["children"] == ids
    assert sorted(row.details["cases"]) == sorted({c.case_id for c in rubies()})


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "head_of_service", "legal", "court_liaison_officer"]
)
def test_only_administrators_export(episodes, staff, role):
    with pytest.raises(NotPermitted):
        services.subject_access_export(
            actor=staff.by_role(role),
            child_ids=[rubies()[0].pk],
            adult_ids=[],
            request_id=uuid.uuid4(),
            action="test",
        )
    assert AccessLog.objects.count() == 0


def test_a_superuser_may_export(episodes):
    boss = UserFactory(username="superuser", role="social_worker", is_superuser=True)
    data = services.subject_access_export(
        actor=boss, child_ids=[rubies()[0].pk], adult_ids=[], request_id=uuid.uuid4(), action="t"
    )
    assert len(data["cases"]) == 1


def test_unknown_rows_are_refused(episodes, staff):
    with pytest.raises(InvalidInput):
        services.subject_access_export(
            actor=staff.administrator,
            child_ids=[999999],
            adult_ids=[],
            request_id=uuid.uuid4(),
            action="t",
        )
    with pytest.raises(InvalidInput):
        services.subject_access_export(
            actor=staff.administrator,
            child_ids=[],
            adult_ids=[],
            request_id=uuid.uuid4(),
            action="t",
        )


# --- the pages ---------------------------------------------------------------------------


def test_search_page_is_for_administrators(staff, client, today):
    url = reverse("audit:subject_access")
    for role in (
        "social_worker",
        "team_manager",
        "head_of_service",
        "legal",
        "court_liaison_officer",
    ):
        client.force_login(staff.by_role(role))
        assert client.get(url).status_code == 403
        assert client.post(url, {"last_name": "Quill"}).status_code == 403
        assert (
            client.post(reverse("audit:subject_access_export"), {"people": ["child:1"]}).status_code
            == 403
        )
    client.logout()
    assert client.get(url).status_code == 302


def test_searching_and_exporting_through_the_pages(episodes, staff, signed_in):
    client = signed_in(staff.administrator)
    assert client.get(reverse("audit:subject_access")).status_code == 200
    response = client.post(
        reverse("audit:subject_access"), {"last_name": "Quill", "date_of_birth": "17/5/2018"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    keys = [f"child:{child.pk}" for child in rubies()]
    for key in keys:
        assert f'value="{key}"' in body
    search_row = AccessLog.objects.get(action="audit:subject_access POST")
    assert search_row.details == {"children": [c.pk for c in rubies()], "adults": []}
    assert "Quill" not in json.dumps(search_row.details)

    export = client.post(
        reverse("audit:subject_access_export"),
        {"people": keys, "search": response.context["export_form"]["search"].value()},
    )
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/json")
    disposition = export["Content-Disposition"]
    assert "attachment" in disposition and "Quill" not in disposition
    assert export["X-Request-ID"] in disposition
    data = json.loads(export.content)
    assert len(data["cases"]) == 2
    rows = AccessLog.objects.filter(action="audit:subject_access_export POST")
    assert rows.count() == 1  # the export's own row; the middleware does not add another
    assert str(rows.get().request_id) == export["X-Request-ID"]


def test_an_export_with_nothing_chosen_is_a_form_error(staff, signed_in, today):
    client = signed_in(staff.administrator)
    response = client.post(reverse("audit:subject_access_export"), {"people": ["nonsense"]})
    assert response.status_code == 400
    assert client.post(reverse("audit:subject_access"), {}).status_code == 400
    refused = AccessLog.objects.get(action="audit:subject_access_export POST")
    assert refused.outcome == AccessOutcome.REJECTED


def _search(client, **terms):
    """The search page's answer and the signed results its export form posts back."""
    response = client.post(reverse("audit:subject_access"), terms)
    assert response.status_code == 200
    return response, response.context["export_form"].initial.get("search", "")


def _exported(response) -> bool:
    return response.get("Content-Disposition", "").startswith("attachment")


def test_only_what_the_search_found_can_be_exported(episodes, staff, signed_in):
    """Finding 12: the export takes the search's signed results; a row the search did
    not find is refused with a message, and nothing is exported."""
    first, _, unrelated = episodes
    client = signed_in(staff.administrator)
    _, search = _search(client, last_name="Quill", date_of_birth="17/5/2018")
    stranger = unrelated.children.get()
    url = reverse("audit:subject_access_export")
    for people in (
        [f"child:{stranger.pk}"],
        [f"child:{rubies()[0].pk}", f"child:{stranger.pk}"],
        [f"adult:{first.adults.get().pk}"],  # on a found case, but not found by the search
    ):
        response = client.post(url, {"people": people, "search": search})
        assert response.status_code == 400
        assert not _exported(response)
        assert forms.NOT_IN_RESULTS in response.content.decode()
    # Without the search, with an altered one, or with another administrator's.
    other = UserFactory(username="admin-2", role="administrator")
    for token in (
        "",
        search[:-2] + "xx",
        forms.search_sign(user=other, keys=[f"child:{stranger.pk}"]),
    ):
        response = client.post(url, {"people": [f"child:{stranger.pk}"], "search": token})
        assert response.status_code == 400
        assert not _exported(response)
        assert "Search again" in response.content.decode()
    assert not AccessLog.objects.filter(
        action="audit:subject_access_export POST", outcome=AccessOutcome.ALLOWED
    ).exists()
    assert _exported(client.post(url, {"people": [f"child:{rubies()[0].pk}"], "search": search}))


def test_old_search_results_cannot_be_exported(episodes, staff, signed_in, monkeypatch):
    client = signed_in(staff.administrator)
    now = time.time()
    # Searched longer ago than the results are good for.
    monkeypatch.setattr(signing.time, "time", lambda: now - forms.SEARCH_MAX_AGE - 60)
    _, search = _search(client, last_name="Quill")
    monkeypatch.undo()
    response = client.post(
        reverse("audit:subject_access_export"),
        {"people": [f"child:{rubies()[0].pk}"], "search": search},
    )
    assert response.status_code == 400
    assert not _exported(response)
    assert "expired" in response.content.decode()


def test_a_restricted_case_in_an_export_is_logged_against_it(episodes, staff, signed_in):
    """Finding 12: the restricted case's own access log shows that it was exported."""
    first, second, _ = episodes
    services.case_restrict(
        case_id=second.pk, actor=staff.head_of_service, reason="A parent works here."
    )
    client = signed_in(staff.administrator)
    _, search = _search(client, last_name="Quill", date_of_birth="17/5/2018")
    export = client.post(
        reverse("audit:subject_access_export"),
        {"people": [f"child:{c.pk}" for c in rubies()], "search": search},
    )
    assert _exported(export)
    rows = AccessLog.objects.filter(
        action="audit:subject_access_export POST", request_id=export["X-Request-ID"]
    )
    against = rows.get(case_id=second.pk)
    assert against.actor_id == staff.administrator.pk
    assert against.outcome == AccessOutcome.ALLOWED
    assert against.details["children"] == [c.pk for c in rubies()]
    assert not rows.filter(case_id=first.pk).exists()  # not restricted: the one export row


# --- the command -------------------------------------------------------------------------


def test_the_command_writes_a_private_file_and_an_audit_row(episodes, staff, tmp_path):
    first, second, _ = episodes
    adult = Adult.objects.get(case=first, last_name="Quill")
    target = tmp_path / "sar.json"
    err = StringIO()
    call_command(
        "subject_access_export",
        "--by",
        staff.administrator.username,
        "--child-id",
        str(rubies()[0].pk),
        "--person-id",
        f"child:{rubies()[1].pk}",
        "--adult-id",
        str(adult.pk),
        "--output",
        str(target),
        stderr=err,
        stdout=StringIO(),
    )
    data = json.loads(target.read_text())
    assert [item["case"]["id"] for item in data["cases"]] == [first.pk, second.pk]
    assert data["subject"]["adults"] == [adult.pk]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    row = AccessLog.objects.get(action="command:subject_access_export")
    assert str(row.request_id) in err.getvalue()
    assert row.status == 0 and row.actor_id == staff.administrator.pk
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "subject_access_export",
            "--by",
            staff.administrator.username,
            "--child-id",
            str(rubies()[0].pk),
            "--output",
            str(target),
            stderr=StringIO(),
        )


def test_the_command_refuses_people_who_may_not_export(episodes, staff):
    with pytest.raises(CommandError, match="administrator"):
        call_command(
            "subject_access_export", "--by", staff.legal.username, "--child-id", str(rubies()[0].pk)
        )
    with pytest.raises(CommandError, match="no active user"):
        call_command("subject_access_export", "--by", "nobody", "--child-id", "1")
    with pytest.raises(CommandError, match="child:<id>"):
        call_command(
            "subject_access_export", "--by", staff.administrator.username, "--person-id", "Ruby"
        )
    assert AccessLog.objects.count() == 0


def test_the_command_prints_json_to_stdout(episodes, staff):
    out = StringIO()
    call_command(
        "subject_access_export",
        "--by",
        staff.administrator.username,
        "--child-id",
        str(rubies()[0].pk),
        stdout=out,
        stderr=StringIO(),
    )
    assert json.loads(out.getvalue())["format"] == subject_access.FORMAT
