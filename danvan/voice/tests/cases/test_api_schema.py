"""The cases API in the OpenAPI description (the whole schema is validated in orgs' schema test)."""

import pytest

pytestmark = pytest.mark.django_db

IDENTITY_FIELDS = {"identity", "name", "address", "phone", "email", "id_number"}


@pytest.fixture
def schema(login, personas):
    response = login(personas["nobody"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_describes_the_cases_api(schema):
    paths = schema["paths"]
    assert set(paths["/api/v1/cases/"]) == {"get", "post"}
    assert set(paths["/api/v1/cases/{id}/"]) == {"get"}
    assert set(paths["/api/v1/cases/{id}/events/"]) == {"get"}
    assert set(paths["/api/v1/cases/{id}/clocks/"]) == {"get"}
    for name in (
        "classify",
        "assign",
        "accept",
        "reject",
        "transfer",
        "notify",
        "verify",
        "extend",
        "pause",
        "resume",
        "resolve",
        "close",
        "withdraw",
        "link",
    ):
        assert set(paths[f"/api/v1/cases/{{id}}/{name}/"]) == {"post"}, name
    assert set(paths["/api/v1/deadline-rules/"]) == {"get"}
    assert set(paths["/api/v1/deadline-rules/{code}/"]) == {"get"}
    filters = {p["name"] for p in paths["/api/v1/cases/"]["get"]["parameters"]}
    assert {"unit", "kind", "state", "channel", "received_from", "received_to", "overdue", "limit"} <= filters
    assert not any(path.startswith("/open311/") for path in paths)  # Open311 has its own standard


def test_no_response_of_the_schema_has_an_identity_field(schema):
    components = schema["components"]["schemas"]
    responses = [name for name in components if name.startswith(("Case", "DeadlineRule"))]
    responses = [name for name in responses if not name.endswith("Request") and "Enum" not in name]
    assert {"CaseOutput", "CaseDetailOutput", "CaseCreatedOutput", "CaseEventOutput"} <= set(responses)
    for name in responses:
        assert not IDENTITY_FIELDS & set(components[name].get("properties", {})), name
    # The intake takes the identity, write-only.
    assert "identity" in components["CaseCreateInputRequest"]["properties"]
