"""API throttles: per user, per client address without sign-in, stricter for token-authenticated requests
and for reading a document; a throttled request answers 429 in Vietnamese with Retry-After. Rates come
from settings.API_THROTTLE_RATES (the environment's API_THROTTLE_*), read on each request."""

import json
import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units/"
PARSE = "/api/v1/documents/parse/"
UNLIMITED = "1000000/s"


@pytest.fixture
def rates(settings):
    """`rates(user="3/m", …)`: those scopes at those rates, the others unlimited, counters at zero."""
    cache.clear()

    def set_rates(**scopes):
        settings.API_THROTTLE_RATES = {
            scope: scopes.get(scope, UNLIMITED) for scope in ("anon", "user", "token", "parse")
        }

    yield set_rates
    cache.clear()


def _token_client(user) -> APIClient:
    """A client authenticated by an API token (accounts.ApiToken, made by its service)."""
    from danvan.accounts.services import api_token_create

    _token, secret = api_token_create(name="Kiểm thử giới hạn", days=30, by=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def _assert_throttled(response, period_seconds: int) -> None:
    assert response.status_code == 429, response.content
    detail = json.loads(response.content)["detail"]
    assert detail.startswith("Quá nhiều yêu cầu. Vui lòng thử lại sau ") and detail.endswith(" giây."), detail
    assert 1 <= int(response["Retry-After"]) <= period_seconds
    assert str(int(response["Retry-After"])) in detail


def test_a_user_gets_the_rate_then_429_in_vietnamese_and_another_user_is_not_concerned(
    tree, personas, api, rates
):
    rates(user="3/m")
    officer = api(personas["mobilisation_officer"])
    assert [officer.get(UNITS).status_code for _ in range(3)] == [200, 200, 200]
    _assert_throttled(officer.get(UNITS), 60)
    assert api(personas["viewer"]).get(UNITS).status_code == 200


def test_token_authenticated_requests_have_their_own_stricter_allowance(tree, personas, api, rates):
    rates(token="2/h", user="10/m")
    user = personas["mobilisation_officer"]
    by_token = _token_client(user)
    assert [by_token.get(UNITS).status_code for _ in range(2)] == [200, 200]
    _assert_throttled(by_token.get(UNITS), 3600)
    # The same person at the pages (a session) is under the user allowance only.
    assert api(user).get(UNITS).status_code == 200
    # Another user's token has its own allowance.
    assert _token_client(personas["viewer"]).get(UNITS).status_code == 200


def test_reading_a_document_has_a_stricter_scope_than_the_rest_of_the_api(tree, personas, api, rates):
    rates(parse="1/m")
    officer = api(personas["mobilisation_officer"])

    def parse():
        file = SimpleUploadedFile("cv.txt", "ĐẢNG ỦY SỞ TƯ PHÁP\nSố 84-CV/ĐU\n".encode(), "text/plain")
        return officer.post(PARSE, {"file": file}, format="multipart")

    assert parse().status_code == 200
    _assert_throttled(parse(), 60)
    assert officer.get(UNITS).status_code == 200  # other endpoints are not concerned
    assert api(personas["admin"]).post(PARSE, {}, format="multipart").status_code == 400  # per user


class _Public(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


def test_requests_without_sign_in_are_counted_per_client_address(rates):
    rates(anon="2/m")
    view, factory = _Public.as_view(), APIRequestFactory()

    def get(address):
        return view(factory.get("/public/", REMOTE_ADDR=address))

    assert [get("198.51.100.7").status_code for _ in range(2)] == [200, 200]
    # A header the client writes itself gives it no new allowance (no trusted proxy configured).
    spoofed = view(factory.get("/public/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    assert spoofed.status_code == 429
    throttled = get("198.51.100.7")
    throttled.render()
    _assert_throttled(throttled, 60)
    assert get("198.51.100.8").status_code == 200


def test_an_ipv6_client_counts_by_its_64_network_not_by_each_address(rates):
    """A subscriber holds a whole /64: walking through its addresses gives no new allowance."""
    rates(anon="2/m")
    view, factory = _Public.as_view(), APIRequestFactory()

    def get(address):
        return view(factory.get("/public/", REMOTE_ADDR=address))

    assert [get(f"2001:db8:0:1::{n}").status_code for n in (1, 2)] == [200, 200]
    assert get("2001:db8:0:1::3").status_code == 429
    assert get("2001:db8:0:2::1").status_code == 200  # another network


def test_rates_come_from_the_environment_and_a_malformed_one_is_refused():
    probe = "import django, json; from django.conf import settings; django.setup(); print(json.dumps(settings.API_THROTTLE_RATES))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "danvan.settings", "API_THROTTLE_PARSE": "100/h"}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout)["parse"] == "100/h"
    env["API_THROTTLE_USER"] = "10/5m"  # DRF would read it as 10 a minute
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "API_THROTTLE_USER" in result.stderr
