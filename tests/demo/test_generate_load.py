"""`manage.py generate_load`: invented cases whose rows are what the services would have
written, fast."""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from legaltracker.accounts.models import Role, Team, User
from legaltracker.cases import events
from legaltracker.cases.choices import LEGAL_STAGES, Stage
from legaltracker.cases.facts import deadlines_recompute
from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from legaltracker.cases.services import case_create, event_record
from legaltracker.deadlines.models import Deadline
from legaltracker.demo import loadgen
from legaltracker.demo.loadgen import TEAM_PREFIX, build_history, generate_load
from tests.factories import case_at, case_data

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_command_creates_open_and_closed_cases(today):
    out = StringIO()
    call_command("generate_load", "--open", "40", "--closed", "25", "--seed", "3", stdout=out)
    assert "Created 40 open and 25 closed invented cases" in out.getvalue()
    assert Case.objects.open().count() == 40
    assert Case.objects.closed().count() == 25
    assert Case.objects.filter(stage__in=LEGAL_STAGES).exists()
    assert Case.objects.closed().exclude(outcome="").count() == 25
    # Spread over the teams and workers it created, none of whom can sign in.
    teams = Team.objects.filter(code__startswith=TEAM_PREFIX)
    assert teams.count() == 2
    assert Case.objects.values("team").distinct().count() == 2
    assert Case.objects.values("social_worker").distinct().count() > 2
    workers = User.objects.filter(username__startswith=TEAM_PREFIX)
    assert {Role.COURT_LIAISON_OFFICER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER} <= set(
        workers.values_list("role", flat=True)
    )
    assert not any(user.has_usable_password() for user in workers)


def test_every_case_has_a_history_and_its_deadlines(today):
    generate_load(open_cases=30, closed_cases=10, seed=5)
    for case in Case.objects.prefetch_related("children", "audit_events", "deadlines"):
        assert case.reference == f"LT-{case.opened_on.year}-{case.pk:06d}"
        assert case.children.all(), case
        actions = [e.action for e in case.audit_events.all()]
        assert actions[0] == "case_created"
        assert actions.count("transition") >= (case.stage != Stage.CONCERN)
        assert case.deadlines.all(), case
        assert case.version == 1 + len(actions) - 1
        if case.stage == Stage.CLOSED:
            assert not case.deadlines.filter(applies=True, met_on__isnull=True).exists()


def test_deadlines_are_what_the_services_would_compute(today):
    """Recomputing from the stored audit trail and events changes nothing: the load data
    went through the same rules, from the same facts, as a real case would."""
    generate_load(open_cases=60, closed_cases=40, seed=11)
    before = list(Deadline.objects.order_by("id").values_list())
    for case in Case.objects.all():
        assert deadlines_recompute(case=case) == [], case
    assert list(Deadline.objects.order_by("id").values_list()) == before


def test_audit_rows_point_at_the_events_they_record(today):
    generate_load(open_cases=10, closed_cases=5, seed=2)
    recorded = CaseEvent.objects.filter(action="event_recorded")
    assert recorded.count() == RecordedEvent.objects.count()
    for audit in recorded:
        event = RecordedEvent.objects.get(pk=audit.details["event_id"])
        assert (event.case_id, event.kind, event.date) == (
            audit.case_id,
            audit.details["kind"],
            audit.effective_date,
        )


def test_every_audit_row_is_built_by_the_one_audit_writer(today, monkeypatch):
    """The generator bypasses the services' transactions, not the audit writer: each row
    it copies is one `case_event_build` made."""
    built = []

    def spy(**kwargs):
        event = events.case_event_build(**kwargs)
        built.append(event)
        return event

    monkeypatch.setattr(loadgen, "case_event_build", spy)
    generate_load(open_cases=8, closed_cases=4, seed=6)
    assert built
    columns = ["case_id", "actor_id", "at", "action", "from_stage", "to_stage", "reasons"]
    stored = sorted(CaseEvent.objects.values_list(*columns, "effective_date", "details"))
    expected = sorted(
        (*(getattr(e, name) for name in columns), e.effective_date, e.details) for e in built
    )
    assert stored == expected


def _shape(row: CaseEvent) -> tuple:
    """What an audit row of one kind fills in, whatever the case: the same for a row the
    services wrote and one the generator wrote."""
    return (
        row.action,
        row.actor_id is not None,
        bool(row.from_stage),
        bool(row.to_stage),
        row.effective_date is not None,
        frozenset(row.details)
        & {"children", "adults", "previous_case", "transition", "event_id", "kind"},
    )


def test_audit_rows_have_the_shape_the_services_give_them(today, staff):
    case = case_at("pre_proceedings", staff, start=today - dt.timedelta(days=20))
    event_record(
        case_id=case.pk,
        actor=staff.social_worker,
        data={"kind": "note", "date": today.isoformat(), "summary": "A note."},
    )
    by_services = {_shape(row) for row in CaseEvent.objects.filter(case=case)}
    assert {shape[0] for shape in by_services} == {"case_created", "transition", "event_recorded"}
    generate_load(open_cases=10, closed_cases=5, seed=7)
    generated = {_shape(row) for row in CaseEvent.objects.exclude(case=case)}
    assert generated == by_services


