"""`manage.py import_tracker`: its exit codes and what it says."""

import json

import pytest
from django.core.management import call_command

from legaltracker.cases.models import Case

from .helpers import csv_bytes, row


def _call(*args: str) -> tuple[int, str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_tracker", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes(row(), row(Reference="TRK-2")))
    return path


def test_a_dry_run_then_the_import_then_again(sheet, hos, import_day):
    code, out, _ = _call(str(sheet), "--dry-run", "--as", "hos")
    assert code == 0 and "Dry run: nothing was written. 2 rows: 2 would be created" in out
    assert "SHA-256" in out
    assert not Case.objects.exists()
    code, out, _ = _call(str(sheet), "--as", "hos")
    assert code == 0 and "2 created" in out and Case.objects.count() == 2
    code, out, _ = _call(str(sheet), "--as", "hos")
    assert code == 0 and "nothing new was created (2 already imported)" in out
    assert Case.objects.count() == 2


def test_rows_not_imported_exit_1_and_are_listed(tmp_path, hos, import_day):
    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes(row(), row(Reference="TRK-2", **{"Opened on": "31/02/2026"})))
    code, out, _ = _call(str(path), "--as", "hos")
    assert code == 1
    assert "row 3, Opened on ('31/02/2026'): '31/02/2026' is not a real date" in out
    assert "1 created" in out and "1 not imported" in out
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "Name the head of service the import acts as, with --as USERNAME"),
        (["--as", "nobody"], "There is no active user 'nobody'"),
        (["--as", "lawyer"], "Only a head of service can import"),
        (["--as", "admin"], "Only a head of service can import"),
        (["--as", "hos", "--mapping", "Colour=colour"], "fields the tracker does not have"),
    ],
)
def test_who_and_how_exit_2(sheet, council, args, says):
    code, _, err = _call(str(sheet), *args)
    assert code == 2 and says in err
    assert not Case.objects.exists()


def test_a_missing_or_unreadable_file_exits_2(tmp_path, hos):
    code, _, err = _call(str(tmp_path / "none.csv"), "--as", "hos")
    assert code == 2 and "There is no file" in err
    bad = tmp_path / "tracker.csv"
    bad.write_bytes("Reference\nCôté\n".encode("cp1252"))
    code, _, err = _call(str(bad), "--as", "hos")
    assert code == 2 and "Nothing was imported: The file is not in UTF-8" in err


def test_a_mapping_file(tmp_path, hos, import_day):
    data = row()
    data["Case no"] = data.pop("Reference")
    from legaltracker.imports.parsing import template_headings

    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes(data, headings=["Case no", *template_headings()[1:]]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Case no": "reference"}))
    code, out, _ = _call(str(path), "--as", "hos", "--mapping", str(mapping))
    assert code == 0, out
    assert Case.objects.count() == 1
