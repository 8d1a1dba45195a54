"""The client's address behind a reverse proxy (core/clients.py): one helper for rate limits, axes, audit.

Two people behind the same proxy are told apart when the proxy is trusted; a forged X-Forwarded-For is
ignored when none is. The portal's side: voice/tests/portal/test_behind_a_proxy.py.
"""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import make_user
from danvan.audit.models import AuditEvent
from danvan.core.clients import client_ip

PASSWORD = "mat-khau-thu-nghiem-1"
PROXY = "10.0.0.2"  # nginx, as the app server sees it


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = [PROXY]  # nginx on another host: named, or its header is not believed


def citizen(forwarded_for: str, peer: str = PROXY) -> Client:
    """A browser behind the proxy: nginx appended the citizen's address to X-Forwarded-For."""
    return Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded_for)


def request(**meta):
    made = RequestFactory().get("/", **meta)
    if meta.get("REMOTE_ADDR") is None:
        del made.META["REMOTE_ADDR"]
    return made


def test_without_a_trusted_proxy_the_address_is_the_peer_and_forwarded_for_is_ignored():
    assert (
        client_ip(request(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "198.51.100.7"
    )
    assert client_ip(request(REMOTE_ADDR="")) is None
    assert client_ip(request(HTTP_X_FORWARDED_FOR="203.0.113.9")) is None


def test_behind_a_trusted_proxy_the_client_is_counted_from_the_right(behind_nginx, settings):
    # The citizen wrote "1.2.3.4" themselves; nginx appended the real peer.
    assert client_ip(request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"
    assert client_ip(request(REMOTE_ADDR=PROXY)) == PROXY  # no header: the peer itself
    assert client_ip(request(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"  # socket
    settings.TRUSTED_PROXY_COUNT = 2  # a load balancer, then nginx
    chain = "1.2.3.4, 203.0.113.9, 10.0.0.1"
    assert client_ip(request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)) == "203.0.113.9"
    # Fewer entries than proxies: the header is not believed.
    assert client_ip(request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")) == PROXY


def test_trusted_proxies_limit_whom_the_header_is_believed_from(behind_nginx, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"
    assert client_ip(request(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"
    direct = request(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(direct) == "198.51.100.7"


def attempt(client: Client, password: str):
    return client.post(reverse("accounts:login"), {"username": "nguyen.an", "password": password})


def test_two_citizens_behind_a_trusted_proxy_have_their_own_lockout_counter(db, behind_nginx):
    user = make_user("nguyen.an")
    guesser, owner = citizen("203.0.113.7"), citizen("203.0.113.8")
    for _ in range(5):
        attempt(guesser, "sai-mat-khau")
    assert attempt(guesser, PASSWORD).status_code in (403, 429)
    assert attempt(owner, PASSWORD).status_code == 302
    login = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN, actor_id=user.pk)
    assert login.ip_address == "203.0.113.8"  # the audit log records the citizen, not the proxy
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert {event.ip_address for event in failed} == {"203.0.113.7"}


def test_a_forged_forwarded_for_does_not_escape_the_lockout(db):
    make_user("nguyen.an")
    for number in range(5):
        attempt(citizen(f"203.0.113.{number}", peer="198.51.100.7"), "sai-mat-khau")
    assert attempt(citizen("203.0.113.99", peer="198.51.100.7"), PASSWORD).status_code in (403, 429)


def test_the_audit_log_records_the_client_behind_the_proxy(db, behind_nginx, login):
    user = make_user("tran.binh")
    client = login(user)
    client.defaults.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.44")
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT).ip_address == "203.0.113.44"


def test_on_a_unix_socket_signing_in_and_the_lockout_work(db):
    user = make_user("nguyen.an")
    socket = Client(REMOTE_ADDR="")  # gunicorn on a Unix socket, no proxy header: no address known
    assert attempt(socket, "sai-mat-khau").status_code == 200
    assert attempt(socket, PASSWORD).status_code == 302
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN, actor_id=user.pk).ip_address is None


@pytest.mark.parametrize("peer", ["203.0.113.9", "10.0.0.7"])
def test_with_a_count_but_no_addresses_a_remote_peer_cannot_name_its_own_address(rf, settings, peer):
    """An app server reachable over the network, TRUSTED_PROXY_COUNT set and TRUSTED_PROXIES left empty:
    only a Unix socket or a loopback peer (nginx on this host) is believed, never a remote client."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = []
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert client_ip(request) == peer
    local = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert client_ip(local) == "198.51.100.77"
