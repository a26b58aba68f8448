"""No personal data in URLs: every URL parameter of the project is an id or an
identifier from a fixed set (never a name, a date of birth or an address), and the views
refuse anything else. Links on rendered pages are checked in the access matrix, which
reads every page it is shown (html.PageLinks)."""

from __future__ import annotations

import re

import pytest

from .html import _problem
from .routes import all_routes
from .world import SW, World

# Each URL parameter and what it carries, with the converters it may use. The API takes
# ids as text so that a non-number is a 400 with a message (legaltracker/cases/api_urls.py).
PARAMETERS = {
    "case_id": ("a case's id", {"int", "str"}),
    "event_id": ("a recorded event's id", {"int", "str"}),
    "name": ("a transition's identifier (casework), not a person's name", {"slug"}),
    "transition": ("a transition's identifier (API)", {"str"}),
    "kind": ("an event kind's identifier", {"slug"}),
    "expectation_id": ("an item of a schedule of expectations' id", {"int", "str"}),
    "letter_id": ("a letter's id", {"int", "str"}),
    "file_format": ("a letter file's format (docx or pdf)", {"str"}),
    "delivery_id": ("an alert delivery's id", {"int"}),
    "token": (
        "the calendar feed's secret, or a password reset link's token (random, not personal)",
        {"str"},
    ),
    "uidb64": ("a user's id in base 64 (a password reset link, Django's)", {"str"}),
    "user_id": ("a user's id", {"int"}),
    "token_id": ("an API token's id (not its key)", {"int"}),
    "export_id": ("an export job's id", {"int"}),
    "member": ("which kind of member of the case's family: 'child' or 'adult'", {"slug"}),
    "member_id": ("a child's or an adult's row id on the case (never a name)", {"int", "str"}),
    "request_id": ("an extension request's id", {"int"}),
    "year": ("a census year, four digits (a 400 page otherwise)", {"str"}),
    "hearing_id": ("a hearing's id", {"int", "str"}),
    "direction_id": ("a court direction's id", {"int", "str"}),
    "expert_id": ("an expert assessment's id", {"int", "str"}),
}
PERSONAL = re.compile(
    r"surname|first|last|forename|dob|birth|email|phone|address|postcode|child|adult|"
    r"person|parent|mother|father|nhs|ni_number",
    re.IGNORECASE,
)


def test_url_parameters_are_ids_or_identifiers():
    """The admin is left out: its parameters are Django's app labels and primary keys."""
    problems = []
    for route in all_routes():
        if route.namespace == "admin":
            continue
        for param, converter in route.params:
            if PERSONAL.search(param):
                problems.append(f"{route.name} ({route.pattern}): '{param}' looks personal")
            elif param not in PARAMETERS:
                problems.append(
                    f"{route.name} ({route.pattern}): '{param}' is not a known id or "
                    "identifier; add it to PARAMETERS with what it carries"
                )
            elif converter not in PARAMETERS[param][1]:
                problems.append(f"{route.name}: '{param}' uses the {converter} converter")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_identifier_parameters_take_only_their_identifiers(staff, other_staff, today):
    world = World.build(staff, other_staff)
    case = world.case("concern")
    client = world.web(SW)
    for path in (
        f"/cases/{case.pk}/actions/Quillonette-Pellinoreson/",
        f"/cases/{case.pk}/record/Quillonette/",
        f"/cases/{case.pk}/actions/refer-to-gateway/",
    ):
        assert client.get(path).status_code == 404, path
    api = world.api(SW)
    response = api.post(f"/api/v1/cases/{case.pk}/transitions/Quillonette/", {}, format="json")
    assert response.status_code in (400, 404)
    assert api.get("/api/v1/cases/Quillonette/").status_code == 400
    letter = world.letter("draft")
    # Anything but docx or pdf is refused on the letter's page, with no file.
    response = client.get(f"/letters/{letter.pk}/download/Quillonette/")
    assert response.status_code == 400
    assert not response.get("Content-Disposition")
    assert api.get("/api/v1/letters/Quillonette/").status_code == 400
    assert api.get("/api/v1/expectations/Quillonette/").status_code in (400, 405)


def test_the_link_check_finds_personal_data_and_passes_ids():
    assert _problem("/cases/12/actions/refer_to_gateway/#stage") is None
    assert _problem("/board/?stage=pre_proceedings&rag=red&sort=-next_deadline&page=2") is None
    assert _problem("/static/vendor/css/frontend.min.css") is None
    assert _problem("/board/?q=Quillonette") is not None
    assert _problem("/cases/?child=Ada%20Lovelace") is not None
    assert _problem("/people/Ada Lovelace/") is not None
    assert _problem("https://example.org/") is not None
