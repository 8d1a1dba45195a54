"""The OpenAPI schema declares every error status an operation can answer, with the body's shape
(`core.api.AutoSchema`): a client, and the fuzzer's status-code conformance check, knows them all."""

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def resolved(schema, response) -> dict:
    if "$ref" in response:
        return schema["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return response


def body_schema(schema, operation, status) -> dict:
    return resolved(schema, operation["responses"][status])["content"]["application/json"]["schema"]


def test_every_operation_declares_the_errors_it_can_answer(schema):
    missing = []
    count = 0
    for path, method, operation in operations(schema):
        count += 1
        expected = {"401", "403", "429"}  # every endpoint needs a signed-in user; throttles apply to all
        if method != "get":
            expected |= {"400", "409"}
        if "requestBody" in operation:
            expected |= {"400", "415"}
        query = {
            parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"
        }
        if query:
            expected.add("400")  # a malformed ?limit= or filter
        if "{" in path or query - {"limit", "offset"} or "requestBody" in operation:
            expected.add("404")  # the record named (in the path, ?unit=, a body's unit) is not to be seen
        if lacking := expected - set(operation["responses"]):
            missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
    assert count > 150
    assert missing == []


def test_each_error_keeps_the_success_response_and_has_a_body(schema):
    create = schema["paths"]["/api/v1/units/"]["post"]
    assert "201" in create["responses"]
    for status in ("400", "401", "403", "409", "415", "429"):
        response = resolved(schema, create["responses"][status])
        assert response["description"]
        assert "schema" in response["content"]["application/json"]
    assert body_schema(schema, create, "403")["required"] == ["detail"]


@pytest.mark.django_db
def test_the_declared_bodies_are_what_the_api_answers(schema, personas, api):
    from rest_framework.test import APIClient

    detail = schema["paths"]["/api/v1/units/{code}/"]["get"]
    create = schema["paths"]["/api/v1/units/"]["post"]
    coverage_url = "/api/v1/activities/cell-meetings/coverage/"  # a unit named in the query
    coverage = schema["paths"][coverage_url]["get"]
    answers = [
        (coverage, "404", api(personas["admin"]).get(coverage_url, {"unit": "NOPE", "year": 2026})),
        (detail, "401", APIClient().get("/api/v1/units/STP/")),
        (detail, "404", api(personas["admin"]).get("/api/v1/units/NOPE/")),
        (create, "403", api(personas["viewer"]).post("/api/v1/units/", {}, format="json")),
        (create, "400", api(personas["admin"]).post("/api/v1/units/", {"code": ""}, format="json")),
        (create, "400", api(personas["admin"]).post("/api/v1/units/", "[", content_type="application/json")),
        (create, "415", api(personas["admin"]).post("/api/v1/units/", "x", content_type="text/csv")),
    ]
    for operation, status, response in answers:
        assert str(response.status_code) == status
        jsonschema.validate(response.json(), body_schema(schema, operation, status))
