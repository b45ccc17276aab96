"""The client's address, read through the proxies the deployment trusts (``TRUSTED_PROXIES``).

``REMOTE_ADDR`` is whoever opened the connection. Behind a load balancer that is the balancer, for every
client alike, so a per-address limit would lock everyone out at once; but ``X-Forwarded-For`` is a header any
client can write. So the header is read only when the connection comes from a trusted proxy, and from the
right: each proxy appends the address it received the request from, so walking leftwards past trusted
proxies, the first address that is not one of them is the client. Whatever a client wrote further left is
ignored. Sign-in throttling (django-axes, through ``AXES_CLIENT_IP_CALLABLE``), the rate limits and the audit
trail all use this one reading.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """``"10.0.0.0/8"``, ``"192.0.2.7"`` or ``"::1"`` as networks; raises ``ValueError`` naming a bad entry."""
    networks = []
    for entry in entries:
        text = entry.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ValueError(f"TRUSTED_PROXIES: {text!r} is not an IP address or network") from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_address(remote_addr: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client's address from the connection's peer and the ``X-Forwarded-For`` header (see the module)."""
    peer = _address(remote_addr)
    if peer is None:
        return remote_addr.strip()
    if not _trusted(peer, trusted) or not forwarded_for.strip():
        return str(peer)
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:  # a hop no proxy of ours would write: stop at the last address we could vouch for
            break
        client = address
        if not _trusted(address, trusted):
            break
    return str(client)


def client_ip(request: HttpRequest) -> str:
    """The request's client address (``AXES_CLIENT_IP_CALLABLE`` and every rate limit use this)."""
    return client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        parse_networks(settings.TRUSTED_PROXIES),
    )
