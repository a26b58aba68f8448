"""Two runs of the same sheet at the same moment, on PostgreSQL with a connection each:
each case is created once, and the losing row says why (no fault, nothing half-written)."""

import pytest

from legaltracker.cases.models import Case, CaseEvent
from legaltracker.imports import services
from legaltracker.imports.models import ImportedCase
from tests.concurrency.harness import Task, run_together
from tests.markers import postgresql_only

from .helpers import csv_bytes, row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), postgresql_only]

ROUNDS = 5


def test_two_runs_of_one_sheet_create_each_case_once(hos, import_day):
    seen: list[list[str]] = []
    for round_ in range(ROUNDS):
        content = csv_bytes(row(Reference=f"RACE-{round_}"))

        def run(_: object, content: bytes = content) -> services.Report:
            return services.import_sheet(
                actor=hos, content=content, file_name="tracker.csv", dry_run=False
            )

        results = run_together([Task("import", "hos", run), Task("import", "hos", run)])
        assert all(r.error is None for r in results), [r.describe() for r in results]
        outcomes = sorted(r.value.results[0].outcome for r in results)
        assert ImportedCase.objects.filter(reference=f"RACE-{round_}").count() == 1
        seen.append(outcomes)
        assert outcomes in (
            [services.Outcome.ALREADY, services.Outcome.CREATED],
            [services.Outcome.CREATED, services.Outcome.FAILED],
        ), outcomes
        for result in results:
            for problem in result.value.problems:
                assert "Another import took this reference" in problem.message
    print(f"\ntwo runs at once, {ROUNDS} rounds: {seen}")
    # No case or audit row of a losing row was left behind.
    assert Case.objects.count() == ROUNDS == ImportedCase.objects.count()
    assert set(CaseEvent.objects.values_list("case_id", flat=True)) == set(
        ImportedCase.objects.values_list("case_id", flat=True)
    )
