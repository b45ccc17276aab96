"""The client's address through the trusted proxies (core.client_ip): the header is read only from a trusted
peer, from the right, past the trusted hops; whatever the client wrote further left is ignored."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core.client_ip import client_address, client_ip, parse_networks

PROXIES = parse_networks(["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.5", "", "203.0.113.5"),  # no proxy
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # an untrusted peer's header is ignored
        ("10.1.2.3", "198.51.100.1", "198.51.100.1"),  # one trusted proxy
        ("10.1.2.3", "198.51.100.1, 192.0.2.7", "198.51.100.1"),  # two trusted proxies
        ("10.1.2.3", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged left part is ignored
        ("10.1.2.3", "6.6.6.6,198.51.100.1,10.9.9.9", "198.51.100.1"),
        ("10.1.2.3", "", "10.1.2.3"),  # the proxy itself, asking on its own behalf
        ("10.1.2.3", "10.4.4.4, 10.5.5.5", "10.4.4.4"),  # every hop trusted: the furthest one
        ("10.1.2.3", "not-an-address", "10.1.2.3"),  # garbage from a proxy: the last address we can vouch for
        ("10.1.2.3", "198.51.100.1, garbage", "10.1.2.3"),
        ("10.1.2.3", "198.51.100.1:51234", "198.51.100.1"),  # with a port
        ("10.1.2.3", "[2001:db9::1]:443", "2001:db9::1"),
        ("2001:db8::1", "2001:db9::5", "2001:db9::5"),  # IPv6 proxy
        ("::ffff:10.1.2.3", "198.51.100.1", "198.51.100.1"),  # IPv4 written as IPv6
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(peer, forwarded, client):
    assert client_address(peer, forwarded, PROXIES) == client


def test_a_bad_trusted_proxy_entry_is_named():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES: 'nope' is not an IP address or network"):
        parse_networks(["10.0.0.0/8", "nope"])


def test_the_request_reading_follows_the_setting(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.4")
    settings.TRUSTED_PROXIES = []
    assert client_ip(request) == "10.0.0.9"
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(request) == "198.51.100.4"
