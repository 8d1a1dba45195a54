"""The OpenAPI description of the API and its documentation page."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_and_the_docs_are_only_for_signed_in_users(client, tree):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Chưa cung cấp thông tin xác thực."}
    page = client.get("/api/docs/")
    assert page.status_code == 401
    assert "Cần đăng nhập" in page.content.decode()
    assert 'href="/accounts/login/?next=/api/docs/"' in page.content.decode()


def test_a_token_opens_the_schema(personas):
    from rest_framework.test import APIClient

    from danvan.accounts.services import api_token_create

    client = APIClient()
    _token, secret = api_token_create(name="Lược đồ", days=30, by=personas["nobody"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/schema/", {"format": "json"}).status_code == 200


def test_the_schema_describes_every_endpoint(login, personas):
    client = login(personas["nobody"])
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/units/",
        "/api/v1/units/{code}/",
        "/api/v1/units/{code}/history/",
        "/api/v1/units/{code}/merge/",
        "/api/v1/unit-groups/",
        "/api/v1/unit-types/",
        "/api/v1/role-assignments/",
        "/api/v1/role-assignments/{id}/",
        "/api/v1/users/",
        "/api/v1/me/",
        "/api/v1/audit-events/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/audit-events/{id}/"]) == {"get"}


def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/units/{code}/split/" in (tmp_path / "schema.yaml").read_text(encoding="utf-8")


def test_the_docs_page_loads_its_assets_from_this_server(login, personas):
    response = login(personas["nobody"]).get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)""", page)
    assert sources, "the page loads no script or stylesheet"
    # Static files, and Swagger UI's init script served by the page itself (no inline script: CSP).
    assert all(source.startswith(("/static/", "/api/docs/?")) for source in sources), sources
    assert "/api/docs/?script=" in sources
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
