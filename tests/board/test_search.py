"""The board's name search (`?q=` on the page and `GET /api/v1/board/`): only open cases
in a legal stage the person may see, restrictions included; on PostgreSQL through the
open cases' trigram index, which the runtime database role may use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from legaltracker.audit import services as audit_services
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.cases.search import refresh_sql, search_cases
from tests.audit.test_db_roles import two_roles  # noqa: F401  (a fixture used below)
from tests.factories import case_at
from tests.markers import postgresql_only

API = reverse("board_api:board")


def _child(first, last):
    return {"first_name": first, "last_name": last, "date_of_birth": "2019-04-01"}


@pytest.fixture
def families(staff, other_staff, today):
    """Four open cases and a closed one, each with a child named Ní Dhómhnaill."""

    def make(stage, people, first):
        return case_at(stage, people, children=[_child(first, "Ní Dhómhnaill")])

    return {
        "mine": make(Stage.PRE_PROCEEDINGS, staff, "Órla"),
        "restricted": make(Stage.PROCEEDINGS, staff, "Siobhán"),
        "other_team": make(Stage.LEGAL_GATEWAY, other_staff, "Cáit"),
        "concern": make(Stage.CONCERN, staff, "Máire"),
        "closed": make(Stage.CLOSED, staff, "Nuala"),
    }


@pytest.fixture
def restricted(families, staff):
    audit_services.case_restrict(
        case_id=families["restricted"].pk,
        actor=staff.head_of_service,
        reason="A parent works in the council's children's services.",
        named_user_ids=[staff.legal.pk],
    )
    return families["restricted"]


def found(client, user, q) -> set[int]:
    client.force_login(user)
    response = client.get(API, {"q": q})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["results"])
    return {row["id"] for row in body["results"]}


def test_search_finds_only_open_board_cases(client, families, staff):
    found_ids = found(client, staff.court_liaison_officer, "ni dhomhnaill")
    expected = {families[name].pk for name in ("mine", "restricted", "other_team")}
    assert found_ids == expected


def test_restricted_cases_are_found_only_by_the_people_named(client, families, restricted, staff):
    pk = restricted.pk
    assert pk in found(client, staff.legal, "Dhómhnaill")  # named on it
    assert pk in found(client, staff.head_of_service, "Dhómhnaill")  # named when restricting
    assert pk not in found(client, staff.court_liaison_officer, "Dhómhnaill")
    assert pk not in found(client, staff.team_manager, "Dhómhnaill")
    assert found(client, staff.court_liaison_officer, "Siobhan") == set()
    assert found(client, staff.team_manager, restricted.reference) == set()


def test_other_teams_cases_are_not_found_by_a_team_manager(client, families, staff):
    assert found(client, staff.team_manager, "cait") == set()
    assert found(client, staff.team_manager, "orla") == {families["mine"].pk}


def test_the_counts_follow_the_search(client, families, staff):
    client.force_login(staff.court_liaison_officer)
    body = client.get(API, {"q": "Órla Ní"}).json()
    assert body["count"] == 1
    assert body["counts"]["stage"]["pre_proceedings"] == 1
    assert sum(body["counts"]["stage"].values()) == 1


def test_the_page_searches_as_the_api_does(client, families, staff):
    client.force_login(staff.court_liaison_officer)
    response = client.get(reverse("board:board"), {"q": "O'rla"})  # an apostrophe typed
    assert response.status_code == 200
    assert families["mine"].reference in response.content.decode()
    assert families["other_team"].reference not in response.content.decode()


@pytest.mark.parametrize("q", ["%", "_", "\\", "'", "x\x00y", "Ní\u0301"])
def test_odd_searches_are_answered_not_crashed(client, families, staff, q):
    client.force_login(staff.court_liaison_officer)
    response = client.get(API, {"q": q})
    assert response.status_code in (200, 400)


# --- PostgreSQL: the index, and the runtime role -------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)  # the roles' grants take locks a test transaction holds
def test_the_runtime_role_searches_with_the_index_and_refreshes(two_roles, staff):  # noqa: F811
    session, _, case_id, _ = two_roles
    open_cases = Case.objects.exclude(stage=Stage.CLOSED)
    query = search_cases(open_cases, "example", max_terms=5).values("pk").query
    search_sql, search_params = query.sql_with_params()
    with session.transaction(), session.cursor() as cursor:
        cursor.execute(refresh_sql(), [[case_id]] * 3)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + search_sql, search_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(search_sql, search_params)
        rows = [row[0] for row in cursor.fetchall()]
    assert "case_search_open_trgm" in plan
    assert rows == [case_id]
