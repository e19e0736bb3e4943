"""Free ports and waiting for a listener."""

from __future__ import annotations

import asyncio
import socket

import pytest

from syncwatch.devstack.ports import free_port, port_is_free, wait_for_port


def test_free_port_can_be_bound() -> None:
    port = free_port()
    assert 1024 <= port <= 65535
    assert port_is_free("127.0.0.1", port)


def test_a_listening_port_is_not_free() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert not port_is_free("127.0.0.1", sock.getsockname()[1])


async def test_wait_for_port_returns_once_something_listens() -> None:
    port = free_port()

    async def listen_later() -> asyncio.Server:
        await asyncio.sleep(0.2)
        return await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", port)

    server_task = asyncio.create_task(listen_later())
    await wait_for_port("127.0.0.1", port, timeout=5)
    server = await server_task
    server.close()
    await server.wait_closed()


async def test_wait_for_port_times_out_with_a_clear_message() -> None:
    port = free_port()
    with pytest.raises(
        TimeoutError, match=rf"127\.0\.0\.1:{port} did not accept connections within 0\.3 s"
    ):
        await wait_for_port("127.0.0.1", port, timeout=0.3)
