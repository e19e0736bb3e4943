"""Fetching the start of a link someone pasted, without letting them reach our private network.

One ``fetch`` is one HTTP request (no redirect is followed here; the caller decides about each
hop). Before connecting, the host is resolved once by us and every address it resolves to must pass
the address policy (``domain.addresses``); aiohttp then connects only to those addresses, through a
resolver that answers from what we checked and never asks DNS itself. So a name that resolves to a
public address for the check and to 127.0.0.1 a moment later (DNS rebinding) cannot get us to
connect to 127.0.0.1. Proxies from the environment are ignored (``trust_env=False``), so nothing
sits between the check and the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Final

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from syncwatch.transcoder.domain.addresses import IPAddress, parse_address
from syncwatch.transcoder.domain.content import FetchedResource
from syncwatch.transcoder.domain.sources import SNIFF_BYTES

#: ``resolve(host, port)``: every address ``host`` has, in the order to try them.
Resolve = Callable[[str, int], Awaitable[list[IPAddress]]]
AddressPolicy = Callable[[IPAddress], bool]

USER_AGENT: Final = "SyncWatch-SourceCheck/1.0 (checks whether a link can be watched together)"
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})


class AddressRefused(Exception):
    """The link's host resolves to an address the policy refuses (private, loopback, …)."""


class Unreachable(Exception):
    """The link could not be fetched; the message says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Answer:
    """What one request got: a redirect (``location``) or a resource to judge."""

    resource: FetchedResource
    #: The absolute URL a 3xx answer points to; None for any other answer.
    location: str | None = None


async def system_resolve(host: str, port: int) -> list[IPAddress]:
    """The host's addresses from the system resolver (getaddrinfo), without duplicates."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = parse_address(str(sockaddr[0]))
        if address is not None and address not in found:
            found.append(address)
    return found


class _PinnedResolver(AbstractResolver):
    """aiohttp's resolver for one fetch session: it answers only with addresses already checked."""

    def __init__(self) -> None:
        self._pins: dict[str, list[IPAddress]] = {}

    def pin(self, host: str, addresses: list[IPAddress]) -> None:
        self._pins[host.rstrip(".").lower()] = addresses

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = self._pins.get(host.rstrip(".").lower())
        if not addresses:
            # Never reached through SourceFetcher; a safeguard against connecting unchecked.
            raise OSError(f"{host} was not checked before connecting")
        return [
            {
                "hostname": host,
                "host": str(a),
                "port": port,
                "family": socket.AF_INET6 if a.version == 6 else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for a in addresses
        ]

    async def close(self) -> None:
        return None


def _media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


async def _read_head(content: aiohttp.StreamReader, limit: int) -> bytes:
    """At most ``limit`` bytes from the start of the body; the rest is never read."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = await content.read(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class FetchSession:
    """Requests of one validation (its redirect hops), each checked and pinned."""

    def __init__(self, fetcher: SourceFetcher) -> None:
        self._fetcher = fetcher
        self._resolver = _PinnedResolver()
        self._http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                resolver=self._resolver, use_dns_cache=False, force_close=True, limit=4
            ),
            trust_env=False,
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=fetcher.timeout_s),
        )

    async def close(self) -> None:
        """Close every connection of the session."""
        await self._http.close()

    async def _checked_addresses(self, host: str, port: int) -> list[IPAddress]:
        literal = parse_address(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                addresses = await self._fetcher.resolve(host, port)
            except (OSError, UnicodeError):
                raise Unreachable(f"SyncWatch couldn't find the server {host}.") from None
        if not addresses:
            raise Unreachable(f"SyncWatch couldn't find the server {host}.")
        if not all(self._fetcher.allow(a) for a in addresses):
            raise AddressRefused(host)
        return addresses

    async def fetch(self, url: str) -> Answer:
        """One GET of the first ``SNIFF_BYTES`` of ``url`` (a ``Range`` request); redirects are
        returned, not followed. Raises AddressRefused or Unreachable."""
        try:
            target = URL(url)
        except ValueError:
            raise Unreachable("That link can't be loaded.") from None
        host = target.raw_host
        if target.scheme not in ("http", "https") or not host or target.port is None:
            raise Unreachable("That link can't be loaded.")
        addresses = await self._checked_addresses(host, target.port)
        if parse_address(host) is None:
            self._resolver.pin(host, addresses)
        try:
            async with self._http.get(
                target,
                allow_redirects=False,
                headers={
                    "Range": f"bytes=0-{SNIFF_BYTES - 1}",
                    "Accept": "*/*",
                    # Raw bytes are what the magic numbers are read from.
                    "Accept-Encoding": "identity",
                    "User-Agent": USER_AGENT,
                },
            ) as response:
                return await self._answer(target, response)
        except TimeoutError:
            raise Unreachable("The server didn't answer in time.") from None
        except (aiohttp.ClientSSLError, ssl.SSLError):
            raise Unreachable(
                "The server's secure connection (TLS certificate) isn't valid."
            ) from None
        except aiohttp.ClientConnectorError:
            raise Unreachable(f"SyncWatch couldn't connect to {host}.") from None
        except (aiohttp.ClientError, OSError, ValueError):
            raise Unreachable("SyncWatch couldn't load that link.") from None

    async def _answer(self, target: URL, response: aiohttp.ClientResponse) -> Answer:
        location_header = response.headers.get("Location")
        location = None
        if response.status in _REDIRECTS and location_header:
            location = str(target.join(URL(location_header)))
            head = b""
        else:
            head = await _read_head(response.content, SNIFF_BYTES)
        resource = FetchedResource(
            origin=str(target.origin()),
            status=response.status,
            content_type=_media_type(response.headers.get("Content-Type")),
            head=head,
            x_frame_options=tuple(response.headers.getall("X-Frame-Options", ())),
            content_security_policy=tuple(response.headers.getall("Content-Security-Policy", ())),
        )
        return Answer(resource=resource, location=location)


class SourceFetcher:
    """Makes guarded fetch sessions: ``async with fetcher.session() as s: await s.fetch(url)``."""

    def __init__(
        self, *, allow: AddressPolicy, timeout_s: float, resolve: Resolve = system_resolve
    ) -> None:
        self.allow = allow
        self.timeout_s = timeout_s
        self.resolve = resolve

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[FetchSession]:
        """A session for the hops of one validation, closed afterwards."""
        session = FetchSession(self)
        try:
            yield session
        finally:
            await session.close()
