"""Dates in plausible ranges and lists of sane sizes, each refused with a clear message
(docs/security.md, "Finding 9"). Through the real API with a real database."""

from __future__ import annotations

import pytest

from legaltracker.cases.models import Case, RecordedEvent
from letters.models import Expectation
from tests.factories import ATTENDEES, case_at, case_data, gateway_data

from .conftest import DETAILS, add_expectation, mother

pytestmark = pytest.mark.django_db

# The limits as documented in docs/security.md ("Finding 9").
MAX_CHILDREN = MAX_ADULTS = MAX_ASSESSMENTS = 20
MAX_ATTENDEES = 30
MAX_EXPECTATIONS = 40

CHILD = {"first_name": "Amy", "last_name": "Example", "date_of_birth": "2019-04-01"}
ADULT = {"first_name": "Kim", "last_name": "Example", "relationship": "mother"}


def _refused(answer, field: str, words: str) -> None:
    assert answer.status_code == 400, answer.json()
    messages = " ".join(answer.json()["errors"][field])
    assert words in messages, messages


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opened_on", "words"),
    [
        ("0001-01-01", "from 1900 onwards"),
        ("1850-06-01", "from 1900 onwards"),
        ("1990-01-01", "Children Act 1989 came into force"),
        ("9999-12-30", "cannot be in the future"),
    ],
)
def test_an_implausible_opened_date_is_refused(opened_on, words, staff, client_for, today):
    api = client_for(staff.social_worker)
    answer = api.post("/api/v1/cases/", case_data(staff, opened_on=opened_on), format="json")
    _refused(answer, "opened_on", words)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("child", "words"),
    [
        ({"date_of_birth": "0001-01-01"}, "from 1900 onwards"),
        ({"date_of_birth": "1950-05-01"}, "the child must be under 18"),
        ({"expected_date_of_birth": "9999-12-30"}, "43 weeks from today"),
        ({"expected_date_of_birth": "2028-01-01"}, "43 weeks from today"),
        ({"expected_date_of_birth": "0001-01-01"}, "from 1900 onwards"),
        ({"expected_date_of_birth": "2020-01-01"}, "43 weeks before the case was opened"),
    ],
)
def test_an_implausible_birth_date_is_refused(child, words, staff, client_for, today):
    body = case_data(staff, children=[{"first_name": "Amy", "last_name": "Example", **child}])
    answer = client_for(staff.social_worker).post("/api/v1/cases/", body, format="json")
    _refused(answer, "children", words)


def test_plausible_dates_are_still_taken(staff, client_for, today):
    child = {**CHILD, "date_of_birth": "2008-03-05", "expected_date_of_birth": "2026-10-01"}
    body = case_data(staff, opened_on="2026-03-04", children=[child])
    answer = client_for(staff.social_worker).post("/api/v1/cases/", body, format="json")
    assert answer.status_code == 201, answer.json()


@pytest.mark.parametrize(
    ("hearing_date", "words"),
    [
        ("9999-12-30", "2 years from today"),
        ("2028-03-05", "2 years from today"),
        ("0001-01-01", "from 1900 onwards"),
        ("2020-01-01", "the case was opened"),
    ],
)
def test_an_implausible_hearing_date_is_refused(hearing_date, words, staff, client_for, today):
    case = case_at("proceedings", staff)
    body = {
        "kind": "hearing_listed",
        "date": today.isoformat(),
        "hearing_type": "case_management_hearing",
        "hearing_date": hearing_date,
    }
    answer = client_for(staff.court_liaison_officer).post(
        f"/api/v1/cases/{case.pk}/events/", body, format="json"
    )
    _refused(answer, "hearing_date", words)
    assert not RecordedEvent.objects.filter(kind="hearing_listed").exists()


def test_an_event_date_in_year_one_is_refused(staff, client_for, today):
    case = case_at("concern", staff)
    body = {"kind": "note", "date": "0001-01-01", "summary": "Visited."}
    answer = client_for(staff.social_worker).post(
        f"/api/v1/cases/{case.pk}/events/", body, format="json"
    )
    _refused(answer, "date", "from 1900 onwards")


