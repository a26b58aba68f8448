"""The court record in the alerts: council directions and draft orders feed the ledger like
every deadline and reach the direction's owner and the case's allocated lawyer (the legal
team while the case has none); and the working-day court digest to the court liaison
officers and each allocated lawyer, sent through the real outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from legaltracker.accounts.models import Role
from legaltracker.alerts import services
from legaltracker.alerts.choices import DeliveryKind, DeliveryStatus, Level, Reason
from legaltracker.alerts.models import Alert, Delivery
from legaltracker.audit import services as audit_services
from legaltracker.cases import services as case_services
from legaltracker.cases.choices import Stage
from legaltracker.core import clock
from legaltracker.court import services as court
from legaltracker.deadlines.choices import Milestone
from legaltracker.deadlines.models import Deadline
from tests.factories import UserFactory, case_at

from .helpers import expected_alerts, ledger

pytestmark = pytest.mark.django_db

D = dt.date
NOT_ESCALATED = {Level.DUE_SOON, Level.DUE_TODAY, Level.OVERDUE}


@pytest.fixture
def court_case(staff, emails):
    """A case in proceedings (issued in early February 2026)."""
    with clock.frozen(D(2026, 3, 4)):
        return case_at(Stage.PROCEEDINGS, staff, start=D(2026, 2, 2))


@pytest.fixture
def owner(staff):
    """A social worker of the case's team who is not its social worker."""
    return UserFactory(
        username="sw-north-2", role=Role.SOCIAL_WORKER, team=staff.team, email="sw2@example.test"
    )


def allocate(case, lawyer, actor) -> None:
    with clock.frozen(D(2026, 3, 4)):
        case_services.case_allocate_lawyer(
            case_id=case.pk, actor=actor, data={"allocated_lawyer": lawyer.pk}
        )


def add_direction(case, actor, owner, due: str):
    with clock.frozen(D(2026, 3, 4)):
        direction = court.direction_add(
            case_id=case.pk,
            actor=actor,
            data={
                "text": "File the chronology",
                "party": "council",
                "due_on": due,
                "owner": owner.pk,
            },
        )
    deadline = Deadline.objects.get(
        case=case, milestone=Milestone.COURT_DIRECTION, owner_id=owner.pk, due=D.fromisoformat(due)
    )
    return direction, deadline


def rows_of(deadline) -> list[tuple[str, str, str]]:
    return sorted(
        Alert.objects.filter(deadline=deadline).values_list(
            "level", "recipient__username", "reason"
        )
    )


def working_days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def test_a_direction_alerts_its_owner_and_the_lawyer_once_per_level(
    staff, court_case, owner, second_lawyer, scan
):
    allocate(court_case, staff.legal, staff.legal)
    _, deadline = add_direction(court_case, staff.legal, owner, "2026-03-20")
    assert deadline.owner_id == owner.pk
    for day in working_days(D(2026, 3, 9), D(2026, 3, 24)):
        expected = expected_alerts(day) - ledger()
        first = scan(day)
        # The SQL applies the Python rules, and a second run of the day writes nothing.
        written = Alert.objects.filter(run_id=first.run_id).values_list(
            "deadline_id", "level", "recipient_id", "reason"
        )
        assert set(written) == expected
        assert scan(day).new_alerts == 0
    rows = [row for row in rows_of(deadline) if row[0] in NOT_ESCALATED]
    assert rows == sorted(
        (level, username, reason)
        for level in NOT_ESCALATED
        for username, reason in (
            ("sw-north-2", Reason.DEADLINE_OWNER),
            ("lawyer", Reason.CASE_LAWYER),
            ("sw-north", Reason.SOCIAL_WORKER),
            ("tm-north", Reason.TEAM_MANAGER),
        )
    )
    # Never twice: one row per level and person, and every lawyer not allocated left out.
    assert len(rows) == len({(level, user) for level, user, _ in rows}) == 12
    assert not Alert.objects.filter(deadline=deadline, recipient=second_lawyer).exists()


