"""schemathesis against /api/v1/schema/: every operation, every check, as real users and as
no one (docs/security.md, section 6).

One run per module (apifuzz.run_api_fuzz) generates and sends everything; each test below
then asserts one property of the answers, so that a failure says which property broke and
lists every request that broke it. The operations come from the schema as it is when the
tests run: an operation another app adds is fuzzed without a change here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from legaltracker.accounts.models import Team, User
from legaltracker.api.tokens import token_issue
from legaltracker.cases.choices import Stage
from legaltracker.core import clock
from legaltracker.court import services as court_services
from tests.factories import Staff, TeamFactory, case_at, record

from .apifuzz import (
    DOCUMENTATION_CHECKS,
    DROP,
    EXAMPLES,
    FULL_EXAMPLES,
    NEGATIVE_CHECKS,
    SERVER_ERROR_CHECKS,
    Actor,
    FuzzRun,
    Vocabulary,
    run_api_fuzz,
)

# django_db: pytest-django creates the test database only for a session with a test that
# asks for it; the run itself happens in the module fixture.
pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

TODAY = dt.date(2026, 3, 4)
# Who sends the authenticated requests: two roles that can act on every case, a team role
# on its own team, and a team role of another team (whose requests on the first team's
# cases must be 404s, never 500s).
ACTORS = {
    "head_of_service": lambda north, south: north.head_of_service,
    "legal": lambda north, south: north.legal,
    "social_worker (north)": lambda north, south: north.social_worker,
    "team_manager (south)": lambda north, south: south.team_manager,
}


def _seed_cases(north: Staff, south: Staff) -> None:
    """Cases at every stage in both teams, with a few recorded events and, in proceedings,
    a court record (hearings, a direction, an expert), so that real ids lead somewhere."""
    for staff in (north, south):
        for stage in Stage:
            case = case_at(stage, staff, start=TODAY - dt.timedelta(days=40))
            if case.is_open:
                record(
                    case,
                    staff.social_worker,
                    "note",
                    TODAY - dt.timedelta(days=2),
                    summary="Visited the family.",
                )
            if stage == Stage.PROCEEDINGS:
                _seed_court_record(case, staff)


def _seed_court_record(case, staff: Staff) -> None:
    for day in (TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=20)):
        court_services.hearing_list(
            case_id=case.pk,
            actor=staff.legal,
            data={"kind": "other", "date": day.isoformat(), "time": "10:00"},
        )
    court_services.direction_add(
        case_id=case.pk,
        actor=staff.legal,
        data={
            "text": "File the chronology.",
            "party": "council",
            "due_on": (TODAY + dt.timedelta(days=14)).isoformat(),
            "owner": staff.social_worker.pk,
        },
    )
    court_services.expert_add(
        case_id=case.pk, actor=staff.legal, data={"assessment_type": "dna", "expert": "Lab"}
    )


@pytest.fixture(scope="module")
def fuzz_run(django_db_setup, django_db_blocker, hostile_figures) -> FuzzRun:
    """The whole run, inside one transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), clock.frozen(TODAY), transaction.atomic():
        north = Staff(TeamFactory(code="north", name="North Family Support"))
        south = Staff(TeamFactory(code="south", name="South Family Support"))
        _seed_cases(north, south)
        actors = [
            Actor(label, token_issue(user=pick(north, south), name="fuzz")[1])
            for label, pick in ACTORS.items()
        ]
        usernames = list(User.objects.filter(is_active=True).values_list("username", flat=True))
        vocabulary = Vocabulary(
            today=TODAY,
            values={
                "team": list(Team.objects.values_list("code", flat=True)),
                "social_worker": usernames,
                "approved_by": usernames,
                # The optimistic-lock version: a made-up one is a 409 every time.
                "version": [DROP],
                "previous_case": [DROP],
            },
        )
        run = run_api_fuzz(
            actors=actors, vocabulary=vocabulary, progress=lambda line: print(f"\n  {line}")
        )
        transaction.set_rollback(True)
    hostile_figures("schemathesis", run.summary())
    return run


def _listing(findings, limit: int = 20) -> str:
    """The distinct problems (operation, check, first line of the message), each with how
    many requests showed it and one of them to reproduce it with."""
    groups: dict[tuple[str, str, str], list] = {}
    for finding in findings:
        lines = finding.detail.splitlines()
        component = [line for line in lines if line.startswith("Invalid component")]
        key = (finding.operation, finding.check, (component or lines)[0][:200])
        groups.setdefault(key, []).append(finding)
    lines = [
        f"({len(group)} requests) {group[0].line()}" for group in list(groups.values())[:limit]
    ]
    if len(groups) > limit:
        lines.append(f"... and {len(groups) - limit} more distinct problems")
    return f"{len(findings)} failing requests, {len(groups)} distinct problems:\n\n" + "\n\n".join(
        lines
    )


def test_the_schema_loads_and_every_operation_was_fuzzed(fuzz_run):
    assert not fuzz_run.load_errors, fuzz_run.load_errors
    assert fuzz_run.operations, "the schema lists no operation"
    short = {
        op.label: dict(op.requests)
        for op in fuzz_run.operations
        if min(op.requests["fuzzing/positive"], op.requests["fuzzing/negative"]) < EXAMPLES
        or op.requests["fuzzing/positive"] + op.requests["fuzzing/negative"] < 2 * EXAMPLES
    }
    assert not short, f"operations fuzzed with fewer than {2 * EXAMPLES} examples: {short}"
    # The full run (the SQLite half of CI): at least 100 generated examples per operation.
    if EXAMPLES >= FULL_EXAMPLES:
        assert all(
            op.requests["fuzzing/positive"] + op.requests["fuzzing/negative"] >= 100
            for op in fuzz_run.operations
        )
    runner = fuzz_run.findings_for(frozenset({"runner"}))
    assert not runner, _listing(runner)


def test_no_server_errors(fuzz_run):
    found = fuzz_run.findings_for(SERVER_ERROR_CHECKS)
    assert not found and not fuzz_run.server_errors, (
        _listing(found) + "\n\n" + "\n".join(fuzz_run.server_errors[:5])
    )


def test_no_undocumented_responses(fuzz_run):
    """Every answer's status, content type, headers and body are the ones the schema gives
    for that operation."""
    found = fuzz_run.findings_for(DOCUMENTATION_CHECKS)
    assert not found, _listing(found)


def test_schema_violating_requests_are_rejected(fuzz_run):
    found = fuzz_run.findings_for(NEGATIVE_CHECKS)
    assert not found, _listing(found)


def test_every_other_check_passes(fuzz_run):
    """positive data acceptance, ignored auth, unsupported methods, missing required
    headers, Allow headers, use after free, resource availability, object-level
    authorization: whatever else schemathesis checks."""
    handled = DOCUMENTATION_CHECKS | NEGATIVE_CHECKS | SERVER_ERROR_CHECKS | {"runner"}
    found = [f for f in fuzz_run.findings if f.check not in handled]
    assert not found, _listing(found)


def test_unauthenticated_calls_are_refused_on_every_operation(fuzz_run):
    """No credentials, or a token that does not exist: 401 or 403, on 100% of operations
    and of requests."""
    let_in = {
        op.label: dict(op.anonymous_statuses)
        for op in fuzz_run.operations
        if set(op.anonymous_statuses) - {401, 403} or not op.anonymous_statuses
    }
    assert not let_in, f"operations that answered an anonymous request otherwise: {let_in}"
