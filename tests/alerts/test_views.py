"""The in-app pages: notifications with failed deliveries and their actions, the unread
count in the header, and the alert settings page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django_q.models import OrmQ

from legaltracker.alerts import selectors, services
from legaltracker.alerts.choices import AlertMode, DeliveryStatus
from legaltracker.alerts.context_processors import alerts as alerts_context
from legaltracker.alerts.models import AlertPreference, Delivery
from legaltracker.core import clock
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline

from .helpers import case_with_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerted(staff, emails, scan):
    case, _ = case_with_deadline(staff, dt.date(2026, 3, 4))
    scan(dt.date(2026, 3, 4))
    return case


def fail(delivery: Delivery, *, gave_up: bool = False) -> Delivery:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED,
        attempts=3,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        next_attempt_at=None if gave_up else clock.now() + dt.timedelta(minutes=4),
    )
    delivery.refresh_from_db()
    return delivery


def test_pages_need_sign_in(client):
    for name in ("alerts:list", "alerts:settings", "alerts:calendar"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:sign_in"))


def test_notifications_list_shows_alerts_and_a_failed_email(client, staff, alerted):
    delivery = fail(Delivery.objects.get(recipient=staff.legal))
    client.force_login(staff.legal)
    response = client.get(reverse("alerts:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert alerted.reference in page
    assert "Gateway meeting held" in page
    assert "Due today" in page and ">New<" in page
    assert "We could not email you" in page
    assert "Connection refused" in page
    assert reverse("alerts:dismiss_delivery", args=[delivery.pk]) in page
    assert reverse("alerts:retry_delivery", args=[delivery.pk]) in page


def test_others_see_only_their_own(client, staff, alerted):
    fail(Delivery.objects.get(recipient=staff.legal))
    client.force_login(staff.court_liaison_officer)
    page = client.get(reverse("alerts:list")).content.decode()
    assert "You have no alerts" in page
    assert "We could not email you" not in page


def test_mark_all_read_clears_the_unread_count(client, staff, alerted, scan):
    client.force_login(staff.social_worker)
    assert selectors.unread_count(staff.social_worker) == 1
    response = client.post(reverse("alerts:mark_read"))
    assert response.status_code == 302
    assert selectors.unread_count(staff.social_worker) == 0
    assert ">New<" not in client.get(reverse("alerts:list")).content.decode()
    # The next day's alert is unread again; the old one stays read.
    scan(dt.date(2026, 3, 5))
    assert selectors.unread_count(staff.social_worker) == 1
    page = client.get(reverse("alerts:list")).content.decode()
    assert page.count(">New<") == 1


def test_dismiss_a_failed_email(client, staff, alerted):
    delivery = fail(Delivery.objects.get(recipient=staff.legal), gave_up=True)
    url = reverse("alerts:dismiss_delivery", args=[delivery.pk])
    client.force_login(staff.social_worker)
    assert client.post(url).status_code == 404  # not theirs
    client.force_login(staff.legal)
    assert client.get(url).status_code == 405
    assert selectors.unread_count(staff.legal) == 2  # the alert and the failed email
    assert client.post(url).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISMISSED
    assert selectors.unread_count(staff.legal) == 1
    assert client.post(url).status_code == 404  # nothing left to dismiss
    # The alert itself stays listed.
    assert alerted.reference in client.get(reverse("alerts:list")).content.decode()


def test_try_again_queues_it_after_commit(
    client, staff, alerted, django_capture_on_commit_callbacks
):
    delivery = fail(Delivery.objects.get(recipient=staff.legal), gave_up=True)
    client.force_login(staff.legal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("alerts:retry_delivery", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at <= clock.now()
    assert [t.task["args"] for t in OrmQ.objects.all()] == [(delivery.pk,)]


def test_header_link_shows_the_unread_count(staff, alerted):
    request = RequestFactory().get("/")
    request.user = staff.team_manager
    html = render_to_string("alerts/_header_link.html", request=request)
    assert reverse("alerts:list") in html
    assert '<strong class="app-alerts-count">1</strong>' in html
    assert "unread" in html
    services.alerts_mark_read(actor=staff.team_manager)
    request.user = staff.team_manager
    html = render_to_string("alerts/_header_link.html", request=request)
    assert "app-alerts-count" not in html


def test_context_processor_counts_lazily(staff, alerted, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = staff.social_worker
    with django_assert_num_queries(0):
        context = alerts_context(request)
    with django_assert_num_queries(1):  # unread alerts and failed emails, in one query
        assert context["alerts_unread_count"]() == 1
        assert context["alerts_unread_count"]() == 1


def test_alert_settings_page(client, staff):
    client.force_login(staff.legal)
    url = reverse("alerts:settings")
    page = client.get(url).content.decode()
    assert 'value="digest" checked' in page
    response = client.post(url, {"mode": AlertMode.DIGEST_AND_IMMEDIATE})
    assert response.status_code == 302
    assert AlertPreference.objects.get(user=staff.legal).mode == AlertMode.DIGEST_AND_IMMEDIATE
    assert 'value="digest_and_immediate" checked' in client.get(url).content.decode()


def test_alert_settings_refuses_a_bad_choice(client, staff):
    client.force_login(staff.legal)
    response = client.post(reverse("alerts:settings"), {"mode": "hourly"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert not AlertPreference.objects.exists()


def test_an_alert_closes_itself_when_its_deadline_is_met_or_stops_applying(client, staff, alerted):
    client.force_login(staff.social_worker)
    assert selectors.unread_count(staff.social_worker) == 1
    deadline = Deadline.objects.get(case=alerted, milestone=Milestone.GATEWAY_MEETING)

    Deadline.objects.filter(pk=deadline.pk).update(met_on=dt.date(2026, 3, 4))
    page = client.get(reverse("alerts:list")).content.decode()
    assert "Done: met on 4 Mar 2026" in page
    assert ">Due today<" not in page and ">New<" not in page
    assert selectors.unread_count(staff.social_worker) == 0

    Deadline.objects.filter(pk=deadline.pk).update(met_on=None, applies=False)
    page = client.get(reverse("alerts:list")).content.decode()
    assert "Closed: no longer applies" in page
    assert selectors.unread_count(staff.social_worker) == 0
    assert not selectors.unread_alerts(staff.social_worker).exists()

    # Outstanding again (a correction): the alert is open and unread once more.
    Deadline.objects.filter(pk=deadline.pk).update(applies=True)
    assert selectors.unread_count(staff.social_worker) == 1
    assert ">New<" in client.get(reverse("alerts:list")).content.decode()
