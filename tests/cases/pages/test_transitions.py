"""Each transition's form: it shows, it moves the case through the service and redirects
(POST-redirect-GET), a refused guard comes back as a form error (400), field errors land
on their fields, and a stale version is a conflict (409)."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from legaltracker.accounts.models import Role
from legaltracker.cases import services
from legaltracker.cases.forms import TRANSITION_FORMS
from legaltracker.cases.models import Case, CaseEvent, Extension, GatewayDecision
from legaltracker.cases.transitions import TRANSITIONS
from legaltracker.core.errors import CASE_CHANGED as CONFLICT_MESSAGE
from tests.cases.builders import (
    CLOSING_OUTCOME,
    DOMAIN_EDGES,
    TRANSITION_NAMES,
    first_source,
    permitted_actor,
    prepare_valid,
)
from tests.factories import UserFactory, case_at, gateway_data, record

from .helpers import case_url, form_post, transition_url

pytestmark = pytest.mark.django_db


def test_every_transition_has_a_form():
    assert set(TRANSITION_FORMS) == set(TRANSITIONS)


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_transition_form_moves_the_case(name, staff, today, signed_in):
    case = case_at(first_source(name), staff)
    actor = permitted_actor(name, case, staff)
    client = signed_in(actor)
    data = prepare_valid(name, case, staff, today)
    case.refresh_from_db()
    before = case.stage

    page = client.get(transition_url(case, name))
    assert page.status_code == 200
    assert services.transition_label(name) in html.unescape(page.content.decode())
    assert f'name="version" value="{case.version}"' in page.content.decode()

    response = client.post(transition_url(case, name), form_post(data, case.version))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == case_url(case)  # the Overview, its header at the new stage
    case.refresh_from_db()
    assert case.stage == DOMAIN_EDGES[(before, name)]
    last = CaseEvent.objects.filter(case=case).order_by("-id").first()
    assert last.action == "transition" and last.details["transition"] == name
    assert last.actor == actor
    if name in CLOSING_OUTCOME:
        assert case.outcome == CLOSING_OUTCOME[name]
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    assert f"Done: {services.transition_label(name)}." in html.unescape(followed.content.decode())


def test_gateway_form_ignores_blank_rows_and_keeps_the_attendees(staff, today, signed_in):
    case = case_at("legal_gateway", staff)
    client = signed_in(staff.legal)
    post = form_post(gateway_data(today), case.version)
    # a person filled rows 1, 3 and 5 and left the others blank
    post.update(
        attendee_1_name="Sam Worker",
        attendee_1_role="social_worker",
        attendee_2_name="",
        attendee_2_role="",
        attendee_3_name="Alex Chair",
        attendee_3_role="chair",
        attendee_4_name="",
        attendee_4_role="",
        attendee_5_name="Jo Lawyer",
        attendee_5_role="legal",
        attendee_6_name="",
        attendee_6_role="",
    )

    response = client.post(transition_url(case, "gateway_enter_pre_proceedings"), post)

    assert response.status_code == 302
    decision = GatewayDecision.objects.get(case=case)
    assert [a["name"] for a in decision.attendees] == ["Sam Worker", "Alex Chair", "Jo Lawyer"]
    assert decision.threshold_view == "met"


def test_gateway_without_a_lawyer_is_a_field_error_on_the_attendees(staff, today, signed_in):
    case = case_at("legal_gateway", staff)
    post = form_post(gateway_data(today), case.version)
    post.update(attendee_3_name="", attendee_3_role="")

    response = signed_in(staff.legal).post(
        transition_url(case, "gateway_enter_pre_proceedings"), post
    )

    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "Missing: a lawyer." in body
    assert response.context["form"].errors["attendee_1_name"]
    case.refresh_from_db()
    assert case.stage == "legal_gateway"


def test_half_filled_attendee_row_is_an_error_on_that_row(staff, today, signed_in):
    case = case_at("legal_gateway", staff)
    post = form_post(gateway_data(today), case.version)
    post.update(attendee_4_name="Pat Extra", attendee_4_role="")

    response = signed_in(staff.legal).post(transition_url(case, "gateway_issue"), post)

    assert response.status_code == 400
    assert response.context["form"].errors["attendee_4_role"] == ["Choose the role of attendee 4"]


def test_service_field_errors_map_to_their_fields(staff, today, signed_in):
    case = case_at("concern", staff)
    future = today + dt.timedelta(days=3)

    response = signed_in(staff.social_worker).post(
        transition_url(case, "refer_to_gateway"),
        form_post({"date": future.isoformat(), "reasons": "Concerns."}, case.version),
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["date"] == ["The date cannot be in the future: record what has happened."]
    assert "reasons" not in errors


def test_form_errors_before_the_service(staff, today, signed_in):
    case = case_at("concern", staff)

    response = signed_in(staff.social_worker).post(
        transition_url(case, "refer_to_gateway"),
        {"version": str(case.version), "date": "31/2/2026", "reasons": ""},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["date"] == ["Enter a real date, for example 27/3/2026"]
    assert errors["reasons"] == ["Enter the reasons"]
    assert "Error: " in response.content.decode()  # the page title says so too


def test_refused_guard_shows_its_message(staff, today, signed_in):
    case = case_at("issue", staff)  # no Day 1 documents recorded
    data = {"date": today.isoformat(), "court_reference": "ZW26C00042"}

    response = signed_in(staff.legal).post(
        transition_url(case, "issue_proceedings"), form_post(data, case.version)
    )

    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "The Day 1 documents are not all ready. Still missing: Social work chronology" in body
    assert response.context["form"].non_field_errors()
    case.refresh_from_db()
    assert case.stage == "issue"


def test_step_down_refused_when_the_assessment_is_older_than_a_change(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)
    record(
        case,
        staff.social_worker,
        "assessment_completed",
        today - dt.timedelta(days=20),
        summary="Parenting assessment",
    )
    record(
        case,
        staff.social_worker,
        "change_of_circumstances",
        today - dt.timedelta(days=5),
        summary="Partner moved in",
    )
    case.refresh_from_db()
    data = {
        "date": today.isoformat(),
        "step_down_to": "child_protection_plan",
        "reasons": "Progress made.",
    }

    response = signed_in(staff.team_manager).post(
        transition_url(case, "step_down"), form_post(data, case.version)
    )

    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "is older than the change of circumstances recorded on" in body
    assert Case.objects.get(pk=case.pk).stage == "pre_proceedings"


def test_stale_version_is_a_conflict(staff, today, signed_in):
    case = case_at("concern", staff)
    client = signed_in(staff.social_worker)
    page = client.get(transition_url(case, "refer_to_gateway"))
    seen = page.context["form"].initial["version"]
    # meanwhile a colleague records something on the case
    record(case, staff.team_manager, "note", today, summary="Phone call with school")

    response = client.post(
        transition_url(case, "refer_to_gateway"),
        form_post({"date": today.isoformat(), "reasons": "Concerns persist."}, seen),
    )

    assert response.status_code == 409
    body = html.unescape(response.content.decode())
    assert CONFLICT_MESSAGE in body
    assert f'href="{case_url(case)}"' in body  # the way to reload the case
    case.refresh_from_db()
    assert case.stage == "concern"
    # what the person typed is kept, against the version they are now shown
    assert "Concerns persist." in body
    assert f'name="version" value="{case.version}"' in body


def test_transition_not_available_at_this_stage(staff, today, signed_in):
    case = case_at("concern", staff)

    response = signed_in(staff.head_of_service).get(transition_url(case, "step_down"))

    assert response.status_code == 400
    assert "cannot be done now" in html.unescape(response.content.decode())
    assert "<form" not in response.content.decode().split('id="main-content"')[-1]


def test_unknown_transition_is_404(staff, today, signed_in):
    case = case_at("concern", staff)
    response = signed_in(staff.head_of_service).get(transition_url(case, "teleport"))
    assert response.status_code == 404


def test_extension_form_offers_only_approvers_of_the_right_role(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)
    data = prepare_valid("extend_pre_proceedings", case, staff, today)
    case.refresh_from_db()
    other = UserFactory(username="hos-2", role=Role.HEAD_OF_SERVICE, team=None)
    client = signed_in(staff.head_of_service)

    page = client.get(transition_url(case, "extend_pre_proceedings"))
    choices = dict(page.context["form"].fields["approved_by"].choices)
    # The approval recorded is the person's own: they are the only approver offered.
    assert staff.head_of_service.username in choices
    assert staff.legal.username not in choices and other.username not in choices
    assert TRANSITIONS["extend_pre_proceedings"].approvers == {"head_of_service"}
    assert "The current end date is" in page.content.decode()

    # a person may still post someone else: it is refused on the field
    for name in (staff.legal.username, other.username):
        post = form_post({**data, "approved_by": name}, case.version)
        refused = client.post(transition_url(case, "extend_pre_proceedings"), post)
        assert refused.status_code == 400
        assert refused.context["form"].errors["approved_by"]

    done = client.post(
        transition_url(case, "extend_pre_proceedings"), form_post(data, case.version)
    )
    assert done.status_code == 302
    extension = Extension.objects.get(case=case)
    assert extension.approved_by == staff.head_of_service
    assert extension.new_end.isoformat() == data["new_end_date"]


def test_who_may_not_approve_gets_no_extension_form(staff, today, signed_in):
    case = case_at("pre_proceedings", staff)
    prepare_valid("extend_pre_proceedings", case, staff, today)
    for user in (staff.team_manager, staff.legal):
        page = signed_in(user).get(transition_url(case, "extend_pre_proceedings"))
        assert page.status_code == 403


def test_urgent_issue_without_a_reason_is_a_field_error(staff, today, signed_in):
    case = case_at("legal_gateway", staff)
    data = gateway_data(today, urgent=True)

    response = signed_in(staff.legal).post(
        transition_url(case, "gateway_issue"), form_post(data, case.version)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["short_notice_reason"]


def test_form_without_its_version_is_refused(staff, today, signed_in):
    case = case_at("concern", staff)
    response = signed_in(staff.social_worker).post(
        transition_url(case, "refer_to_gateway"),
        {"date": "4/3/2026", "reasons": "Concerns persist."},
    )
    assert response.status_code == 400
    assert "Reload the case and try again." in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "concern"
