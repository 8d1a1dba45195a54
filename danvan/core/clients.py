"""The client's address: the one helper every part asks (rate limits, axes, the audit log).

Without a trusted proxy (the default, TRUSTED_PROXY_COUNT = 0) the address is the connection's peer,
REMOTE_ADDR; an X-Forwarded-For header is then ignored, since any client can send one. Behind reverse
proxies that append the peer to X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`), the setting
TRUSTED_PROXY_COUNT says how many there are (nginx alone: 1; a load balancer and nginx: 2) and the client
is the entry that many places from the right end of the header; whatever the client wrote further left is
ignored. The header is parsed by django-ipware. TRUSTED_PROXIES (addresses or networks) says whom the header
is believed from: the peer must be one of them. A Unix socket (empty REMOTE_ADDR: gunicorn behind nginx on
the same host) is always a trusted peer, since only local processes can connect to it; when TRUSTED_PROXIES
is empty, so is a loopback peer (nginx on the same host over TCP) — and no other: an app server reachable
over the network must not let any client name its own address.

`client_ip(request)` is the address or None when none is known (a Unix socket without a proxy header);
`ratelimit_ip(request)` is django-ratelimit's RATELIMIT_IP_META_KEY: it never fails, an unknown client
counts under one shared key.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

UNKNOWN = "0.0.0.0"  # rate-limit key of clients whose address is not known


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip())) if value else None
    except ValueError:
        return None


def _trusted_peer(peer: str | None) -> bool:
    if peer is None:
        return True  # a Unix socket: only local processes can connect
    address = ipaddress.ip_address(peer)
    networks = getattr(settings, "TRUSTED_PROXIES", [])
    if not networks:
        return address.is_loopback  # a proxy on this host; a remote peer must be named
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, following TRUSTED_PROXY_COUNT and TRUSTED_PROXIES; None when not known."""
    peer = _address(request.META.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0 or not request.META.get("HTTP_X_FORWARDED_FOR") or not _trusted_peer(peer):
        return peer
    # The proxy nearest to us appended its own peer, so the header holds the client and the proxies
    # before the last one: the client is `proxies` entries from the right end.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return _address(address) or peer


def ratelimit_ip(request: HttpRequest) -> str:
    """RATELIMIT_IP_META_KEY: the client's address, or one shared key when it is not known."""
    return client_ip(request) or UNKNOWN
