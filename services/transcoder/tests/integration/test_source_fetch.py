"""The guarded fetcher against a real local server: every hop's addresses checked, connections
pinned to the checked address (no second DNS lookup to rebind), bounded reads and time."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from syncwatch.transcoder.adapters.source_fetch import (
    AddressRefused,
    SourceFetcher,
    Unreachable,
    _PinnedResolver,
)
from syncwatch.transcoder.domain.addresses import IPAddress
from syncwatch.transcoder.domain.sources import SNIFF_BYTES
from syncwatch.transcoder.sources import SourceValidator

from ..conftest import MediaServer, serve_media

pytestmark = pytest.mark.integration

FIRST = ipaddress.ip_address("127.0.0.1")
SECOND = ipaddress.ip_address("127.0.0.2")


@pytest_asyncio.fixture
async def two_host_server(media_files) -> AsyncIterator[MediaServer]:
    """The media server on 127.0.0.1 and 127.0.0.2 (same port): two "networks" on loopback."""
    async with serve_media(media_files, "127.0.0.1", "127.0.0.2") as server:
        yield server


def only(*allowed: IPAddress):
    return lambda address: address in allowed


class Dns:
    """A resolver for names only this test knows; counts lookups, and can change its answers."""

    def __init__(self, answers: dict[str, list[list[IPAddress]]]) -> None:
        self._answers = answers
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.lookups.append(host)
        answers = self._answers[host]
        return answers.pop(0) if len(answers) > 1 else answers[0]


def _validator(fetcher: SourceFetcher, timeout_s: float = 5.0) -> SourceValidator:
    return SourceValidator(fetcher, timeout_s=timeout_s)


async def test_a_redirect_hop_is_checked_like_the_first(two_host_server) -> None:
    server = two_host_server
    hop = f"http://127.0.0.2:{server.port}/media/clip.mp4"
    link = f"http://127.0.0.1:{server.port}/goto?url={hop}"
    trusting = _validator(SourceFetcher(allow=only(FIRST, SECOND), timeout_s=5))
    assert (await trusting.validate(link)).provider == "direct_mp4"  # both hosts serve

    before = len(server.requests)
    guarded = _validator(SourceFetcher(allow=only(FIRST), timeout_s=5))
    check = await guarded.validate(link)
    assert check.reason == "private_address"
    assert [path for path, _ in server.requests[before:]] == ["/goto"]


async def test_a_named_redirect_hop_is_resolved_and_checked(two_host_server) -> None:
    server = two_host_server
    dns = Dns({"inside.test": [[SECOND]]})
    fetcher = SourceFetcher(allow=only(FIRST), timeout_s=5, resolve=dns)
    link = (
        f"http://127.0.0.1:{server.port}/goto?url=http://inside.test:{server.port}/media/clip.mp4"
    )
    check = await _validator(fetcher).validate(link)
    assert check.reason == "private_address"
    assert dns.lookups == ["inside.test"]


async def test_the_connection_goes_to_the_checked_address_and_dns_is_asked_once(
    media_server,
) -> None:
    # The name answers an allowed address to the check, and a refused one to anyone asking again
    # (DNS rebinding). The fetch must reach the server through the first answer, asking only once.
    dns = Dns({"video.test": [[FIRST], [ipaddress.ip_address("10.0.0.1")]]})
    fetcher = SourceFetcher(allow=only(FIRST), timeout_s=5, resolve=dns)
    async with fetcher.session() as session:
        answer = await session.fetch(f"http://video.test:{media_server.port}/media/clip.mp4")
    assert answer.resource.status == 206
    assert answer.resource.head[4:8] == b"ftyp"
    assert dns.lookups == ["video.test"]
    assert (
        media_server.requests_to("/media/clip.mp4")[-1]["Host"] == f"video.test:{media_server.port}"
    )


async def test_one_refused_address_among_allowed_ones_refuses_the_host(media_server) -> None:
    dns = Dns({"mixed.test": [[FIRST, ipaddress.ip_address("192.168.1.10")]]})
    fetcher = SourceFetcher(allow=only(FIRST), timeout_s=5, resolve=dns)
    async with fetcher.session() as session:
        with pytest.raises(AddressRefused):
            await session.fetch(f"http://mixed.test:{media_server.port}/media/clip.mp4")


async def test_the_pinned_resolver_never_answers_for_an_unchecked_host() -> None:
    resolver = _PinnedResolver()
    resolver.pin("checked.test", [FIRST])
    assert [r["host"] for r in await resolver.resolve("checked.test", 80)] == ["127.0.0.1"]
    with pytest.raises(OSError, match="not checked"):
        await resolver.resolve("other.test", 80)


async def test_only_the_first_64_kib_are_read(media_server) -> None:
    fetcher = SourceFetcher(allow=only(FIRST), timeout_s=5)
    async with fetcher.session() as session:
        whole = await session.fetch(media_server.url("/raw/mp4"))  # ignores Range: 200, all bytes
        endless = await session.fetch(media_server.url("/endless"))
    assert whole.resource.status == 200
    assert len(whole.resource.head) == SNIFF_BYTES
    assert len(endless.resource.head) == SNIFF_BYTES


async def test_a_slow_server_runs_out_of_time(media_server) -> None:
    # /slow would answer a valid MP4 after 5 s: "unreachable" shows the wait was cut short.
    fetcher = SourceFetcher(allow=only(FIRST), timeout_s=0.5)
    check = await _validator(fetcher, timeout_s=0.5).validate(media_server.url("/slow"))
    assert check.reason == "unreachable"
    assert "time" in check.message


async def test_an_unknown_name_is_unreachable(media_server) -> None:
    fetcher = SourceFetcher(allow=only(FIRST), timeout_s=5)
    async with fetcher.session() as session:
        with pytest.raises(Unreachable, match="couldn't find"):
            await session.fetch("http://no-such-host.invalid/clip.mp4")