def test_the_services_work_on_load_data_afterwards(today, staff):
    generate_load(open_cases=5, closed_cases=5, seed=4)
    case = case_create(actor=staff.social_worker, data=case_data(staff))
    assert case.pk > Case.objects.exclude(pk=case.pk).order_by("-pk").first().pk
    event = event_record(
        case_id=case.pk,
        actor=staff.social_worker,
        data={"kind": "note", "date": "2026-03-04", "summary": "After the load."},
    )
    assert event.pk == RecordedEvent.objects.order_by("-pk").first().pk


def test_a_second_run_reuses_the_teams(today):
    generate_load(open_cases=20, closed_cases=0, seed=1)
    teams = set(Team.objects.values_list("code", flat=True))
    users = User.objects.count()
    generate_load(open_cases=0, closed_cases=20, seed=2)
    assert set(Team.objects.values_list("code", flat=True)) == teams
    assert User.objects.count() == users
    assert Case.objects.count() == 40


@pytest.mark.parametrize(
    "args",
    [[], ["--open", "-1"], ["--open", "0", "--closed", "0"], ["--open", "1", "--teams", "0"]],
)
def test_command_refuses_nonsense(today, args):
    with pytest.raises(CommandError):
        call_command("generate_load", *args, stdout=StringIO())


def test_histories_are_in_date_order_and_end_on_time(today):
    rng = random.Random(8)
    for closed in [False, True] * 200:
        history = build_history(rng, today, closed=closed)
        dates = [c.date for c in history.changes if c.from_stage != c.to_stage]
        assert dates == sorted(dates)
        assert all(history.opened_on <= e.date <= today for e in history.events)
        if closed:
            assert history.stage == Stage.CLOSED and history.closed_on <= today
            assert all(e.date <= history.closed_on for e in history.events)
        else:
            assert history.stage != Stage.CLOSED and history.closed_on is None


def test_the_invented_audit_trails_are_valid_hash_chains(today, staff):
    """Each invented case's trail is chained and its head stored, so `audit_verify`
    passes on a load database, alongside rows the services wrote."""
    from legaltracker.audit import chain

    case_at("pre_proceedings", staff)
    generate_load(open_cases=12, closed_cases=4, seed=11)
    assert not CaseEvent.objects.filter(chain_hash="").exists()
    report = chain.verify()
    assert report.problems == []
    assert report.chains == Case.objects.count()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "no problems" in out.getvalue()


def test_cases_in_proceedings_have_hearings_and_directions_whose_deadlines_agree(today):
    """The court record of the cases that reached proceedings: several hearings, some
    adjourned and re-listed or vacated with HMCTS's reason codes; ten directions, some
    overdue; and the draft order and direction deadlines are the ones court.facts makes
    from those rows (recomputing changes nothing)."""
    from legaltracker.court.choices import DirectionStatus, HearingStatus
    from legaltracker.court.models import Direction, Hearing, Proceedings
    from legaltracker.court.reasons import reason

    generate_load(open_cases=60, closed_cases=40, seed=13)
    issued = Case.objects.filter(issued_on__isnull=False)
    assert issued.exists()
    assert Proceedings.objects.count() == issued.count()
    assert Hearing.objects.values("case").distinct().count() == issued.count()
    assert max(Hearing.objects.filter(case=c).count() for c in issued) >= 5
    statuses = set(Hearing.objects.values_list("status", flat=True))
    assert statuses == set(HearingStatus.values)
    for hearing in Hearing.objects.exclude(reason_code=""):
        assert reason(hearing.status, hearing.reason_code) is not None, hearing.reason_code
    adjourned = Hearing.objects.filter(status=HearingStatus.ADJOURNED, relisted_as__isnull=False)
    assert adjourned.exists()
    assert all(h.relisted_as.case_id == h.case_id for h in adjourned)
    # Directions: ten per case whose case management hearing was held; some overdue.
    per_case = {
        c: Direction.objects.filter(case_id=c).count()
        for c in Direction.objects.values_list("case_id", flat=True)
    }
    assert set(per_case.values()) == {10}
    assert Direction.objects.filter(
        party="council",
        status=DirectionStatus.OUTSTANDING,
        due_on__lt=today,
        case__stage=Stage.PROCEEDINGS,
    ).exists()
    court_rows = Deadline.objects.filter(milestone__in=("court_direction", "draft_order"))
    assert court_rows.filter(applies=True, met_on__isnull=True, due__lt=today).exists()
    assert court_rows.exclude(owner=None).exists()
    # No hearing is also a recorded event: one entry per hearing.
    assert not RecordedEvent.objects.filter(
        kind__in=("hearing_listed",), details__hearing_type="case_management_hearing"
    ).exists()
    before = list(court_rows.order_by("id").values_list())
    for case in issued:
        assert deadlines_recompute(case=case) == [], case
    assert list(court_rows.order_by("id").values_list()) == before
