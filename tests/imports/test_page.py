"""The import page and its template sheet: who may use them, and answers to bad files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from legaltracker.cases.models import Case
from legaltracker.imports import parsing
from legaltracker.imports.parsing import template_headings

from .helpers import csv_bytes, row

PAGE = "/imports/"
TEMPLATE = "/imports/template.xlsx"


def _signed_in(client, user):
    client.force_login(user)
    return client


def _upload(client, content: bytes, name: str = "tracker.csv", action: str = "check", **extra):
    return client.post(PAGE, {"file": SimpleUploadedFile(name, content), "action": action, **extra})


@pytest.mark.parametrize("path", [PAGE, TEMPLATE])
def test_only_a_head_of_service_may_open_them(client, council, path):
    assert client.get(path).status_code == 302  # to sign in
    for user in council.values():
        answer = _signed_in(client, user).get(path).status_code
        assert answer == (200 if user.role == "head_of_service" else 403), user.role


def test_someone_else_cannot_post_a_file_either(client, council, import_day):
    response = _upload(
        _signed_in(client, council["tm-riverside"]), csv_bytes(row()), action="import"
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_the_template_sheet_has_the_headings_and_an_example(client, hos):
    response = _signed_in(client, hos).get(TEMPLATE)
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.content))
    cases = book["Cases"]
    assert [c.value for c in cases[1]] == template_headings()
    assert cases["A2"].value == "TRK-0001"
    assert book["Columns"]["B2"].value == "reference"


def test_check_then_import(client, hos, import_day):
    client = _signed_in(client, hos)
    content = csv_bytes(row(), row(Reference="TRK-2", Team="Eastside"))
    checked = _upload(client, content)
    body = checked.content.decode()
    assert checked.status_code == 200
    assert "nothing was written" in body and "1 would be created" in body
    assert "There is no team &#x27;Eastside&#x27;" in body
    assert not Case.objects.exists()
    imported = _upload(client, content, action="import")
    assert imported.status_code == 200
    assert "1 created" in imported.content.decode()
    assert Case.objects.count() == 1
    again = _upload(client, content, action="import").content.decode()
    assert "nothing new was created" in again
    assert Case.objects.count() == 1


def test_a_mapping_for_unknown_headings(client, hos, import_day):
    data = row()
    data["Case no"] = data.pop("Reference")
    headings = ["Case no", *template_headings()[1:]]
    response = _upload(
        _signed_in(client, hos),
        csv_bytes(data, headings=headings),
        action="import",
        mapping="Case no = reference",
    )
    assert response.status_code == 200 and Case.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"", "tracker.csv", "Choose the tracker file|empty"),
        (b"%PDF-1.4", "tracker.pdf", "not a file the import reads"),
        ("Reference,Team\nTRK-1,Côté\n".encode("cp1252"), "tracker.csv", "not in UTF-8"),
        (b"PK\x03\x04 broken", "tracker.xlsx", "not a valid .xlsx"),
        (b"Colour,Size\nred,big\n", "tracker.csv", "no column for"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 64, "tracker.xls", "old-style Excel"),
    ],
)
def test_a_bad_file_is_a_400_with_the_reason_never_a_500(client, hos, content, name, says):
    import re

    response = _upload(_signed_in(client, hos), content, name=name)
    assert response.status_code == 400
    assert re.search(says, response.content.decode().replace("&#x27;", "'"))
    assert not Case.objects.exists()


def test_a_huge_file_is_refused(client, hos, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_BYTES", 100)
    response = _upload(_signed_in(client, hos), b"Reference\n" + b"TRK-1\n" * 100)
    assert response.status_code == 400
    assert "larger than the limit" in response.content.decode()


def test_a_bad_mapping_is_a_400(client, hos):
    response = _upload(_signed_in(client, hos), csv_bytes(row()), mapping="Colour = colour")
    assert response.status_code == 400
    assert "fields the tracker does not have" in response.content.decode()


def test_the_page_takes_fewer_rows_than_the_command(client, hos, monkeypatch):
    monkeypatch.setattr(parsing, "PAGE_MAX_ROWS", 1)
    response = _upload(_signed_in(client, hos), csv_bytes(row(), row(Reference="TRK-2")))
    assert response.status_code == 400
    assert "more than 1 rows" in response.content.decode()