def test_the_owner_who_is_the_lawyer_is_told_once_as_the_owner(staff, court_case, scan):
    allocate(court_case, staff.legal, staff.legal)
    _, deadline = add_direction(court_case, staff.legal, staff.legal, "2026-03-05")
    scan(D(2026, 3, 5))
    assert [r for r in rows_of(deadline) if r[1] == "lawyer"] == [
        (Level.DUE_TODAY, "lawyer", Reason.DEADLINE_OWNER)
    ]


def test_a_filed_direction_stops_alerting(staff, court_case, owner, scan):
    allocate(court_case, staff.legal, staff.legal)
    direction, deadline = add_direction(court_case, staff.legal, owner, "2026-03-10")
    scan(D(2026, 3, 9))
    assert {row[0] for row in rows_of(deadline)} == {Level.DUE_SOON}
    with clock.frozen(D(2026, 3, 9)):
        court.direction_update(
            direction_id=direction.pk,
            actor=owner,
            data={"status": "filed", "filed_on": "2026-03-09"},
        )
    for day in (D(2026, 3, 10), D(2026, 3, 11), D(2026, 3, 20)):
        scan(day)
    assert {row[0] for row in rows_of(deadline)} == {Level.DUE_SOON}


def test_a_draft_order_goes_to_the_lawyer_or_the_legal_team_if_none(
    staff, court_case, second_lawyer, scan
):
    with clock.frozen(D(2026, 3, 4)):
        hearing = court.hearing_list(
            case_id=court_case.pk,
            actor=staff.court_liaison_officer,
            data={"kind": "case_management_hearing", "date": "2026-03-04", "time": "10:00"},
        )
        court.hearing_hold(
            hearing_id=hearing.pk,
            actor=staff.court_liaison_officer,
            data={"orders_made": ["interim_care_order"]},
        )
    draft = Deadline.objects.get(case=court_case, milestone=Milestone.DRAFT_ORDER)
    assert draft.due == D(2026, 3, 6)
    scan(D(2026, 3, 5))  # no lawyer: every lawyer hears of it
    lawyers = {r[1]: r[2] for r in rows_of(draft) if r[1] in ("lawyer", "lawyer-2")}
    assert lawyers == {"lawyer": Reason.NO_CASE_LAWYER, "lawyer-2": Reason.NO_CASE_LAWYER}
    allocate(court_case, second_lawyer, staff.legal)
    scan(D(2026, 3, 6))  # allocated since: only the case's lawyer hears it is due today
    today = {r[1]: r[2] for r in rows_of(draft) if r[0] == Level.DUE_TODAY}
    assert today.get("lawyer-2") == Reason.CASE_LAWYER and "lawyer" not in today
    assert ledger() >= {k for k in expected_alerts(D(2026, 3, 6)) if k[0] == draft.pk}


# --- the court digest ---------------------------------------------------------------------


def list_hearing(case, actor, date: str, time: str = "10:00", **data):
    with clock.frozen(D(2026, 3, 4)):
        return court.hearing_list(
            case_id=case.pk,
            actor=actor,
            data={"kind": "case_management_hearing", "date": date, "time": time, **data},
        )


def court_digests(**filters):
    return Delivery.objects.filter(kind=DeliveryKind.COURT_DIGEST, **filters)


def send_all(result) -> None:
    with clock.frozen(result.day):
        for delivery_id in result.delivery_ids:
            services.delivery_send(delivery_id=delivery_id)


