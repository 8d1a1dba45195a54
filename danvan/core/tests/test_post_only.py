"""Every address that only takes a form's POST answers a GET with the page holding the form (302 and a
message) or an explanation (200) — never the browser's blank 405 (`core.http.post_only`)."""

import pathlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from danvan.core.http import is_post_only

pytestmark = pytest.mark.django_db

SAMPLE = {
    "pk": 999999,
    "relation_pk": 999999,
    "attachment_pk": 999999,
    "evidence_pk": 999999,
    "replication_pk": 999999,
    "code": "STP",
    "unit_code": "STP",
    "form_code": "BC-6T",
    "period_code": "2026S1",
    "period": "2026S1",
    "action": "accept",
}


def _post_only_routes(patterns=None, prefix="", namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _post_only_routes(pattern.url_patterns, prefix, space)
        elif isinstance(pattern, URLPattern) and pattern.name and is_post_only(pattern.callback):
            yield f"{namespace}{pattern.name}", tuple(pattern.pattern.regex.groupindex)


ROUTES = sorted(set(_post_only_routes()))


def test_the_post_only_addresses_are_found():
    names = [name for name, _kwargs in ROUTES]
    assert {
        "programmes:create",
        "reports:grid_save",
        "voice:case_action",
        "administration:role_revoke",
    } <= set(names)


@pytest.mark.parametrize(("name", "kwargs"), ROUTES, ids=[name for name, _kwargs in ROUTES])
def test_a_get_of_a_post_only_address_is_never_a_blank_405(name, kwargs, personas, login):
    url = reverse(name, kwargs={key: SAMPLE[key] for key in kwargs})
    response = login(personas["admin"]).get(url)
    assert response.status_code in (200, 302), f"{url}: {response.status_code}"
    if response.status_code == 200:
        assert "chỉ dùng để gửi biểu mẫu" in response.content.decode()


def test_programmes_new_opened_directly_leads_to_the_programmes_page_with_a_message(personas, login):
    client = login(personas["admin"])
    response = client.get("/programmes/new/", follow=True)
    assert response.redirect_chain == [(reverse("programmes:home"), 302)]
    assert "chỉ dùng để gửi biểu mẫu, không có gì để hiển thị" in response.content.decode()


def test_a_post_only_address_without_a_page_explains_and_links_back(rf, personas):
    from danvan.core.http import post_only

    @post_only()
    def view(request):  # pragma: no cover - never reached by a GET
        raise AssertionError

    request = rf.get("/x/", HTTP_REFERER="http://testserver/programmes/")
    request.user = personas["admin"]
    response = view(request)
    assert response.status_code == 200
    assert 'href="http://testserver/programmes/"' in response.content.decode()
    assert view(rf.delete("/x/")).status_code == 405


def test_no_view_uses_djangos_require_post_any_more():
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "/tests/" not in str(path)
        and ("@require_POST" in path.read_text() or 'require_http_methods(["POST"])' in path.read_text())
    ]
    assert offenders == []
