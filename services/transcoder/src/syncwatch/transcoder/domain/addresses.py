"""Which network addresses a user-given link may make the service connect to (SSRF protection).

The transcoder fetches URLs people paste. Left unchecked, that would let anyone make it call the
cluster's own services, a cloud metadata endpoint (169.254.169.254) or a router's admin page. Every
address a host name resolves to is classified here before any connection, for every redirect hop.
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Callable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# RFC 6052 well-known NAT64 prefix: 64:ff9b::a.b.c.d reaches IPv4 a.b.c.d through a NAT64 gateway.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class AddressKind(enum.StrEnum):
    """What an address is, as far as fetching from it is concerned."""

    PUBLIC = "public"
    LOOPBACK = "loopback"
    PRIVATE = "private"  # RFC 1918, RFC 4193 (fc00::/7), 100.64.0.0/10 and other non-global ranges
    LINK_LOCAL = "link_local"
    MULTICAST = "multicast"
    RESERVED = "reserved"
    UNSPECIFIED = "unspecified"


#: What ``TRANSCODER_SOURCE_FETCH_ALLOW_PRIVATE`` lets through besides public addresses: the ranges a
#: test server or a developer's machine lives on. Multicast, reserved and unspecified addresses are
#: never a place a video can be fetched from, so they stay refused.
PRIVATE_KINDS = frozenset({AddressKind.LOOPBACK, AddressKind.PRIVATE, AddressKind.LINK_LOCAL})


_KINDS: tuple[tuple[AddressKind, Callable[[IPAddress], bool]], ...] = (
    (AddressKind.UNSPECIFIED, lambda a: a.is_unspecified),
    (AddressKind.LOOPBACK, lambda a: a.is_loopback),
    (AddressKind.LINK_LOCAL, lambda a: a.is_link_local),
    (AddressKind.MULTICAST, lambda a: a.is_multicast),
    (AddressKind.RESERVED, lambda a: a.is_reserved),
    (AddressKind.PRIVATE, lambda a: a.is_private or not a.is_global),
)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


def classify_address(address: IPAddress) -> AddressKind:
    """The kind of ``address``; an IPv6 address carrying an IPv4 one is judged by that one (a
    connection to it reaches the IPv4 host)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return classify_address(embedded)
    # First match wins: 127.0.0.1 is also "private" to the ipaddress module, :: also "reserved".
    for kind, applies in _KINDS:
        if applies(address):
            return kind
    return AddressKind.PUBLIC


def may_connect(address: IPAddress, *, allow_private: bool = False) -> bool:
    """Whether a fetch of a user-given link may connect to ``address``."""
    kind = classify_address(address)
    return kind is AddressKind.PUBLIC or (allow_private and kind in PRIVATE_KINDS)


def parse_address(text: str) -> IPAddress | None:
    """``text`` as an IP address (an IPv6 zone suffix such as ``%eth0`` dropped), or None."""
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
