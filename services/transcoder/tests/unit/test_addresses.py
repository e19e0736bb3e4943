"""Classifying addresses a user-given link resolves to (SSRF protection)."""

from __future__ import annotations

import ipaddress

import pytest

from syncwatch.transcoder.domain.addresses import (
    AddressKind,
    classify_address,
    may_connect,
    parse_address,
)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("93.184.216.34", AddressKind.PUBLIC),
        ("8.8.8.8", AddressKind.PUBLIC),
        ("2606:4700:4700::1111", AddressKind.PUBLIC),
        ("127.0.0.1", AddressKind.LOOPBACK),
        ("127.255.255.254", AddressKind.LOOPBACK),
        ("::1", AddressKind.LOOPBACK),
        ("10.0.0.1", AddressKind.PRIVATE),
        ("172.16.5.4", AddressKind.PRIVATE),
        ("172.31.255.255", AddressKind.PRIVATE),
        ("192.168.1.1", AddressKind.PRIVATE),
        ("100.64.0.1", AddressKind.PRIVATE),  # carrier-grade NAT
        ("192.0.2.10", AddressKind.PRIVATE),  # documentation
        ("198.18.0.1", AddressKind.PRIVATE),  # benchmarking
        ("fc00::1", AddressKind.PRIVATE),
        ("fd12:3456::1", AddressKind.PRIVATE),
        ("2001:db8::1", AddressKind.PRIVATE),
        ("169.254.169.254", AddressKind.LINK_LOCAL),  # cloud metadata
        ("fe80::1", AddressKind.LINK_LOCAL),
        ("224.0.0.1", AddressKind.MULTICAST),
        ("239.255.255.250", AddressKind.MULTICAST),
        ("ff02::1", AddressKind.MULTICAST),
        ("240.0.0.1", AddressKind.RESERVED),
        ("255.255.255.255", AddressKind.RESERVED),
        ("0.0.0.0", AddressKind.UNSPECIFIED),
        ("::", AddressKind.UNSPECIFIED),
        # IPv6 forms that reach an IPv4 host are judged by that host.
        ("::ffff:127.0.0.1", AddressKind.LOOPBACK),
        ("::ffff:10.1.2.3", AddressKind.PRIVATE),
        ("::ffff:169.254.169.254", AddressKind.LINK_LOCAL),
        ("::ffff:8.8.8.8", AddressKind.PUBLIC),
        ("2002:7f00:1::", AddressKind.LOOPBACK),  # 6to4 of 127.0.0.1
        ("2002:c0a8:101::", AddressKind.PRIVATE),  # 6to4 of 192.168.1.1
        ("64:ff9b::7f00:1", AddressKind.LOOPBACK),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", AddressKind.LINK_LOCAL),  # NAT64 of 169.254.169.254
        ("64:ff9b::808:808", AddressKind.PUBLIC),  # NAT64 of 8.8.8.8
    ],
)
def test_addresses_are_classified(address: str, kind: AddressKind) -> None:
    assert classify_address(ipaddress.ip_address(address)) is kind


@pytest.mark.parametrize(
    ("address", "by_default", "allowing_private"),
    [
        ("8.8.8.8", True, True),
        ("127.0.0.1", False, True),
        ("::1", False, True),
        ("10.0.0.1", False, True),
        ("::ffff:192.168.0.1", False, True),
        ("169.254.169.254", False, True),
        # Never a place a video can come from, whatever the setting.
        ("0.0.0.0", False, False),
        ("224.0.0.1", False, False),
        ("240.0.0.1", False, False),
    ],
)
def test_who_may_be_connected_to(address: str, by_default: bool, allowing_private: bool) -> None:
    ip = ipaddress.ip_address(address)
    assert may_connect(ip) is by_default
    assert may_connect(ip, allow_private=True) is allowing_private


def test_parse_address_drops_a_zone_and_refuses_names() -> None:
    assert parse_address("fe80::1%eth0") == ipaddress.ip_address("fe80::1")
    assert parse_address("127.0.0.1") == ipaddress.ip_address("127.0.0.1")
    assert parse_address("localhost") is None
    assert parse_address("2130706433") is None
