"""`manage.py cin_census_export`: the XML nesting and element order, the CSV columns, the
exit codes, `--check`, and the access log row of every run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from legaltracker.audit.models import AccessLog
from legaltracker.census import exporting
from legaltracker.census.blocks import ELEMENTS

from . import census_data
from .census_data import YEAR, census_case

# The shared fixtures (a module of their own: the census core's tests have the conftest).
census_today = census_data.census_today
performance_officer = census_data.performance_officer

pytestmark = pytest.mark.django_db

SCHEMA_ORDER = [name for name, _ in ELEMENTS]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("cin_census_export", "--year", str(YEAR), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[CommandError, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("cin_census_export", "--year", str(YEAR), *args, stdout=out, stderr=err)
    return raised.value, out.getvalue(), err.getvalue()


@pytest.fixture
def clean_return(staff, census_today):
    """Two episodes of one child (two cases, the same LAchildID) and another child."""
    first = census_case(staff, la_child_id="LA0002", referral=dt.date(2026, 3, 2), episode="E-1")
    second = census_case(
        staff, la_child_id="LA0002", referral=dt.date(2026, 6, 1), start=dt.date(2026, 7, 1)
    )
    other = census_case(staff, la_child_id="LA0001", fgdm_outcome="fgdm_declined")
    return first, second, other


@pytest.fixture
def failing_return(clean_return, staff):
    """The clean return and a child with neither an LAchildID nor a CIN episode."""
    return census_case(staff, la_child_id="", referral=None)


def test_the_xml_nests_each_childs_episodes_in_schema_order(clean_return):
    out, err = run()
    root = ET.fromstring(out)
    assert root.tag == "Message"
    assert [e.tag for e in root] == ["Header", "Children"]
    collection = root.find("Header/CollectionDetails")
    assert collection is not None
    assert collection.findtext("Collection") == "CIN"
    assert collection.findtext("Year") == "2027"
    assert collection.findtext("ReferenceDate") == "2027-03-31"
    children = root.findall("Children/Child")
    # Ordered by LAchildID; one Child for the two episodes of LA0002.
    assert [c.findtext("ChildIdentifiers/LAchildID") for c in children] == ["LA0001", "LA0002"]
    episodes = children[1].findall("CINdetails")
    assert [e.findtext("CINreferralDate") for e in episodes] == ["2026-03-02", "2026-06-01"]
    for child in children:
        assert [e.tag for e in child] == ["ChildIdentifiers"] + ["CINdetails"] * len(
            child.findall("CINdetails")
        )
        for details in child.findall("CINdetails"):
            assert [e.tag for e in details] == ["CINreferralDate", "PreProceedingsandFGDM"]
            block = details.find("PreProceedingsandFGDM")
            assert block is not None
            names = [e.tag for e in block]
            # The schema's order, each element at most once, none empty.
            assert names == [name for name in SCHEMA_ORDER if name in names]
            assert all((e.text or "").strip() for e in block)
    block = episodes[0].find("PreProceedingsandFGDM")
    assert block is not None
    assert block.findtext("PPStartDate") == "2026-05-03"
    assert block.findtext("LBPSentDate") == "2026-05-06"
    assert block.findtext("FGDMMeetingOffer") == "1"
    assert block.findtext("FGDMMeetingFac") == "1"
    assert block.findtext("InitialPPMeetingDate") == "2026-05-16"
    # Nothing held for the later stages: the elements are left out, not written empty.
    assert block.find("CourtAppDate") is None
    declined = children[0].find("CINdetails/PreProceedingsandFGDM")
    assert declined is not None
    assert declined.findtext("FGDMMeetingFac") == "0"
    assert "3 blocks, 2 children, 0 errors" in err


def test_the_episode_id_is_a_comment_the_main_system_can_match(clean_return):
    out, _ = run()
    assert "<!-- CIN episode E-1 -->" in out


def test_errors_fail_the_export_with_exit_code_1_and_are_listed(failing_return):
    error, out, err = run_failing()
    assert error.returncode == 1
    assert "2 errors remain" in str(error)
    assert "ERROR LT01" in err
    assert "ERROR LT04" in err
    assert "4 blocks, 3 children, 2 errors" in err
    # The file is still complete, for the team to look at; the child without an id is
    # marked where it is.
    root = ET.fromstring(out)
    assert len(root.findall("Children/Child")) == 3
    assert "No LAchildID: case " in out


def test_queries_alone_do_not_fail(db, census_today):
    # No child has anything in the year: a query for the whole return (8995Q), no error.
    out, err = run()
    assert ET.fromstring(out).findall("Children/Child") == []
    assert "QUERY 8995Q the return" in err
    assert "0 blocks, 0 children, 0 errors, 1 queries" in err


def test_check_validates_only_and_prints_each_finding(failing_return, tmp_path):
    target = tmp_path / "never.xml"
    error, out, _ = run_failing("--check", "--out", str(target))
    assert error.returncode == 1
    lines = out.splitlines()
    assert any(line.startswith("ERROR LT01 child ") for line in lines)
    assert any(line.startswith("ERROR LT04 child ") for line in lines)
    assert lines[-1] == (
        "Census year 1 April 2026 to 31 March 2027: 4 blocks, 3 children, 2 errors, 0 queries."
    )
    assert "<Message>" not in out
    assert not target.exists()


def test_check_passes_on_a_clean_return(clean_return):
    out, _ = run("--check")
    assert "3 blocks, 2 children, 0 errors" in out


def test_the_csv_has_the_case_reference_and_the_block_columns(clean_return, tmp_path):
    first, second, other = clean_return
    target = tmp_path / "census.csv"
    out, _ = run("--format", "csv", "--out", str(target))
    assert f"Written to {target}." in out
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [
        "Case reference",
        "LAchildID",
        "UPN",
        "CIN episode id",
        "CINreferralDate",
        *SCHEMA_ORDER,
    ]
    assert [row[0] for row in rows[1:]] == [other.reference, first.reference, second.reference]
    first_row = dict(zip(rows[0], rows[2], strict=True))
    assert first_row["LAchildID"] == "LA0002"
    assert first_row["CIN episode id"] == "E-1"
    assert first_row["PPStartDate"] == "2026-05-03"
    assert first_row["FGDMMeetingOffer"] == "1"
    assert first_row["CourtAppDate"] == ""
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_the_csv_goes_to_stdout_without_out(clean_return):
    out, err = run("--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:2] == ["Case reference", "LAchildID"]
    assert len(rows) == 4
    assert "3 blocks" in err


def test_the_xlsx_has_the_same_columns(clean_return, tmp_path):
    target = tmp_path / "census.xlsx"
    run("--format", "xlsx", "--out", str(target))
    sheet = load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exporting.HEADERS
    assert len(rows) == 4
    assert rows[2][1] == "LA0002"


def test_xlsx_needs_a_file(clean_return):
    with pytest.raises(CommandError, match="--format xlsx needs --out"):
        run("--format", "xlsx")


@pytest.mark.parametrize(
    ("year", "message"),
    [("26", "four digits"), ("next", "four digits"), ("1999", "from 2000 to 2100")],
)
def test_a_year_that_is_not_one_is_refused(db, year, message):
    with pytest.raises(CommandError, match=message):
        call_command("cin_census_export", "--year", year, stdout=io.StringIO())
    assert not AccessLog.objects.exists()


def test_an_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="no active user 'nobody'"):
        run("--user", "nobody")


def test_a_failed_write_leaves_no_file(clean_return, tmp_path, monkeypatch):
    target = tmp_path / "census.xml"

    def broken(*args, **kwargs):
        yield "<Message>"
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(exporting, "xml_chunks", broken)
    with pytest.raises(RuntimeError):
        run("--out", str(target))
    assert list(Path(tmp_path).iterdir()) == []


def test_every_run_is_in_the_access_log(clean_return, performance_officer):
    run("--user", performance_officer.username)
    run("--check")
    rows = list(AccessLog.objects.order_by("id"))
    assert [(r.action, r.status, r.actor_id) for r in rows] == [
        ("command cin_census_export", 0, performance_officer.pk),
        ("command cin_census_export", 0, None),
    ]
    assert rows[0].object_type == "census_return"
    assert rows[0].object_id == YEAR
    assert rows[0].details == {"census_year": YEAR, "format": exporting.FORMAT_CODES["xml"]}
    # --check writes no file: no format.
    assert rows[1].details == {"census_year": YEAR}


def test_hostile_identifiers_are_escaped_and_the_xml_stays_readable(staff, census_today):
    census_case(staff, la_child_id="<A&B>\x01", episode="E--1")
    out, _ = run()
    root = ET.fromstring(out)
    assert root.findtext("Children/Child/ChildIdentifiers/LAchildID") == "<A&B>"
    assert "<!-- CIN episode E- -1 -->" in out


def test_the_file_is_the_same_whatever_the_chunk_size(clean_return):
    # Chunks of one child: the two episodes of LA0002 arrive in different chunks and
    # still share one Child.
    whole, _ = run()
    chunked, _ = run("--chunk-size", "1")
    assert chunked == whole
    assert len(ET.fromstring(chunked).findall("Children/Child")) == 2