def test_an_assessment_date_years_ahead_is_refused(pp_case, staff, client_for, today):
    assessments = [{**DETAILS["assessments"][0], "when": "9999-12-30"}]
    answer = client_for(staff.social_worker).patch(
        f"/api/v1/cases/{pp_case.pk}/letter-details/",
        {**DETAILS, "assessments": assessments},
        format="json",
    )
    _refused(answer, "assessments", "5 years from today")


# --- list sizes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "item", "limit"),
    [("children", CHILD, MAX_CHILDREN), ("adults", ADULT, MAX_ADULTS)],
)
def test_a_case_with_too_many_people_is_refused(field, item, limit, staff, client_for, today):
    api = client_for(staff.social_worker)
    for count in (limit + 1, 30_000):
        body = case_data(staff, **{field: [item] * count})
        _refused(api.post("/api/v1/cases/", body, format="json"), field, f"at most {limit}")
    assert not Case.objects.exists()
    answer = api.post("/api/v1/cases/", case_data(staff, **{field: [item] * limit}), format="json")
    assert answer.status_code == 201, answer.json()


def test_a_gateway_with_too_many_attendees_is_refused(staff, client_for, today):
    case = case_at("legal_gateway", staff)
    body = gateway_data(today, attendees=ATTENDEES * (MAX_ATTENDEES // len(ATTENDEES) + 1))
    answer = client_for(staff.legal).post(
        f"/api/v1/cases/{case.pk}/transitions/gateway_enter_pre_proceedings/", body, format="json"
    )
    _refused(answer, "attendees", f"at most {MAX_ATTENDEES}")


def test_a_schedule_holds_at_most_so_many_current_items(pp_case, staff, client_for, today):
    for _ in range(MAX_EXPECTATIONS):
        add_expectation(pp_case, staff.social_worker)
    item = {
        "adults": [mother(pp_case).pk],
        "action": "One more thing.",
        "why_it_matters": "It matters.",
        "help_offered": "Help.",
        "how_judged": "We will see.",
        "due_by": "2026-04-03",
    }
    answer = client_for(staff.social_worker).post(
        f"/api/v1/cases/{pp_case.pk}/expectations/", item, format="json"
    )
    assert answer.status_code == 400
    assert "the most a schedule can hold" in answer.json()["detail"]
    assert Expectation.objects.filter(case=pp_case).count() == MAX_EXPECTATIONS


def test_an_expectation_for_too_many_adults_is_refused(pp_case, staff, client_for, today):
    item = {
        "adults": [mother(pp_case).pk] * (MAX_ADULTS + 1),
        "action": "Walk Amy to school.",
        "why_it_matters": "It matters.",
        "help_offered": "Help.",
        "how_judged": "We will see.",
        "due_by": "2026-04-03",
    }
    answer = client_for(staff.social_worker).post(
        f"/api/v1/cases/{pp_case.pk}/expectations/", item, format="json"
    )
    _refused(answer, "adults", f"at most {MAX_ADULTS}")


def test_letter_details_with_too_many_assessments_are_refused(pp_case, staff, client_for, today):
    answer = client_for(staff.social_worker).patch(
        f"/api/v1/cases/{pp_case.pk}/letter-details/",
        {**DETAILS, "assessments": DETAILS["assessments"] * (MAX_ASSESSMENTS + 1)},
        format="json",
    )
    _refused(answer, "assessments", f"at most {MAX_ASSESSMENTS}")


def test_an_adult_id_too_big_for_the_database_is_an_unknown_adult(pp_case, staff, client_for):
    # The API fuzzer found this one: a 21-digit id was a 500 (SQLite cannot be asked).
    item = {
        "adults": [10**20],
        "action": "Walk Amy to school.",
        "why_it_matters": "It matters.",
        "help_offered": "Help.",
        "how_judged": "We will see.",
        "due_by": "2026-04-03",
    }
    answer = client_for(staff.social_worker).post(
        f"/api/v1/cases/{pp_case.pk}/expectations/", item, format="json"
    )
    _refused(answer, "adults", "not adults on this case")
    assert not Expectation.objects.filter(case=pp_case).exists()
