"""The OpenAPI 3 schema at /api/v1/schema/ documents every operation, with no warning."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

OPERATIONS = {
    ("/api/v1/cases/", "get"): {"200", "400", "401", "403"},
    ("/api/v1/cases/", "post"): {"201", "400", "401", "403"},
    ("/api/v1/cases/{case_id}/", "get"): {"200", "400", "401", "404"},
    ("/api/v1/cases/{case_id}/transitions/{transition}/", "post"): {
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
    },
    ("/api/v1/cases/{case_id}/events/", "post"): {"201", "400", "401", "403", "404", "409"},
    ("/api/v1/cases/{case_id}/history/", "get"): {"200", "400", "401", "404"},
    ("/api/v1/cases/{case_id}/lawyer/", "post"): {"200", "400", "401", "403", "404", "409"},
    ("/api/v1/events/{event_id}/", "patch"): {"200", "400", "401", "403", "404", "409"},
}
# The court record: reads answer 404 for a case you cannot see (never 403); writes also 403
# for a role that may not, 409 for a case changed meanwhile.
_COURT_READ = {"200", "400", "401", "404"}
_COURT_WRITE = {"400", "401", "403", "404", "409"}
OPERATIONS |= {
    ("/api/v1/court-centres/", "get"): {"200", "400", "401"},
    ("/api/v1/hearing-reasons/", "get"): {"200", "400", "401"},
    ("/api/v1/cases/{case_id}/proceedings/", "get"): _COURT_READ,
    ("/api/v1/cases/{case_id}/proceedings/", "patch"): {"200", *_COURT_WRITE},
    ("/api/v1/cases/{case_id}/adults/{member_id}/representation/", "patch"): {
        "200",
        *_COURT_WRITE,
    },
    ("/api/v1/cases/{case_id}/hearings/", "get"): _COURT_READ,
    ("/api/v1/cases/{case_id}/hearings/", "post"): {"201", *_COURT_WRITE},
    ("/api/v1/hearings/{hearing_id}/", "get"): _COURT_READ,
    **{
        (f"/api/v1/hearings/{{hearing_id}}/{action}/", "post"): {"200", *_COURT_WRITE}
        for action in ("hold", "adjourn", "vacate", "draft-order-sent")
    },
    ("/api/v1/cases/{case_id}/directions/", "get"): _COURT_READ,
    ("/api/v1/cases/{case_id}/directions/", "post"): {"201", *_COURT_WRITE},
    ("/api/v1/cases/{case_id}/directions/standard/", "get"): _COURT_READ,
    ("/api/v1/cases/{case_id}/directions/standard/", "post"): {"201", *_COURT_WRITE},
    ("/api/v1/directions/{direction_id}/", "patch"): {"200", *_COURT_WRITE},
    ("/api/v1/cases/{case_id}/experts/", "get"): _COURT_READ,
    ("/api/v1/cases/{case_id}/experts/", "post"): {"201", *_COURT_WRITE},
    ("/api/v1/experts/{expert_id}/", "patch"): {"200", *_COURT_WRITE},
    ("/api/v1/cases/{case_id}/timetable/", "get"): _COURT_READ,
    ("/api/v1/cases/{case_id}/timetable/extensions/", "post"): {"201", *_COURT_WRITE},
    ("/api/v1/cases/{case_id}/children/{member_id}/joined/", "post"): {"200", *_COURT_WRITE},
}


@pytest.fixture
def schema(db, anonymous):
    response = anonymous.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1.0.0"


def test_every_operation_is_documented_with_its_answers(schema):
    # Other apps (the board) add their own operations under /api/v1/ too.
    documented = {
        (path, method): set(operation["responses"])
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if (path, method) in OPERATIONS
    }
    assert documented == OPERATIONS
    for path, method in OPERATIONS:
        assert schema["paths"][path][method]["operationId"]


def test_every_error_answer_is_the_error_body(schema):
    for path, method in OPERATIONS:
        for code, answer in schema["paths"][path][method]["responses"].items():
            if code.startswith("4"):
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error"
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "errors"}
    assert error["required"] == ["detail"]


def test_token_authentication_is_documented(schema):
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }


def test_the_transition_path_lists_the_domains_transitions(schema):
    operation = schema["paths"]["/api/v1/cases/{case_id}/transitions/{transition}/"]["post"]
    parameter = next(p for p in operation["parameters"] if p["name"] == "transition")
    assert "step_down" in parameter["schema"]["enum"]
    assert len(parameter["schema"]["enum"]) == 11


def test_the_case_body_names_the_domains_enums(schema):
    components = schema["components"]["schemas"]
    assert components["StageEnum"]["enum"][0] == "concern"
    assert "met_late" in components["DeadlineStatusEnum"]["enum"]
    assert components["RagEnum"]["enum"] == ["red", "amber", "green"]


def test_schema_generation_validates_without_warnings(db):
    # --fail-on-warn turns any warning (an undocumented type, an enum clash) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())
