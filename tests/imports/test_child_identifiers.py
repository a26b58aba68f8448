"""The child's identifiers in a sheet: taken when right, a problem of the row when the
UPN's check letter is wrong (docs/imports.md, docs/decisions.md 151 and 152)."""

import datetime as dt

from legaltracker.cases.choices import EventKind
from legaltracker.cases.models import Case, RecordedEvent
from legaltracker.core.upn import check_letter
from legaltracker.imports import services
from legaltracker.imports.columns import KNOWN_HEADINGS, heading_key

from .helpers import csv_bytes, row

UPN = check_letter("999000020777") + "999000020777"


def _run(hos, content: bytes, *, dry_run: bool = False):
    return services.import_sheet(
        actor=hos, content=content, file_name="tracker.csv", dry_run=dry_run
    )


def test_the_identifiers_are_taken_and_the_meeting_went_ahead(hos, import_day):
    report = _run(
        hos,
        csv_bytes(
            row(
                **{
                    "UPN": UPN[:4].lower() + " " + UPN[4:],
                    "CIN referral date": "10/12/2025",
                    "CIN episode id": "EP-1",
                    "LA child id": "LA-77",
                }
            )
        ),
    )
    assert not report.problems, report.problems
    child = Case.objects.get().children.get()
    assert (child.upn, child.cin_episode_id, child.la_child_id) == (UPN, "EP-1", "LA-77")
    assert child.cin_referral_date == dt.date(2025, 12, 10)
    meeting = RecordedEvent.objects.get(kind=EventKind.INITIAL_MEETING_HELD)
    assert meeting.details == {"effective": True}


def test_a_wrong_check_letter_is_a_problem_of_the_row(hos, import_day):
    wrong = ("A" if UPN[0] != "A" else "B") + UPN[1:]
    report = _run(hos, csv_bytes(row(**{"UPN": wrong})))
    [problem] = report.problems
    assert problem.column == "UPN"
    assert f"it would be {UPN[0]}" in problem.message
    assert not Case.objects.exists()


def test_a_long_episode_id_is_reported_on_its_column(hos, import_day):
    report = _run(hos, csv_bytes(row(**{"CIN episode id": "E" * 21})), dry_run=True)
    [problem] = report.problems
    assert problem.column == "CIN episode id"
    assert "20 characters" in problem.message


def test_the_usual_spellings_of_the_headings_are_recognised():
    for heading, field in (
        ("Unique Pupil Number", "child_upn"),
        ("UPN", "child_upn"),
        ("CIN referral date", "child_cin_referral_date"),
        ("CIN Episode ID", "child_cin_episode_id"),
        ("LAchildID", "child_la_child_id"),
    ):
        assert KNOWN_HEADINGS[heading_key(heading)] == field
