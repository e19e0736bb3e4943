"""HTTP clients for service tests, each arriving from an address no other test uses.

Per-IP rate limits are real in the tests too; giving every client its own ``X-Forwarded-For``
(believed from 127.0.0.1, see ``SYNCWATCH_TRUSTED_PROXIES``) keeps tests from throttling each other.
"""

from __future__ import annotations

import itertools

import httpx

_ips = itertools.count(1)


def next_ip() -> str:
    """An address no other client of this test run has used."""
    n = next(_ips)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def client_from(base_url: str, ip: str | None = None) -> httpx.AsyncClient:
    """A browser-like client (own cookie jar) talking to ``base_url`` from ``ip`` (or a fresh one)."""
    return httpx.AsyncClient(
        base_url=base_url, headers={"X-Forwarded-For": ip or next_ip()}, timeout=30
    )
