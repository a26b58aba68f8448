"""The council's own details: kept in the admin (one row, a PNG or JPEG logo, the local
solicitors), read before the settings and the invented council, flowing into the next
letter; and the production check that refuses the invented council or solicitors."""

from __future__ import annotations

import pytest
from django.core import checks as django_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from letters import build_templates, checks, conf, selectors, storage
from letters.models import CouncilDetails, LocalSolicitor

from .conftest import generate

pytestmark = pytest.mark.django_db

ADD = "/admin/letters/councildetails/add/"
PNG = build_templates.logo_png()
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def administrator(staff):
    user = staff.administrator
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**changes):
    return {
        "name": "Cyngor Sir Ynys Wen",
        "department": "Children's Services",
        "address": "County Hall\n  Stryd Fawr  \n\nYnys Wen\nYW1 1AA",
        "phone": "01632 961 000",
        "email": "plant@example.org",
        "website": "www.ynyswen.example.org",
        "signatory_name": "Siân Ŵyn",
        "signatory_role": "Head of Children's Services",
        "default_language": "en",
        "bilingual_layout": "welsh_first",
        **changes,
    }


def add_solicitors():
    LocalSolicitor.objects.create(
        firm="Pritchard & Co <Family>", phone="01632 961 210", address="2 Stryd y Bont", position=2
    )
    LocalSolicitor.objects.create(
        firm="Jones Children Law", phone="01632 961 300", address="9 Heol y Parc", position=1
    )
    LocalSolicitor.objects.create(
        firm="Closed Firm", phone="01632 961 999", address="Gone", position=0, active=False
    )


# --- reading the details --------------------------------------------------------------------


def test_without_a_row_the_settings_then_the_invented_council_are_used(settings):
    assert conf.council()["name"] == conf.DEFAULT_COUNCIL["name"]
    assert conf.solicitors() == conf.DEFAULT_SOLICITORS
    settings.LEGALTRACKER_COUNCIL_NAME = "Westbrook Council"
    settings.LEGALTRACKER_COUNCIL_ADDRESS = "Town Hall|Westbrook"
    settings.LEGALTRACKER_SOLICITORS = [{"name": "Env Law", "phone": "1", "address": "A"}]
    council = conf.council()
    assert council["name"] == "Westbrook Council"
    assert council["address"] == ["Town Hall", "Westbrook"]
    assert council["signatory_name"] == ""
    assert conf.solicitors() == [{"name": "Env Law", "phone": "1", "address": "A"}]


def test_the_row_wins_and_its_empty_fields_fall_back_to_the_settings(settings):
    settings.LEGALTRACKER_COUNCIL_WEBSITE = "www.from-settings.example.org"
    CouncilDetails.objects.create(
        name="Cyngor Sir Ynys Wen", address="County Hall\nYnys Wen", phone="01632 961 000"
    )
    council = conf.council()
    assert council["name"] == "Cyngor Sir Ynys Wen"
    assert council["address"] == ["County Hall", "Ynys Wen"]
    assert council["website"] == "www.from-settings.example.org"
    add_solicitors()
    assert [s["name"] for s in conf.solicitors()] == [
        "Jones Children Law",
        "Pritchard & Co <Family>",
    ]


# --- the admin ------------------------------------------------------------------------------


def test_the_admin_keeps_one_row_with_a_checked_logo(administrator):
    client = admin_client(administrator)
    answer = client.post(
        ADD, {**form(), "logo_file": SimpleUploadedFile("logo.png", PNG, "image/png")}
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    row = CouncilDetails.objects.get()
    assert bytes(row.logo) == PNG and row.updated_by == administrator
    assert row.address == "County Hall\nStryd Fawr\nYnys Wen\nYW1 1AA"
    # One council, one row: no second one.
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form(name="Another")).status_code == 403
    assert CouncilDetails.objects.count() == 1
    # A JPEG replaces it; the logo can be removed.
    change = f"/admin/letters/councildetails/{row.pk}/change/"
    jpeg = SimpleUploadedFile("logo.jpg", JPEG, "image/jpeg")
    assert client.post(change, {**form(), "logo_file": jpeg}).status_code == 302
    assert bytes(CouncilDetails.objects.get().logo) == JPEG
    assert client.post(change, {**form(), "remove_logo": "on"}).status_code == 302
    assert bytes(CouncilDetails.objects.get().logo) == b""


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"<svg>not a png</svg>", "image/png"),
            "The logo must be a PNG or JPEG image.",
        ),
        (
            SimpleUploadedFile("logo.png", PNG + b"\x00" * (600 * 1024), "image/png"),
            "The logo is larger than 512 KB.",
        ),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(administrator, upload, message):
    answer = admin_client(administrator).post(ADD, {**form(), "logo_file": upload})
    assert answer.status_code == 200 and message in answer.content.decode()
    assert not CouncilDetails.objects.exists()


