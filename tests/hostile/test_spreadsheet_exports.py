"""No formula injection in any spreadsheet the tracker exports (docs/security.md, section 6).

The exports are found, not listed: every URL pattern without parameters is requested as
someone who may read every case; an answer that is a CSV or an XLSX file, or that starts
an export job (run here by the queue in sync mode) whose file is then downloaded, is
checked, with a child, a team and a social worker whose names begin with each of
= + - @ and a tab. A new export is checked without a change here.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from legaltracker.cases.models import Child
from legaltracker.court import services as court
from tests.access.routes import all_routes
from tests.exports.helpers import download, sync_queue
from tests.exports.helpers import start as start_export
from tests.factories import case_at

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def queue(settings, tmp_path):
    settings.EXPORTS_STORAGE_ROOT = str(tmp_path / "exports")
    with sync_queue(settings):
        yield


def _exports(client, capture) -> dict[str, tuple[str, bytes]]:
    found = {}
    for route in all_routes():
        if route.params or route.namespace == "admin" or "<" in route.pattern:
            continue
        response, job = start_export(client, "/" + route.pattern, capture)
        if job is not None:
            response = download(client, job)
        kind = response.get("Content-Type", "").split(";")[0]
        if response.status_code == 200 and kind in (CSV_TYPE, XLSX_TYPE):
            found[route.name] = (kind, response.getvalue())
    return found


def _cells(kind: str, content: bytes) -> list:
    if kind == CSV_TYPE:
        return [
            value for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for value in row
        ]
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_every_spreadsheet_export_stores_formula_like_text_as_text(
    client, staff, today, start, django_capture_on_commit_callbacks
):
    # In proceedings, with a hearing today: the court diary's downloads list it too.
    case = case_at("proceedings", staff)
    court.hearing_list(
        case_id=case.pk,
        actor=staff.legal,
        data={"kind": "directions_hearing", "date": today.isoformat(), "time": "10:00"},
    )
    Child.objects.filter(case=case).update(first_name=f'{start}HYPERLINK("http://evil.example")')
    staff.team.name = f"{start}SUM(A1:A9)"
    staff.team.save()
    staff.social_worker.first_name = f"{start}cmd|' /C calc'!A0"
    staff.social_worker.save()
    client.force_login(staff.court_liaison_officer)

    exports = _exports(client, django_capture_on_commit_callbacks)
    assert {
        "board:export_csv",
        "board:export_xlsx",
        "court_diary:diary_csv",
        "court_diary:diary_xlsx",
    } <= set(exports)
    for name, (kind, content) in exports.items():
        cells = _cells(kind, content)
        if kind == CSV_TYPE:
            assert case.reference in cells, name
            risky = [value for value in cells if value.startswith(FORMULA_STARTS)]
            assert not risky, (name, risky)
            # The text is kept, behind the apostrophe that spreadsheets show as text (a
            # tab, a control character, is dropped from CSV cells instead).
            assert f"'{start}SUM(A1:A9)" in cells or (start == "\t" and "SUM(A1:A9)" in cells)
        else:
            assert case.reference in [cell.value for cell in cells], name
            assert not [cell.coordinate for cell in cells if cell.data_type == "f"], name
            formula_like = [
                cell
                for cell in cells
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
            ]
            # The names are there, as they are stored (a tab is dropped), ...
            assert formula_like or start == "\t", name
            assert all(cell.data_type == "s" for cell in formula_like), name  # ... as text