def test_the_court_digest_lists_the_next_working_days_hearings_and_what_falls_due(
    staff, court_case, owner, second_lawyer, scan
):
    allocate(court_case, staff.legal, staff.legal)
    list_hearing(court_case, staff.court_liaison_officer, "2026-03-06", "10:30", courtroom="4")
    add_direction(court_case, staff.legal, owner, "2026-03-06")
    add_direction(court_case, staff.legal, owner, "2026-03-09")  # Monday: not yet
    mail.outbox.clear()
    result = scan(D(2026, 3, 5))  # Thursday: the digest covers Friday 6 March
    assert set(court_digests().values_list("recipient__username", "day")) == {
        ("clo", D(2026, 3, 5)),
        ("lawyer", D(2026, 3, 5)),  # the allocated lawyer; lawyer-2 has no case here
    }
    send_all(result)
    sent = {m.to[0]: m for m in mail.outbox if "court digest" in m.subject}
    assert set(sent) == {"clo@example.test", "lawyer@example.test"}
    clo = sent["clo@example.test"]
    assert clo.subject.endswith("court digest for Friday 6 March 2026: 1 hearing and 1 item due")
    assert "Friday 6 March 2026, 10:30: Case management hearing" in clo.body
    assert "courtroom 4" in clo.body
    assert "Direction 1 to be filed (owner: " in clo.body and "Direction 2" not in clo.body
    assert court_case.reference in clo.body and "Monday" not in clo.body
    assert court_digests(status=DeliveryStatus.SENT).count() == 2
    # Once per person per day: a second run of the day makes no second digest.
    again = scan(D(2026, 3, 5))
    assert court_digests().count() == 2 and not court_digests(pk__in=again.delivery_ids)


def test_a_friday_digest_covers_the_weekend_and_monday(staff, court_case, owner, scan):
    list_hearing(court_case, staff.court_liaison_officer, "2026-03-09", "14:00")
    scan(D(2026, 3, 5))
    assert not court_digests().exists()  # nothing on Friday: no digest on Thursday
    mail.outbox.clear()
    send_all(scan(D(2026, 3, 6)))
    (message,) = [m for m in mail.outbox if "court digest" in m.subject]
    assert message.to == ["clo@example.test"]  # no lawyer allocated: the officer only
    assert "Court digest: Saturday 7 March 2026 to Monday 9 March 2026" in message.body
    assert "Monday 9 March 2026, 14:00" in message.body


def test_a_restricted_case_is_in_the_digest_of_the_people_named_on_it_only(staff, court_case, scan):
    allocate(court_case, staff.legal, staff.legal)
    list_hearing(court_case, staff.court_liaison_officer, "2026-03-06")
    with clock.frozen(D(2026, 3, 4)):
        audit_services.case_restrict(
            case_id=court_case.pk,
            actor=staff.head_of_service,
            reason="A parent works in the legal team.",
            named_user_ids=[staff.legal.pk, staff.social_worker.pk],
        )
    mail.outbox.clear()
    send_all(scan(D(2026, 3, 5)))
    assert [m.to for m in mail.outbox if "court digest" in m.subject] == [["lawyer@example.test"]]


def test_a_digest_with_nothing_left_when_sent_is_withheld(staff, court_case, scan):
    hearing = list_hearing(court_case, staff.court_liaison_officer, "2026-03-06")
    result = scan(D(2026, 3, 5))
    with clock.frozen(D(2026, 3, 5)):
        court.hearing_vacate(
            hearing_id=hearing.pk,
            actor=staff.court_liaison_officer,
            data={"reason_code": "HM1", "reason_text": "No judge available"},
        )
    mail.outbox.clear()
    send_all(result)
    assert not [m for m in mail.outbox if "court digest" in m.subject]
    digest = court_digests().get()
    assert (
        digest.status == DeliveryStatus.DISMISSED and "nothing it would list" in digest.last_error
    )


def test_the_database_refuses_a_second_court_digest_for_a_day(staff, court_case):
    row = {
        "kind": DeliveryKind.COURT_DIGEST,
        "recipient": staff.court_liaison_officer,
        "day": D(2026, 3, 5),
        "created_at": clock.now(),
    }
    Delivery.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(**row)