def test_an_address_of_blank_lines_is_refused(administrator):
    answer = admin_client(administrator).post(ADD, form(address="  \n \n"))
    assert answer.status_code == 200
    assert "address" in answer.context_data["adminform"].form.errors
    assert not CouncilDetails.objects.exists()


def test_the_local_solicitors_admin_lists_and_orders_them(administrator):
    add_solicitors()
    client = admin_client(administrator)
    page = client.get("/admin/letters/localsolicitor/").content.decode()
    assert "Jones Children Law" in page and "Closed Firm" in page
    answer = client.post(
        "/admin/letters/localsolicitor/add/",
        {
            "firm": "New Firm",
            "phone": "01632 961 400",
            "address": "1 Lane",
            "position": 3,
            "active": "on",
        },
    )
    assert answer.status_code == 302
    assert [s["name"] for s in conf.solicitors()] == [
        "Jones Children Law",
        "Pritchard & Co <Family>",
        "New Firm",
    ]


def test_admin_edits_flow_into_the_next_letter(lbp_case, staff, administrator):
    before = generate(lbp_case, staff.social_worker)
    assert before.context["council"]["name"] == "Eastbrook Borough Council"
    assert "Marsh and Kettle Solicitors" in before.text
    client = admin_client(administrator)
    answer = client.post(
        ADD, {**form(), "logo_file": SimpleUploadedFile("logo.png", PNG, "image/png")}
    )
    assert answer.status_code == 302
    add_solicitors()
    after = generate(lbp_case, staff.social_worker)
    assert after.context["council"]["name"] == "Cyngor Sir Ynys Wen"
    assert after.context["council"]["address"] == [
        "County Hall",
        "Stryd Fawr",
        "Ynys Wen",
        "YW1 1AA",
    ]
    assert after.context["signatory"] == {
        "has": True,
        "name": "Siân Ŵyn",
        "role": "Head of Children's Services",
    }
    assert [s["name"] for s in after.context["solicitors"]] == [
        "Jones Children Law",
        "Pritchard & Co <Family>",
    ]
    # Typed text stays literal: the ampersand and the angle brackets too.
    assert "Pritchard & Co <Family>" in after.text and "Siân Ŵyn" in after.text
    assert "Marsh and Kettle" not in after.text
    assert "please call us on 01632 961 000." in after.text
    assert "please call us on 01632 960 000." not in after.text
    assert after.context["logo"] == storage.sha256(PNG) == selectors.council_logo()[1]


# --- the production check ---------------------------------------------------------------------


def production_errors(settings) -> list:
    settings.SETTINGS_MODULE = "legaltracker.settings.production"
    return checks.council_details_check(databases=["default"])


def test_production_refuses_the_invented_council_and_solicitors(settings):
    errors = production_errors(settings)
    assert [e.id for e in errors] == ["letters.E006"]
    assert errors[0].level == django_checks.ERROR
    message = errors[0].msg
    assert "Eastbrook Borough Council" in message and "01632 960 000" in message
    assert "Marsh and Kettle Solicitors" in message


def test_production_refuses_invented_solicitors_under_a_real_council(settings):
    CouncilDetails.objects.create(
        name="Cyngor Sir Ynys Wen", address="County Hall", phone="01632 961 000"
    )
    errors = production_errors(settings)
    assert len(errors) == 1 and "Eastbrook Borough Council" not in errors[0].msg
    assert "Oakley Family Law" in errors[0].msg


def test_production_starts_with_the_councils_own_details(settings):
    CouncilDetails.objects.create(
        name="Cyngor Sir Ynys Wen", address="County Hall", phone="01632 961 000"
    )
    add_solicitors()
    assert production_errors(settings) == []


def test_production_starts_with_the_details_from_the_environment(settings):
    settings.LEGALTRACKER_COUNCIL_NAME = "Westbrook Council"
    settings.LEGALTRACKER_COUNCIL_PHONE = "01632 962 000"
    settings.LEGALTRACKER_COUNCIL_ADDRESS = "Town Hall|Westbrook"
    settings.LEGALTRACKER_SOLICITORS = [{"name": "Env Law", "phone": "01632 962 1", "address": "A"}]
    assert production_errors(settings) == []


def test_the_check_is_quiet_outside_production_and_without_a_database(settings):
    # Test, local and demo settings: the invented council is what a demo shows.
    assert checks.council_details_check(databases=["default"]) == []
    assert not [
        m
        for m in django_checks.run_checks(tags=["letters"], databases=["default"])
        if m.id == "letters.E006"
    ]
    settings.SETTINGS_MODULE = "legaltracker.settings.production"
    # The settings-only checks (`check --deploy`) do not read the database.
    assert checks.council_details_check(databases=None) == []
