"""The portal and Open311 behind a reverse proxy and on a Unix socket (core/clients.py gives the address).

Two citizens behind the same trusted proxy have their own allowances; a forged X-Forwarded-For is ignored
when no proxy is trusted; without any address (gunicorn on a Unix socket) the pages still answer.
"""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from danvan.core.tests.test_clients import PROXY, citizen
from danvan.voice.cases import tracking
from danvan.voice.cases.models import Case

from .test_portal import client_at, send, send_url

TRACK = reverse("portal:track")


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    cache.clear()
    settings.VOICE_PORTAL_MIN_SECONDS = 0
    yield
    cache.clear()


def lookups_until_refused(client: Client, limit: int = 3) -> list[int]:
    return [client.post(TRACK, {"code": tracking.new_code()}).status_code for _ in range(limit + 1)]


def test_two_citizens_behind_a_trusted_proxy_have_their_own_allowance(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = [PROXY]
    settings.VOICE_PORTAL_LOOKUP_RATE = "3/10m"
    assert lookups_until_refused(citizen("203.0.113.7")) == [200, 200, 200, 429]
    assert citizen("203.0.113.8").post(TRACK, {"code": tracking.new_code()}).status_code == 200
    # A forged entry in front changes nothing: the refused citizen stays refused.
    assert citizen("198.51.100.1, 203.0.113.7").post(TRACK, {"code": "x"}).status_code == 429


def test_a_forged_forwarded_for_is_ignored_when_no_proxy_is_trusted(db, settings):
    settings.VOICE_PORTAL_LOOKUP_RATE = "3/10m"
    assert lookups_until_refused(citizen("203.0.113.7", peer="198.51.100.7")) == [200, 200, 200, 429]
    # Another forged address from the same connection: still the same allowance.
    assert citizen("203.0.113.8", peer="198.51.100.7").post(TRACK, {"code": "x"}).status_code == 429


def test_on_a_unix_socket_the_portal_answers(tree, rules):
    socket = client_at("")  # gunicorn on a Unix socket: REMOTE_ADDR is empty
    assert socket.post(TRACK, {"code": tracking.new_code()}).status_code == 200
    response = send(socket)
    assert response.status_code == 200 and "Đã nhận đơn thư" in response.content.decode()
    assert Case.objects.count() == 1
    assert socket.get(send_url()).status_code == 200


def test_on_a_unix_socket_open311_answers(tree):
    socket = Client(REMOTE_ADDR="")
    assert socket.get("/open311/v2/services.json").status_code == 200
    data = {"jurisdiction_id": "STP", "service_code": "feedback", "description": "Đèn đường hỏng nhiều ngày."}
    assert socket.post("/open311/v2/requests.json", data).status_code == 201
    # No REMOTE_ADDR at all (a server that does not set it).
    bare = RequestFactory().get("/open311/v2/services.json")
    del bare.META["REMOTE_ADDR"]
    match = resolve(bare.path_info)
    assert match.func(bare, *match.args, **match.kwargs).status_code == 200
