"""`manage.py letters_demo` gives pre-proceedings cases what their letters need, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from letters import services
from letters.models import Expectation

from .conftest import generate

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_schedule_and_details_once(pp_case, staff):
    out = io.StringIO()
    call_command("letters_demo", stdout=out)
    assert "1 case(s)" in out.getvalue()
    assert Expectation.objects.filter(case=pp_case).count() == 3
    call_command("letters_demo", stdout=io.StringIO())
    assert Expectation.objects.filter(case=pp_case).count() == 3
    letter = generate(pp_case, staff.social_worker)
    assert (
        services.letter_approve(letter_id=letter.pk, actor=staff.team_manager).status == "approved"
    )
    assert letter.reading_ease >= 70 and letter.grade <= 6
