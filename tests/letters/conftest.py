"""Fixtures for the letters tests: private storage in a temporary folder, a case in
pre-proceedings with three adults, and helpers that fill its schedule and details
through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from legaltracker.api.tokens import token_issue
from legaltracker.cases.models import Case
from letters import services
from tests.factories import case_at

ADULTS = [
    {
        "first_name": "Kerry",
        "last_name": "Fletcher",
        "relationship": "mother",
        "parental_responsibility": True,
        "address": "14 Willow Road\nEastbrook\nEB4 2PQ",
    },
    {
        "first_name": "Dean",
        "last_name": "Marsh",
        "relationship": "father",
        "parental_responsibility": True,
        "address": "3 Station Flats\nEastbrook",
    },
    {
        "first_name": "Joan",
        "last_name": "Fletcher",
        "relationship": "grandparent",
        "parental_responsibility": False,
        "address": "22 Mill Lane\nEastbrook",
    },
]
CHILDREN = [
    {"first_name": "Amy", "last_name": "Fletcher", "date_of_birth": "2019-05-12"},
    {"first_name": "Ben", "last_name": "Fletcher", "date_of_birth": "2022-09-03"},
]


@pytest.fixture(autouse=True)
def letters_storage(settings, tmp_path):
    settings.LETTERS_STORAGE_ROOT = str(tmp_path / "private" / "letters")
    return tmp_path / "private" / "letters"


def family_case(stage: str, staff: Any, **create: Any) -> Case:
    create.setdefault("adults", ADULTS)
    create.setdefault("children", CHILDREN)
    return case_at(stage, staff, **create)


@pytest.fixture
def pp_case(staff, today) -> Case:
    return family_case("pre_proceedings", staff)


def add_expectation(case: Case, actor: Any, **overrides: Any) -> Any:
    adults = [a.pk for a in case.adults.all() if a.parental_responsibility]
    data = {
        "adults": adults,
        "action": "Take Amy to school on time every day.",
        "why_it_matters": "Amy needs to learn and to see her friends.",
        "help_offered": "We will pay for a bus pass.",
        "how_judged": "The school will tell us that Amy is there on time.",
        "due_by": (dt.date(2026, 3, 4) + dt.timedelta(days=30)).isoformat(),
        **overrides,
    }
    return services.expectation_create(case_id=case.pk, actor=actor, data=data)


DETAILS = {
    "concerns": "Amy and Ben have been left at home on their own at night.",
    "history": "We have worked with you since May 2025.",
    "help_given": "A family support worker has come to see you each week.",
    "meeting_date": "2026-03-17",
    "meeting_time": "10:00",
    "meeting_place": "Eastbrook Family Centre, 5 Grove Road",
    "meeting_attendees": ["Sam Brookfield, your social worker", "Leonie Quillon, our lawyer"],
    "fgdm_how_to_accept": "call Sam Brookfield on 01632 960 000.",
    "legal_contact_name": "Leonie Quillon",
    "legal_reference": "LEG/2026/0412",
    "assessments": [
        {
            "what": "How you look after Amy and Ben",
            "why": "To see what help you need",
            "who": "Jo Hart",
            "when": "2026-04-10",
        }
    ],
}


def set_details(case: Case, actor: Any, **overrides: Any) -> Any:
    return services.letter_details_update(
        case_id=case.pk, actor=actor, data={**DETAILS, **overrides}
    )


@pytest.fixture
def lbp_case(pp_case, staff) -> Case:
    """A pre-proceedings case ready for its letter before proceedings."""
    add_expectation(pp_case, staff.social_worker)
    add_expectation(
        pp_case,
        staff.social_worker,
        action="Keep the home clean and safe.",
        due_by="2026-04-17",
    )
    set_details(pp_case, staff.social_worker)
    return Case.objects.get(pk=pp_case.pk)


def mother(case: Case) -> Any:
    return case.adults.get(first_name="Kerry")


def generate(
    case: Case,
    actor: Any,
    kind: str = "letter_before_proceedings",
    recipient: Any = None,
    **extra: Any,
) -> Any:
    recipient = recipient or mother(case)
    return services.letter_generate(
        case_id=case.pk, actor=actor, data={"kind": kind, "recipient": recipient.pk, **extra}
    )


@pytest.fixture
def client_for(db):
    """`client_for(user)`: an API client that sends the user's token."""

    def make(user: Any) -> APIClient:
        _, key = token_issue(user=user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()
